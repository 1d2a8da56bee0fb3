// The plots' .dat and .gp files, which need no gnuplot: what they hold, how the data blocks
// line up with the script's `index`, and that nothing else is written when drawing is off.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "plot/conditional.hpp"
#include "plot/figure.hpp"  // detail::text
#include "plot/plot.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::read_text;
namespace fs = std::filesystem;

namespace {

Array<float> points(std::size_t n, float offset = 0) {
  Array<float> a = Array<float>::from_shape({n, 2});
  for (std::size_t i = 0; i < n; ++i) {
    a(i, 0) = offset + 0.01f * float(i);
    a(i, 1) = -offset - 0.02f * float(i);
  }
  return a;
}

// The data rows of each `index` block of a .dat file (blocks end at two blank lines).
std::vector<std::size_t> block_rows(const fs::path& file) {
  std::vector<std::size_t> rows(1, 0);
  const std::string text = read_text(file);
  std::size_t blank = 0, at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    if (line.empty()) {
      if (++blank == 2) rows.push_back(0);
      continue;
    }
    blank = 0;
    if (line[0] != '#') ++rows.back();
  }
  if (rows.back() == 0) rows.pop_back();
  return rows;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

plot::PlotOptions files_only() {
  plot::PlotOptions options;
  options.draw = false;
  return options;
}

std::size_t files_in(const fs::path& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
    ++count;
  return count;
}

}  // namespace

TEST_CASE("plot: a scatter figure's data and script, without drawing", "[plot]") {
  minflow::testing::TempDir dir;
  const auto result =
      plot::plot_scatter(dir / "st.png",
                         {{"source", {{points(30), "x0", "#1f77b4"}}},
                          {"target", {{points(20, 1), "x1", ""}, {points(5, 2), "extra", ""}}}},
                         files_only());
  CHECK_FALSE(result.drawn);
  CHECK(result.data == dir / "st.dat");
  CHECK(result.script == dir / "st.gp");
  CHECK(files_in(dir.path()) == 2);  // no image, no temporary file
  CHECK(block_rows(dir / "st.dat") == std::vector<std::size_t>{30, 20, 5});
  const std::string gp = read_text(dir / "st.gp");
  CHECK(contains(gp, "data = 'st.dat'"));      // read relative to the script's folder
  CHECK(contains(gp, "set output 'st.png'"));  // the final name, not a temporary one
  CHECK(contains(gp, "size 1600,800"));
  CHECK(contains(gp, "set multiplot layout 1,2"));
  CHECK(contains(gp, "set xrange [-4:4]"));  // the spiral's outer arm reaches x = 3.3
  CHECK(contains(gp, "set size ratio -1"));
  CHECK(contains(gp, "data index 2"));
  CHECK_FALSE(contains(gp, dir.path().string()));  // no absolute paths: the folder can move
  // The first rows of the data are the points, as text gnuplot reads.
  CHECK(contains(read_text(dir / "st.dat"), "\n0.01 -0.02\n0.02 -0.04\n"));
}

TEST_CASE("plot: titles are quoted for gnuplot", "[plot]") {
  minflow::testing::TempDir dir;
  plot::plot_scatter(dir / "q.png", {{"it's a 'test'", {{points(3), "", ""}}}}, files_only());
  CHECK(contains(read_text(dir / "q.gp"), "set title 'it''s a ''test'''"));
}

TEST_CASE("plot: text is enhanced only where written in braces", "[plot]") {
  // gnuplot's enhanced mode reads _ ^ @ & ~ { } as markup: "loss_0" would print as loss
  // with a subscript 0 and "a@b" would lose its @. They are escaped; "x_{t}" is a subscript.
  CHECK(plot::detail::text("x_{t} = (1 - t) x_{0}") == "'x_{t} = (1 - t) x_{0}'");
  CHECK(plot::detail::text("samples_reflow_1step.png") == "'samples\\_reflow\\_1step.png'");
  CHECK(plot::detail::text("a@b & c~d {e} f^2 \\") == "'a\\@b \\& c\\~d \\{e\\} f\\^2 \\\\'");
  CHECK(plot::detail::text("e^{-1}, it's") == "'e^{-1}, it''s'");
  CHECK(plot::detail::text("x_{unclosed") == "'x\\_\\{unclosed'");
  minflow::testing::TempDir dir;
  plot::LinePlot lines;
  lines.title = "loss_0 against x_{t}";
  lines.curves = {{{0.0, 1.0}, {1.0, 2.0}, "v_theta", "lines", ""}};
  plot::plot_lines(dir / "l.png", lines, files_only());
  const std::string gp = read_text(dir / "l.gp");
  CHECK(contains(gp, "set title 'loss\\_0 against x_{t}'"));
  CHECK(contains(gp, "title 'v\\_theta'"));
  CHECK(contains(gp, " enhanced font"));
}

TEST_CASE("plot: the loss figure: log axis, raw and smoothed curves", "[plot]") {
  minflow::testing::TempDir dir;
  std::vector<float> loss;
  for (int i = 0; i < 500; ++i)
    loss.push_back(2.0f + 1.0f / float(i + 1));
  loss[7] = NAN;
  plot::plot_loss(dir / "loss.png", loss, "training loss", 0, files_only());
  CHECK(block_rows(dir / "loss.dat") == std::vector<std::size_t>{500, 500});
  const std::string gp = read_text(dir / "loss.gp");
  CHECK(contains(gp, "set logscale y"));
  CHECK(contains(gp, "set ytics ("));                 // a range inside one decade still gets tics
  CHECK(contains(gp, "moving average of 10 steps"));  // 500 / 50
  CHECK(contains(read_text(dir / "loss.dat"), "\n8 NaN\n"));  // a gap, not a crash
}

TEST_CASE("plot: moving average over the last window values", "[plot]") {
  const std::vector<double> avg = plot::moving_average({1, 2, 3, 4, 5}, 2);
  CHECK(avg == std::vector<double>{1, 1.5, 2.5, 3.5, 4.5});
  CHECK(plot::moving_average({4, 8}, 0) == std::vector<double>{4, 8});  // window 0 acts as 1
  CHECK(plot::moving_average({}, 3).empty());
}

TEST_CASE("plot: an animation has one data block per frame and panel", "[plot]") {
  minflow::testing::TempDir dir;
  std::vector<Array<float>> left, right;
  for (int k = 0; k < 11; ++k)
    left.push_back(points(40, 0.1f * float(k)));
  for (int k = 0; k < 6; ++k)
    right.push_back(points(40, -0.1f * float(k)));
  std::vector<double> lt, rt;
  for (int k = 0; k < 11; ++k)
    lt.push_back(k / 10.0);
  for (int k = 0; k < 6; ++k)
    rt.push_back(k / 5.0);
  plot::animate_particles(dir / "c.gif", {{"flow", left, lt}, {"reflow", right, rt}}, files_only());
  CHECK(block_rows(dir / "c.dat") == std::vector<std::size_t>(22, 40));
  const std::string gp = read_text(dir / "c.gp");
  CHECK(contains(gp, "set terminal gif animate delay 5 loop 0 size 1200,600"));
  CHECK(contains(gp, "frames = 11"));
  CHECK(contains(gp, "do for [k = 0:frames - 1]"));
  CHECK(contains(gp, "sprintf('t = %.2f'"));
  // The shorter panel holds its last frame (t = 1) to the end.
  CHECK(contains(gp, "times1 = '0 0.2 0.4 0.6 0.8 1 1 1 1 1 1'"));
  CHECK_THROWS_AS(plot::animate_particles(dir / "bad.gif", {{"x", left, rt}}, files_only()),
                  std::invalid_argument);
}

TEST_CASE("plot: the time-warp animation sweeps s from 0 to 1.5", "[plot]") {
  minflow::testing::TempDir dir;
  plot::animate_time_warp(dir / "tw.gif", files_only());
  CHECK(block_rows(dir / "tw.dat") == std::vector<std::size_t>(31, 101));
  const std::string gp = read_text(dir / "tw.gp");
  CHECK(contains(gp, "size 800,800"));
  CHECK(contains(gp, "frames = 31"));
  CHECK(contains(gp, " 0.75 "));
  CHECK(contains(read_text(dir / "tw.dat"), "# index 30: s = 1.5"));
}

TEST_CASE("plot: trajectories, pairing and the field keep their data", "[plot]") {
  minflow::testing::TempDir dir;
  std::vector<Array<float>> rows = {points(500), points(500, 0.5f), points(500, 1)};
  plot::plot_trajectories(dir / "tr.png", rows, "paths", 300, files_only());
  // 300 paths of 3 points (one blank line apart, so one block), then starts and ends.
  CHECK(block_rows(dir / "tr.dat") == std::vector<std::size_t>{900, 300, 300});

  plot::plot_pairing(dir / "pv.png", points(100), points(100, 1), "pairing", 64, files_only());
  CHECK(block_rows(dir / "pv.dat") == std::vector<std::size_t>{64, 64, 64});
  CHECK(contains(read_text(dir / "pv.gp"), "with vectors"));

  // A rotation field v = (-y, x): the fastest arrow spans 90% of a cell.
  const flow::VelocityField<float> rotation = [](const Array<float>& x, double) {
    Array<float> v = Array<float>::from_shape(x.shape());
    for (std::size_t i = 0; i < x.shape()[0]; ++i)
      v(i, 0) = -x(i, 1), v(i, 1) = x(i, 0);
    return v;
  };
  plot::plot_velocity_field(dir / "f.png", rotation, 0.5, "rotation", 10, files_only());
  CHECK(block_rows(dir / "f.dat") == std::vector<std::size_t>{100});
  CHECK(contains(read_text(dir / "f.gp"), "lc palette"));
}

TEST_CASE("plot: warp curves and time densities", "[plot]") {
  minflow::testing::TempDir dir;
  plot::plot_warp_curves(dir / "w.png", {0.5, 1.5}, files_only());
  CHECK(block_rows(dir / "w.dat") == std::vector<std::size_t>{2, 101, 101});
  // With s = 1 among the curves the identity is not drawn again (it would hide under s = 1).
  plot::plot_warp_curves(dir / "w1.png", {0.5, 1.0}, files_only());
  CHECK(block_rows(dir / "w1.dat") == std::vector<std::size_t>{101, 101});
  CHECK_FALSE(contains(read_text(dir / "w1.gp"), "identity"));
  CHECK_THROWS_AS(plot::plot_warp_curves(dir / "bad.png", {2.0}, files_only()),
                  std::invalid_argument);
  plot::plot_time_densities(
      dir / "d.png", {flow::uniform_time(), flow::warped_time(0.5), flow::logit_normal_time(0, 1)},
      files_only());
  CHECK(block_rows(dir / "d.dat") == std::vector<std::size_t>{200, 200, 200});
  CHECK(contains(read_text(dir / "d.gp"), "title 'warp:0.5'"));
}

TEST_CASE("plot: bad input is refused before anything is written", "[plot]") {
  minflow::testing::TempDir dir;
  Array<float> three = Array<float>::from_shape({4, 3});
  CHECK_THROWS_AS(plot::plot_scatter(dir / "x.png", {{"bad", {{three, "", ""}}}}, files_only()),
                  std::invalid_argument);
  CHECK_THROWS_AS(plot::plot_scatter(dir / "x.png", {}, files_only()), std::invalid_argument);
  CHECK_THROWS_AS(plot::plot_loss(dir / "x.png", {}, "empty", 0, files_only()),
                  std::invalid_argument);
  CHECK(files_in(dir.path()) == 0);
}

TEST_CASE("plot: gnuplot's PNG terminal: pngcairo, else png", "[plot]") {
  CHECK(plot::png_terminal("dumb gif png pngcairo svg") == "pngcairo");
  CHECK(plot::png_terminal("dumb gif png svg") == "png");
  CHECK(plot::png_terminal("") == "pngcairo");  // unknown: the script names the usual one
  CHECK_FALSE(plot::find_on_path("sh").empty());
  CHECK(plot::find_on_path("no-such-program-minflow").empty());
}

TEST_CASE("the guided-classes figure writes one block per class", "[plot]") {
  minflow::testing::TempDir dir;
  std::vector<Array<float>> samples(3, Array<float>::from_shape({5, 2}));
  for (std::size_t c = 0; c < 3; ++c)
    std::fill(samples[c].begin(), samples[c].end(), float(c));
  minflow::plot::PlotOptions options;
  options.draw = false;
  const auto r = minflow::plot::plot_guided_classes(dir.path() / "g.png", samples, 2.0, options);
  const std::string dat = minflow::testing::read_text(r.data);
  CHECK(dat.find("2 2") != std::string::npos);
  const std::string gp = minflow::testing::read_text(r.script);
  CHECK(gp.find("guidance w = 2") != std::string::npos);
  CHECK(gp.find("class 2") != std::string::npos);
}
