// minflow reflow end to end on tiny settings.
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
const std::string kReflow = " reflow --teacher t.ckpt --batch 64 --teacher-steps 4";
}  // namespace

TEST_CASE("reflow writes a reflow checkpoint and its before/after table", "[cli][reflow]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + kTinyTeacher, dir.path()).status == 0);
  auto r = run_command(kExe + kReflow + " --steps 10 --eval-n 200 --out r.ckpt", dir.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("teacher (before)") != std::string::npos);
  CHECK(r.out.find("student (after)") != std::string::npos);
  const nn::Config config = nn::read_checkpoint_config(dir / "r.ckpt");
  CHECK(config.get_string("kind") == "reflow");
  CHECK(config.get_string("teacher") == "t.ckpt");
  CHECK(config.get_size("round") == 1);
  // Two rounds from a pool: the first round's student is kept for the second.
  r = run_command(kExe + kReflow + " --steps 5 --pool 300 --rounds 2 --eval-n 100 --out r2.ckpt",
                  dir.path());
  REQUIRE(r.status == 0);
  CHECK(fs::exists(dir / "r2.round1.ckpt"));
  CHECK(nn::read_checkpoint_config(dir / "r2.ckpt").get_size("round") == 2);
  // Errors as for train.
  r = run_command(kExe + " reflow --out x.ckpt", dir.path());
  CHECK(r.status == 2);
  CHECK(r.err.find("exactly one of --teacher and --teacher-oracle") != std::string::npos);
  r = run_command(kExe + " reflow --teacher missing.ckpt", dir.path());
  CHECK(r.status == 2);
  r = run_command(kExe + kReflow + " --teacher-solver rk7", dir.path());
  CHECK(r.status == 2);
  CHECK_FALSE(fs::exists(dir / "reflow.ckpt"));
}

TEST_CASE("an interrupted and resumed reflow equals an uninterrupted one", "[cli][reflow]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + kTinyTeacher, dir.path()).status == 0);
  REQUIRE(run_command(kExe + kReflow + " --steps 30 --eval-n 0 --out straight.ckpt", dir.path())
              .status == 0);
  // SIGTERM to a background run, then --resume.
  const std::string script = kExe + kReflow +
                             " --steps 100000000 --eval-n 0 --out split.ckpt & pid=$!; "
                             "sleep 1.5; kill -TERM $pid; wait $pid; echo $? > status";
  run_command("sh -c '" + script + "'", dir.path());
  CHECK(read_text(dir / "status") == "143\n");
  const auto done = nn::read_checkpoint_config(dir / "split.ckpt").get_size("steps_done");
  CHECK(done > 0);
  // Resuming needs the same settings; --steps is the total to reach.
  auto r = run_command(
      kExe + kReflow + " --eval-n 0 --resume --out split.ckpt --steps " + std::to_string(done + 3),
      dir.path());
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(nn::read_checkpoint_config(dir / "split.ckpt").get_size("steps_done") == done + 3);
  // The interrupted and resumed run equals a straight run of the same length.
  REQUIRE(run_command(
              kExe + kReflow + " --eval-n 0 --out whole.ckpt --steps " + std::to_string(done + 3),
              dir.path())
              .status == 0);
  for (const char* file :
       {"l0.weight.npy", "l3.bias.npy", "loss.npy", "state/adam.m.l2.weight.npy"}) {
    INFO(file);
    CHECK(read_text(dir / "split.ckpt" / file) == read_text(dir / "whole.ckpt" / file));
  }
  // A short interrupted-and-resumed run ends bitwise equal to the straight run.
  REQUIRE(run_command(kExe + kReflow + " --steps 12 --eval-n 0 --out a.ckpt", dir.path()).status ==
          0);
  REQUIRE(run_command(kExe + kReflow + " --steps 30 --eval-n 0 --resume --out a.ckpt", dir.path())
              .status == 0);
  for (const char* file :
       {"l0.weight.npy", "l2.bias.npy", "loss.npy", "state/adam.v.l1.weight.npy"}) {
    INFO(file);
    CHECK(read_text(dir / "a.ckpt" / file) == read_text(dir / "straight.ckpt" / file));
  }
}

TEST_CASE("reflow with the exact field as the teacher", "[cli][reflow]") {
  minflow::testing::TempDir dir;
  const auto r = run_command(kExe +
                                 " reflow --teacher-oracle eight_gaussians --steps 5 --batch 64 "
                                 "--teacher-steps 4 --eval-n 200 --out o.ckpt",
                             dir.path());
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  const nn::Config config = nn::read_checkpoint_config(dir / "o.ckpt");
  CHECK(config.get_string("teacher") == "oracle:eight_gaussians");
  CHECK(config.get_string("data") == "eight_gaussians");
  CHECK(config.get_string("from_scratch") == "true");
}

TEST_CASE("reflow's student starts from its teacher's source", "[cli][reflow]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + kTinyTeacher + " --data eight_gaussians --source moons", dir.path())
              .status == 0);
  // --source names the teacher's own source, and --coupling independent is the teacher's
  // pairs as they are: accepted, and recorded in the student's config.txt.
  auto r = run_command(
      kExe + kReflow + " --steps 3 --eval-n 0 --source moons --coupling independent --out r.ckpt",
      dir.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  const nn::Config config = nn::read_checkpoint_config(dir / "r.ckpt");
  CHECK(config.get_string("source") == "moons");
  CHECK(config.get_string("coupling") == "independent");
  // Without --source the teacher's is used; another source or a re-pairing is refused.
  REQUIRE(run_command(kExe + kReflow + " --steps 3 --eval-n 0 --out r2.ckpt", dir.path()).status ==
          0);
  CHECK(nn::read_checkpoint_config(dir / "r2.ckpt").get_string("source") == "moons");
  r = run_command(kExe + kReflow + " --steps 3 --source gaussian --out r3.ckpt", dir.path());
  CHECK(r.status == 2);
  CHECK(r.err.find("the teacher starts from moons") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "r3.ckpt"));
}
