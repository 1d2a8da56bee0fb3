// minflow train --conditional and sample --label/--guidance end to end on tiny settings.
#include <catch2/catch.hpp>

#include <string>

#include "cli_test.hpp"
#include "nn/checkpoint.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::kExe;
using minflow::testing::run_command;

TEST_CASE("a conditional flow trains, records its classes and samples a class",
          "[cli][conditional]") {
  minflow::testing::TempDir dir;
  auto r = run_command(kExe +
                           " train --data rings --conditional --steps 10 --batch 64 --hidden 16 "
                           "--depth 2 --out c.ckpt",
                       dir.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  const nn::Config config = nn::read_checkpoint_config(dir / "c.ckpt");
  CHECK(config.get_string("conditional") == "true");
  CHECK(config.get_size("classes") == 3);
  CHECK(config.get_size("in") == 7);  // x, y, t and four label slots
  for (const char* args : {" --label 2 --guidance 4", " --label 0", ""}) {
    r = run_command(kExe + " sample --model c.ckpt --n 50 --steps 4 --out s.npy" + args,
                    dir.path());
    INFO(args << "\n" << r.err);
    CHECK(r.status == 0);
  }
  // Resuming keeps the conditional keys.
  r = run_command(kExe +
                      " train --data rings --conditional --steps 12 --batch 64 --hidden 16 "
                      "--depth 2 --resume --out c.ckpt",
                  dir.path());
  CHECK(r.status == 0);
  CHECK(nn::read_checkpoint_config(dir / "c.ckpt").get_size("classes") == 3);
}
