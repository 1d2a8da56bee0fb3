// Figures and animations of the tutorial (docs/design.md#figures), drawn by gnuplot.
//
// Every figure FILE.png (or FILE.gif) comes with two plain-text files beside it:
//   FILE.dat   the numbers it shows, gnuplot-readable: one block per point set, blocks
//              separated by two blank lines (gnuplot's `index`), paths inside a block by one
//   FILE.gp    the gnuplot script that draws FILE.png from FILE.dat
// so `cd DIR && gnuplot FILE.gp` redraws a figure without minflow, and a reader can change
// colours or ranges there. minflow writes both, then runs gnuplot on the same script with
// the output pointed at a temporary name in the same folder and renames it into place once
// gnuplot has finished: a figure on disk is always complete.
//
// When gnuplot is not on PATH, minflow says so once per process on stderr, still writes the
// .dat and .gp files, and carries on (PlotResult::drawn is false). gnuplot's own chatter
// ("101 frames in animation sequence") is kept off the terminal; its error messages come back
// as a std::runtime_error.
//
// Sizes: single panels 800×800 pixels, side-by-side panels 1600×800, animations 600×600 per
// panel. Point sets are drawn in the window [−4, 4]² with equal aspect.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "flow/integrators.hpp"
#include "flow/time_sampler.hpp"

namespace minflow::plot {

// What every figure function takes besides its data.
struct PlotOptions {
  bool svg = false;   // also write FILE.svg (for an animation: its last frame)
  bool show = false;  // also show it: a window (qt, wxt, x11) if gnuplot has one and DISPLAY
                      // is set, else gnuplot's `dumb` terminal on stdout (an animation shows
                      // its last frame)
  bool draw = true;   // false: write FILE.dat and FILE.gp only, never start gnuplot
  int delay = 5;      // animations: hundredths of a second between frames
  int hold = 200;     // animations: hundredths of a second on the last frame (the .gp file,
                      // redrawn by gnuplot alone, gives it `delay` like the others)
};

struct PlotResult {
  std::filesystem::path image, data, script;  // FILE.png or FILE.gif, FILE.dat, FILE.gp
  std::filesystem::path svg;                  // FILE.svg when asked for, else empty
  bool drawn = false;  // false when gnuplot is missing (or draw was off): no image written
};

// ---- scatter plots and arrows (plot_scatter.cpp) -----------------------------------------

// A set of 2-D points [n, 2] with its key entry and colour (a gnuplot colour such as
// "#1f77b4"; empty picks one per set).
struct PointSet {
  Array<float> points;
  std::string label;
  std::string color;
};

// One square panel: a title and the sets drawn over each other.
struct ScatterPanel {
  std::string title;
  std::vector<PointSet> sets;
};

// One or several panels side by side, each 800×800 (source_target.png: 1600×800).
PlotResult plot_scatter(const std::filesystem::path& image, const std::vector<ScatterPanel>& panels,
                        const PlotOptions& options = {});

// Arrows x1 − x0 drawn at the source points x0 of a pairing (row i with row i), over the
// two point sets (pairing_velocities.png). At most `max_arrows` pairs are drawn.
PlotResult plot_pairing(const std::filesystem::path& image, const Array<float>& x0,
                        const Array<float>& x1, const std::string& title,
                        std::size_t max_arrows = 256, const PlotOptions& options = {});

// The velocity v(x, t) on a grid×grid lattice over the window at one time t, each arrow
// scaled so the fastest fills most of a cell, coloured by speed (field.png).
PlotResult plot_velocity_field(const std::filesystem::path& image,
                               const flow::VelocityField<float>& v, double t,
                               const std::string& title, std::size_t grid = 25,
                               const PlotOptions& options = {});

// ---- density maps (density.cpp) -------------------------------------------------------------

// A log-density on the size×size grid of density_grid_points (x fastest, then y).
struct DensityGrid {
  std::size_t size = 0;
  std::vector<double> log_p;  // size² values; −inf where the density is 0
  std::string title;
};

// The centres of a size×size grid of cells over the window [−4, 4]², row by row from the
// bottom: point j·size + i is (−π + (i + ½)·2π/size, −π + (j + ½)·2π/size).
Array<float> density_grid_points(std::size_t size);

// The model's density as a heatmap (density.png); with a true density, three panels side by
// side: the model, the truth (one colour scale for both) and log(model / true) clipped to
// ±3 nats, blue where the model has too little mass and red where it has too much.
PlotResult plot_density(const std::filesystem::path& image, const DensityGrid& model,
                        const DensityGrid* truth = nullptr, const PlotOptions& options = {});

// ---- line plots (plot_lines.cpp) -----------------------------------------------------------

struct Curve {
  std::vector<double> x, y;  // same length; non-finite y values leave a gap
  std::string label;
  std::string style = "lines lw 2";  // gnuplot's `with …` part, without the colour
  std::string color;                 // empty: gnuplot's next colour
};

struct LinePlot {
  std::string title, xlabel, ylabel;
  std::vector<Curve> curves;
  bool log_y = false;
  bool square = false;            // equal aspect (curves on [0, 1]²)
  double xmin = 0, xmax = 0;      // xmin == xmax: automatic
  double ymin = 0, ymax = 0;      // the same for y
  std::string key = "top right";  // gnuplot's `set key …`
  std::string extra = "";  // more gnuplot settings, one per line, before the plot ("set ytics 0.1")
};

PlotResult plot_lines(const std::filesystem::path& image, const LinePlot& plot,
                      const PlotOptions& options = {});

// The mean of the last `window` values at every step (fewer at the start).
std::vector<double> moving_average(const std::vector<float>& values, std::size_t window);
// The loss at every optimizer step on a log y axis, raw and smoothed by a moving average
// (window 0: about 1/50 of the run, between 1 and 200 steps; a window of 1 draws the raw
// curve alone) (loss.png, reflow_loss.png).
PlotResult plot_loss(const std::filesystem::path& image, const std::vector<float>& loss,
                     const std::string& title, std::size_t window = 0,
                     const PlotOptions& options = {});
// warp(t; s) against t for each s, with the identity (s = 1) for reference unless s = 1 is
// one of the curves.
PlotResult plot_warp_curves(const std::filesystem::path& image, const std::vector<double>& s_values,
                            const PlotOptions& options = {});
// The density of each time sampler on [0, 1] (where training draws its times).
PlotResult plot_time_densities(const std::filesystem::path& image,
                               const std::vector<flow::TimeSampler>& samplers,
                               const PlotOptions& options = {});

// ---- paths and animations (plot_animation.cpp) --------------------------------------------

// Paths of the first `max_paths` particles of a recorded trajectory (rows [start, after step
// 1, …], each [n, 2]), with their start and end points (trajectories.png).
PlotResult plot_trajectories(const std::filesystem::path& image,
                             const std::vector<Array<float>>& trajectory, const std::string& title,
                             std::size_t max_paths = 300, const PlotOptions& options = {});

// One panel of an animation: the particles at each recorded time.
struct AnimatedPanel {
  std::string title;
  std::vector<Array<float>> frames;  // [n, 2] each: the trajectory's rows
  std::vector<double> times;         // the time of each frame (the "t = 0.37" label)
};

// An animated GIF, one frame per trajectory row (flowmatch.gif: one per Euler step plus the
// start), 600×600 per panel with the panels side by side (combined.gif), fixed axes so the
// frames line up. A shorter panel holds its last frame.
PlotResult animate_particles(const std::filesystem::path& image,
                             const std::vector<AnimatedPanel>& panels,
                             const PlotOptions& options = {});

// warp(t; s) against t as s sweeps from 0 to 1.5 in steps of 0.05: 31 frames, 800×800
// (timewarp.gif).
PlotResult animate_time_warp(const std::filesystem::path& image, const PlotOptions& options = {});

// ---- gnuplot itself (plot_figure.cpp) -----------------------------------------------------

// The full path of `program` found on PATH as a shell would (an executable regular file),
// or empty.
std::filesystem::path find_on_path(const std::string& program);
// gnuplot's terminals (GPVAL_TERMINALS: "cairolatex canvas … png pngcairo … svg …"), asked
// once per process; empty when gnuplot is missing.
std::string gnuplot_terminals();
// The PNG terminal to use with these terminals: "pngcairo", else "png" (libgd).
std::string png_terminal(const std::string& terminals);

}  // namespace minflow::plot
