// The figure families of `minflow plot` measured against a known answer: the model's density
// beside the true one, its velocity error by t against the exact field, and its training loss
// above the loss floor (docs/design.md#figures). cmd_plot.cpp checks the flags; these draw.
#pragma once

#include <string>
#include <vector>

#include "apps/common.hpp"
#include "apps/oracle.hpp"
#include "flow/integrators.hpp"
#include "plot/plot.hpp"

namespace minflow::cli {

// "rk4 20 steps, nfe 80" (dopri5: no step count).
std::string solver_text(const flow::IntegrateOptions& options, std::size_t nfe);

// density.png: log p₁ on a 120×120 grid, each point integrated back to t = 0 with `options`,
// beside the true density of `data` and the log-ratio where that density is known.
plot::PlotResult draw_model_density(const fs::path& image, const nn::LoadedMlp& model,
                                    const std::string& name, const std::string& data,
                                    const flow::IntegrateOptions& options,
                                    const plot::PlotOptions& plot);

// velocity_error.png: E‖v(x_t, t) − u*(x_t, t)‖² on the training path by tenth of t.
plot::PlotResult draw_velocity_error(const fs::path& image, const nn::LoadedMlp& model,
                                     const Oracle& oracle, const std::string& name,
                                     const plot::PlotOptions& plot);

// loss_floor.png and excess_loss.png: the training loss above the floor (uniform t), and
// loss − floor on a log axis.
std::vector<plot::PlotResult> draw_excess_loss(const fs::path& out, const nn::LoadedMlp& model,
                                               const Oracle& oracle, const std::string& name,
                                               const plot::PlotOptions& plot);

}  // namespace minflow::cli
