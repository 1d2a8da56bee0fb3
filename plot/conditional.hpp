// The figure of a conditional flow at one guidance weight: every class's samples in one
// panel, one colour per class (guided_wW.png in chapter 13).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "plot/plot.hpp"

namespace minflow::plot {

// samples[c]: the [n, 2] samples asked for class c, drawn in class c's colour.
PlotResult plot_guided_classes(const std::filesystem::path& image,
                               const std::vector<Array<float>>& samples, double w,
                               const PlotOptions& options = {});

// One panel per guidance weight ws[i], each like plot_guided_classes with samples[i][c]
// (guidance.png of `minflow plot --what samples` on a conditional checkpoint).
PlotResult plot_guidance_grid(const std::filesystem::path& image, const std::vector<double>& ws,
                              const std::vector<std::vector<Array<float>>>& samples,
                              const std::string& title, const PlotOptions& options = {});

}  // namespace minflow::plot
