// Writes that fail while minflow runs: a full disk during a checkpoint save or a samples
// write, and an output folder removed under a running `train`. Each gives exit status 1
// and one clear stderr line, and leaves what was there before whole: checkpoints and .npy
// files are replaced atomically, so an old one is either replaced by a complete new one or
// left bitwise unchanged, and no temporary file or folder stays behind.
//
// A full disk is simulated with a file-size limit (`ulimit -f`, in 512-byte blocks under
// /bin/sh) and SIGXFSZ ignored, so that a write past the limit fails with EFBIG instead of
// killing the process: root can write into any folder, and mounting a small tmpfs needs
// privileges a test does not have (docs/building.md#known-pitfalls).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

#include "cli_test.hpp"
#include "flow/trainer.hpp"
#include "nn/checkpoint.hpp"
#include "nn/npy.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::read_text;
using minflow::testing::run_command;
namespace fs = std::filesystem;
using minflow::testing::kExe;
using minflow::testing::kSmall;
using minflow::testing::leftovers;

namespace {

// hidden 128: l1.weight.npy alone is 64 KB, above a 64-block (32 KB) limit.
const std::string kLarge = " --batch 64 --hidden 128 --depth 2";

// `minflow ARGS` with files limited to `blocks` × 512 bytes: a full disk.
std::string on_full_disk(int blocks, const std::string& args) {
  return "sh -c 'trap \"\" XFSZ; ulimit -f " + std::to_string(blocks) + "; exec " + kExe + " " +
         args + "'";
}

// Every file under `dir` with its content, to prove that nothing changed.
std::map<std::string, std::string> contents(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read_text(e.path());
  return files;
}

// The last line of a command's stderr (earlier lines may be progress reports).
std::string last_line(const std::string& text) {
  const auto end = text.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  const auto begin = text.rfind('\n', end);
  return text.substr(begin == std::string::npos ? 0 : begin + 1, end + 1 - (begin + 1));
}

}  // namespace

TEST_CASE("a full disk during the first checkpoint save: exit 1, a clear error, nothing left",
          "[cli][write]") {
  minflow::testing::TempDir dir;
  const auto r =
      run_command(on_full_disk(64, "train --steps 3" + kLarge + " --out f.ckpt"), dir.path());
  INFO(r.err);
  CHECK(r.status == 1);
  const std::string line = last_line(r.err);
  CHECK(line.rfind("minflow train: ", 0) == 0);
  CHECK(line.find("f.ckpt") != std::string::npos);
  CHECK(line.find("File too large") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "f.ckpt"));
  CHECK(leftovers(dir.path()).empty());
}

TEST_CASE("a full disk while replacing a checkpoint keeps the old one bitwise unchanged",
          "[cli][write]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 4" + kSmall + " --out f.ckpt", dir.path()).status ==
          0);
  const auto before = contents(dir / "f.ckpt");
  // A bigger net over it: the save every 2 steps, inside the training loop, fails; so does
  // the final save of a run without --save-every.
  for (const std::string save : {" --save-every 2 --steps 6", " --steps 3"}) {
    const auto r = run_command(on_full_disk(64, "train --force" + save + kLarge + " --out f.ckpt"),
                               dir.path());
    INFO(save << "\n" << r.err);
    CHECK(r.status == 1);
    const std::string line = last_line(r.err);
    CHECK(line.rfind("minflow train: ", 0) == 0);
    CHECK(line.find("f.ckpt") != std::string::npos);
    CHECK(line.find("File too large") != std::string::npos);
    CHECK(contents(dir / "f.ckpt") == before);
    CHECK(leftovers(dir.path()).empty());
  }
  // Still a checkpoint to continue from.
  flow::TrainSettings settings;
  const flow::TrainState state = flow::load_train_state(dir / "f.ckpt", settings);
  CHECK(state.steps_done() == 4);
  CHECK(settings.net.hidden == 16);
  const auto r =
      run_command(kExe + " train --resume --steps 6" + kSmall + " --out f.ckpt", dir.path());
  CHECK(r.status == 0);
}

TEST_CASE("an output folder removed during train: exit 1 and a clear error", "[cli][write]") {
  minflow::testing::TempDir dir;
  // Saves every 5 steps; once the first checkpoint is there, the folder goes (again if a
  // save was creating a file in it at that moment).
  const std::string script = "mkdir d; " + kExe + " train --save-every 5 --steps 100000" + kSmall +
                             " --out d/x.ckpt & pid=$!; "
                             "i=0; while [ ! -e d/x.ckpt ] && [ $i -lt 600 ]; do sleep 0.05; "
                             "i=$((i+1)); done; "
                             "while [ -e d ]; do rm -rf d 2>/dev/null; done; "
                             "wait $pid; echo $? > status";
  const auto r = run_command("sh -c '" + script + "'", dir.path());
  INFO(r.err);
  CHECK(read_text(dir / "status") == "1\n");
  const std::string line = last_line(r.err);
  CHECK(line.rfind("minflow train: ", 0) == 0);
  CHECK(line.find("d/x.ckpt") != std::string::npos);
  CHECK(line.find("No such file or directory") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "d"));

  // The same when the only save is the one after SIGTERM.
  const std::string interrupted = "mkdir e; " + kExe + " train --steps 100000000" + kSmall +
                                  " --out e/x.ckpt & pid=$!; sleep 1.5; rm -rf e; "
                                  "kill -TERM $pid; wait $pid; echo $? > status";
  const auto t = run_command("sh -c '" + interrupted + "'", dir.path());
  INFO(t.err);
  CHECK(read_text(dir / "status") == "1\n");
  CHECK(last_line(t.err).find("e/x.ckpt") != std::string::npos);
  CHECK(last_line(t.err).find("No such file or directory") != std::string::npos);
}

TEST_CASE("sample --out to a full disk leaves the previous samples whole", "[cli][write]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 3" + kSmall + " --out f.ckpt", dir.path()).status ==
          0);
  REQUIRE(run_command(kExe + " sample --model f.ckpt --n 100 --steps 2 --out s.npy", dir.path())
              .status == 0);
  const std::string before = read_text(dir / "s.npy");
  // 8192 points: 64 KB of float32, above the 32 KB limit.
  const auto r = run_command(
      on_full_disk(64, "sample --model f.ckpt --n 8192 --steps 2 --out s.npy"), dir.path());
  INFO(r.err);
  CHECK(r.status == 1);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.rfind("minflow sample: cannot write s.npy: File too large", 0) == 0);
  CHECK(read_text(dir / "s.npy") == before);
  CHECK(leftovers(dir.path()).empty());
}

TEST_CASE("demo --quick into a full disk stops with one clear line", "[cli][write]") {
  minflow::testing::TempDir dir;
  const auto r = run_command(on_full_disk(1, "demo --quick --out out"), dir.path());
  INFO(r.err);
  CHECK(r.status == 1);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.rfind("minflow demo: cannot write out/", 0) == 0);
  CHECK(r.err.find("File too large") != std::string::npos);
  CHECK(leftovers(dir / "out").empty());
}
