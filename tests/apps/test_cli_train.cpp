// minflow train / sample / eval end to end on tiny settings: checkpoints, resumption that
// is bitwise identical to an uninterrupted run, SIGINT, and divergence.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "cli_test.hpp"
#include "nn/checkpoint.hpp"
#include "nn/npy.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::read_text;
using minflow::testing::run_command;
namespace fs = std::filesystem;
using minflow::testing::kExe;
using minflow::testing::kSmall;

namespace {

bool same_files(const fs::path& a, const fs::path& b) {
  return read_text(a) == read_text(b);
}

void check_identical_checkpoints(const fs::path& a, const fs::path& b) {
  for (const auto& entry : fs::recursive_directory_iterator(a)) {
    if (!entry.is_regular_file()) continue;
    const fs::path rel = fs::relative(entry.path(), a);
    if (rel == "config.txt") continue;  // steps_total may differ in text only by flags
    INFO(rel.string());
    CHECK(same_files(entry.path(), b / rel));
  }
}
}  // namespace

TEST_CASE("train, sample and eval work together", "[cli]") {
  minflow::testing::TempDir dir;
  auto r = run_command(kExe + " train --steps 30" + kSmall + " --out f.ckpt", dir.path());
  REQUIRE(r.status == 0);
  CHECK(fs::exists(dir / "f.ckpt/l0.weight.npy"));
  CHECK(nn::read_npy_header(dir / "f.ckpt/loss.npy").shape == Shape{30});
  r = run_command(kExe + " sample --model f.ckpt --n 100 --solver rk4 --steps 5 --trajectory t.npy",
                  dir.path());
  REQUIRE(r.status == 0);
  CHECK(nn::read_npy_header(dir / "samples.npy").shape == Shape{100, 2});
  CHECK(nn::read_npy_header(dir / "t.npy").shape == Shape{6, 100, 2});
  r = run_command(kExe + " sample --model f.ckpt --from samples.npy --reverse --out back.npy",
                  dir.path());
  CHECK(r.status == 0);
  r = run_command(kExe + " eval --model f.ckpt --n 200 --json", dir.path());
  REQUIRE(r.status == 0);
  for (const char* key : {"energy_distance", "sliced_w2", "noise_floor_energy", "noise_floor_sw2",
                          "straightness", "nfe", "seconds"}) {
    CHECK(r.out.find(std::string("\"") + key + "\"") != std::string::npos);
  }
  r = run_command(kExe + " eval --samples samples.npy", dir.path());
  CHECK(r.status == 0);
  CHECK(r.out.find("energy_distance = ") != std::string::npos);
}

TEST_CASE("a resumed run is bitwise identical to an uninterrupted one", "[cli]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 40" + kSmall + " --out straight.ckpt", dir.path())
              .status == 0);
  REQUIRE(
      run_command(kExe + " train --steps 15" + kSmall + " --out split.ckpt", dir.path()).status ==
      0);
  REQUIRE(
      run_command(kExe + " train --resume --steps 40" + kSmall + " --out split.ckpt", dir.path())
          .status == 0);
  check_identical_checkpoints(dir / "straight.ckpt", dir / "split.ckpt");
  // Same seed, different thread counts: the same bits.
  // Same seed, different thread counts (a batch large enough to be split): the same bits.
  const std::string large = " train --steps 10 --batch 2048 --hidden 64 --depth 2";
  REQUIRE(run_command(kExe + large + " --threads 1 --out t1.ckpt", dir.path()).status == 0);
  REQUIRE(run_command(kExe + large + " --threads 2 --out t2.ckpt", dir.path()).status == 0);
  REQUIRE(run_command(kExe + large + " --threads 3 --out t3.ckpt", dir.path()).status == 0);
  check_identical_checkpoints(dir / "t1.ckpt", dir / "t2.ckpt");
  check_identical_checkpoints(dir / "t1.ckpt", dir / "t3.ckpt");
}

TEST_CASE("SIGINT saves the last completed step and --resume finishes the run", "[cli]") {
  minflow::testing::TempDir dir;
  // Started in the background by a script, where SIGINT starts out ignored.
  const std::string script = kExe + " train --steps 100000000" + kSmall +
                             " --out run.ckpt & pid=$!; sleep 1.5; kill -INT $pid; wait $pid; "
                             "echo $? > status";
  const auto r = run_command("sh -c '" + script + "'", dir.path());
  INFO(r.err);
  CHECK(read_text(dir / "status") == "130\n");
  REQUIRE(fs::exists(dir / "run.ckpt/config.txt"));
  const std::size_t done = nn::read_checkpoint_config(dir / "run.ckpt").get_size("steps_done");
  CHECK(done > 0);
  CHECK(nn::read_npy_header(dir / "run.ckpt/loss.npy").shape == Shape{done});
  const auto resumed = run_command(
      kExe + " train --resume --steps " + std::to_string(done + 20) + kSmall + " --out run.ckpt",
      dir.path());
  CHECK(resumed.status == 0);
  CHECK(nn::read_checkpoint_config(dir / "run.ckpt").get_size("steps_done") == done + 20);
  // Interrupted wherever the signal landed, then resumed: the same bits as one straight run.
  const auto straight = run_command(
      kExe + " train --steps " + std::to_string(done + 20) + kSmall + " --out straight.ckpt",
      dir.path());
  REQUIRE(straight.status == 0);
  check_identical_checkpoints(dir / "straight.ckpt", dir / "run.ckpt");
}

TEST_CASE("a diverging loss stops with exit 1 and keeps the last good checkpoint", "[cli]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 5" + kSmall + " --out d.ckpt", dir.path()).status ==
          0);
  const std::string before = read_text(dir / "d.ckpt/l0.weight.npy");
  const auto r = run_command(
      kExe + " train --force --steps 50 --lr 1e30" + kSmall + " --out d.ckpt", dir.path());
  CHECK(r.status == 1);
  CHECK(r.err.find("at step") != std::string::npos);
  CHECK(r.err.find("smaller --lr") != std::string::npos);
  CHECK(read_text(dir / "d.ckpt/l0.weight.npy") == before);
}
