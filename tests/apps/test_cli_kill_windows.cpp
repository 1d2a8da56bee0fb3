// Checkpoints that survive any kill, and runs that share a checkpoint folder
// (docs/cli.md#checkpoints-and-kills). The kill windows are hit exactly: strace stops the
// program with SIGKILL on entering the K-th file-system call of a save (rename, renameat2,
// mkdir, unlink, rmdir), for every K until the run completes. After each kill the next
// `--resume` must find a whole checkpoint, clean up what the kill left, and say so.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>

#include "cli_test.hpp"
#include "temp_dir.hpp"

using minflow::testing::kExe;
using minflow::testing::leftovers;
using minflow::testing::read_text;
using minflow::testing::run_command;
namespace fs = std::filesystem;

namespace {

const std::string kTiny = " --batch 16 --hidden 8 --depth 1 --threads 1";
const std::string kCalls = "rename,renameat2,mkdir,unlink,unlinkat,rmdir";

// strace as the parent of minflow. In a sanitizer build LeakSanitizer cannot run under
// ptrace and would turn every exit into status 1: leak checking is off for these runs.
const std::string kStrace = "env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null ";

// `minflow ARGS`, killed on entering the `when`-th of `calls`.
std::string killed_at(int when, const std::string& args, const std::string& calls = kCalls) {
  return kStrace + "-e trace=" + calls + " -e inject=" + calls +
         ":signal=KILL:when=" + std::to_string(when) + " " + kExe + " " + args;
}

std::string config_value(const fs::path& ckpt, const std::string& key) {
  const std::string text = read_text(ckpt / "config.txt");
  const auto at = text.find("\n" + key + " = ");
  if (at == std::string::npos) return "";
  const auto begin = at + key.size() + 4;
  return text.substr(begin, text.find('\n', begin) - begin);
}

}  // namespace

TEST_CASE("a kill at any file-system call of a save leaves a whole checkpoint", "[cli][kill]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 10" + kTiny + " --out ten.ckpt", dir.path()).status ==
          0);
  int kills = 0;
  for (int when = 1; when < 200; ++when) {
    fs::remove_all(dir.path() / "c.ckpt");
    fs::copy(dir.path() / "ten.ckpt", dir.path() / "c.ckpt", fs::copy_options::recursive);
    const auto killed = run_command(
        killed_at(when, "train --steps 12 --resume" + kTiny + " --out c.ckpt"), dir.path());
    if (killed.status != 137) {
      REQUIRE(killed.status == 0);  // the run got past every call: all windows tried
      break;
    }
    ++kills;
    INFO("killed at call " << when);
    REQUIRE(fs::is_directory(dir.path() / "c.ckpt"));
    const std::string steps = config_value(dir.path() / "c.ckpt", "steps_done");
    CHECK((steps == "10" || steps == "12"));
    const std::string left = leftovers(dir.path());
    const auto resumed =
        run_command(kExe + " train --steps 12 --resume" + kTiny + " --out c.ckpt", dir.path());
    INFO("left: " << left << "\nstderr: " << resumed.err);
    CHECK(resumed.status == 0);
    CHECK(resumed.err.find("starting a new run") == std::string::npos);
    CHECK((resumed.err.find("left by an interrupted save") != std::string::npos) == !left.empty());
    CHECK(leftovers(dir.path()).empty());
    CHECK(config_value(dir.path() / "c.ckpt", "steps_done") == "12");
  }
  CHECK(kills > 10);  // a save makes many calls: the loop really walked through them
}

TEST_CASE("reflow --rounds 2 killed anywhere in round 1's saves keeps NAME.round1.ckpt",
          "[cli][kill]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 5" + kTiny + " --out t.ckpt", dir.path()).status == 0);
  const std::string reflow =
      "reflow --teacher t.ckpt --rounds 2 --steps 2 --eval-n 0 --batch 16 "
      "--teacher-steps 2 --threads 1 --out r.ckpt";
  int kills = 0;
  for (int when = 1; when < 200; ++when) {
    for (const char* name : {"r.ckpt", "r.round1.ckpt"})
      fs::remove_all(dir.path() / name);
    const auto killed = run_command(killed_at(when, reflow, "rename,renameat2,mkdir"), dir.path());
    if (killed.status != 137) {
      REQUIRE(killed.status == 0);
      break;
    }
    ++kills;
    const auto resumed = run_command(kExe + " " + reflow + " --resume", dir.path());
    INFO("killed at call " << when << "\nstderr: " << resumed.err);
    CHECK(resumed.status == 0);
    CHECK(fs::is_directory(dir.path() / "r.round1.ckpt"));
    CHECK(config_value(dir.path() / "r.ckpt", "round") == "2");
    CHECK(leftovers(dir.path()).empty());
  }
  CHECK(kills > 4);
}

TEST_CASE("two runs on one --out: the later save fails instead of overwriting", "[cli][kill]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 10" + kTiny + " --out c.ckpt", dir.path()).status ==
          0);
  // Run A resumes, and waits 1.5 s on entering its save's first mkdir; meanwhile run B
  // resumes the same checkpoint to 15 steps and saves. A must then refuse to overwrite B.
  const std::string a = kStrace +
                        "-e trace=mkdir -e "
                        "inject=mkdir:delay_enter=1500000:when=1 " +
                        kExe + " train --steps 20 --resume" + kTiny + " --out c.ckpt";
  const std::string b = kExe + " train --steps 15 --resume" + kTiny + " --out c.ckpt";
  const auto r = run_command(
      "sh -c '" + a + " >a.out 2>a.err & sleep 0.4; " + b + "; wait $!; echo $? >a.status'",
      dir.path());
  INFO("B: " << r.err << "\nA: " << read_text(dir.path() / "a.err"));
  CHECK(r.status == 0);
  CHECK(r.out.find("saved c.ckpt") != std::string::npos);
  CHECK(read_text(dir.path() / "a.status") == "1\n");
  CHECK(read_text(dir.path() / "a.out").empty());
  const std::string a_err = read_text(dir.path() / "a.err");
  CHECK(a_err.find("minflow train: checkpoint c.ckpt: saving failed: another run replaced it") !=
        std::string::npos);
  CHECK(config_value(dir.path() / "c.ckpt", "steps_done") == "15");
  CHECK(leftovers(dir.path()).empty());

  // Two new runs: the first to save creates the folder; the other's save fails.
  fs::remove_all(dir.path() / "c.ckpt");
  const std::string a2 = kStrace +
                         "-e trace=mkdir -e "
                         "inject=mkdir:delay_enter=1500000:when=1 " +
                         kExe + " train --steps 20" + kTiny + " --out c.ckpt";
  const std::string b2 = kExe + " train --steps 15" + kTiny + " --out c.ckpt";
  const auto r2 = run_command(
      "sh -c '" + a2 + " >a.out 2>a.err & sleep 0.4; " + b2 + "; wait $!; echo $? >a.status'",
      dir.path());
  CHECK(r2.status == 0);
  CHECK(read_text(dir.path() / "a.status") == "1\n");
  CHECK(read_text(dir.path() / "a.err").find("another run") != std::string::npos);
  CHECK(config_value(dir.path() / "c.ckpt", "steps_done") == "15");
}

TEST_CASE("a reader while a save replaces the checkpoint gets one whole version", "[cli][kill]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 10" + kTiny + " --out c.ckpt", dir.path()).status ==
          0);
  // The reader has read config.txt and the weights of the 10-step version and waits 1.5 s
  // before opening loss.npy; a training run replaces the checkpoint meanwhile.
  const std::string reader = kStrace +
                             "-P c.ckpt/loss.npy -e trace=openat -e "
                             "inject=openat:delay_enter=1500000:when=1 " +
                             kExe + " sample --model c.ckpt --n 64 --threads 1 --out during.npy";
  const std::string writer = kExe + " train --steps 20 --resume" + kTiny + " --out c.ckpt";
  const auto r = run_command("sh -c '" + reader + " >r.out 2>r.err & sleep 0.4; " + writer +
                                 "; wait $!; echo $? >r.status'",
                             dir.path());
  INFO(read_text(dir.path() / "r.err"));
  REQUIRE(r.status == 0);
  CHECK(read_text(dir.path() / "r.status") == "0\n");
  // What it wrote is exactly what the new version gives.
  REQUIRE(
      run_command(kExe + " sample --model c.ckpt --n 64 --threads 1 --out after.npy", dir.path())
          .status == 0);
  CHECK(read_text(dir.path() / "during.npy") == read_text(dir.path() / "after.npy"));
}
