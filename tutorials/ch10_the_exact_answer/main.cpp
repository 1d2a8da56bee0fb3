// Chapter 10: the exact answer.
//
// For Gaussian noise and a target that is a mixture of Gaussians (the noisy spiral is one,
// over its angle), the velocity that flow matching learns has a closed form u*(x, t). With
// it we can measure what no loss curve shows: the loss floor, how far the trained net is
// from u* at every t, and which part of a sample's error is the net's and which the
// integrator's.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "../chapter_flow.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/exact_field.hpp"
#include "flow/metrics.hpp"
#include "flow/path_errors.hpp"
#include "flow/support_metrics.hpp"
#include "flow/velocity_net.hpp"
#include "plot/exact.hpp"
#include "plot/plot.hpp"

using namespace minflow;

namespace {

struct Settings {
  std::size_t nodes;                // quadrature nodes over the spiral's angle
  std::size_t n;                    // sample size for the quality table
  std::size_t rows, times_per_bin;  // the path estimates (floor, velocity error)
  std::vector<std::size_t> euler;   // Euler step counts of the table
};

// Max over points and coordinates of |u*_N − u*_2N| / max(1, |u*_2N|) at time t.
double quadrature_change(const Array<double>& x, double t, std::size_t nodes) {
  const Array<double> a = flow::exact_velocity(flow::target_mixture("spiral", nodes), x, t);
  const Array<double> b = flow::exact_velocity(flow::target_mixture("spiral", 2 * nodes), x, t);
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst =
        std::max(worst, std::abs(a.data()[i] - b.data()[i]) / std::max(1.0, std::abs(b.data()[i])));
  return worst;
}

// One row of the quality table: energy distance, precision, recall, off-support share;
// the Euler rows also become points of the curves in two_errors.png.
void quality_row(const char* who, const std::string& how, const flow::VelocityField<float>& v,
                 const Array<float>& x0, const flow::IntegrateOptions& options,
                 const Array<float>& target, const flow::GaussianMixture& density,
                 plot::Curve* curve) {
  const auto result = flow::integrate(v, x0, options);
  const flow::PrecisionRecall pr = flow::precision_recall(result.x, target);
  const flow::DensityMetrics d = flow::density_metrics(density, result.x, target);
  std::printf("  %-7s %-9s %5zu   %9.5f   %9.3f %7.3f   %9.3f   %9.3f\n", who, how.c_str(),
              result.nfe, flow::energy_distance(result.x, target), pr.precision, pr.recall,
              100.0 * d.off_support_fraction, d.nll_true_density);
  if (curve) {
    curve->x.push_back(std::log2(double(result.nfe)));
    curve->y.push_back(100.0 * d.off_support_fraction);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch10");
  const Settings s = args.quick
                         ? Settings{flow::kSpiralNodes, 256, 256, 1, {1, 4, 20}}
                         : Settings{flow::kSpiralNodes, 4096, 2048, 8, {1, 2, 4, 8, 16, 32, 100}};

  // 1. The exact field, and how many quadrature nodes it needs.
  const flow::GaussianMixture spiral = flow::target_mixture("spiral", s.nodes);
  const flow::VelocityField<float> exact = flow::exact_field(spiral);
  Generator gen(0, "ch10");
  const Array<double> probe = xt::cast<double>(flow::gaussian(gen, 256));
  std::printf("the spiral as a mixture of %zu Gaussians (Simpson's rule over its angle)\n",
              spiral.size());
  for (double t : {0.5, 0.9, 0.99})
    std::printf("  t = %.2f: %zu against %zu nodes changes u* by at most %.1e (relative)\n", t,
                s.nodes, 2 * s.nodes, quadrature_change(probe, t, s.nodes));

  // 2. The net chapter 4 trained, and the exact field beside it.
  auto net = tutorial::chapter4_flow(args);
  const flow::VelocityField<float> learned = flow::velocity_field(*net);
  for (double t : {0.5, 0.9}) {
    const std::string tag = t == 0.5 ? "t050" : "t090";
    char title[64];
    std::snprintf(title, sizeof title, " velocity at t = %.1f", t);
    plot::plot_velocity_field(args.out / ("field_exact_" + tag + ".png"), exact, t,
                              std::string("exact") + title);
    plot::plot_velocity_field(args.out / ("field_learned_" + tag + ".png"), learned, t,
                              std::string("learned") + title);
  }

  // 3. The floor, the excess loss and the velocity error, each by tenth of t.
  flow::PathOptions path;
  path.rows = s.rows;
  path.times_per_bin = s.times_per_bin;
  path.seed = flow::kEvalSeed;
  const flow::PathErrors e =
      flow::path_errors(spiral, flow::dataset_sampler("spiral"), &learned, path);
  std::printf("\non the training path (%zu pairs per t, %zu times per tenth of t):\n", s.rows,
              s.times_per_bin);
  std::printf("  t bin   loss floor   net's loss   excess   velocity error\n");
  for (std::size_t b = 0; b < e.loss_floor.by_bin.size(); ++b)
    std::printf("  %.1f-%.1f  %9.4f   %9.4f   %8.4f   %9.4f\n", b / 10.0, (b + 1) / 10.0,
                e.loss_floor.by_bin[b], e.loss.by_bin[b], e.excess_loss.by_bin[b],
                e.velocity_error.by_bin[b]);
  std::printf("  all      %9.4f   %9.4f   %8.4f   %9.4f\n", e.loss_floor.overall, e.loss.overall,
              e.excess_loss.overall, e.velocity_error.overall);
  plot::plot_by_time(args.out / "velocity_error.png", "the net against the exact field",
                     "mean squared error",
                     {{"velocity error E|v - u*|^2", e.velocity_error},
                      {"loss floor (per coordinate)", e.loss_floor}});
  const nn::LoadedMlp ckpt = [&] {  // the loss history of the checkpoint chapter 4 wrote
    for (const auto& f : {args.out.parent_path() / "ch04" / "flow.ckpt", args.out / "flow.ckpt"})
      if (tutorial::checkpoint_matches(f, tutorial::tutorial_flow_settings(args.quick)))
        return nn::load_mlp_checkpoint(f);
    return nn::LoadedMlp{};
  }();
  if (!ckpt.checkpoint.loss.empty()) {
    plot::plot_loss_with_floor(args.out / "loss_floor.png", ckpt.checkpoint.loss,
                               e.loss_floor.overall, "chapter 4's loss and its floor");
    plot::plot_excess_loss(args.out / "excess_loss.png", ckpt.checkpoint.loss, e.loss_floor.overall,
                           "chapter 4's loss minus the floor");
  }

  // 4. The two errors apart: the same integrators on the exact field and on the net.
  flow::EvalSettings eval;
  eval.n = s.n;
  const Array<float> x0 = [&] {
    Generator noise(eval.seed, "sample");
    return flow::gaussian(noise, s.n);
  }();
  const Array<float> target = flow::evaluation_targets(eval);
  std::printf("\nsamples of %zu points against as many fresh spiral points (noise floor %.5f):\n",
              s.n, flow::noise_floor(eval).energy_distance);
  std::printf("  field   solver      nfe   energy     precision  recall   off-support %%  nll\n");
  plot::LinePlot two;  // off-support share against Euler steps, the exact field and the net
  two.title = "samples off the spiral: the integrator's error and the net's";
  two.xlabel = "log2 of the Euler steps";
  two.ylabel = "samples off the support (%)";
  two.log_y = true;
  for (const auto& [who, v] : {std::pair{"exact", exact}, std::pair{"net", learned}}) {
    plot::Curve curve;
    curve.label = std::string(who == std::string("exact") ? "exact field u*" : "chapter 4's net");
    curve.style = "linespoints lw 2 pt 7";
    for (std::size_t steps : s.euler) {
      flow::IntegrateOptions euler;
      euler.steps = steps;
      quality_row(who, "euler", v, x0, euler, target, spiral, &curve);
    }
    flow::IntegrateOptions rk4;
    rk4.solver = flow::Solver::rk4;
    rk4.steps = 20;
    quality_row(who, "rk4", v, x0, rk4, target, spiral, nullptr);
    two.curves.push_back(curve);
  }
  const flow::DensityMetrics data = flow::density_metrics(spiral, target, target);
  plot::Curve floor_line;  // what a sample of the data itself scores
  floor_line.label = "the data itself";
  floor_line.style = "lines lw 2 dt 2";
  floor_line.x = {0.0, std::log2(double(s.euler.back()))};
  floor_line.y = {100.0 * data.off_support_fraction, 100.0 * data.off_support_fraction};
  two.curves.push_back(floor_line);
  plot::plot_lines(args.out / "two_errors.png", two);
  std::printf("  the data itself: entropy %.3f nats, off-support %.2f%% (by definition ~1%%)\n",
              data.entropy, 100.0 * data.off_support_fraction);
  const double exact_s = flow::straightness(exact, x0), net_s = flow::straightness(learned, x0);
  std::printf("\nstraightness: exact field %.3f, chapter 4's net %.3f\n", exact_s, net_s);
  std::printf(
      "wrote field_{exact,learned}_{t050,t090}.png, velocity_error.png, two_errors.png%s "
      "in %s\n",
      ckpt.checkpoint.loss.empty() ? "" : ", loss_floor.png, excess_loss.png",
      args.out.string().c_str());
  return std::isfinite(e.loss_floor.overall) && e.velocity_error.overall > 0.0 ? 0 : 1;
}
