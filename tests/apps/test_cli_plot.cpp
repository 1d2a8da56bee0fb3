// minflow plot end to end: every figure family of docs/design.md#figures from a tiny trained
// checkpoint, checked as images (size, GIF frames) with gnuplot headless; --svg and --show; a
// missing gnuplot (one line on stderr, exit 0, .dat and .gp still written); usage errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_test.hpp"
#include "plot/plot.hpp"
#include "plot_images.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::read_text;
using minflow::testing::run_command;
using minflow::testing::snapshot;
namespace fs = std::filesystem;
using minflow::testing::kExe;

namespace {

const std::string kPlot = kExe + " plot --model f.ckpt --n 200 ";

bool have_gnuplot() {
  if (!plot::find_on_path("gnuplot").empty()) return true;
  WARN("gnuplot is not on PATH: drawing not tested");
  return false;
}

// A tiny trained flow, f.ckpt, in `dir`; with `reflow` also r.ckpt, the same weights marked
// as a reflow checkpoint.
void make_checkpoints(const fs::path& dir, bool reflow = false) {
  const auto r =
      run_command(kExe + " train --steps 20 --batch 64 --hidden 16 --depth 2 --out f.ckpt", dir);
  REQUIRE(r.status == 0);
  if (!reflow) return;
  fs::copy(dir / "f.ckpt", dir / "r.ckpt", fs::copy_options::recursive);
  std::string config = read_text(dir / "r.ckpt/config.txt");
  const auto at = config.find("kind = flow");
  REQUIRE(at != std::string::npos);
  config.replace(at, 11, "kind = reflow");
  std::ofstream(dir / "r.ckpt/config.txt") << config;
}

// A figure of `minflow plot`: the image, and its data and gnuplot script beside it.
void check_png(const fs::path& file, std::uint32_t width, std::uint32_t height) {
  minflow::testing::check_png(file, width, height);
  CHECK(fs::exists(fs::path(file).replace_extension(".dat")));
  CHECK(fs::exists(fs::path(file).replace_extension(".gp")));
}
void check_gif(const fs::path& file, std::uint32_t width, std::uint32_t height,
               std::size_t frames) {
  minflow::testing::check_gif(file, width, height, frames);
  CHECK(fs::exists(fs::path(file).replace_extension(".dat")));
  CHECK(fs::exists(fs::path(file).replace_extension(".gp")));
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("plot data: source and target, pairing velocities, into a new folder", "[cli][plot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  const auto r = run_command(kExe + " plot --what data --n 300 --out figs/new", dir.path());
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());  // no gnuplot chatter
  check_png(dir / "figs/new/source_target.png", 1600, 800);
  check_png(dir / "figs/new/pairing_velocities.png", 800, 800);
}

TEST_CASE("plot couplings: one batch paired three ways, no model needed", "[cli][plot]") {
  minflow::testing::TempDir dir;
  const auto r = run_command(
      kExe + " plot --what couplings --source moons --data eight_gaussians --n 40 --out c",
      dir.path());
  REQUIRE(r.status == 0);
  const std::string gp = read_text(dir / "c/couplings.gp");
  CHECK(gp.find("independent: 40 pairs") != std::string::npos);
  CHECK(gp.find("ot: 40 pairs") != std::string::npos);
  CHECK(gp.find("sinkhorn:0.05: 40 pairs") != std::string::npos);
  if (have_gnuplot()) check_png(dir / "c/couplings.png", 2400, 800);
}

TEST_CASE("plot loss: loss.png, and reflow_loss.png for a reflow checkpoint", "[cli][plot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  make_checkpoints(dir.path(), true);
  REQUIRE(run_command(kPlot + "--what loss", dir.path()).status == 0);
  check_png(dir / "loss.png", 800, 800);
  const auto r = run_command(kExe + " plot --what loss --model r.ckpt --out rf", dir.path());
  REQUIRE(r.status == 0);
  check_png(dir / "rf/reflow_loss.png", 800, 800);
  CHECK_FALSE(fs::exists(dir / "rf/loss.png"));
  CHECK(read_text(dir / "rf/reflow_loss.gp").find("reflow training loss") != std::string::npos);
}

TEST_CASE("plot samples, field and trajectories", "[cli][plot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  make_checkpoints(dir.path());
  auto r = run_command(kPlot + "--what samples --solver rk4 --steps 5", dir.path());
  REQUIRE(r.status == 0);
  check_png(dir / "samples.png", 800, 800);
  CHECK(read_text(dir / "samples.gp").find("rk4 5 steps, nfe 20") != std::string::npos);
  REQUIRE(run_command(kPlot + "--what field --t 0.25", dir.path()).status == 0);
  check_png(dir / "field.png", 800, 800);
  CHECK(read_text(dir / "field.gp").find("t = 0.25") != std::string::npos);
  REQUIRE(run_command(kPlot + "--what trajectories --steps 10", dir.path()).status == 0);
  check_png(dir / "trajectories.png", 800, 800);
}

TEST_CASE("plot animation: one frame per Euler step plus the start, side by side", "[cli][plot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  make_checkpoints(dir.path(), true);
  auto r = run_command(kPlot + "--what animation --steps 10 --compare r.ckpt", dir.path());
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());  // "11 frames in animation sequence" stays inside
  check_gif(dir / "flowmatch.gif", 600, 600, 11);
  check_gif(dir / "combined.gif", 1200, 600, 11);
  r = run_command(kExe + " plot --what animation --model r.ckpt --n 100 --steps 12", dir.path());
  REQUIRE(r.status == 0);
  check_gif(dir / "reflow.gif", 600, 600, 13);
}

TEST_CASE("plot timewarp: 31 frames at 800x800, no model needed", "[cli][plot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " plot --what timewarp", dir.path()).status == 0);
  check_gif(dir / "timewarp.gif", 800, 800, 31);
}

TEST_CASE("plot --svg also writes SVG, and the .gp redraws without minflow", "[cli][plot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  REQUIRE(run_command(kExe + " plot --what data --n 100 --svg --out d", dir.path()).status == 0);
  CHECK(read_text(dir / "d/source_target.svg").find("<svg") != std::string::npos);
  CHECK(read_text(dir / "d/pairing_velocities.svg").find("<svg") != std::string::npos);
  fs::remove(dir / "d/source_target.png");
  REQUIRE(run_command("gnuplot source_target.gp", dir / "d").status == 0);
  check_png(dir / "d/source_target.png", 1600, 800);
}

TEST_CASE("plot --show without a display draws in the terminal", "[cli][plot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  const auto r = run_command("env -u DISPLAY " + kExe + " plot --what timewarp --show", dir.path());
  REQUIRE(r.status == 0);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find("terminal") != std::string::npos);
  CHECK(r.out.find("s = 1.50") != std::string::npos);  // the last frame, as text
  CHECK(lines(r.out) > 30);
  check_gif(dir / "timewarp.gif", 800, 800, 31);
}

TEST_CASE("plot without gnuplot on PATH: one line on stderr, exit 0, .dat and .gp", "[cli][plot]") {
  minflow::testing::TempDir dir;
  auto r =
      run_command("env PATH=/nonexistent " + kExe + " plot --what data --n 50 --out d", dir.path());
  CHECK(r.status == 0);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find("gnuplot") != std::string::npos);
  for (const char* name : {"source_target", "pairing_velocities"}) {
    CHECK(fs::exists(dir / "d" / (std::string(name) + ".dat")));
    CHECK(fs::exists(dir / "d" / (std::string(name) + ".gp")));
    CHECK_FALSE(fs::exists(dir / "d" / (std::string(name) + ".png")));
  }
  r = run_command("env PATH=/nonexistent " + kExe + " plot --what timewarp --show --out d",
                  dir.path());
  CHECK(r.status == 0);
  CHECK(lines(r.err) == 1);
  CHECK(fs::exists(dir / "d/timewarp.gp"));
}

TEST_CASE("plot with a gnuplot that fails: exit 1, one line, no image, no SIGPIPE", "[cli][plot]") {
  minflow::testing::TempDir dir;
  // Lists the usual terminals when asked, then fails without reading its script.
  fs::create_directory(dir / "bin");
  std::ofstream(dir / "bin/gnuplot")
      << "#!/bin/sh\nif [ \"$1\" = -e ]; then echo 'dumb gif png pngcairo svg'; exit 0; fi\n"
         "exec 0<&-\necho 'broken gnuplot' >&2\nexit 3\n";
  fs::permissions(dir / "bin/gnuplot", fs::perms::owner_all);
  const auto r = run_command("env PATH=" + (dir / "bin").string() + ":/usr/bin:/bin " + kExe +
                                 " plot --what timewarp --out d",
                             dir.path());
  CHECK(r.status == 1);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find("gnuplot could not draw") != std::string::npos);
  CHECK(r.err.find("broken gnuplot") != std::string::npos);
  CHECK(fs::exists(dir / "d/timewarp.gp"));
  for (const auto& e : fs::directory_iterator(dir / "d")) {
    CHECK(e.path().extension() != ".gif");
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
  }
}

TEST_CASE("plot usage errors: exit 2, one line, nothing written", "[cli][plot]") {
  minflow::testing::TempDir dir;
  make_checkpoints(dir.path());
  std::ofstream(dir / "afile") << "x";
  const auto before = snapshot(dir.path());
  for (const std::string args : {
           "",                                                 // --what missing
           "--what nonsense",                                  // unknown family
           "--what samples",                                   // needs a model
           "--what loss --model missing.ckpt",                 // no such checkpoint
           "--what field --model f.ckpt --t 1.5",              // t outside [0, 1]
           "--what samples --model f.ckpt --compare f.ckpt",   // --compare is for animation
           "--what animation --model f.ckpt --solver dopri5",  // frames need fixed steps
           "--what samples --model f.ckpt --steps 0",          // a bad count
           "--what data --out afile",                          // --out is a file
           "--what data --data nonsense",                      // unknown data set
           "--what data --bogus 1",                            // unknown flag
       }) {
    INFO(args);
    const std::string out = args.find("--out") == std::string::npos ? " --out new" : "";
    const auto r = run_command(kExe + " plot " + args + out, dir.path());
    CHECK(r.status == 2);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("minflow plot: ", 0) == 0);
  }
  CHECK(snapshot(dir.path()) == before);
}
