// The plots drawn by gnuplot, headless: every figure function makes a valid PNG or GIF of the
// size docs/design.md#figures asks for (GIFs with the right number of frames), atomically, and the
// saved .gp redraws it alone. Without gnuplot on PATH these tests only warn.
#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "plot/figure.hpp"  // detail::hold_last_frame
#include "plot/plot.hpp"
#include "plot_images.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::check_gif;
using minflow::testing::check_png;
using minflow::testing::read_text;
namespace fs = std::filesystem;

namespace {

bool have_gnuplot() {
  if (!plot::find_on_path("gnuplot").empty()) return true;
  WARN("gnuplot is not on PATH: drawing not tested");
  return false;
}

Array<float> ring(std::size_t n, float radius) {
  Array<float> a = Array<float>::from_shape({n, 2});
  for (std::size_t i = 0; i < n; ++i) {
    const double angle = 2 * 3.14159265 * double(i) / double(n);
    a(i, 0) = radius * float(std::cos(angle));
    a(i, 1) = radius * float(std::sin(angle));
  }
  return a;
}

// Every file name in `dir`: a leftover temporary file would show here.
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("plot: scatter figures are drawn at 800 pixels a panel", "[plot][gnuplot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  const auto one = plot::plot_scatter(dir / "one.png", {{"ring", {{ring(200, 2), "", ""}}}});
  CHECK(one.drawn);
  check_png(dir / "one.png", 800, 800);
  plot::plot_scatter(dir / "two.png",
                     {{"a", {{ring(100, 1), "inner", ""}}}, {"b", {{ring(100, 3), "outer", ""}}}});
  check_png(dir / "two.png", 1600, 800);
  CHECK(names_in(dir.path()) ==
        std::vector<std::string>{"one.dat", "one.gp", "one.png", "two.dat", "two.gp", "two.png"});
}

TEST_CASE("plot: arrows, field, lines and trajectories are drawn", "[plot][gnuplot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  plot::plot_pairing(dir / "pairs.png", ring(50, 1), ring(50, 3), "pairs");
  check_png(dir / "pairs.png", 800, 800);
  const flow::VelocityField<float> inward = [](const Array<float>& x, double t) {
    return Array<float>(-x * float(t));
  };
  plot::plot_velocity_field(dir / "field.png", inward, 0.5, "inward", 12);
  check_png(dir / "field.png", 800, 800);
  std::vector<float> loss;
  for (int i = 0; i < 300; ++i)
    loss.push_back(1.8f + 2.0f / float(i + 1));
  plot::plot_loss(dir / "loss.png", loss, "loss");
  check_png(dir / "loss.png", 800, 800);
  plot::plot_warp_curves(dir / "warp.png", {0.0, 0.5, 1.5});
  check_png(dir / "warp.png", 800, 800);
  plot::plot_time_densities(dir / "dens.png", {flow::uniform_time(), flow::warped_time(0.5)});
  check_png(dir / "dens.png", 800, 800);
  plot::plot_trajectories(dir / "paths.png", {ring(40, 3), ring(40, 2), ring(40, 1)}, "paths");
  check_png(dir / "paths.png", 800, 800);
}

TEST_CASE("plot: animations have one frame per row, side by side", "[plot][gnuplot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  std::vector<Array<float>> frames;
  std::vector<double> times;
  for (int k = 0; k <= 10; ++k) {
    frames.push_back(ring(60, 0.5f + 0.25f * float(k)));
    times.push_back(k / 10.0);
  }
  plot::animate_particles(dir / "one.gif", {{"growing", frames, times}});
  check_gif(dir / "one.gif", 600, 600, 11);
  plot::animate_particles(dir / "two.gif", {{"a", frames, times}, {"b", frames, times}});
  check_gif(dir / "two.gif", 1200, 600, 11);
  plot::animate_time_warp(dir / "tw.gif");
  check_gif(dir / "tw.gif", 800, 800, 31);
}

TEST_CASE("plot: an animation holds its last frame, the others keep the delay", "[plot][gnuplot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  std::vector<Array<float>> frames = {ring(30, 1), ring(30, 2), ring(30, 3)};
  plot::PlotOptions options;
  options.delay = 7;
  options.hold = 150;
  plot::animate_particles(dir / "h.gif", {{"holds", frames, {0.0, 0.5, 1.0}}}, options);
  const auto info = minflow::testing::gif_info(dir / "h.gif");
  CHECK(info.valid);
  CHECK(info.frames == 3);
  CHECK(info.delays == std::vector<int>{7, 7, 150});
  // The default: 2 s on the last frame.
  plot::animate_time_warp(dir / "tw.gif");
  const auto tw = minflow::testing::gif_info(dir / "tw.gif");
  REQUIRE(tw.delays.size() == 31);
  CHECK(tw.delays.front() == 5);
  CHECK(tw.delays.back() == 200);
  // Not a GIF: a clear error.
  std::ofstream(dir / "bad.gif") << "GIF89a but no more";
  CHECK_THROWS_WITH(plot::detail::hold_last_frame(dir / "bad.gif", 100),
                    Catch::Contains("is not a GIF89a"));
}

TEST_CASE("plot: SVG on request, the saved script redraws the figure alone", "[plot][gnuplot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  plot::PlotOptions options;
  options.svg = true;
  const auto result =
      plot::plot_scatter(dir / "s.png", {{"ring", {{ring(50, 2), "", ""}}}}, options);
  CHECK(result.svg == dir / "s.svg");
  CHECK(read_text(dir / "s.svg").find("<svg") != std::string::npos);
  // An animation's SVG is its last frame.
  plot::animate_time_warp(dir / "tw.gif", options);
  CHECK(read_text(dir / "tw.svg").find("s = 1.50") != std::string::npos);

  fs::remove(dir / "s.png");
  fs::remove(dir / "s.svg");
  const auto r = minflow::testing::run_command("gnuplot s.gp", dir.path());
  CHECK(r.status == 0);
  check_png(dir / "s.png", 800, 800);
  CHECK(fs::exists(dir / "s.svg"));
}

TEST_CASE("plot: a gnuplot error is reported and leaves no image or temporary file",
          "[plot][gnuplot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  plot::LinePlot plot;
  plot::Curve curve;
  curve.x = {0, 1};
  curve.y = {0, 1};
  curve.style = "no-such-style";
  plot.curves = {curve};
  struct sigaction before {};
  sigaction(SIGPIPE, nullptr, &before);
  try {
    plot::plot_lines(dir / "bad.png", plot);
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("gnuplot could not draw") != std::string::npos);
  }
  CHECK(names_in(dir.path()) == std::vector<std::string>{"bad.dat", "bad.gp"});
  struct sigaction after {};
  sigaction(SIGPIPE, nullptr, &after);
  CHECK(before.sa_handler == after.sa_handler);  // SIGPIPE's disposition is restored
}

TEST_CASE("plot: without gnuplot on PATH: data and script, no image, no crash", "[plot]") {
  minflow::testing::TempDir dir;
  const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  setenv("PATH", "/nonexistent", 1);
  const auto result = plot::animate_time_warp(dir / "tw.gif");
  const auto still = plot::plot_scatter(dir / "s.png", {{"ring", {{ring(20, 2), "", ""}}}});
  setenv("PATH", old_path.c_str(), 1);
  CHECK_FALSE(result.drawn);
  CHECK_FALSE(still.drawn);
  CHECK(names_in(dir.path()) == std::vector<std::string>{"s.dat", "s.gp", "tw.dat", "tw.gp"});
}

TEST_CASE("plot: PNG falls back to the png terminal when pngcairo is missing", "[plot][gnuplot]") {
  if (!have_gnuplot()) return;
  minflow::testing::TempDir dir;
  // A gnuplot that reports no pngcairo among its terminals but otherwise is the real one.
  const fs::path real = plot::find_on_path("gnuplot");
  fs::create_directory(dir / "bin");
  std::ofstream(dir / "bin/gnuplot")
      << "#!/bin/sh\nif [ \"$1\" = -e ]; then echo 'dumb gif png svg'; exit 0; fi\nexec '"
      << real.string() << "' \"$@\"\n";
  fs::permissions(dir / "bin/gnuplot", fs::perms::owner_all);
  const std::string old_path = std::getenv("PATH");
  setenv("PATH", ((dir / "bin").string() + ":" + old_path).c_str(), 1);
  CHECK(plot::png_terminal(plot::gnuplot_terminals()) == "png");
  const auto result = plot::plot_scatter(dir / "s.png", {{"ring", {{ring(50, 2), "", ""}}}});
  setenv("PATH", old_path.c_str(), 1);
  CHECK(result.drawn);
  CHECK(read_text(dir / "s.gp").find("set terminal png size 800,800") != std::string::npos);
  check_png(dir / "s.png", 800, 800);
}
