// train --time error:CKPT: t drawn in proportion to a checkpoint's velocity error by t, the
// same weights `minflow eval --oracle` reports as velocity_error_bin0…9.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test.hpp"
#include "temp_dir.hpp"

using minflow::testing::kExe;
using minflow::testing::run_command;

namespace {
double value_of(const std::string& json, const std::string& key) {
  const auto at = json.find('"' + key + "\": ");
  REQUIRE(at != std::string::npos);
  return std::stod(json.substr(at + key.size() + 4));
}

// The weights of "time = bins:W0,W1,…" in a checkpoint's config.txt.
std::vector<double> saved_bins(const std::filesystem::path& checkpoint) {
  const std::string config = minflow::testing::read_text(checkpoint / "config.txt");
  const auto at = config.find("time = bins:");
  REQUIRE(at != std::string::npos);
  std::istringstream line(config.substr(at + 12, config.find('\n', at) - at - 12));
  std::vector<double> weights;
  for (std::string item; std::getline(line, item, ',');)
    weights.push_back(std::stod(item));
  return weights;
}
}  // namespace

TEST_CASE("train --time error:CKPT draws t by the checkpoint's velocity error", "[cli]") {
  minflow::testing::TempDir dir;
  const std::string small = " --batch 64 --hidden 16 --depth 2 --data eight_gaussians";
  auto r = run_command(kExe + " train --steps 30" + small + " --out pilot.ckpt", dir.path());
  REQUIRE(r.status == 0);
  r = run_command(kExe + " eval --model pilot.ckpt --oracle eight_gaussians --n 64 --json",
                  dir.path());
  REQUIRE(r.status == 0);
  const std::string eval = r.out;

  r = run_command(kExe + " train --steps 5" + small + " --time error:pilot.ckpt --out e.ckpt",
                  dir.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("--time bins:") != std::string::npos);  // says which weights it drew with
  const std::vector<double> weights = saved_bins(dir / "e.ckpt");
  REQUIRE(weights.size() == 10);
  double low = weights[0], high = weights[0];
  for (std::size_t b = 0; b < 10; ++b) {
    INFO("bin " << b);
    CHECK(weights[b] ==
          Approx(value_of(eval, "velocity_error_bin" + std::to_string(b))).epsilon(1e-6));
    low = std::min(low, weights[b]);
    high = std::max(high, weights[b]);
  }
  CHECK(high > 1.2 * low);  // a 30-step net is not equally wrong at every t: not uniform

  // The run resumes with the same flag: the weights are measured again, to the same values.
  r = run_command(
      kExe + " train --steps 8" + small + " --time error:pilot.ckpt --resume --out e.ckpt",
      dir.path());
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(saved_bins(dir / "e.ckpt") == weights);
}
