#include "plot/exact.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace minflow::plot {

namespace fs = std::filesystem;

namespace {
std::size_t default_window(std::size_t steps, std::size_t window) {
  return window ? window : std::clamp<std::size_t>(steps / 50, 1, 200);
}

std::string floor_text(double floor) {
  char text[64];
  std::snprintf(text, sizeof text, "floor %.3f", floor);
  return text;
}
}  // namespace

PlotResult plot_by_time(const fs::path& image, const std::string& title, const std::string& ylabel,
                        const std::vector<std::pair<std::string, flow::ByTime>>& curves,
                        const PlotOptions& options) {
  if (curves.empty()) throw std::invalid_argument("plot_by_time: no curves");
  LinePlot plot;
  plot.title = title;
  plot.xlabel = "t (bin centres)";
  plot.ylabel = ylabel;
  plot.log_y = true;
  plot.xmin = 0.0;
  plot.xmax = 1.0;
  plot.key = "center left";
  for (const auto& [label, q] : curves) {
    Curve c;
    c.label = label;
    c.style = "linespoints lw 2 pt 7";
    const std::size_t bins = q.by_bin.size();
    for (std::size_t b = 0; b < bins; ++b) {
      c.x.push_back((double(b) + 0.5) / double(bins));
      c.y.push_back(q.by_bin[b] > 0.0 ? q.by_bin[b] : std::nan(""));  // log axis: gaps
    }
    plot.curves.push_back(c);
  }
  return plot_lines(image, plot, options);
}

PlotResult plot_loss_with_floor(const fs::path& image, const std::vector<float>& loss, double floor,
                                const std::string& title, std::size_t window,
                                const PlotOptions& options) {
  if (loss.empty()) throw std::invalid_argument("plot_loss_with_floor: no loss values");
  window = default_window(loss.size(), window);
  LinePlot plot;
  plot.title = title;
  plot.xlabel = "optimizer step";
  plot.ylabel = "loss (mean squared error)";
  plot.log_y = true;
  Curve smooth, line;
  smooth.label = "moving average of " + std::to_string(window) + " steps";
  smooth.color = "#08519c";
  line.label = floor_text(floor) + " (the exact field's loss)";
  line.color = "#d62728";
  line.style = "lines lw 2 dt 2";
  const std::vector<double> avg = moving_average(loss, window);
  for (std::size_t i = 0; i < loss.size(); ++i) {
    smooth.x.push_back(double(i + 1));
    smooth.y.push_back(avg[i]);
  }
  line.x = {1.0, double(loss.size())};
  line.y = {floor, floor};
  plot.curves = {smooth, line};
  return plot_lines(image, plot, options);
}

PlotResult plot_excess_loss(const fs::path& image, const std::vector<float>& loss, double floor,
                            const std::string& title, std::size_t window,
                            const PlotOptions& options) {
  if (loss.empty()) throw std::invalid_argument("plot_excess_loss: no loss values");
  window = default_window(loss.size(), window);
  LinePlot plot;
  plot.title = title;
  plot.xlabel = "optimizer step";
  plot.ylabel = "excess loss: moving average - " + floor_text(floor);
  plot.log_y = true;
  Curve excess;
  excess.label = "moving average of " + std::to_string(window) + " steps, minus the floor";
  excess.color = "#08519c";
  const std::vector<double> avg = moving_average(loss, window);
  for (std::size_t i = 0; i < loss.size(); ++i) {
    excess.x.push_back(double(i + 1));
    const double e = avg[i] - floor;
    excess.y.push_back(e > 0.0 ? e : std::nan(""));  // at or below the floor: noise, a gap
  }
  plot.curves = {excess};
  return plot_lines(image, plot, options);
}

}  // namespace minflow::plot
