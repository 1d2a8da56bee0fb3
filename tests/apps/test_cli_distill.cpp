// minflow distill end to end on tiny settings.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "cli_test.hpp"
#include "nn/checkpoint.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::read_text;
using minflow::testing::run_command;
namespace fs = std::filesystem;
using minflow::testing::kExe;
using minflow::testing::kTinyTeacher;

namespace {
const std::string kDistill = " distill --teacher t.ckpt --batch 64 --teacher-steps 4";
}  // namespace

TEST_CASE("distill writes a distill checkpoint and its before/after table", "[cli][distill]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + kTinyTeacher, dir.path()).status == 0);
  auto r = run_command(kExe + kDistill + " --steps 10 --k 2 --eval-n 200 --out d.ckpt", dir.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("k = 2 Euler step(s)") != std::string::npos);
  CHECK(r.out.find("student (after)") != std::string::npos);
  const nn::Config config = nn::read_checkpoint_config(dir / "d.ckpt");
  CHECK(config.get_string("kind") == "distill");
  CHECK(config.get_string("teacher") == "t.ckpt");
  CHECK(config.get_size("k") == 2);
  CHECK(config.get_size("steps_done") == 10);
  // The student samples like any checkpoint.
  r = run_command(kExe + " sample --model d.ckpt --steps 2 --n 50 --out s.npy", dir.path());
  CHECK(r.status == 0);
  // From a pool, from scratch.
  r = run_command(kExe + kDistill + " --steps 5 --pool 300 --from-scratch --eval-n 0 --out p.ckpt",
                  dir.path());
  CHECK(r.status == 0);
  CHECK(nn::read_checkpoint_config(dir / "p.ckpt").get_string("from_scratch") == "true");
}

TEST_CASE("a resumed distillation equals a straight one", "[cli][distill]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + kTinyTeacher, dir.path()).status == 0);
  const std::string run = kExe + kDistill + " --pool 200 --eval-n 0";
  REQUIRE(run_command(run + " --steps 12 --out whole.ckpt", dir.path()).status == 0);
  REQUIRE(run_command(run + " --steps 5 --out split.ckpt", dir.path()).status == 0);
  auto r = run_command(run + " --steps 12 --resume --out split.ckpt", dir.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  for (const char* file :
       {"l0.weight.npy", "l3.bias.npy", "loss.npy", "state/adam.m.l1.weight.npy"}) {
    INFO(file);
    CHECK(read_text(dir / "split.ckpt" / file) == read_text(dir / "whole.ckpt" / file));
  }
  // Resuming with another k is refused.
  r = run_command(run + " --steps 20 --k 2 --resume --out split.ckpt", dir.path());
  CHECK(r.status == 2);
  CHECK(r.err.find("--resume: k differs") != std::string::npos);
}
