// couplings.png (plot --what couplings): each chord joins row i of x0 to row i of x1, the
// titles give each pairing's mean squared chord length, and bad panels are refused.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "plot/couplings.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::read_text;
namespace fs = std::filesystem;

namespace {

Array<float> rows(const std::vector<std::vector<float>>& values) {
  Array<float> a = Array<float>::from_shape({values.size(), 2});
  for (std::size_t i = 0; i < values.size(); ++i) {
    a(i, 0) = values[i][0];
    a(i, 1) = values[i][1];
  }
  return a;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The chords of the first data block: pairs of "x y" rows separated by one blank line.
std::vector<std::string> first_block_chords(const std::string& dat) {
  std::vector<std::string> chords;
  std::istringstream in(dat.substr(0, dat.find("\n\n\n")));
  std::string line, chord;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    if (line.empty()) {
      if (!chord.empty()) chords.push_back(chord);
      chord.clear();
    } else {
      chord += (chord.empty() ? "" : " -> ") + line;
    }
  }
  if (!chord.empty()) chords.push_back(chord);
  return chords;
}

}  // namespace

TEST_CASE("plot couplings: chords join row i to row i, titles give the mean squared length",
          "[plot]") {
  minflow::testing::TempDir dir;
  const Array<float> x0 = rows({{0, 0}, {1, 0}});
  // Crossing partners (lengths² 10 and 2, mean 6) and the uncrossed ones (1 and 9, mean 5).
  const Array<float> crossed = rows({{1, 3}, {0, 1}}), straight = rows({{0, 1}, {1, 3}});
  CHECK(plot::mean_squared_chord(x0, crossed) == Approx(6.0));
  CHECK(plot::mean_squared_chord(x0, straight) == Approx(5.0));
  plot::PlotOptions files_only;
  files_only.draw = false;
  const auto result = plot::plot_couplings(
      dir / "couplings.png", {{"independent", x0, crossed}, {"ot", x0, straight}}, files_only);
  CHECK_FALSE(result.drawn);
  const std::string dat = read_text(dir / "couplings.dat");
  CHECK(first_block_chords(dat) == std::vector<std::string>{"0 0 -> 1 3", "1 0 -> 0 1"});
  const std::string gp = read_text(dir / "couplings.gp");
  CHECK(contains(gp, "size 1600,800"));
  CHECK(contains(gp, "independent: 2 pairs, mean |x1 - x0|^2 = 6.000"));
  CHECK(contains(gp, "ot: 2 pairs, mean |x1 - x0|^2 = 5.000"));
  CHECK(contains(gp, "data index 5"));  // three blocks a panel: chords, x0, x1
}

TEST_CASE("plot couplings: panels of unequal or no rows are refused", "[plot]") {
  minflow::testing::TempDir dir;
  plot::PlotOptions files_only;
  files_only.draw = false;
  const Array<float> two = rows({{0, 0}, {1, 1}}), one = rows({{0, 0}});
  CHECK_THROWS_WITH(
      plot::plot_couplings(dir / "c.png", {{"ot", two, one}}, files_only),
      Catch::Contains("ot: x0 and x1 need the same number of rows (> 0), got 2 and 1"));
  CHECK_THROWS_WITH(plot::plot_couplings(dir / "c.png", {}, files_only),
                    Catch::Contains("no panels"));
  CHECK_FALSE(fs::exists(dir / "c.dat"));
}
