// Chapter 11: the density of a flow.
//
// The flow's map x0 ↦ x1 is invertible, so it turns the source density into a density on the
// data side: log p₁(x₁) = log p₀(x₀) − ∫₀¹ ∇·v(x_t, t) dt along the path. The divergence is
// the trace of the Jacobian ∂v/∂x, computed exactly by two backward passes through the
// engine (flow/divergence.hpp); the likelihood integrates it with x (flow/likelihood.hpp).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "../chapter_flow.hpp"
#include "flow/datasets.hpp"
#include "flow/divergence.hpp"
#include "flow/evaluate.hpp"
#include "flow/likelihood.hpp"
#include "flow/reflow.hpp"
#include "plot/plot.hpp"

using namespace minflow;

namespace {

struct Settings {
  std::size_t n;                    // data points for the NLL
  std::size_t grid;                 // density maps: grid × grid points
  std::vector<std::size_t> probes;  // Hutchinson: probes per estimate
  std::size_t reflow_steps, reflow_batch, pool;
};

constexpr double kPi = 3.14159265358979323846;

// The spiral's own density: θ ~ U[0, 6π], x ~ N(c(θ), 0.1² I), c(θ) = (θ/2π)(cos θ, sin θ),
// so p(x) = (1/6π) ∫ N(x; c(θ), 0.1² I) dθ, here by the midpoint rule on 4096 angles and a
// log-sum-exp (the terms span hundreds of orders of magnitude).
std::vector<double> spiral_log_density(const Array<float>& x) {
  constexpr std::size_t nodes = 4096;
  constexpr double s2 = 0.01;
  std::vector<double> cx(nodes), cy(nodes), out(x.shape()[0]);
  for (std::size_t k = 0; k < nodes; ++k) {
    const double theta = 6 * kPi * (k + 0.5) / nodes;
    cx[k] = theta / (2 * kPi) * std::cos(theta);
    cy[k] = theta / (2 * kPi) * std::sin(theta);
  }
  for (std::size_t r = 0; r < out.size(); ++r) {
    double top = -INFINITY, sum = 0;
    std::vector<double> e(nodes);
    for (std::size_t k = 0; k < nodes; ++k) {
      const double dx = x(r, 0) - cx[k], dy = x(r, 1) - cy[k];
      e[k] = -(dx * dx + dy * dy) / (2 * s2);
      top = std::max(top, e[k]);
    }
    for (double v : e)
      sum += std::exp(v - top);
    out[r] = top + std::log(sum / nodes) - std::log(2 * kPi * s2);
  }
  return out;
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v)
    s += x;
  return s / v.size();
}

plot::LinePlot log_plot(const std::string& title, const std::string& xlabel,
                        const std::string& ylabel, const std::vector<plot::Curve>& curves) {
  plot::LinePlot p;
  p.title = title;
  p.xlabel = xlabel;
  p.ylabel = ylabel;
  p.curves = curves;
  p.log_y = true;
  return p;
}

flow::IntegrateOptions solver(flow::Solver which, std::size_t steps, double tol = 1e-5) {
  flow::IntegrateOptions o;
  o.solver = which;
  o.steps = steps;
  o.rtol = o.atol = tol;
  return o;
}

// Chapter 8's student when its checkpoint matches this mode, else a short reflow from a pool.
std::shared_ptr<nn::MLP> reflowed(nn::MLP& teacher, const tutorial::ChapterArgs& args,
                                  const Settings& s) {
  const auto ch08 = args.out.parent_path() / "ch08" / "reflow.ckpt";
  try {
    const nn::Config c = nn::read_checkpoint_config(ch08);
    if (c.get_string("kind") == "reflow" && c.get_size("steps_done") == (args.quick ? 10 : 1000)) {
      std::printf("using chapter 8's student %s\n", ch08.string().c_str());
      return nn::load_mlp_checkpoint(ch08).model;
    }
  } catch (const std::exception&) {
  }
  std::printf("no matching chapter-8 student; reflowing here (%zu steps on a pool of %zu)\n",
              s.reflow_steps, s.pool);
  flow::TrainSettings settings;
  settings.kind = "reflow";
  settings.steps = s.reflow_steps;
  settings.batch = s.reflow_batch;
  settings.time = flow::warped_time(0.5);
  flow::TrainState state = flow::new_train_state_from(settings, teacher);
  Generator gen(0, "pool");
  const flow::PairPool pool = flow::make_pair_pool(teacher, {}, s.pool, 2048, gen);
  flow::train(state, settings, flow::pool_pairs(pool), {});
  return state.net;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch11");
  const Settings s = args.quick ? Settings{128, 24, {1, 4, 16}, 10, 64, 256}
                                : Settings{4096, 120, {1, 4, 16, 64, 256, 1024}, 1000, 2048, 65536};
  auto net = tutorial::chapter4_flow(args);

  // 1. The divergence: exact by reverse mode, against finite differences and Hutchinson.
  flow::EvalSettings eval;
  eval.n = s.n;
  const Array<float> data = flow::evaluation_targets(eval);
  const std::size_t m = std::min<std::size_t>(256, s.n);
  Array<float> x = Array<float>::from_shape({m, 2});
  std::copy(data.data(), data.data() + 2 * m, x.data());
  const auto exact = flow::divergence(*net, x, 0.5);
  std::printf("\ndivergence at t = 0.5, the first 3 of %zu data points (exact, reverse mode):\n",
              x.shape()[0]);
  for (std::size_t r = 0; r < 3; ++r)
    std::printf("  (%6.3f, %6.3f)  div v = %8.4f\n", x(r, 0), x(r, 1), exact.divergence(r));
  Generator probe_gen(0, "probes");
  const auto h = flow::hutchinson_divergence(*net, x, 0.5, s.probes.back(), probe_gen);
  std::printf("Hutchinson with K Rademacher probes: RMS error over the points\n");
  plot::Curve measured{{}, {}, "measured", "linespoints lw 2 pt 7", ""};
  for (std::size_t k : s.probes) {
    double sq = 0;
    for (std::size_t r = 0; r < x.shape()[0]; ++r) {
      double mean = 0;
      for (std::size_t p = 0; p < k; ++p)
        mean += h.estimates(p, r) / k;
      sq += std::pow(mean - exact.divergence(r), 2) / x.shape()[0];
    }
    std::printf("  K = %4zu  RMS error %.4f\n", k, std::sqrt(sq));
    measured.x.push_back(std::log2(double(k)));
    measured.y.push_back(std::sqrt(sq));
  }
  plot::Curve predicted{measured.x, {}, "first value / sqrt(K)", "lines lw 1 dt 2", ""};
  for (std::size_t i = 0; i < s.probes.size(); ++i)
    predicted.y.push_back(measured.y[0] / std::sqrt(double(s.probes[i])));
  plot::plot_lines(args.out / "hutchinson.png",
                   {"Hutchinson's estimate of div v: error against probes",
                    "log2 K (probes)",
                    "RMS error",
                    {measured, predicted},
                    true});

  // 2. The NLL of the data points against solvers and steps, and its cost.
  const std::vector<double> log_true = spiral_log_density(data);
  const double entropy = -mean_of(log_true);
  const auto reference = flow::log_likelihood(*net, data, solver(flow::Solver::dopri5, 0, 1e-7));
  const double nll_ref = flow::mean_nll(reference);
  std::printf("\nNLL of %zu spiral points: %.4f nats (dopri5, tol 1e-7, NFE %zu)\n", s.n, nll_ref,
              reference.nfe);
  std::printf("the spiral's entropy (mean -log p_data over the same points): %.4f nats\n", entropy);
  std::printf("the gap, an estimate of KL(data || model): %.4f nats\n\n", nll_ref - entropy);
  std::printf("  solver   steps   NFE     NLL      |error|\n");
  std::vector<plot::Curve> curves;
  const struct {
    flow::Solver solver;
    std::vector<std::size_t> steps;
  } runs[] = {{flow::Solver::euler, {5, 10, 20, 50, 100}},
              {flow::Solver::heun, {5, 10, 20, 50}},
              {flow::Solver::rk4, {2, 5, 10, 20}}};
  for (const auto& run : runs) {
    plot::Curve c{{}, {}, flow::solver_name(run.solver), "linespoints lw 2 pt 7", ""};
    for (std::size_t steps : run.steps) {
      const auto r = flow::log_likelihood(*net, data, solver(run.solver, steps));
      const double nll = flow::mean_nll(r), err = std::abs(nll - nll_ref);
      std::printf("  %-7s %5zu %5zu  %8.4f  %.2e\n", flow::solver_name(run.solver).c_str(), steps,
                  r.nfe, nll, err);
      c.x.push_back(r.nfe);
      c.y.push_back(err);
    }
    curves.push_back(c);
  }
  plot::Curve adaptive{{}, {}, "dopri5", "linespoints lw 2 pt 7", ""};
  for (double tol : {1e-2, 1e-3, 1e-4, 1e-5}) {
    const auto r = flow::log_likelihood(*net, data, solver(flow::Solver::dopri5, 0, tol));
    const double nll = flow::mean_nll(r), err = std::abs(nll - nll_ref);
    std::printf("  dopri5  tol %.0e %4zu  %8.4f  %.2e\n", tol, r.nfe, nll, err);
    adaptive.x.push_back(r.nfe);
    adaptive.y.push_back(err);
  }
  curves.push_back(adaptive);
  plot::plot_lines(args.out / "nll_vs_nfe.png",
                   log_plot("NLL error against NFE (reference: dopri5, tol 1e-7)", "NFE",
                            "|NLL - reference| (nats)", curves));
  const auto start = std::chrono::steady_clock::now();
  const auto timed = flow::log_likelihood(*net, data, solver(flow::Solver::rk4, 20));
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("time for the NLL of %zu points with RK4-20 (NFE %zu): %.3f s\n", s.n, timed.nfe,
              took.count());

  // 3. Round trip: sample with the log-density, then compute it back from the samples.
  Generator noise(eval.seed, "sample");
  const Array<float> x0 = flow::gaussian(noise, s.n);
  const auto forward = flow::sample_with_log_density(*net, x0, solver(flow::Solver::rk4, 20));
  const auto backward = flow::log_likelihood(*net, forward.x, solver(flow::Solver::rk4, 20));
  double worst = 0;
  for (std::size_t r = 0; r < s.n; ++r)
    worst = std::max(worst, std::abs(forward.log_p[r] - backward.log_p[r]));
  std::printf("\nround trip (RK4-20 forward, then back): largest log-density change %.2e\n", worst);

  // 4. Density maps: the flow and chapter 8's straightened student, against the truth.
  const Array<float> grid = plot::density_grid_points(s.grid);
  const plot::DensityGrid truth{s.grid, spiral_log_density(grid), "the spiral's density"};
  auto density_map = [&](nn::MLP& model, const std::string& name, const std::string& file) {
    const auto r = flow::log_likelihood(model, grid, solver(flow::Solver::rk4, 20));
    plot::plot_density(args.out / file, {s.grid, r.log_p, name + ", RK4-20"}, &truth);
  };
  density_map(*net, "flow matching (chapter 4)", "density.png");
  auto student = reflowed(*net, args, s);
  density_map(*student, "reflow (the student)", "density_reflow.png");
  const auto student_nll =
      flow::mean_nll(flow::log_likelihood(*student, data, solver(flow::Solver::rk4, 20)));
  std::printf("NLL with RK4-20: flow %.4f, reflowed %.4f (entropy %.4f)\n", flow::mean_nll(timed),
              student_nll, entropy);
  std::printf("wrote hutchinson.png, nll_vs_nfe.png, density.png, density_reflow.png in %s\n",
              args.out.string().c_str());
  return std::isfinite(nll_ref) && worst < 1e-2 ? 0 : 1;
}
