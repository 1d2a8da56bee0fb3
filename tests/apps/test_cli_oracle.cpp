// --oracle: the exact field in place of a checkpoint (sample, eval), and the metrics eval
// adds with it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "nn/npy.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::run_command;

namespace {
const std::string kExe = MINFLOW_EXE;

double value_of(const std::string& json, const std::string& key) {
  const auto at = json.find('"' + key + "\": ");
  REQUIRE(at != std::string::npos);
  return std::stod(json.substr(at + key.size() + 4));
}
}  // namespace

TEST_CASE("sample and eval with the exact field of a set and of a file", "[cli]") {
  minflow::testing::TempDir dir;
  auto r = run_command(kExe + " sample --oracle eight_gaussians --n 300 --out x.npy", dir.path());
  REQUIRE(r.status == 0);
  CHECK(nn::read_npy_header(dir / "x.npy").shape == Shape{300, 2});
  // A finite data set: Euler-100 carries noise onto its points.
  r = run_command(kExe + " sample --oracle x.npy --n 200 --out y.npy", dir.path());
  REQUIRE(r.status == 0);
  r = run_command(kExe + " eval --oracle eight_gaussians --n 512 --json", dir.path());
  REQUIRE(r.status == 0);
  INFO(r.out);
  CHECK(value_of(r.out, "precision") > 0.85);
  CHECK(value_of(r.out, "recall") > 0.85);
  CHECK(value_of(r.out, "off_support_fraction") < 0.05);
  CHECK(value_of(r.out, "nll_true_density") == Approx(value_of(r.out, "entropy")).margin(0.15));
  CHECK(r.out.find("velocity_error") == std::string::npos);  // no model, no path errors
}

TEST_CASE("eval --model --oracle reports floor, excess loss and velocity error by t", "[cli]") {
  minflow::testing::TempDir dir;
  auto r = run_command(kExe +
                           " train --steps 30 --batch 64 --hidden 16 --depth 2 "
                           "--data eight_gaussians --out f.ckpt",
                       dir.path());
  REQUIRE(r.status == 0);
  r = run_command(kExe + " eval --model f.ckpt --oracle eight_gaussians --n 256 --json",
                  dir.path());
  REQUIRE(r.status == 0);
  INFO(r.out);
  for (const char* key : {"loss_floor", "excess_loss", "velocity_error"}) {
    double mean = 0.0;
    for (int b = 0; b < 10; ++b)
      mean += value_of(r.out, std::string(key) + "_bin" + std::to_string(b)) / 10.0;
    CHECK(value_of(r.out, key) == Approx(mean).epsilon(1e-6));
  }
  // 30 steps leave the net far from u*: both errors are well above zero.
  CHECK(value_of(r.out, "velocity_error") > 0.1);
  CHECK(value_of(r.out, "excess_loss") > 0.05);
}

TEST_CASE("train --stop-excess stops at the floor and saves a complete run", "[cli]") {
  minflow::testing::TempDir dir;
  // X = 100 is reached as soon as the 100-step moving average exists.
  auto r = run_command(kExe +
                           " train --steps 500 --batch 64 --hidden 16 --depth 1 "
                           "--data eight_gaussians --stop-excess 100 --out s.ckpt",
                       dir.path());
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("loss floor") != std::string::npos);
  CHECK(r.out.find("reached at step 100") != std::string::npos);
  CHECK(nn::read_npy_header(dir / "s.ckpt/loss.npy").shape == Shape{100});
  CHECK(nn::read_npy_header(dir / "s.ckpt/state/loss_by_t.npy").shape == Shape{100, 10});
  // The checkpoint is complete: no "partial" note when it is used.
  r = run_command(kExe + " eval --model s.ckpt --n 64", dir.path());
  CHECK(r.status == 0);
  CHECK(r.err.find("partial") == std::string::npos);
}

TEST_CASE("plot the exact field, the velocity error and the excess loss", "[cli]") {
  minflow::testing::TempDir dir;
  auto r = run_command(kExe +
                           " train --steps 30 --batch 64 --hidden 16 --depth 1 "
                           "--data eight_gaussians --out f.ckpt",
                       dir.path());
  REQUIRE(r.status == 0);
  for (const char* args :
       {"--what samples --oracle eight_gaussians --n 200", "--what velocity-error --model f.ckpt",
        "--what excess-loss --model f.ckpt"}) {
    r = run_command(kExe + " plot --out p " + args, dir.path());
    INFO(args << "\n" << r.err);
    CHECK(r.status == 0);
  }
  for (const char* file :
       {"samples.dat", "velocity_error.dat", "loss_floor.dat", "excess_loss.dat"})
    CHECK(std::filesystem::exists(dir / "p" / file));
}
