// Density maps (density.png): the model's density p₁ on a grid over the window, beside the
// true density where it is known and their log-ratio, as heatmaps.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "plot/figure.hpp"
#include "plot/plot.hpp"

namespace minflow::plot {

namespace fs = std::filesystem;
using namespace detail;

namespace {

// The grid covers the window every point plot uses ([−4, 4]², figure.hpp's window_settings).
constexpr double kHalfWidth = 4.0;
const char* const kViridis =
    "set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')\n";
// Blue where the model puts too little mass, red where too much, white where it is right.
const char* const kDiverging = "set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')\n";
constexpr double kRatioClip = 3.0;  // log-ratios beyond ±3 nats share the end colours

// Appends one grid as "x y value" rows, a blank line after each row of constant y (gnuplot's
// grid format for `with image`).
void append_grid(std::string& out, std::size_t size, const std::vector<double>& values) {
  const Array<float> points = density_grid_points(size);
  for (std::size_t j = 0; j < size; ++j) {
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t r = j * size + i;
      out += number(points(r, 0)) + " " + number(points(r, 1)) + " " + number(values[r]) + "\n";
    }
    out += "\n";
  }
  out += "\n";  // with the row's blank line: two, the next index
}

void check_grid(const DensityGrid& grid, const char* what) {
  if (grid.size < 2 || grid.log_p.size() != grid.size * grid.size) {
    throw std::invalid_argument(
        std::string("plot_density: ") + what + " must hold size² values with size ≥ 2, got size " +
        std::to_string(grid.size) + " and " + std::to_string(grid.log_p.size()) + " values");
  }
}

}  // namespace

Array<float> density_grid_points(std::size_t size) {
  if (size < 2) throw std::invalid_argument("density_grid_points: size must be at least 2");
  Array<float> points = Array<float>::from_shape({size * size, 2});
  const double cell = 2 * kHalfWidth / double(size);
  for (std::size_t j = 0; j < size; ++j) {
    for (std::size_t i = 0; i < size; ++i) {
      points(j * size + i, 0) = static_cast<float>(-kHalfWidth + (double(i) + 0.5) * cell);
      points(j * size + i, 1) = static_cast<float>(-kHalfWidth + (double(j) + 0.5) * cell);
    }
  }
  return points;
}

PlotResult plot_density(const fs::path& image, const DensityGrid& model, const DensityGrid* truth,
                        const PlotOptions& options) {
  check_grid(model, "the model's grid");
  if (truth) {
    check_grid(*truth, "the true grid");
    if (truth->size != model.size) {
      throw std::invalid_argument("plot_density: the grids differ in size (" +
                                  std::to_string(model.size) + " and " +
                                  std::to_string(truth->size) + ")");
    }
  }
  // Densities, not log-densities, on one colour scale: the eye compares mass.
  const auto densities = [](const std::vector<double>& log_p) {
    std::vector<double> p(log_p.size());
    std::transform(log_p.begin(), log_p.end(), p.begin(), [](double l) { return std::exp(l); });
    return p;
  };
  const std::vector<double> p_model = densities(model.log_p);
  double top = 0;
  for (double p : p_model)
    if (std::isfinite(p)) top = std::max(top, p);
  std::vector<double> p_true, ratio;
  if (truth) {
    p_true = densities(truth->log_p);
    for (double p : p_true)
      if (std::isfinite(p)) top = std::max(top, p);
    ratio.resize(p_model.size());
    for (std::size_t r = 0; r < ratio.size(); ++r)
      ratio[r] = std::clamp(model.log_p[r] - truth->log_p[r], -kRatioClip, kRatioClip);
  }

  Figure figure;
  figure.image = image;
  const std::size_t panels = truth ? 3 : 1;
  figure.width = 800 * static_cast<int>(panels);
  figure.description = model.title + (truth ? ", the true density and their log-ratio" : "");
  figure.data = "# index 0: " + model.title + " (x y p)\n";
  append_grid(figure.data, model.size, p_model);
  if (truth) {
    figure.data += "# index 1: " + truth->title + " (x y p)\n";
    append_grid(figure.data, truth->size, p_true);
    figure.data += "# index 2: log(model / true), clipped to ±" + number(kRatioClip) + " (x y r)\n";
    append_grid(figure.data, model.size, ratio);
  }

  std::string& body = figure.body;
  body = window_settings() + "unset key\n";
  if (truth) body += "set multiplot layout 1,3\n";
  const std::string range = "set cbrange [0:" + number(top > 0 ? top : 1) + "]\n";
  body += std::string(kViridis) + range + "set cblabel 'density'\nset title " + text(model.title) +
          "\nplot data index 0 using 1:2:3 with image\n";
  if (truth) {
    body += "set title " + text(truth->title) + "\nplot data index 1 using 1:2:3 with image\n";
    body += std::string(kDiverging) + "set cbrange [" + number(-kRatioClip) + ":" +
            number(kRatioClip) + "]\nset cblabel 'log(model / true)'\nset title " +
            quote("log-ratio (nats)") + "\nplot data index 2 using 1:2:3 with image\n";
    body += "unset multiplot\n";
  }
  return render(figure, options);
}

}  // namespace minflow::plot
