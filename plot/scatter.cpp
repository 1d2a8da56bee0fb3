// Point clouds and arrows in the tutorial's window [−π, π]²: source_target.png, samples,
// pairing_velocities.png and the learned field (field.png).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "plot/figure.hpp"
#include "plot/plot.hpp"

namespace minflow::plot {

namespace fs = std::filesystem;
using namespace detail;

namespace {

constexpr double kHalf = 4.0;                // the window [−4, 4]² (window_settings)
const char* const kSourceColor = "#1f77b4";  // blue: noise, t = 0
const char* const kTargetColor = "#ff7f0e";  // orange: data, t = 1
const char* const kPoints = "with points pt 7 ps 0.5";

std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2g", value);
  return text;
}

}  // namespace

PlotResult plot_scatter(const fs::path& image, const std::vector<ScatterPanel>& panels,
                        const PlotOptions& options) {
  if (panels.empty()) throw std::invalid_argument("plot_scatter: no panels");
  Figure figure;
  figure.image = image;
  figure.width = 800 * static_cast<int>(panels.size());
  figure.height = 800;
  figure.description = panels.size() == 1 ? panels[0].title : "scatter plots side by side";

  std::string& body = figure.body;
  bool labels = false;
  for (const ScatterPanel& panel : panels)
    for (const PointSet& set : panel.sets)
      labels = labels || !set.label.empty();
  body = window_settings() + (labels ? "set key top right box opaque\n" : "unset key\n");
  if (panels.size() > 1) body += "set multiplot layout 1," + std::to_string(panels.size()) + "\n";
  std::size_t index = 0, color = 0;
  for (const ScatterPanel& panel : panels) {
    if (panel.sets.empty()) throw std::invalid_argument("plot_scatter: a panel without points");
    body += "set title " + text(panel.title) + "\nplot ";
    for (std::size_t s = 0; s < panel.sets.size(); ++s, ++index) {
      const PointSet& set = panel.sets[s];
      check_points(set.points, "plot_scatter");
      if (set.points.shape()[0] == 0) throw std::invalid_argument("plot_scatter: an empty set");
      figure.data += "# index " + std::to_string(index) + ": " + panel.title +
                     (set.label.empty() ? "" : ", " + set.label) + " (x y)\n";
      append_points(figure.data, set.points);
      end_block(figure.data);
      const std::string c = set.color.empty() ? palette_color(color++) : set.color;
      body += std::string(s ? ", \\\n     " : "") + "data index " + std::to_string(index) + " " +
              kPoints + " lc rgb " + quote(c) +
              (set.label.empty() ? " notitle" : " title " + text(set.label));
    }
    body += "\n";
  }
  if (panels.size() > 1) body += "unset multiplot\n";
  return render(figure, options);
}

PlotResult plot_pairing(const fs::path& image, const Array<float>& x0, const Array<float>& x1,
                        const std::string& title, std::size_t max_arrows,
                        const PlotOptions& options) {
  check_points(x0, "plot_pairing: x0");
  check_points(x1, "plot_pairing: x1");
  if (x0.shape()[0] != x1.shape()[0] || x0.shape()[0] == 0) {
    throw std::invalid_argument("plot_pairing: x0 and x1 must have the same number of rows (> 0)");
  }
  const std::size_t n = std::min(x0.shape()[0], std::max<std::size_t>(max_arrows, 1));
  Figure figure;
  figure.image = image;
  figure.description = title;
  std::string& data = figure.data;
  data = "# index 0: source points x0 (x y)\n";
  append_points(data, x0, n);
  end_block(data);
  data += "# index 1: their partners x1 (x y)\n";
  append_points(data, x1, n);
  end_block(data);
  data += "# index 2: arrows at x0 (x y dx dy), dx dy = x1 - x0\n";
  for (std::size_t i = 0; i < n; ++i) {
    data += number(x0(i, 0)) + " " + number(x0(i, 1)) + " " + number(x1(i, 0) - x0(i, 0)) + " " +
            number(x1(i, 1) - x0(i, 1)) + "\n";
  }
  end_block(data);
  figure.body = window_settings() + "set key top right box opaque\nset title " + text(title) +
                "\nplot data index 2 with vectors head size 0.08,20 filled lc rgb '#a0505050' "
                "title 'x_{1} − x_{0}', \\\n"
                "     data index 0 " +
                kPoints + " lc rgb " + quote(kSourceColor) + " title 'x_{0} (source)', \\\n" +
                "     data index 1 " + kPoints + " lc rgb " + quote(kTargetColor) +
                " title 'x_{1} (target)'\n";
  return render(figure, options);
}

PlotResult plot_velocity_field(const fs::path& image, const flow::VelocityField<float>& v, double t,
                               const std::string& title, std::size_t grid,
                               const PlotOptions& options) {
  if (grid < 2 || grid > 1000)
    throw std::invalid_argument("plot_velocity_field: grid must be 2…1000");
  const double cell = 2 * kHalf / static_cast<double>(grid);
  Array<float> x = Array<float>::from_shape({grid * grid, 2});
  for (std::size_t i = 0; i < grid; ++i) {
    for (std::size_t j = 0; j < grid; ++j) {
      x(i * grid + j, 0) = static_cast<float>(-kHalf + (static_cast<double>(j) + 0.5) * cell);
      x(i * grid + j, 1) = static_cast<float>(-kHalf + (static_cast<double>(i) + 0.5) * cell);
    }
  }
  const Array<float> velocity = v(x, t);
  double fastest = 0;
  for (std::size_t r = 0; r < grid * grid; ++r) {
    const double speed = std::hypot(velocity(r, 0), velocity(r, 1));
    if (std::isfinite(speed)) fastest = std::max(fastest, speed);
  }
  // One scale for every arrow, so lengths compare: the fastest spans 90% of a cell.
  const double scale = fastest > 0 ? 0.9 * cell / fastest : 1.0;

  Figure figure;
  figure.image = image;
  figure.description = title;
  figure.data = "# the velocity v(x, t) at t = " + number(t) + " on a " + std::to_string(grid) +
                "x" + std::to_string(grid) +
                " grid: x y dx dy speed, with (dx, dy) = " + number(scale) + " * v\n";
  for (std::size_t r = 0; r < grid * grid; ++r) {
    const double vx = velocity(r, 0), vy = velocity(r, 1);
    figure.data += number(x(r, 0)) + " " + number(x(r, 1)) + " " + number(scale * vx) + " " +
                   number(scale * vy) + " " + number(std::hypot(vx, vy)) + "\n";
  }
  end_block(figure.data);
  figure.body = window_settings() +
                "set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', "
                "4 '#fde725')\n"
                "set cblabel 'speed |v|'\nunset key\nset title " +
                text(title + " (arrow = " + short_number(scale) + " v)") +
                "\nplot data using 1:2:3:4:5 with vectors head size 0.06,20 filled lc palette\n";
  return render(figure, options);
}

}  // namespace minflow::plot
