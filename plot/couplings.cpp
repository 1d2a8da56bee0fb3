// couplings.png: chords from x0 to x1 for several pairings of one batch (plot/couplings.hpp).
#include "plot/couplings.hpp"

#include <cstdio>
#include <stdexcept>

#include "flow/ot_coupling.hpp"
#include "plot/figure.hpp"

namespace minflow::plot {

namespace fs = std::filesystem;
using namespace detail;

std::vector<CouplingPanel> three_couplings(const Array<float>& x0, const Array<float>& x1,
                                           double epsilon, Generator& gen) {
  std::vector<CouplingPanel> panels;
  for (const std::string& name :
       {std::string("independent"), std::string("ot"), "sinkhorn:" + number(epsilon)}) {
    CouplingPanel panel{name, x0, x1};
    flow::apply_coupling(flow::parse_coupling(name), panel.x0, panel.x1, gen);
    panels.push_back(std::move(panel));
  }
  return panels;
}

double mean_squared_chord(const Array<float>& x0, const Array<float>& x1) {
  const std::size_t n = x0.shape()[0];
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = double(x1(i, 0)) - x0(i, 0), dy = double(x1(i, 1)) - x0(i, 1);
    sum += dx * dx + dy * dy;
  }
  return n ? sum / double(n) : 0.0;
}

PlotResult plot_couplings(const fs::path& image, const std::vector<CouplingPanel>& panels,
                          const PlotOptions& options) {
  if (panels.empty()) throw std::invalid_argument("plot_couplings: no panels");
  Figure figure;
  figure.image = image;
  figure.width = 800 * static_cast<int>(panels.size());
  figure.height = 800;
  figure.description =
      "one batch paired " + std::to_string(panels.size()) + " ways: chords from x0 to x1";
  std::string& body = figure.body;
  body = window_settings() + "unset key\n";
  if (panels.size() > 1) body += "set multiplot layout 1," + std::to_string(panels.size()) + "\n";
  std::size_t index = 0;
  for (const CouplingPanel& panel : panels) {
    check_points(panel.x0, "plot_couplings: x0");
    check_points(panel.x1, "plot_couplings: x1");
    const std::size_t n = panel.x0.shape()[0];
    if (n == 0 || panel.x1.shape()[0] != n) {
      throw std::invalid_argument(
          "plot_couplings: " + panel.name + ": x0 and x1 need the same number of rows (> 0), got " +
          std::to_string(n) + " and " + std::to_string(panel.x1.shape()[0]));
    }
    char cost[64];
    std::snprintf(cost, sizeof cost, "%.3f", mean_squared_chord(panel.x0, panel.x1));
    const std::string title =
        panel.name + ": " + std::to_string(n) + " pairs, mean |x1 - x0|^2 = " + cost;
    // Block 1: the chords, two rows each (x0 then x1) with one blank line between chords.
    figure.data += "# index " + std::to_string(index) + ": " + title + ", chords (x y)\n";
    for (std::size_t i = 0; i < n; ++i) {
      figure.data += number(panel.x0(i, 0)) + " " + number(panel.x0(i, 1)) + "\n" +
                     number(panel.x1(i, 0)) + " " + number(panel.x1(i, 1)) + "\n\n";
    }
    end_block(figure.data);
    figure.data += "# index " + std::to_string(index + 1) + ": x0 (x y)\n";
    append_points(figure.data, panel.x0);
    end_block(figure.data);
    figure.data += "# index " + std::to_string(index + 2) + ": x1 (x y)\n";
    append_points(figure.data, panel.x1);
    end_block(figure.data);
    body += "set title " + quote(title) + "\nplot data index " + std::to_string(index) +
            " with lines lw 1 lc rgb '#70808080', \\\n     data index " +
            std::to_string(index + 1) + " with points pt 7 ps 0.6 lc rgb '#1f77b4', \\\n" +
            "     data index " + std::to_string(index + 2) +
            " with points pt 7 ps 0.6 lc rgb '#ff7f0e'\n";
    index += 3;
  }
  if (panels.size() > 1) body += "unset multiplot\n";
  return render(figure, options);
}

}  // namespace minflow::plot
