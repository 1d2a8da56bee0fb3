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
#include "flow/sinkhorn.hpp"
#include "flow/trainer.hpp"
#include "flow/transport_metrics.hpp"
#include "flow/velocity_net.hpp"
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

  std::printf("\n5. I-CFM against OT-CFM, N -> eight_gaussians, batch 256\n");
  const std::size_t steps = args.quick ? 150 : 3000, n = args.quick ? 256 : 2048;
  for (const char* coupling : {"independent", "ot"}) {
    TrainSettings s;
    s.data = "eight_gaussians";
    s.steps = steps;
    s.batch = 256;
    s.coupling = parse_coupling(coupling);
    TrainState state = new_train_state(s);
    train(state, s, independent_pairs(s.data), {});
    const auto field = velocity_field(*state.net);
    Generator eval(1, "ch12-eval");
    const Array<float> start = gaussian(eval, n), target = eight_gaussians(eval, n);
    IntegrateOptions one;
    one.steps = 1;
    const double w2s = exact_w2(start, target);
    std::printf("   %-11s straightness %.3f, W2 Euler-1 %.3f, W2 Euler-100 %.3f, NPE %.3f\n",
                coupling, straightness(field, start),
                exact_w2(integrate(field, start, one).x, target),
                exact_w2(integrate(field, start, IntegrateOptions{}).x, target),
                normalized_path_energy(path_energy(field, start), w2s * w2s));
  }
  return 0;
}
