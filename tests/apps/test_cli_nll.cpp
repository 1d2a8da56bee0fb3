// minflow eval --nll: the model's negative log-likelihood of the target points, with the
// integrator that computed it; the same for any thread count; refused without a model.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "cli_test.hpp"
#include "temp_dir.hpp"

using minflow::testing::kExe;
using minflow::testing::kSmall;
using minflow::testing::run_command;

namespace {

// The number after "KEY": in eval's JSON line.
double json_number(const std::string& json, const std::string& key) {
  const std::size_t at = json.find("\"" + key + "\": ");
  REQUIRE(at != std::string::npos);
  return std::stod(json.substr(at + key.size() + 4));
}

}  // namespace

TEST_CASE("eval --nll reports nll, nll_solver, nll_steps and nll_nfe", "[cli][nll]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 30" + kSmall + " --out f.ckpt", dir.path()).status ==
          0);
  const std::string eval = kExe + " eval --model f.ckpt --n 200 --json --nll --solver rk4";
  auto r = run_command(eval + " --steps 4 --threads 1", dir.path());
  REQUIRE(r.status == 0);
  INFO(r.out);
  CHECK(r.out.find("\"nll_solver\": \"rk4\"") != std::string::npos);
  CHECK(json_number(r.out, "nll_steps") == 4);
  CHECK(json_number(r.out, "nll_nfe") == 16);
  const double nll = json_number(r.out, "nll");
  CHECK(std::isfinite(nll));
  // The same numbers whatever the thread count.
  auto r2 = run_command(eval + " --steps 4 --threads 2", dir.path());
  REQUIRE(r2.status == 0);
  CHECK(json_number(r2.out, "nll") == nll);
  // Converged: RK4 at 4 and 32 steps agree on this slow, barely trained field.
  auto fine = run_command(eval + " --steps 32", dir.path());
  REQUIRE(fine.status == 0);
  CHECK(json_number(fine.out, "nll") == Approx(nll).margin(2e-3));
  // Plain text too.
  auto text = run_command(kExe + " eval --model f.ckpt --n 50 --nll --solver dopri5", dir.path());
  REQUIRE(text.status == 0);
  CHECK(text.out.find("nll_solver = dopri5") != std::string::npos);
}

TEST_CASE("eval --nll without a model exits 2 with one line", "[cli][nll]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 5" + kSmall + " --out f.ckpt", dir.path()).status ==
          0);
  REQUIRE(run_command(kExe + " sample --model f.ckpt --n 20", dir.path()).status == 0);
  auto r = run_command(kExe + " eval --samples samples.npy --nll", dir.path());
  CHECK(r.status == 2);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find("--nll needs --model") != std::string::npos);
}

TEST_CASE("plot --what density writes the model's density, the truth and their log-ratio",
          "[cli][nll]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 5" + kSmall + " --out f.ckpt", dir.path()).status ==
          0);
  auto r =
      run_command(kExe + " plot --what density --model f.ckpt --solver rk4 --steps 2", dir.path());
  REQUIRE(r.status == 0);
  const std::string data = minflow::testing::read_text(dir / "density.dat");
  std::size_t rows = 0, at = 0;
  while ((at = data.find('\n', at)) != std::string::npos) {
    ++at;
    if (at < data.size() && data[at] != '\n' && data[at] != '#') ++rows;
  }
  CHECK(rows == 3 * 120 * 120);  // the spiral's density is known: model, truth, log-ratio
  // A target without a known density (checkerboard): the model's panel alone.
  REQUIRE(run_command(kExe + " train --steps 5" + kSmall + " --data checkerboard --out c.ckpt",
                      dir.path())
              .status == 0);
  r = run_command(kExe + " plot --what density --model c.ckpt --solver rk4 --steps 2 --out c",
                  dir.path());
  REQUIRE(r.status == 0);
  const std::string alone = minflow::testing::read_text(dir / "c" / "density.dat");
  rows = at = 0;
  while ((at = alone.find('\n', at)) != std::string::npos) {
    ++at;
    if (at < alone.size() && alone[at] != '\n' && alone[at] != '#') ++rows;
  }
  CHECK(rows == 120 * 120);
  auto refused = run_command(kExe + " plot --what density", dir.path());
  CHECK(refused.status == 2);
  CHECK(refused.err.find("needs --model") != std::string::npos);
}
