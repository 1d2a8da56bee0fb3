// TASK.png of `minflow benchmark`: the window holds the target and the paths' starts, every
// panel has its samples and one sub-block per path, and bad panels are refused.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "plot/benchmark.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::read_text;

namespace {
Array<float> line(std::size_t n, float scale) {
  Array<float> a = Array<float>::from_shape({n, 2});
  for (std::size_t i = 0; i < n; ++i) {
    a(i, 0) = scale * float(i) / float(n);
    a(i, 1) = -scale * float(i) / float(n);
  }
  return a;
}
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("plot benchmark: window, samples and one sub-block per path", "[plot]") {
  minflow::testing::TempDir dir;
  const Array<float> target = line(10, 5.0f);  // largest |coordinate| 4.5
  plot::BenchmarkPanel a{"I-CFM: W2 1", line(7, 1.0f), {line(3, 1.0f), line(3, 2.0f)}};
  plot::BenchmarkPanel b{"OT-CFM: W2 0.5", line(5, 1.0f), {}};
  CHECK(plot::benchmark_half_width(target, {a, b}) == Approx(1.1 * 4.5));
  plot::PlotOptions files_only;
  files_only.draw = false;
  plot::plot_benchmark_task(dir / "t.png", "N -> line", target, {a, b}, files_only);
  const std::string gp = read_text(dir / "t.gp"), dat = read_text(dir / "t.dat");
  CHECK(contains(gp, "set xrange [-4.95:4.95]"));
  CHECK(contains(gp, "size 1400,760"));
  CHECK(contains(gp, "set title 'OT-CFM: W2 0.5'"));
  CHECK(contains(gp, "data index 4 with lines"));  // target, then samples and paths per panel
  // Path 1 of panel a: its position at each of the two recorded times, then a blank line.
  CHECK(contains(dat, "(x y)\n0 -0\n0 -0\n\n0.333333 -0.333333\n0.666667 -0.666667\n\n"));
}

TEST_CASE("plot benchmark: bad panels are refused", "[plot]") {
  minflow::testing::TempDir dir;
  plot::PlotOptions files_only;
  files_only.draw = false;
  plot::BenchmarkPanel ragged{"2-RF", line(4, 1.0f), {line(3, 1.0f), line(2, 1.0f)}};
  CHECK_THROWS_WITH(
      plot::plot_benchmark_task(dir / "t.png", "x", line(4, 1.0f), {ragged}, files_only),
      Catch::Contains("2-RF: path rows of different sizes"));
  CHECK_THROWS_WITH(plot::plot_benchmark_task(dir / "t.png", "x", line(4, 1.0f), {}, files_only),
                    Catch::Contains("no panels"));
}
