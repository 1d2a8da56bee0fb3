// The demo's measurements beyond sampling: the support metrics (precision, recall,
// true-density metrics), with the target's share of the work done once — its k-NN radii (an
// O(n²) pass) serve every row; the model NLL; the density maps and the exact field's figures.
#include "apps/common.hpp"
#include "apps/demo.hpp"
#include "flow/exact_field.hpp"
#include "flow/likelihood.hpp"
#include "flow/path_errors.hpp"
#include "flow/velocity_net.hpp"
#include "plot/exact.hpp"

namespace minflow::cli {

namespace {
// The integrator of every density in the demo: `minflow eval --nll --solver rk4 --steps 20`.
flow::IntegrateOptions rk4_20() {
  flow::IntegrateOptions options;
  options.solver = flow::Solver::rk4;
  options.steps = 20;
  return options;
}
}  // namespace

SupportReference support_reference(const flow::EvalSettings& eval) {
  const Array<float> target = flow::evaluation_targets(eval);
  return {flow::knn_balls(target),
          flow::density_reference(flow::target_mixture(eval.data), target)};
}

DemoMetric measure(nn::Module& net, const flow::EvalSettings& eval,
                   const SupportReference& reference, const std::string& model, flow::Solver solver,
                   std::size_t steps, double straightness,
                   const std::filesystem::path& samples_file, Array<float>* samples_out) {
  flow::IntegrateOptions options;
  options.solver = solver;
  options.steps = steps;
  Array<float> samples;
  DemoMetric m{model,
               flow::solver_name(solver) + " " + std::to_string(steps),
               flow::sample_quality(net, eval, options, &samples),
               straightness,
               {},
               {}};
  measure_support(reference, samples, m);
  write_points(samples_file, samples);
  if (samples_out) *samples_out = std::move(samples);
  return m;
}

void measure_support(const SupportReference& reference, const Array<float>& samples,
                     DemoMetric& m) {
  m.support = flow::precision_recall(samples, reference.balls);
  m.density = flow::density_metrics(reference.density, samples);
}

ModelNll model_nll(nn::Module& net, const char* model, const flow::EvalSettings& eval) {
  const auto density = flow::log_likelihood(net, flow::evaluation_targets(eval), rk4_20());
  return {model, flow::mean_nll(density), density.steps, density.nfe};
}

plot::DensityGrid true_density_grid(const std::string& data, std::size_t size) {
  return {size, flow::log_density(flow::target_mixture(data), plot::density_grid_points(size)),
          "true density of " + data};
}

void draw_density(nn::Module& net, const std::string& title, const plot::DensityGrid& truth,
                  const std::filesystem::path& image) {
  const auto density = flow::log_likelihood(net, plot::density_grid_points(truth.size), rk4_20());
  const plot::DensityGrid model{truth.size, density.log_p,
                                title + ": RK4 20, NFE " + std::to_string(density.nfe)};
  plot::plot_density(image, model, &truth);
}

void draw_exact_figures(nn::Module& net, const std::vector<float>& loss, const std::string& data,
                        std::size_t rows, const std::filesystem::path& out) {
  flow::PathOptions path;
  path.seed = flow::kEvalSeed;  // as `minflow eval --oracle` and `plot --what velocity-error`
  path.rows = rows;
  const auto field = flow::velocity_field(net);
  const flow::PathErrors e =
      flow::path_errors(flow::target_mixture(data), flow::dataset_sampler(data), &field, path);
  plot::plot_by_time(
      out / "velocity_error.png", "velocity error of the flow-matching net on the training path",
      "E |v(x_t, t) - u*(x_t, t)|^2",
      {{"velocity error", e.velocity_error}, {"loss floor (per coordinate)", e.loss_floor}});
  plot::plot_excess_loss(out / "excess_loss.png", loss, e.loss_floor.overall,
                         "excess loss of the flow-matching net (log axis)");
}

}  // namespace minflow::cli
