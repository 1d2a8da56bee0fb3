// Chapter 12: couplings. Random pairs cross; optimal pairs do not. The assignment problem
// by hand and by the solver, the 1-D case by sorting, Sinkhorn's ε, and OT-CFM against
// I-CFM (README.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include "flow/assignment.hpp"
#include "flow/datasets.hpp"
#include "flow/metrics.hpp"
#include "flow/ot_1d.hpp"
#include "flow/ot_coupling.hpp"
#include "flow/reflow.hpp"
#include "flow/sinkhorn.hpp"
#include "flow/trainer.hpp"
#include "flow/transport_metrics.hpp"
#include "flow/velocity_net.hpp"
#include "plot/benchmark.hpp"
#include "plot/couplings.hpp"
#include "plot/plot.hpp"
#include "tutorials/chapter.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

// Do the segments a0→a1 and b0→b1 cross? (Each end strictly on opposite sides of the other.)
bool cross(const float* a0, const float* a1, const float* b0, const float* b1) {
  auto side = [](const float* p, const float* q, const float* r) {
    return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
  };
  return side(a0, a1, b0) * side(a0, a1, b1) < 0 && side(b0, b1, a0) * side(b0, b1, a1) < 0;
}

std::size_t crossings(const Array<float>& x0, const Array<float>& x1) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < x0.shape()[0]; ++i)
    for (std::size_t j = i + 1; j < x0.shape()[0]; ++j)
      count += cross(&x0(i, 0), &x1(i, 0), &x0(j, 0), &x1(j, 0));
  return count;
}

// Pairs i < j that a swap of partners would make cheaper: ⟨x0ᵢ − x0ⱼ, x1ᵢ − x1ⱼ⟩ < 0. For
// such a pair the two particles come close at the same time; an optimal pairing has none,
// and then ‖x_t^i − x_t^j‖² ≥ (1 − t)²‖x0ᵢ − x0ⱼ‖² + t²‖x1ᵢ − x1ⱼ‖²: they never meet.
std::size_t improvable(const Array<float>& x0, const Array<float>& x1) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < x0.shape()[0]; ++i)
    for (std::size_t j = i + 1; j < x0.shape()[0]; ++j) {
      const double d = (double(x0(i, 0)) - x0(j, 0)) * (double(x1(i, 0)) - x1(j, 0)) +
                       (double(x0(i, 1)) - x0(j, 1)) * (double(x1(i, 1)) - x1(j, 1));
      count += d < -1e-9;
    }
  return count;
}

double mean_sq(const Array<float>& a, const Array<float>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.shape()[0]; ++i)
    s += std::pow(a(i, 0) - b(i, 0), 2) + std::pow(a(i, 1) - b(i, 1), 2);
  return s / double(a.shape()[0]);
}

// The chapter's training settings: N -> eight_gaussians, the library's net and Adam.
TrainSettings settings_for(const char* coupling, std::size_t batch, std::size_t steps) {
  TrainSettings s;
  s.data = "eight_gaussians";
  s.steps = steps;
  s.batch = batch;
  s.coupling = parse_coupling(coupling);
  return s;
}

TrainState train_flow(const char* coupling, std::size_t batch, std::size_t steps) {
  const TrainSettings s = settings_for(coupling, batch, steps);
  TrainState state = new_train_state(s);
  train(state, s, independent_pairs(s.data), {});
  return state;
}

// A flow's scores on fixed start points: straightness (mean squared change of velocity along
// the Euler-100 path), W2 to the target after one and after 100 Euler steps, and the
// normalised path energy |PE - W2²(start, target)| / W2²(start, target).
struct Scores {
  double straightness, w2_one, w2_many, npe;
};

Scores score(nn::Module& net, const Array<float>& start, const Array<float>& target,
             double w2_start) {
  const auto field = velocity_field(net);
  IntegrateOptions one;
  one.steps = 1;
  return {straightness(field, start), exact_w2(integrate(field, start, one).x, target),
          exact_w2(integrate(field, start, IntegrateOptions{}).x, target),
          normalized_path_energy(path_energy(field, start), w2_start * w2_start)};
}

void print_scores(const char* who, const Scores& s) {
  std::printf("   %-8s straightness %.4f, W2 Euler-1 %.3f, W2 Euler-100 %.3f, NPE %.3f\n", who,
              s.straightness, s.w2_one, s.w2_many, s.npe);
}

// Samples (Euler 100 from all start points) and the paths of the first 32 (for the figure).
plot::BenchmarkPanel paths_panel(const std::string& name, nn::Module& net,
                                 const Array<float>& start) {
  const auto field = velocity_field(net);
  IntegrateOptions rec;
  rec.record_trajectory = true;
  Array<float> few = Array<float>::from_shape({32, 2});
  for (std::size_t i = 0; i < 32; ++i)
    few(i, 0) = start(i, 0), few(i, 1) = start(i, 1);
  return {name, integrate(field, start, IntegrateOptions{}).x,
          integrate(field, few, rec).trajectory};
}

// Settings of sections 5-7 (full run, then quick).
struct Settings {
  std::size_t budget;         // training steps of I-CFM and OT-CFM: the compute of section 6
  std::size_t teacher_steps;  // reflow's teacher (I-CFM)
  std::size_t rk4_steps;      // the teacher's RK4 steps per pair
  std::size_t pool;           // pairs the teacher makes
  std::size_t sweep_steps;    // steps of each run of the batch-size sweep
  std::size_t eval_n;         // points the scores use
};

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch12");
  Generator gen(0, "ch12");

  std::printf("1. Four points by hand: all 24 pairings and the solver\n");
  CostMatrix four = squared_distances(gaussian(gen, 4), eight_gaussians(gen, 4));
  std::vector<std::size_t> p = {0, 1, 2, 3}, best;
  double best_cost = INFINITY;
  do {
    double c = 0;
    for (std::size_t i = 0; i < 4; ++i)
      c += four(i, p[i]);
    if (c < best_cost) best_cost = c, best = p;
  } while (std::next_permutation(p.begin(), p.end()));
  const Assignment a = solve_assignment(four);
  std::printf("   brute force: cost %.4f, pairs 0-%zu 1-%zu 2-%zu 3-%zu\n", best_cost, best[0],
              best[1], best[2], best[3]);
  std::printf("   solver:      cost %.4f, pairs 0-%zu 1-%zu 2-%zu 3-%zu\n\n", a.total_cost,
              a.col_for_row[0], a.col_for_row[1], a.col_for_row[2], a.col_for_row[3]);

  std::printf("2. In 1-D the optimal pairing sorts both sets\n");
  const std::size_t n1 = 200;
  Array<float> u = Array<float>::from_shape({n1, 2}), v = Array<float>::from_shape({n1, 2});
  std::vector<double> su(n1), sv(n1);
  for (std::size_t i = 0; i < n1; ++i) {
    su[i] = u(i, 0) = float(gen.normal()), u(i, 1) = 0;
    sv[i] = v(i, 0) = float(4 * gen.uniform_double() - 2), v(i, 1) = 0;
  }
  // Exercise 12.1: the k-th smallest with the k-th smallest (flow/ot_1d.hpp).
  std::printf("   W2 by sorting %.6f, by the assignment solver %.6f\n\n", w2_1d(su, sv),
              exact_w2(u, v));

  std::printf("3. A batch of 256: random pairs collide, optimal pairs never do\n");
  Array<float> x0 = gaussian(gen, 256), x1 = eight_gaussians(gen, 256);
  std::printf(
      "   random:  %zu segments cross, %zu pairs a swap improves, mean |x1 - x0|^2 = %.3f\n",
      crossings(x0, x1), improvable(x0, x1), mean_sq(x0, x1));
  Array<float> o0 = x0, o1 = x1;
  apply_coupling(parse_coupling("ot"), o0, o1, gen);
  std::printf(
      "   optimal: %zu segments cross, %zu pairs a swap improves, mean |x1 - x0|^2 = %.3f\n\n",
      crossings(o0, o1), improvable(o0, o1), mean_sq(o0, o1));

  std::printf("4. Sinkhorn: eps (x mean cost) against the exact plan\n");
  const CostMatrix c = squared_distances(x0, x1);
  const Assignment exact = solve_assignment(c);
  for (double eps : {1.0, 0.1, 0.01, 0.001}) {
    const SinkhornPlan plan = sinkhorn(c, {eps, 1e-6, 5000});
    double cost = 0, on_pairs = 0;
    for (std::size_t k = 0; k < c.values.size(); ++k)
      cost += plan.plan[k] * c.values[k];
    for (std::size_t i = 0; i < 256; ++i)
      on_pairs += plan.plan[i * 256 + exact.col_for_row[i]];
    std::printf("   eps %-6g cost %.4f (exact %.4f), mass on the exact pairs %.3f\n", eps, cost,
                exact.total_cost / 256, on_pairs);
  }

  // The figure: one batch of 128 paired three ways (its own stream: the numbers above stay).
  Generator fig(2, "ch12-figure");
  const Array<float> f0 = gaussian(fig, 128), f1 = eight_gaussians(fig, 128);
  plot::plot_couplings(args.out / "couplings.png", plot::three_couplings(f0, f1, 0.05, fig));

  // Sections 5-7 train on N -> eight_gaussians and score on the same 2,048 points (quick: 256).
  const Settings z = args.quick ? Settings{150, 75, 10, 512, 100, 256}
                                : Settings{4000, 2000, 10, 8192, 2000, 2048};
  Generator eval(1, "ch12-eval");
  const Array<float> start = gaussian(eval, z.eval_n), target = eight_gaussians(eval, z.eval_n);
  const double w2_start = exact_w2(start, target);

  std::printf("\n5. I-CFM against OT-CFM, batch 256, %zu steps each\n", z.budget);
  TrainState icfm = train_flow("independent", 256, z.budget);
  TrainState otcfm = train_flow("ot", 256, z.budget);
  print_scores("I-CFM", score(*icfm.net, start, target, w2_start));
  print_scores("OT-CFM", score(*otcfm.net, start, target, w2_start));

  std::printf("\n6. OT-CFM against reflow at equal compute\n");
  // Compute is counted in network evaluations of one point: a training step at batch 256 is
  // 256 forward passes and a backward pass that costs about two more, 768 in all; an RK4
  // step of the teacher is 4 forward passes per point. The assignment is not counted (it runs
  // no network; its CPU time is in the README).
  const double per_step = 3.0 * 256;
  TrainState teacher = train_flow("independent", 256, z.teacher_steps);
  TeacherSettings rk4;
  rk4.steps = z.rk4_steps;
  Generator pool_gen(3, "ch12-pool");
  const PairPool pool = make_pair_pool(*teacher.net, rk4, z.pool, 256, pool_gen);
  const double pool_evals = double(z.pool) * 4.0 * double(z.rk4_steps);
  const auto pool_steps = std::size_t(std::ceil(pool_evals / per_step));
  TrainSettings rs = settings_for("independent", 256, z.budget - z.teacher_steps - pool_steps);
  rs.kind = "reflow";
  rs.seed = 1;
  TrainState student = new_train_state_from(rs, *teacher.net);
  train(student, rs, pool_pairs(pool), {});
  std::printf("   a training step at batch 256 = %.0f evaluations (forward + backward)\n",
              per_step);
  std::printf("   I-CFM, OT-CFM: %zu steps = %.0f evaluations\n", z.budget, z.budget * per_step);
  std::printf(
      "   2-RF: teacher %zu steps + %zu pairs x RK4-%zu (%.0f evaluations = %zu steps)\n"
      "         + student %zu steps = %zu steps = %.0f evaluations\n",
      z.teacher_steps, z.pool, z.rk4_steps, pool_evals, pool_steps, rs.steps,
      z.teacher_steps + pool_steps + rs.steps,
      (z.teacher_steps + rs.steps) * per_step + pool_evals);
  print_scores("teacher", score(*teacher.net, start, target, w2_start));
  print_scores("2-RF", score(*student.net, start, target, w2_start));
  print_scores("OT-CFM", score(*otcfm.net, start, target, w2_start));
  std::vector<plot::BenchmarkPanel> panels;
  panels.push_back(paths_panel("I-CFM", *icfm.net, start));
  panels.push_back(paths_panel("OT-CFM", *otcfm.net, start));
  panels.push_back(paths_panel("2-RF (equal compute)", *student.net, start));
  plot::plot_benchmark_task(args.out / "trajectories.png",
                            "N -> 8 gaussians: samples (Euler 100) and 32 paths", target, panels);

  std::printf("\n7. Batch size and straightness, %zu steps each\n", z.sweep_steps);
  std::printf("   %-6s %-8s %12s %10s %10s %8s\n", "batch", "coupling", "straightness",
              "W2 Euler-1", "W2 Eul-100", "NPE");
  plot::LinePlot sweep{
      "straightness and NPE against the batch size, " + std::to_string(z.sweep_steps) + " steps",
      "batch size",
      "value (log scale)",
      {},
      true};
  sweep.extra = "set logscale x 2";
  sweep.key = "center right";
  for (const char* coupling : {"independent", "ot"}) {
    const std::string color = std::string(coupling) == "ot" ? "#d62728" : "#1f77b4";
    plot::Curve straight{
        {}, {}, std::string(coupling) + ": straightness", "linespoints lw 2 pt 7", color};
    plot::Curve npe{{}, {}, std::string(coupling) + ": NPE", "linespoints lw 2 dt 2 pt 5", color};
    for (std::size_t batch : {16, 64, 256, 1024}) {
      TrainState run = train_flow(coupling, batch, z.sweep_steps);
      const Scores sc = score(*run.net, start, target, w2_start);
      std::printf("   %-6zu %-8s %12.4f %10.3f %10.3f %8.3f\n", batch,
                  std::string(coupling) == "ot" ? "OT" : "random", sc.straightness, sc.w2_one,
                  sc.w2_many, sc.npe);
      for (plot::Curve* c : {&straight, &npe})
        c->x.push_back(double(batch));
      straight.y.push_back(sc.straightness);
      npe.y.push_back(sc.npe);
    }
    sweep.curves.push_back(straight);
    sweep.curves.push_back(npe);
  }
  plot::plot_lines(args.out / "batch_sweep.png", sweep);
  return 0;
}
