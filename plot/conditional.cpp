#include "plot/conditional.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace minflow::plot {

namespace {
// Every class's samples in one panel titled "PREFIXguidance w = W".
ScatterPanel classes_panel(const std::vector<Array<float>>& samples, double w,
                           const std::string& prefix) {
  // Tableau's ten colours: distinct for up to eight classes.
  static const char* const kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  char title[64];
  std::snprintf(title, sizeof title, "guidance w = %g", w);
  ScatterPanel panel{prefix + title, {}};
  for (std::size_t c = 0; c < samples.size(); ++c)
    panel.sets.push_back({samples[c], "class " + std::to_string(c), kColours[c % 10]});
  return panel;
}
}  // namespace

PlotResult plot_guided_classes(const std::filesystem::path& image,
                               const std::vector<Array<float>>& samples, double w,
                               const PlotOptions& options) {
  return plot_scatter(image, {classes_panel(samples, w, "")}, options);
}

PlotResult plot_guidance_grid(const std::filesystem::path& image, const std::vector<double>& ws,
                              const std::vector<std::vector<Array<float>>>& samples,
                              const std::string& title, const PlotOptions& options) {
  if (ws.size() != samples.size() || ws.empty()) {
    throw std::invalid_argument("plot_guidance_grid: " + std::to_string(ws.size()) +
                                " weights for " + std::to_string(samples.size()) + " sample sets");
  }
  std::vector<ScatterPanel> panels;
  for (std::size_t i = 0; i < ws.size(); ++i)
    panels.push_back(classes_panel(samples[i], ws[i], i == 0 ? title : ""));
  return plot_scatter(image, panels, options);
}

}  // namespace minflow::plot
