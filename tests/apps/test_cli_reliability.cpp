// Round 2's reliability rules that are not a usage error (docs/cli.md#checkpoints-and-kills,
// docs/cli.md#outputs-and-inputs): symbolic links followed, folder modes, a checkpoint put
// back from NAME.old-XXXXXX, stdout write errors, Ctrl-C in the long loops of reflow, and
// where `sample --reverse` starts.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "cli_test.hpp"
#include "flow/datasets.hpp"
#include "nn/npy.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::kExe;
using minflow::testing::read_text;
using minflow::testing::run_command;
namespace fs = std::filesystem;

namespace {

const std::string kTiny = " --batch 16 --hidden 8 --depth 1 --threads 1";

std::string steps_done(const fs::path& ckpt) {
  const std::string text = read_text(ckpt / "config.txt");
  const auto at = text.find("\nsteps_done = ");
  return at == std::string::npos ? "" : text.substr(at + 14, text.find('\n', at + 14) - at - 14);
}

// The CPU seconds (user + system) a command's processes used: unlike wall time, not
// stretched by other work on a busy machine.
// How much slower than Release this build runs minflow (AddressSanitizer costs 2–4×), for
// the bounds on CPU time below.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kBuildSlowdown = 4.0;
#else
constexpr double kBuildSlowdown = 1.0;
#endif

double cpu_seconds_of(const std::string& command, const fs::path& dir, int& status) {
  auto children = [] {
    struct rusage u {};
    ::getrusage(RUSAGE_CHILDREN, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  };
  const double before = children();
  status = run_command(command, dir).status;
  return children() - before;
}

}  // namespace

TEST_CASE("a symlinked checkpoint is resumed, forced and saved through its target",
          "[cli][reliability]") {
  minflow::testing::TempDir dir;
  fs::create_directory(dir.path() / "runs");
  REQUIRE(
      run_command(kExe + " train --steps 4" + kTiny + " --out runs/e1.ckpt", dir.path()).status ==
      0);
  fs::create_directory_symlink("runs/e1.ckpt", dir.path() / "latest.ckpt");
  for (const std::string& extra :
       {std::string(" --resume --steps 6 --save-every 1"), std::string(" --force --steps 3")}) {
    const auto r = run_command(kExe + " train" + extra + kTiny + " --out latest.ckpt", dir.path());
    INFO(extra << ": " << r.err);
    CHECK(r.status == 0);
    CHECK(fs::is_symlink(dir.path() / "latest.ckpt"));
  }
  CHECK(steps_done(dir.path() / "runs/e1.ckpt") == "3");
}

TEST_CASE("checkpoint folders get 0777 minus the umask", "[cli][reliability]") {
  minflow::testing::TempDir dir;
  REQUIRE(
      run_command("sh -c 'umask 022; exec " + kExe + " train --steps 2" + kTiny + " --out a.ckpt'",
                  dir.path())
          .status == 0);
  REQUIRE(
      run_command("sh -c 'umask 027; exec " + kExe + " train --steps 2" + kTiny + " --out b.ckpt'",
                  dir.path())
          .status == 0);
  struct stat a {
  }, b{};
  REQUIRE(::stat((dir.path() / "a.ckpt").c_str(), &a) == 0);
  REQUIRE(::stat((dir.path() / "b.ckpt").c_str(), &b) == 0);
  CHECK((a.st_mode & 0777) == 0755);
  CHECK((b.st_mode & 0777) == 0750);
}

TEST_CASE("a checkpoint moved aside by an interrupted save is put back", "[cli][reliability]") {
  // What a kill between the two renames of the fallback save (or of minflow before the
  // atomic swap) leaves: no NAME, the last whole version at NAME.old-XXXXXX, and an
  // incomplete NAME.tmp-XXXXXX.
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 5" + kTiny + " --out c.ckpt", dir.path()).status == 0);
  fs::rename(dir.path() / "c.ckpt", dir.path() / "c.ckpt.old-Ab12Cd");
  fs::create_directory(dir.path() / "c.ckpt.tmp-Xy98Zw");
  const auto r =
      run_command(kExe + " train --resume --steps 7" + kTiny + " --out c.ckpt", dir.path());
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.err.find("restored c.ckpt from c.ckpt.old-Ab12Cd, left by an interrupted save") !=
        std::string::npos);
  CHECK(r.err.find("removed c.ckpt.tmp-Xy98Zw") != std::string::npos);
  CHECK(r.err.find("starting a new run") == std::string::npos);
  CHECK(steps_done(dir.path() / "c.ckpt") == "7");
  CHECK_FALSE(fs::exists(dir.path() / "c.ckpt.old-Ab12Cd"));
  CHECK_FALSE(fs::exists(dir.path() / "c.ckpt.tmp-Xy98Zw"));
}

TEST_CASE("a failed write to stdout exits 1 with one line", "[cli][reliability]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 2" + kTiny + " --out m.ckpt", dir.path()).status == 0);
  const auto r = run_command(
      "sh -c '" + kExe + " eval --model m.ckpt --n 64 --steps 2 --threads 1 >/dev/full'",
      dir.path());
  CHECK(r.status == 1);
  CHECK(r.err == "minflow eval: write error on standard output: No space left on device\n");
}

TEST_CASE("Ctrl-C stops reflow's pair pool and its --eval-n table within about a second",
          "[cli][reliability]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 3 --batch 16 --hidden 16 --depth 2 --out m.ckpt",
                      dir.path())
              .status == 0);
  // Uninterrupted, the pool takes about 10 s of CPU and the table about 3 s (one column
  // about 0.6 s) in Release; SIGINT comes 0.3 s after the start.
  const std::string reflow = "timeout --preserve-status -s INT 0.3 " + kExe +
                             " reflow --teacher m.ckpt --steps 1 --threads 1 --out r.ckpt";
  int status = 0;
  const double pool = cpu_seconds_of(reflow + " --eval-n 0 --pool 4000000", dir.path(), status);
  CHECK(status == 130);
  CHECK(pool < 1.5 * kBuildSlowdown);
  const double table = cpu_seconds_of(reflow + " --eval-n 8192", dir.path(), status);
  CHECK(status == 130);
  CHECK(table < 1.5 * kBuildSlowdown);
  CHECK_FALSE(fs::exists(dir.path() / "r.ckpt"));
}

TEST_CASE("sample --reverse without --from starts from fresh points of the data set",
          "[cli][reliability]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 2 --data moons" + kTiny + " --out m.ckpt", dir.path())
              .status == 0);
  REQUIRE(run_command(kExe + " sample --model m.ckpt --reverse --n 300 --seed 7 --steps 2 "
                             "--out z.npy --trajectory t.npy",
                      dir.path())
              .status == 0);
  const Array<float> trajectory = nn::read_npy_float32(dir.path() / "t.npy");
  Generator gen(7, "sample");
  const Array<float> moons = flow::sample_dataset("moons", gen, 300);
  REQUIRE(trajectory.shape()[1] == 300);
  bool same = true;
  for (std::size_t i = 0; i < moons.size(); ++i)
    same = same && trajectory.data()[i] == moons.data()[i];
  CHECK(same);
}

TEST_CASE("sample --trajectory writes each row's time; dopri5 reports accepted and rejected",
          "[cli][reliability]") {
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " train --steps 5" + kTiny + " --out m.ckpt", dir.path()).status == 0);
  auto r =
      run_command(kExe + " sample --model m.ckpt --n 20 --steps 4 --trajectory e.npy", dir.path());
  REQUIRE(r.status == 0);
  const Array<double> uniform = nn::read_npy_float64(dir.path() / "e.times.npy");
  REQUIRE(uniform.size() == 5);
  for (std::size_t k = 0; k <= 4; ++k)
    CHECK(uniform(k) == k / 4.0);

  r = run_command(kExe +
                      " sample --model m.ckpt --n 20 --solver dopri5 --rtol 1e-7 --atol 1e-7 "
                      "--reverse --trajectory d.npy",
                  dir.path());
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  const Array<double> times = nn::read_npy_float64(dir.path() / "d.times.npy");
  const Array<float> trajectory = nn::read_npy_float32(dir.path() / "d.npy");
  REQUIRE(times.size() == trajectory.shape()[0]);
  REQUIRE(times.size() >= 3);
  CHECK(times(0) == 1.0);
  CHECK(std::abs(times(times.size() - 1)) < 1e-12);
  for (std::size_t k = 1; k < times.size(); ++k)
    CHECK(times(k) < times(k - 1));  // accepted steps only, in integration order
  const std::string accepted = std::to_string(times.size() - 1) + " steps accepted, ";
  CHECK(r.out.find(accepted) != std::string::npos);
  CHECK(r.out.find(" rejected, nfe ") != std::string::npos);
}
