// density.png's files: the grid's cell centres, the densities (not log-densities) of both
// panels on one scale, the clipped log-ratio, and bad grids refused.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "plot/plot.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::read_text;

namespace {

// The numeric rows "x y value" of a .dat file, in order.
std::vector<std::vector<double>> rows(const std::string& text) {
  std::vector<std::vector<double>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::vector<double> row(3);
    fields >> row[0] >> row[1] >> row[2];
    out.push_back(row);
  }
  return out;
}

}  // namespace

TEST_CASE("density_grid_points: the centres of size×size cells over the window", "[plot]") {
  const double kHalf = 4.0;  // the window [−4, 4]²
  const Array<float> p = plot::density_grid_points(4);
  REQUIRE(p.shape()[0] == 16);
  CHECK(p(0, 0) == Approx(-kHalf + kHalf / 4));  // first cell of the bottom row
  CHECK(p(0, 1) == Approx(-kHalf + kHalf / 4));
  CHECK(p(1, 0) == Approx(-kHalf + 3 * kHalf / 4));  // x runs fastest
  CHECK(p(4, 1) == Approx(-kHalf + 3 * kHalf / 4));
  CHECK(p(15, 0) == Approx(kHalf - kHalf / 4));
  CHECK_THROWS_WITH(plot::density_grid_points(1), Catch::Contains("at least 2"));
}

TEST_CASE("plot_density writes the model, the truth and their log-ratio", "[plot]") {
  minflow::testing::TempDir dir;
  plot::DensityGrid model{3, {}, "model"}, truth{3, {}, "truth"};
  for (std::size_t r = 0; r < 9; ++r) {
    model.log_p.push_back(-1.0 - 0.1 * r);
    truth.log_p.push_back(r == 4 ? -10.0 : -1.0);  // the model is 8.6 nats too high at r = 4
  }
  plot::PlotOptions options;
  options.draw = false;
  const auto result = plot::plot_density(dir / "density.png", model, &truth, options);
  const auto data = rows(read_text(result.data));
  REQUIRE(data.size() == 27);
  const Array<float> centres = plot::density_grid_points(3);
  for (std::size_t r = 0; r < 9; ++r) {
    CHECK(data[r][0] == Approx(centres(r, 0)).margin(1e-5));
    CHECK(data[r][1] == Approx(centres(r, 1)).margin(1e-5));
    CHECK(data[r][2] == Approx(std::exp(model.log_p[r])).epsilon(1e-5));
    CHECK(data[9 + r][2] == Approx(std::exp(truth.log_p[r])).epsilon(1e-5));
    const double ratio = r == 4 ? 3.0 : model.log_p[r] - truth.log_p[r];  // clipped at +3
    CHECK(data[18 + r][2] == Approx(ratio).margin(1e-5));
  }
  const std::string script = read_text(result.script);
  CHECK(script.find("set multiplot layout 1,3") != std::string::npos);
  CHECK(script.find("data index 2 using 1:2:3 with image") != std::string::npos);
  CHECK(script.find("set cbrange [0:" + std::string("0.367879") + "]") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "density.png"));

  // The model alone: one panel.
  const auto alone = plot::plot_density(dir / "alone.png", model, nullptr, options);
  CHECK(rows(read_text(alone.data)).size() == 9);
  CHECK(read_text(alone.script).find("multiplot") == std::string::npos);
}

TEST_CASE("plot_density refuses grids of the wrong size", "[plot][errors]") {
  minflow::testing::TempDir dir;
  plot::DensityGrid model{3, std::vector<double>(8, 0.0), "model"};
  CHECK_THROWS_WITH(plot::plot_density(dir / "d.png", model),
                    Catch::Contains("plot_density") && Catch::Contains("8 values"));
  model.log_p.push_back(0.0);
  plot::DensityGrid truth{4, std::vector<double>(16, 0.0), "truth"};
  CHECK_THROWS_WITH(plot::plot_density(dir / "d.png", model, &truth),
                    Catch::Contains("differ in size"));
  CHECK(std::filesystem::is_empty(dir.path()));
}
