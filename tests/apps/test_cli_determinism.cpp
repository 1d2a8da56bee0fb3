// Determinism (docs/design.md#determinism, docs/cli.md#common-to-every-subcommand): the same
// command gives the same bits, run after run and whatever --threads says. The sizes are large
// enough for the kernels to split the work across two threads.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "cli_test.hpp"
#include "temp_dir.hpp"

using minflow::testing::read_text;
using minflow::testing::run_command;
namespace fs = std::filesystem;
using minflow::testing::kExe;

namespace {

// Every file of checkpoint `a` has the same bytes in `b`, and `b` has no other file.
void check_identical_checkpoints(const fs::path& a, const fs::path& b) {
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(a)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const fs::path rel = fs::relative(entry.path(), a);
    INFO(rel.string());
    CHECK(read_text(entry.path()) == read_text(b / rel));
  }
  std::size_t other = 0;
  for (const auto& entry : fs::recursive_directory_iterator(b))
    other += entry.is_regular_file();
  CHECK(files == other);
}

}  // namespace

TEST_CASE("sample gives the same bits with 1 and 2 threads and in every run",
          "[cli][determinism]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 5 --batch 256 --hidden 32 --depth 2 --out f.ckpt",
                      dir.path())
              .status == 0);
  // Two Euler steps keep the test fast under the sanitizers; the kernels split the same way
  // for every solver.
  const std::string sample = " sample --model f.ckpt --n 4096 --steps 2";
  for (const char* run : {"1", "2a", "2b"}) {
    const std::string threads(1, run[0]);
    const auto r = run_command(kExe + sample + " --threads " + threads + " --out s" + run +
                                   ".npy --trajectory t" + run + ".npy",
                               dir.path());
    INFO(r.err);
    REQUIRE(r.status == 0);
  }
  const std::string s = read_text(dir / "s1.npy"), t = read_text(dir / "t1.npy");
  CHECK(s.size() == 128 + 4096 * 2 * 4);
  for (const char* run : {"2a", "2b"}) {
    INFO(run);
    CHECK(read_text(dir / ("s" + std::string(run) + ".npy")) == s);
    CHECK(read_text(dir / ("t" + std::string(run) + ".npy")) == t);
  }
}

TEST_CASE("reflow gives the same checkpoint with 1 and 2 threads", "[cli][determinism]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 5 --batch 256 --hidden 32 --depth 2 --out t.ckpt",
                      dir.path())
              .status == 0);
  // Pairs on the fly and from a pool: both go through the teacher's parallel integration.
  for (const std::string pool : {"0", "512"}) {
    const std::string reflow =
        " reflow --teacher t.ckpt --steps 2 --batch 512 --teacher-solver euler "
        "--teacher-steps 2 --eval-n 0 --force --pool " +
        pool;
    REQUIRE(run_command(kExe + reflow + " --threads 1 --out r1.ckpt", dir.path()).status == 0);
    REQUIRE(run_command(kExe + reflow + " --threads 2 --out r2.ckpt", dir.path()).status == 0);
    INFO("pool " << pool);
    check_identical_checkpoints(dir / "r1.ckpt", dir / "r2.ckpt");
  }
}

TEST_CASE("train with a coupling gives the same checkpoint with 1, 2 and 3 threads",
          "[cli][determinism]") {
  // With more than one thread the next batch's coupling overlaps the current step
  // (flow/train_pipeline.hpp); one thread is the plain loop.
  minflow::testing::TempDir dir;
  for (const std::string coupling : {"ot", "sinkhorn:0.05"}) {
    const std::string train =
        " train --steps 9 --batch 256 --hidden 32 --depth 2"
        " --data eight_gaussians --force --coupling " +
        coupling;
    for (const char* threads : {"1", "2", "3"}) {
      const auto r = run_command(
          kExe + train + " --threads " + threads + " --out c" + threads + ".ckpt", dir.path());
      INFO(r.err);
      REQUIRE(r.status == 0);
    }
    INFO(coupling);
    check_identical_checkpoints(dir / "c1.ckpt", dir / "c2.ckpt");
    check_identical_checkpoints(dir / "c1.ckpt", dir / "c3.ckpt");
  }
}
