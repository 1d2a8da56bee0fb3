// Chapter 6's exercises: Heun, RK4 and Dopri5's step-size controller.
#include <catch2/catch.hpp>

#include "course_test.hpp"
#include "flow/dopri5.hpp"
#include "flow/integrators.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
// dx/dt = −x + t² from x(0) = 1: x(t) = t² − 2t + 2 − e^(−t). Quadratic in t, so midpoint and
// Heun differ (on a problem linear in x and t all two-stage second-order methods coincide).
VelocityField<double> field() {
  return [](const Array<double>& x, double t) { return Array<double>(-x + t * t); };
}
double exact(double t) {
  return t * t - 2 * t + 2 - std::exp(-t);
}
double end_point(Solver solver, std::size_t steps) {
  IntegrateOptions o;
  o.solver = solver;
  o.steps = steps;
  return integrate(field(), Array<double>(Shape{1, 2}, 1.0), o).x(0, 0);
}
double order(Solver solver, std::size_t steps) {
  const double e1 = std::abs(end_point(solver, steps) - exact(1.0));
  const double e2 = std::abs(end_point(solver, 2 * steps) - exact(1.0));
  return std::log2(e1 / e2);
}
}  // namespace

TEST_CASE("exercise 6.1: Heun's step", "[ex6.1]") {
  // One step by hand from x = 1, t = 0, h = 1: k1 = −1, k2 = v(0, 1) = 1, x = 1 + ½(−1 + 1) = 1.
  const double one = end_point(Solver::heun, 1);
  if (std::abs(one - 0.75) < 1e-12)
    FAIL(
        "that is the midpoint method (the slope at the half step): Heun averages the slopes "
        "at both ends, x + (h/2)·(k1 + k2) with k2 = v(x + h·k1, t + h)");
  if (std::abs(one) < 1e-12) FAIL("that is the Euler step: Heun averages two slopes");
  INFO("one Heun step of h = 1 from x = 1 should give 1 (k1 = −1, k2 = 1), got " << one);
  CHECK(std::abs(one - 1.0) < 1e-12);
  const double p = order(Solver::heun, 40);
  INFO("your Heun step converges with order " << p << " (the error falls by 2^" << p
                                              << " when h halves); Heun's order is 2");
  CHECK(std::abs(p - 2.0) < 0.15);
}

TEST_CASE("exercise 6.2: the RK4 step", "[ex6.2]") {
  // One step by hand from x = 1, t = 0, h = 1:
  // k1 = −1, k2 = −0.5 + 0.25 = −0.25, k3 = −0.875 + 0.25 = −0.625, k4 = −0.375 + 1 = 0.625.
  const double expect = 1 + (-1 + 2 * -0.25 + 2 * -0.625 + 0.625) / 6;
  const double one = end_point(Solver::rk4, 1);
  if (std::abs(one) < 1e-12) FAIL("that is the Euler step: RK4 combines four slopes");
  INFO("one RK4 step of h = 1 from x = 1 should give " << expect
                                                       << " (k1 = −1, k2 = −0.25, "
                                                          "k3 = −0.625, k4 = 0.625), got "
                                                       << one);
  CHECK(std::abs(one - expect) < 1e-12);
  const double p = order(Solver::rk4, 8);
  INFO("your RK4 step converges with order " << p << " (the error falls by 2^" << p
                                             << " when h halves); RK4's order is 4");
  CHECK(std::abs(p - 4.0) < 0.3);
}

TEST_CASE("exercise 6.3: Dopri5's step-size update", "[ex6.3]") {
  struct Case {
    double norm, factor;
    const char* why;
  };
  const Case cases[] = {
      {1.0, 0.9, "an error of exactly 1: keep h, times the safety factor 0.9"},
      {32.0, 0.45, "an error 32 = 2⁵ times too big: h was 2× too long (error ∝ h⁵), so 0.9/2"},
      {1.0 / 32, 1.8, "an error 2⁵ times below the tolerance: h may double, times 0.9"},
      {1e6, 0.2, "a huge error: shrink by at most ×0.2 per step"},
      {1e-12, 5.0, "a tiny error: grow by at most ×5 per step"},
      {0.0, 5.0, "a zero error (a constant field): the largest growth, ×5"},
  };
  for (const Case& c : cases) {
    const double got = dopri5_step_factor(c.norm);
    if (c.norm == 32.0 && std::abs(got - 0.9 / 32) < 1e-9)
      FAIL(
          "for an error norm of 32 you shrink h by 32: the error scales as h⁵, so h must "
          "shrink by 32^(1/5) = 2 (times 0.9): factor = 0.9·norm^(−1/5)");
    INFO("error norm " << c.norm << ": factor " << c.factor << " (" << c.why << "), got " << got);
    CHECK(std::abs(got - c.factor) < 1e-12);
  }
}
