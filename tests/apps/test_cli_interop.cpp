// What a PyTorch user needs to compare minflow with their own code: the model's v(x, t) at
// given points (`minflow velocity`), the evaluation's target points (`minflow data`), and
// `eval` of one file against another (docs/cli.md#minflow-velocity, docs/cli.md#minflow-data).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include "autograd/tensor.hpp"
#include "cli_test.hpp"
#include "flow/velocity_net.hpp"
#include "nn/checkpoint.hpp"
#include "nn/npy.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::kExe;
using minflow::testing::run_command;
namespace fs = std::filesystem;

namespace {

// "name = value" from eval's output.
double metric(const std::string& out, const std::string& name) {
  const auto at = out.find(name + " = ");
  REQUIRE(at != std::string::npos);
  return std::stod(out.substr(at + name.size() + 3));
}

}  // namespace

TEST_CASE("minflow velocity writes v(x, t) as the autodiff net computes it", "[cli][interop]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 20 --batch 32 --hidden 16 --depth 2 --out m.ckpt",
                      dir.path())
              .status == 0);
  REQUIRE(run_command(kExe + " data --data moons --n 50 --seed 3 --out x.npy", dir.path()).status ==
          0);
  const auto r =
      run_command(kExe + " velocity --model m.ckpt --at x.npy --t 0.3 --out v.npy", dir.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out == "minflow velocity: 50 points at t = 0.3, wrote v.npy\n");

  // The same numbers from the training graph's forward pass (another code path).
  auto loaded = nn::load_mlp_checkpoint(dir.path() / "m.ckpt");
  const Array<float> x = nn::read_npy_float32(dir.path() / "x.npy");
  Array<float> t = Array<float>::from_shape({50, 1});
  std::fill(t.begin(), t.end(), 0.3f);
  const Tensor v = flow::velocity(*loaded.model, Tensor(x), Tensor(t));
  const Array<float> written = nn::read_npy_float32(dir.path() / "v.npy");
  REQUIRE(written.shape()[0] == 50);
  double worst = 0;
  for (std::size_t i = 0; i < written.size(); ++i)
    worst = std::max(worst, std::abs(double(written.data()[i]) - v.value().data()[i]));
  CHECK(worst < 1e-5);
}

TEST_CASE("minflow data with eval's seed gives eval's target; eval --target compares files",
          "[cli][interop]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " data --data rings --n 512 --seed 20261129 --out t.npy", dir.path())
              .status == 0);
  // The very points eval draws as its target: the distance is exactly 0.
  auto r = run_command(kExe + " eval --samples t.npy --data rings", dir.path());
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(metric(r.out, "energy_distance") == 0.0);
  CHECK(metric(r.out, "sliced_w2") == 0.0);
  CHECK(metric(r.out, "target_n") == 512);

  // A file against another: the same numbers as against the drawn target.
  REQUIRE(
      run_command(kExe + " data --data moons --n 512 --seed 4 --out s.npy", dir.path()).status ==
      0);
  const auto drawn = run_command(kExe + " eval --samples s.npy --data rings", dir.path());
  const auto given = run_command(kExe + " eval --samples s.npy --target t.npy", dir.path());
  REQUIRE(given.status == 0);
  CHECK(metric(given.out, "energy_distance") == metric(drawn.out, "energy_distance"));
  CHECK(metric(given.out, "sliced_w2") == metric(drawn.out, "sliced_w2"));
  CHECK(metric(given.out, "energy_distance") > 0.1);
  CHECK(given.out.find("noise_floor") == std::string::npos);  // no second draw to compare
}
