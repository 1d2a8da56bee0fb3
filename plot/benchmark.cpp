// TASK.png of `minflow benchmark`: samples and paths per method (plot/benchmark.hpp).
#include "plot/benchmark.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "plot/figure.hpp"

namespace minflow::plot {

namespace fs = std::filesystem;
using namespace detail;

namespace {
double largest_coordinate(const Array<float>& x) {
  double m = 0.0;
  for (float v : x)
    if (std::isfinite(v)) m = std::max(m, double(std::abs(v)));
  return m;
}
}  // namespace

double benchmark_half_width(const Array<float>& target, const std::vector<BenchmarkPanel>& panels) {
  double m = largest_coordinate(target);
  for (const BenchmarkPanel& p : panels)
    if (!p.paths.empty()) m = std::max(m, largest_coordinate(p.paths.front()));
  return std::max(1.0, 1.1 * m);
}

PlotResult plot_benchmark_task(const fs::path& image, const std::string& title,
                               const Array<float>& target,
                               const std::vector<BenchmarkPanel>& panels,
                               const PlotOptions& options) {
  if (panels.empty()) throw std::invalid_argument("plot_benchmark_task: no panels");
  check_points(target, "plot_benchmark_task: target");
  if (target.shape()[0] == 0) throw std::invalid_argument("plot_benchmark_task: no target points");
  Figure figure;
  figure.image = image;
  figure.width = 700 * static_cast<int>(panels.size());
  figure.height = 760;
  figure.description = title;
  const std::string w = number(benchmark_half_width(target, panels));
  std::string& body = figure.body;
  body = "set xrange [-" + w + ":" + w + "]\nset yrange [-" + w + ":" + w +
         "]\nset size ratio -1\nunset key\n";
  body +=
      "set multiplot layout 1," + std::to_string(panels.size()) + " title " + quote(title) + "\n";
  figure.data = "# index 0: target points (x y)\n";
  append_points(figure.data, target);
  end_block(figure.data);
  std::size_t index = 1;
  for (const BenchmarkPanel& panel : panels) {
    check_points(panel.samples, "plot_benchmark_task: " + panel.title);
    if (panel.samples.shape()[0] == 0) {
      throw std::invalid_argument("plot_benchmark_task: " + panel.title + ": no samples");
    }
    figure.data += "# index " + std::to_string(index) + ": " + panel.title + ", samples (x y)\n";
    append_points(figure.data, panel.samples);
    end_block(figure.data);
    // The paths: one sub-block per particle (its position at each recorded time).
    figure.data += "# index " + std::to_string(index + 1) + ": paths, one per sub-block (x y)\n";
    const std::size_t count = panel.paths.empty() ? 0 : panel.paths.front().shape()[0];
    for (const Array<float>& row : panel.paths) {
      if (row.shape()[0] != count) {
        throw std::invalid_argument("plot_benchmark_task: " + panel.title +
                                    ": path rows of different sizes");
      }
    }
    for (std::size_t i = 0; i < count; ++i) {
      for (const Array<float>& row : panel.paths)
        figure.data += number(row(i, 0)) + " " + number(row(i, 1)) + "\n";
      figure.data += "\n";
    }
    if (count == 0) figure.data += "NaN NaN\n";  // an empty block would end the file's indices
    end_block(figure.data);
    body += "set title " + quote(panel.title) +
            "\nplot data index 0 with points pt 7 ps 0.3 lc rgb '#b0b0b0', \\\n"
            "     data index " +
            std::to_string(index) + " with points pt 7 ps 0.4 lc rgb '#ff7f0e', \\\n" +
            "     data index " + std::to_string(index + 1) + " with lines lw 1 lc rgb '#1f77b4'\n";
    index += 2;
  }
  body += "unset multiplot\n";
  return render(figure, options);
}

}  // namespace minflow::plot
