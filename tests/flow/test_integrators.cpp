// Order tests: on ODEs with known solutions, halving the step must divide the error by
// 2^order. Run in double so that rounding does not hide fourth-order convergence.
#include <catch2/catch.hpp>

#include <cmath>

#include "flow/integrators.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

struct Problem {
  const char* name;
  VelocityField<double> v;
  Array<double> x0;
  Array<double> exact_at_1;
};

std::vector<Problem> problems() {
  std::vector<Problem> out;
  // dx/dt = −x: x(1) = x0·e^{−1}
  out.push_back({"decay", [](const Array<double>& x, double) { return Array<double>(-x); },
                 Array<double>{{1.0, -2.0}},
                 Array<double>{{std::exp(-1.0), -2.0 * std::exp(-1.0)}}});
  // A rotation dx/dt = (−y, x): x(1) = R(1)·x0
  out.push_back(
      {"rotation",
       [](const Array<double>& x, double) {
         Array<double> d = Array<double>::from_shape(x.shape());
         for (std::size_t i = 0; i < x.shape()[0]; ++i) {
           d(i, 0) = -x(i, 1);
           d(i, 1) = x(i, 0);
         }
         return d;
       },
       Array<double>{{1.0, 0.5}},
       Array<double>{{std::cos(1.0) - 0.5 * std::sin(1.0), std::sin(1.0) + 0.5 * std::cos(1.0)}}});
  // A time-dependent field dx/dt = t·x: x(1) = x0·e^{1/2}
  out.push_back({"time-dependent",
                 [](const Array<double>& x, double t) { return Array<double>(t * x); },
                 Array<double>{{0.3, -1.0}}, Array<double>{{0.3 * std::exp(0.5), -std::exp(0.5)}}});
  return out;
}

double error_at_1(const Problem& p, Solver solver, std::size_t steps) {
  IntegrateOptions options;
  options.solver = solver;
  options.steps = steps;
  Array<double> x = integrate(p.v, p.x0, options).x;
  double e = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    e = std::max(e, std::abs(x.data()[i] - p.exact_at_1.data()[i]));
  return e;
}

}  // namespace

TEST_CASE("fixed-step integrators converge at their order", "[integrators]") {
  const std::pair<Solver, double> methods[] = {
      {Solver::euler, 1}, {Solver::midpoint, 2}, {Solver::heun, 2}, {Solver::rk4, 4}};
  for (const Problem& p : problems()) {
    for (auto [solver, order] : methods) {
      // Observed order from the errors at n and 2n steps, n large enough to be asymptotic.
      const std::size_t n = solver == Solver::rk4 ? 8 : 32;
      const double e1 = error_at_1(p, solver, n), e2 = error_at_1(p, solver, 2 * n);
      const double observed = std::log2(e1 / e2);
      INFO(p.name << " " << solver_name(solver) << ": errors " << e1 << ", " << e2);
      CHECK(observed == Approx(order).margin(0.2));
    }
  }
}

TEST_CASE("NFE is steps times stages", "[integrators]") {
  const Problem p = problems()[0];
  for (Solver solver : {Solver::euler, Solver::midpoint, Solver::heun, Solver::rk4}) {
    std::size_t calls = 0;
    VelocityField<double> counted = [&](const Array<double>& x, double t) {
      ++calls;
      return p.v(x, t);
    };
    IntegrateOptions options;
    options.solver = solver;
    options.steps = 7;
    auto result = integrate(counted, p.x0, options);
    CHECK(result.nfe == 7 * solver_stages(solver));
    CHECK(calls == result.nfe);
    CHECK(result.steps == 7);
  }
}

TEST_CASE("dopri5 meets its tolerance and counts every evaluation", "[integrators]") {
  for (const Problem& p : problems()) {
    std::size_t calls = 0;
    VelocityField<double> counted = [&](const Array<double>& x, double t) {
      ++calls;
      return p.v(x, t);
    };
    IntegrateOptions options;
    options.solver = Solver::dopri5;
    options.rtol = 1e-6;
    options.atol = 1e-6;
    auto result = integrate(counted, p.x0, options);
    double e = 0;
    for (std::size_t i = 0; i < result.x.size(); ++i)
      e = std::max(e, std::abs(result.x.data()[i] - p.exact_at_1.data()[i]));
    INFO(p.name << ": error " << e << " in " << result.steps << " steps, nfe " << result.nfe);
    CHECK(e < 1e-5);
    CHECK(calls == result.nfe);
    CHECK(result.nfe == 2 + 6 * (result.steps + result.rejected));
  }
}

TEST_CASE("forward then backward integration returns to the start", "[integrators]") {
  // A smooth, nonlinear, time-dependent field.
  VelocityField<float> v = [](const Array<float>& x, double t) {
    Array<float> d = Array<float>::from_shape(x.shape());
    for (std::size_t i = 0; i < x.shape()[0]; ++i) {
      d(i, 0) = std::sin(x(i, 1)) + float(t);
      d(i, 1) = 0.5f * std::cos(x(i, 0)) - float(t) * x(i, 1) * 0.3f;
    }
    return d;
  };
  Array<float> x0 = {{0.1f, 0.2f}, {-1.0f, 0.7f}, {2.0f, -1.5f}};
  IntegrateOptions options;
  options.solver = Solver::rk4;
  options.steps = 50;
  Array<float> x1 = integrate(v, x0, options).x;
  options.reverse = true;
  Array<float> back = integrate(v, x1, options).x;
  for (std::size_t i = 0; i < x0.size(); ++i)
    CHECK(back.data()[i] == Approx(x0.data()[i]).margin(1e-4));
}

TEST_CASE("the trajectory has the start and one row per step, in integration order",
          "[integrators]") {
  VelocityField<float> v = [](const Array<float>& x, double) {
    return Array<float>(x * 0.0f + 1.0f);
  };
  Array<float> x0 = {{0.0f, 0.0f}};
  IntegrateOptions options;
  options.steps = 4;
  options.record_trajectory = true;
  options.reverse = true;
  auto result = integrate(v, x0, options);
  REQUIRE(result.trajectory.size() == 5);
  CHECK(result.trajectory[0](0, 0) == 0.0f);
  CHECK(result.trajectory[4](0, 0) == Approx(-1.0f));  // backwards in time: x decreases
}

TEST_CASE("a warped grid ends at t = 1 and crowds the flat part", "[integrators]") {
  auto grid = time_grid(10, 0.5, false);
  CHECK(grid.front() == 0.0);
  CHECK(grid.back() == 1.0);
  // s = 0.5: slope 0.5 in the middle, 2 at the ends → the middle steps are shorter.
  CHECK(grid[6] - grid[5] < grid[1] - grid[0]);
  CHECK_THROWS_WITH(time_grid(10, 2.0, false), Catch::Contains("s must be in [0, 1.5]"));
}
