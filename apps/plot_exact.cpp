// The families of `minflow plot` drawn against a known answer (plot_exact.hpp).
#include "apps/plot_exact.hpp"

#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/likelihood.hpp"
#include "flow/path_errors.hpp"
#include "flow/velocity_net.hpp"
#include "plot/exact.hpp"

namespace minflow::cli {

std::string solver_text(const flow::IntegrateOptions& options, std::size_t nfe) {
  std::string text = flow::solver_name(options.solver);
  if (options.solver != flow::Solver::dopri5)
    text += " " + std::to_string(options.steps) + " steps";
  return text + ", nfe " + std::to_string(nfe);
}

plot::PlotResult draw_model_density(const fs::path& image, const nn::LoadedMlp& model,
                                    const std::string& name, const std::string& data,
                                    const flow::IntegrateOptions& options,
                                    const plot::PlotOptions& plot) {
  // log p₁ at the centres of the grid, each integrated back to t = 0 with the solver flags
  // (docs/design.md#negative-log-likelihood).
  plot::DensityGrid grid{120, {}, ""};
  const auto density =
      flow::log_likelihood(*model.model, plot::density_grid_points(grid.size), options);
  grid.log_p = density.log_p;
  grid.title = "density of " + name + ": " + solver_text(options, density.nfe);
  // Beside it, where the target's density is known, the truth and the log-ratio.
  plot::DensityGrid truth{grid.size, {}, "true density of " + data};
  if (has_known_density(data)) {
    truth.log_p =
        flow::log_density(flow::target_mixture(data), plot::density_grid_points(grid.size));
  }
  return plot::plot_density(image, grid, truth.log_p.empty() ? nullptr : &truth, plot);
}

plot::PlotResult draw_velocity_error(const fs::path& image, const nn::LoadedMlp& model,
                                     const Oracle& oracle, const std::string& name,
                                     const plot::PlotOptions& plot) {
  flow::PathOptions path;
  path.seed = flow::kEvalSeed;
  const auto net = flow::velocity_field(*model.model);
  const flow::PathErrors e = flow::path_errors(oracle.mixture, oracle.target, &net, path);
  return plot::plot_by_time(
      image, "velocity error of " + name + " on the training path", "E |v(x_t, t) - u*(x_t, t)|^2",
      {{"velocity error", e.velocity_error}, {"loss floor (per coordinate)", e.loss_floor}}, plot);
}

std::vector<plot::PlotResult> draw_excess_loss(const fs::path& out, const nn::LoadedMlp& model,
                                               const Oracle& oracle, const std::string& name,
                                               const plot::PlotOptions& plot) {
  // The floor under the run's time sampler is what its loss can reach; the reference is
  // uniform t here (what `eval --oracle` reports): a warped run's loss sits off it.
  flow::PathOptions path;
  path.seed = flow::kEvalSeed;
  const double floor =
      flow::path_errors(oracle.mixture, oracle.target, nullptr, path).loss_floor.overall;
  const std::vector<float>& loss = model.checkpoint.loss;
  return {plot::plot_loss_with_floor(out / "loss_floor.png", loss, floor,
                                     "training loss of " + name + " and its floor", 0, plot),
          plot::plot_excess_loss(out / "excess_loss.png", loss, floor,
                                 "excess loss of " + name + " (log axis)", 0, plot)};
}

}  // namespace minflow::cli
