#include "plot/conditional.hpp"

#include <cstdio>
#include <string>

namespace minflow::plot {

PlotResult plot_guided_classes(const std::filesystem::path& image,
                               const std::vector<Array<float>>& samples, double w,
                               const PlotOptions& options) {
  // Tableau's ten colours: distinct for up to eight classes.
  static const char* const kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  char title[64];
  std::snprintf(title, sizeof title, "guidance w = %g", w);
  ScatterPanel panel{title, {}};
  for (std::size_t c = 0; c < samples.size(); ++c)
    panel.sets.push_back({samples[c], "class " + std::to_string(c), kColours[c % 10]});
  return plot_scatter(image, {panel}, options);
}

}  // namespace minflow::plot
