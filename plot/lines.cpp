// Curves: the loss history (loss.png, reflow_loss.png), warp curves and time-sampler
// densities (chapter 7), and any other y-against-x figure.
#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "flow/time_warp.hpp"
#include "plot/figure.hpp"
#include "plot/plot.hpp"

namespace minflow::plot {

namespace fs = std::filesystem;
using namespace detail;

namespace {

std::string range(double lo, double hi) {
  return lo == hi ? "[*:*]" : "[" + number(lo) + ":" + number(hi) + "]";
}

// A log axis over less than a decade gets no tics from gnuplot: pick 1-2-5 (or finer) steps
// that give at least four tics, and a range that just holds the data (unless one is given).
std::string log_tics(const LinePlot& plot) {
  double lo = INFINITY, hi = 0;
  for (const Curve& curve : plot.curves) {
    for (double y : curve.y) {
      if (std::isfinite(y) && y > 0) lo = std::min(lo, y), hi = std::max(hi, y);
    }
  }
  if (plot.ymin != plot.ymax && plot.ymin > 0) lo = plot.ymin, hi = plot.ymax;
  if (!(lo <= hi)) return {};
  lo /= 1.15,
      hi *= 1.15;  // room, so that a line at the lowest value (a floor) stays off the border
  static const std::vector<std::vector<double>> kSteps = {
      {1}, {1, 2, 5}, {1, 1.5, 2, 3, 5, 7}, {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8}};
  std::vector<double> tics;
  for (const auto& mantissas : kSteps) {
    tics.clear();
    for (int e = static_cast<int>(std::floor(std::log10(lo))); e <= std::ceil(std::log10(hi));
         ++e) {
      for (double m : mantissas) {
        const double tic = m * std::pow(10.0, e);
        if (tic >= lo && tic <= hi) tics.push_back(tic);
      }
    }
    if (tics.size() >= 4) break;
  }
  std::string text = "set ytics (";
  for (std::size_t i = 0; i < tics.size(); ++i)
    text += (i ? ", " : "") + number(tics[i]);
  text += ")\n";
  if (plot.ymin == plot.ymax) text += "set yrange [" + number(lo) + ":" + number(hi) + "]\n";
  return text;
}

// f sampled at the points xs, as one curve.
Curve sampled_curve(const std::string& label, const std::string& color, std::vector<double> xs,
                    const std::function<double(double)>& f) {
  Curve curve;
  curve.label = label;
  curve.color = color;
  for (double x : xs)
    curve.y.push_back(f(x));
  curve.x = std::move(xs);
  return curve;
}

// n + 1 points from 0 to 1 (centres = true: the centres of n cells instead).
std::vector<double> unit_grid(int n, bool centres = false) {
  std::vector<double> xs;
  for (int k = 0; k <= n - (centres ? 1 : 0); ++k)
    xs.push_back((k + (centres ? 0.5 : 0.0)) / n);
  return xs;
}

}  // namespace

PlotResult plot_lines(const fs::path& image, const LinePlot& plot, const PlotOptions& options) {
  if (plot.curves.empty()) throw std::invalid_argument("plot_lines: no curves");
  Figure figure;
  figure.image = image;
  figure.description = plot.title;
  std::string& body = figure.body;
  body = "set title " + text(plot.title) + "\nset xlabel " + text(plot.xlabel) + "\nset ylabel " +
         text(plot.ylabel) + "\nset key " + plot.key +
         " box opaque\nset grid lc rgb '#e0e0e0'\nset xrange " + range(plot.xmin, plot.xmax) +
         "\nset yrange " + range(plot.ymin, plot.ymax) + "\n";
  if (plot.log_y) body += "set logscale y\n" + log_tics(plot);
  // An automatic linear y range ends at a tic, often at the lowest or highest value: a
  // little room above and below keeps a line at the extreme (a floor) off the border.
  if (!plot.log_y && plot.ymin == plot.ymax) body += "set offsets 0, 0, graph 0.03, graph 0.03\n";
  if (plot.square) body += "set size ratio -1\n";
  body += plot.extra;
  if (!plot.extra.empty() && plot.extra.back() != '\n') body += "\n";
  body += "plot ";
  for (std::size_t i = 0; i < plot.curves.size(); ++i) {
    const Curve& curve = plot.curves[i];
    if (curve.x.size() != curve.y.size() || curve.x.empty()) {
      throw std::invalid_argument("plot_lines: curve '" + curve.label +
                                  "' needs as many x as y values (> 0)");
    }
    figure.data += "# index " + std::to_string(i) + ": " + curve.label + " (x y)\n";
    for (std::size_t k = 0; k < curve.x.size(); ++k) {
      // A log axis cannot show y <= 0: such values become gaps, as non-finite ones do.
      const double y = plot.log_y && !(curve.y[k] > 0) ? NAN : curve.y[k];
      figure.data += number(curve.x[k]) + " " + number(y) + "\n";
    }
    end_block(figure.data);
    const std::string color = curve.color.empty() ? palette_color(i) : curve.color;
    body += std::string(i ? ", \\\n     " : "") + "data index " + std::to_string(i) +
            " using 1:2 with " + curve.style + " lc rgb " + quote(color) +
            (curve.label.empty() ? " notitle" : " title " + text(curve.label));
  }
  body += "\n";
  return render(figure, options);
}

std::vector<double> moving_average(const std::vector<float>& values, std::size_t window) {
  window = std::max<std::size_t>(window, 1);
  std::vector<double> out(values.size());
  double sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum += values[i];
    if (i >= window) sum -= values[i - window];
    out[i] = sum / static_cast<double>(std::min(i + 1, window));
  }
  return out;
}

PlotResult plot_loss(const fs::path& image, const std::vector<float>& loss,
                     const std::string& title, std::size_t window, const PlotOptions& options) {
  if (loss.empty()) throw std::invalid_argument("plot_loss: no loss values");
  if (window == 0) window = std::clamp<std::size_t>(loss.size() / 50, 1, 200);
  LinePlot plot;
  plot.title = title;
  plot.xlabel = "optimizer step";
  plot.ylabel = "loss (mean squared error)";
  plot.log_y = true;
  Curve raw, smooth;
  raw.label = "loss";
  raw.style = "lines lw 1";
  raw.color = "#9ecae1";
  smooth.label = "moving average of " + std::to_string(window) + " steps";
  smooth.color = "#08519c";
  for (std::size_t i = 0; i < loss.size(); ++i) {
    raw.x.push_back(static_cast<double>(i + 1));
    raw.y.push_back(loss[i]);
  }
  smooth.x = raw.x;
  smooth.y = moving_average(loss, window);
  plot.curves = {raw, smooth};
  if (window == 1) {  // nothing to smooth (a very short run): the raw curve alone, dark
    raw.color = smooth.color;
    plot.curves = {raw};
  }
  return plot_lines(image, plot, options);
}

PlotResult plot_warp_curves(const fs::path& image, const std::vector<double>& s_values,
                            const PlotOptions& options) {
  LinePlot plot;
  plot.title = "time warp: warp(t; s)";
  plot.xlabel = "t";
  plot.ylabel = "warp(t; s)";
  plot.square = true;
  plot.xmin = plot.ymin = 0;
  plot.xmax = plot.ymax = 1;
  plot.key = "top left";
  Curve identity;
  identity.label = "identity (s = 1)";
  identity.style = "lines lw 1 dt 2";
  identity.color = "#7f7f7f";
  identity.x = identity.y = {0.0, 1.0};
  // The identity is s = 1's curve: drawn twice, one would hide the other and leave a key
  // entry for a line nobody can see.
  if (std::find(s_values.begin(), s_values.end(), 1.0) == s_values.end())
    plot.curves.push_back(identity);
  for (std::size_t i = 0; i < s_values.size(); ++i) {
    const double s = s_values[i];
    flow::check_warp_s(s);
    plot.curves.push_back(sampled_curve("s = " + number(s), palette_color(i), unit_grid(100),
                                        [s](double t) { return flow::warp_time(t, s); }));
  }
  return plot_lines(image, plot, options);
}

PlotResult plot_time_densities(const fs::path& image,
                               const std::vector<flow::TimeSampler>& samplers,
                               const PlotOptions& options) {
  LinePlot plot;
  plot.title = "where training draws its times";
  plot.xlabel = "t";
  plot.ylabel = "density";
  plot.xmin = 0;
  plot.xmax = 1;
  plot.key = "top left";
  for (const flow::TimeSampler& sampler : samplers) {
    // Cell centres: logit-normal's density at 0 and 1 is 0/0.
    plot.curves.push_back(sampled_curve(sampler.to_string(), "", unit_grid(200, true),
                                        [&](double t) { return sampler.density(t); }));
  }
  return plot_lines(image, plot, options);
}

}  // namespace minflow::plot
