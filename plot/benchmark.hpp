// The figure of one `minflow benchmark` task (TASK.png): one panel per method, each with the
// target points (grey), the method's samples (orange) and a few of its paths from the source
// (docs/benchmark.md#figures). torchcfm's sets do not fit the tutorial's window, so the
// window here is the square around the origin that holds the target and the paths' starts.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "plot/plot.hpp"

namespace minflow::plot {

struct BenchmarkPanel {
  std::string title;                // "OT-CFM: W2 0.31, NPE 0.05"
  Array<float> samples;             // [n, 2]
  std::vector<Array<float>> paths;  // a recorded trajectory: [start, after step 1, …], each [k, 2]
};

// The half width of the window: 1.1 × the largest |coordinate| of the target and of the
// paths' start points (at least 1).
double benchmark_half_width(const Array<float>& target, const std::vector<BenchmarkPanel>& panels);

// Panels side by side, 700×700 each, under one title. Throws std::invalid_argument for no
// panels, an empty point set or paths whose rows differ in size.
PlotResult plot_benchmark_task(const std::filesystem::path& image, const std::string& title,
                               const Array<float>& target,
                               const std::vector<BenchmarkPanel>& panels,
                               const PlotOptions& options = {});

}  // namespace minflow::plot
