// Figures of the exact answer (docs/design.md#exact-velocity): the velocity error against
// t, the loss with its floor, and the excess loss on a log axis (exact.cpp).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "flow/path_errors.hpp"
#include "plot/plot.hpp"

namespace minflow::plot {

// One curve per (label, values by bin of t) against the bins' centres, on a log y axis
// (velocity_error.png): e.g. E‖v_θ − u*‖² of several models by t.
PlotResult plot_by_time(const std::filesystem::path& image, const std::string& title,
                        const std::string& ylabel,
                        const std::vector<std::pair<std::string, flow::ByTime>>& curves,
                        const PlotOptions& options = {});

// The training loss (moving average) with the floor drawn as a line (loss_floor.png), and
// the excess loss − floor of the moving average on a log axis, where the end of training
// stays readable (excess_loss.png). window 0: about 1/50 of the run, 1 to 200 steps.
PlotResult plot_loss_with_floor(const std::filesystem::path& image, const std::vector<float>& loss,
                                double floor, const std::string& title, std::size_t window = 0,
                                const PlotOptions& options = {});
PlotResult plot_excess_loss(const std::filesystem::path& image, const std::vector<float>& loss,
                            double floor, const std::string& title, std::size_t window = 0,
                            const PlotOptions& options = {});

}  // namespace minflow::plot
