// Log-domain Sinkhorn: a closed form (n = 2), the marginals, the two limits (ε → 0: the
// exact assignment; ε → ∞: the independent plan), sampling from the plan, determinism.
#include <catch2/catch.hpp>
#include <cmath>

#include "base/random.hpp"
#include "base/thread_pool.hpp"
#include "flow/datasets.hpp"
#include "flow/sinkhorn.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
double transport_cost(const SinkhornPlan& p, const CostMatrix& c) {
  double s = 0;
  for (std::size_t k = 0; k < c.values.size(); ++k)
    s += p.plan[k] * c.values[k];
  return s;
}
}  // namespace

TEST_CASE("sinkhorn on two points matches the closed form", "[sinkhorn]") {
  // Uniform marginals force P = [[p, ½ − p], [½ − p, p]]; the plan's form exp((f+g−c)/ε)
  // fixes the cross ratio p² / (½ − p)² = exp(−Δ/ε), Δ = c11 + c22 − c12 − c21.
  CostMatrix c(2, 2);
  c(0, 0) = 0.3, c(0, 1) = 1.7, c(1, 0) = 0.9, c(1, 1) = 0.2;
  for (double eps : {0.05, 0.5, 5.0}) {
    const SinkhornPlan p = sinkhorn(c, {eps, 1e-12, 5000});
    CHECK(p.epsilon == Approx(eps * (0.3 + 1.7 + 0.9 + 0.2) / 4));  // relative to the mean
    const double r = std::exp(-(0.3 + 0.2 - 1.7 - 0.9) / (2 * p.epsilon));
    const double expected = 0.5 * r / (1 + r);
    CHECK(p.plan[0] == Approx(expected).epsilon(1e-9));
    CHECK(p.plan[3] == Approx(expected).epsilon(1e-9));
    CHECK(p.plan[1] == Approx(0.5 - expected).margin(1e-9));
  }
}

TEST_CASE("sinkhorn plan has the uniform marginals, even for small epsilon", "[sinkhorn]") {
  Generator gen(1, "sinkhorn");
  const CostMatrix c = squared_distances(gaussian(gen, 60), eight_gaussians(gen, 45));
  for (double eps : {1e-3, 0.01, 1.0}) {
    const SinkhornPlan p = sinkhorn(c, {eps, 1e-8, 100000});
    double total = 0, row_error = 0, col_error = 0;
    for (std::size_t i = 0; i < 60; ++i) {
      double row = 0;
      for (std::size_t j = 0; j < 45; ++j)
        row += p.plan[i * 45 + j];
      row_error += std::abs(row - 1.0 / 60);
      total += row;
    }
    for (std::size_t j = 0; j < 45; ++j) {
      double col = 0;
      for (std::size_t i = 0; i < 60; ++i)
        col += p.plan[i * 45 + j];
      col_error += std::abs(col - 1.0 / 45);
    }
    CHECK(std::isfinite(total));
    CHECK(total == Approx(1.0).epsilon(1e-7));
    CHECK(row_error < 1e-7);
    CHECK(col_error < 1e-10);
  }
}

TEST_CASE("sinkhorn tends to the exact assignment as epsilon falls", "[sinkhorn]") {
  Generator gen(2, "sinkhorn");
  const std::size_t n = 32;
  const CostMatrix c = squared_distances(gaussian(gen, n), moons(gen, n));
  const Assignment exact = solve_assignment(c);
  const double ot = exact.total_cost / double(n);  // the plan puts 1/n on each pair
  double previous_gap = INFINITY;
  double previous_on_pairs = 0;
  for (double eps : {1.0, 0.1, 0.01, 1e-3, 1e-4}) {
    const SinkhornPlan p = sinkhorn(c, {eps, 1e-6, 20000});
    const double gap = transport_cost(p, c) - ot;
    CHECK(gap >= -1e-9);  // no plan beats the optimum
    CHECK(gap < previous_gap);
    previous_gap = gap;
    // the mass on the exact assignment's pairs grows towards 1
    double on_pairs = 0;
    for (std::size_t i = 0; i < n; ++i)
      on_pairs += p.plan[i * n + exact.col_for_row[i]];
    CHECK(on_pairs > previous_on_pairs);
    previous_on_pairs = on_pairs;
  }
  CHECK(previous_on_pairs > 0.99);
  CHECK(previous_gap < 1e-3 * ot);
}

TEST_CASE("sinkhorn with a large epsilon is the independent plan", "[sinkhorn]") {
  Generator gen(3, "sinkhorn");
  const CostMatrix c = squared_distances(gaussian(gen, 20), spiral(gen, 20));
  const SinkhornPlan p = sinkhorn(c, {1e6, 1e-12, 1000});
  for (double x : p.plan)
    CHECK(x == Approx(1.0 / 400).epsilon(1e-4));
}

TEST_CASE("pairs drawn from the plan follow its probabilities", "[sinkhorn]") {
  SinkhornPlan p;
  p.rows = 2, p.cols = 3;
  p.plan = {0.1, 0.0, 0.2, 0.3, 0.25, 0.15};
  Generator gen(4, "sinkhorn");
  const std::size_t draws = 200000;
  std::vector<double> seen(6, 0);
  for (const auto& [i, j] : sample_plan(p, draws, gen))
    seen[i * 3 + j] += 1.0 / draws;
  for (std::size_t k = 0; k < 6; ++k)  // binomial sd ≤ 0.0011
    CHECK(seen[k] == Approx(p.plan[k]).margin(0.005));
  CHECK(seen[1] == 0.0);
  Generator a(5, "x"), b(5, "x");
  CHECK(sample_plan(p, 50, a) == sample_plan(p, 50, b));
}

TEST_CASE("sinkhorn is the same for one and two threads", "[sinkhorn]") {
  Generator gen(6, "sinkhorn");
  const CostMatrix c = squared_distances(gaussian(gen, 300), rings(gen, 300));
  const int before = num_threads();
  set_num_threads(1);
  const SinkhornPlan one = sinkhorn(c, {0.01, 1e-6, 2000});
  set_num_threads(2);
  const SinkhornPlan two = sinkhorn(c, {0.01, 1e-6, 2000});
  set_num_threads(before);
  CHECK(one.plan == two.plan);
  CHECK(one.iterations == two.iterations);
}

TEST_CASE("sinkhorn rejects bad input", "[sinkhorn]") {
  CostMatrix c(2, 2);
  CHECK_THROWS_WITH(sinkhorn(c, {0.0, 1e-6, 10}), Catch::Contains("epsilon"));
  CHECK_THROWS_WITH(sinkhorn(c, {-1.0, 1e-6, 10}), Catch::Contains("epsilon"));
  CHECK_THROWS_AS(sinkhorn(CostMatrix(), {0.1, 1e-6, 10}), std::invalid_argument);
  c(1, 1) = INFINITY;
  CHECK_THROWS_WITH(sinkhorn(c, {0.1, 1e-6, 10}), Catch::Contains("not finite"));
}
