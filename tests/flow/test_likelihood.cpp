// The log-density of a flow against closed forms: a linear field carrying N(0, I) to
// N(m, s²I) (known at every t) and a rotation (divergence zero), the error falling at each
// solver's order; and the round trip sample-forward, density-backward.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/ops.hpp"
#include "flow/likelihood.hpp"
#include "flow/velocity_net.hpp"
#include "nn/mlp.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

constexpr double kPi = 3.14159265358979323846;

// N(0, I) → N(m, s²I) along the flow-matching path: x_t ~ N(t m, σ_t² I) with
// σ_t² = (1 − t)² + t² s², carried by v = m + c(t)·(x − t m), c(t) = (t s² − (1 − t))/σ_t²
// (the flow map is x_t = t m + σ_t x₀, and c = σ_t'/σ_t), so ∇·v = 2c(t).
struct GaussianFlow {
  double mx = 1.5, my = -0.5, s = 0.5;

  double variance(double t) const { return (1 - t) * (1 - t) + t * t * s * s; }
  TensorField<double> field() const {
    const GaussianFlow g = *this;
    return [g](const DTensor& x, double t) {
      const double c = (t * g.s * g.s - (1 - t)) / g.variance(t);
      return (x - DTensor::from_vector({t * g.mx, t * g.my}, {2})) * c +
             DTensor::from_vector({g.mx, g.my}, {2});
    };
  }
  double log_density(double x, double y, double t) const {
    const double v = variance(t), dx = x - t * mx, dy = y - t * my;
    return -(dx * dx + dy * dy) / (2 * v) - std::log(2 * kPi * v);
  }
};

// A rotation by ω radians over t ∈ [0, 1]: v = ω·(−y, x), ∇·v = 0.
TensorField<double> rotation(double omega) {
  return [omega](const DTensor& x, double) {
    return concat<double>({-slice(x, 1, 1, 2), slice(x, 1, 0, 1)}, 1) * omega;
  };
}

Array<double> points() {
  return Array<double>{{1.2, -0.3}, {2.1, 0.4}, {0.6, -1.2}, {1.9, -0.9}, {1.0, 0.1}};
}

IntegrateOptions with(Solver solver, std::size_t steps) {
  IntegrateOptions o;
  o.solver = solver;
  o.steps = steps;
  return o;
}

double max_error(const DensityResult<double>& r, const std::vector<double>& exact) {
  double e = 0;
  for (std::size_t i = 0; i < exact.size(); ++i)
    e = std::max(e, std::abs(r.log_p[i] - exact[i]));
  return e;
}

}  // namespace

TEST_CASE("log-likelihood of the linear Gaussian flow: closed form, at each solver's order",
          "[likelihood]") {
  const GaussianFlow g;
  const Array<double> x = points();
  std::vector<double> exact;
  for (std::size_t r = 0; r < x.shape()[0]; ++r)
    exact.push_back(g.log_density(x(r, 0), x(r, 1), 1.0));
  struct Case {
    Solver solver;
    int order;
  };
  for (const Case c : {Case{Solver::euler, 1}, Case{Solver::heun, 2}, Case{Solver::rk4, 4}}) {
    CAPTURE(solver_name(c.solver));
    double previous = 0;
    for (std::size_t steps : {20, 40, 80}) {
      const double e = max_error(log_likelihood(g.field(), x, with(c.solver, steps)), exact);
      CAPTURE(steps, e, previous);
      CHECK(e < (c.order == 1 ? 0.3 : 1e-2));
      if (previous > 0) {
        const double ratio = previous / e;  // halving the step divides the error by 2^order
        CHECK(ratio > 0.75 * std::pow(2.0, c.order));
        CHECK(ratio < 1.35 * std::pow(2.0, c.order));
      }
      previous = e;
    }
  }
  // Dopri5: the error follows the tolerance.
  IntegrateOptions o = with(Solver::dopri5, 0);
  o.rtol = o.atol = 1e-6;
  const double loose = max_error(log_likelihood(g.field(), x, o), exact);
  o.rtol = o.atol = 1e-10;
  const auto tight_result = log_likelihood(g.field(), x, o);
  const double tight = max_error(tight_result, exact);
  CHECK(loose < 1e-4);
  CHECK(tight < 1e-8);
  CHECK(tight < loose);
  CHECK(tight_result.nfe > 6);
}

TEST_CASE("sampling with the log-density follows the closed form at every t", "[likelihood]") {
  const GaussianFlow g;
  IntegrateOptions o = with(Solver::rk4, 50);
  o.record_trajectory = true;
  const Array<double> x0 = Array<double>{{0.3, -1.1}, {-1.4, 0.2}, {0.0, 2.0}};
  const auto r = sample_with_log_density(g.field(), x0, o);
  REQUIRE(r.trajectory.size() == 51);
  for (std::size_t k = 0; k <= 50; ++k) {
    const double t = k / 50.0;
    for (std::size_t i = 0; i < 3; ++i) {
      const Array<double>& s = r.trajectory[k];
      // log p_t(x_t) = log p₀(x₀) − ∫₀ᵗ ∇·v, with ℓ = ∫₀ᵗ ∇·v in the third column.
      const double log_pt = standard_normal_log_density(x0(i, 0), x0(i, 1)) - s(i, 2);
      CHECK(log_pt == Approx(g.log_density(s(i, 0), s(i, 1), t)).margin(1e-7));
    }
  }
  for (std::size_t i = 0; i < 3; ++i)
    CHECK(r.log_p[i] == Approx(g.log_density(r.x(i, 0), r.x(i, 1), 1.0)).margin(1e-7));
}

TEST_CASE("log-likelihood under a rotation: divergence zero, the error at the solver's order",
          "[likelihood]") {
  // A source N(c, I) off the origin, so that where the path ends matters: p₁ = N(R c, I).
  const double cx = 0.8, cy = -0.4, omega = 1.3;
  const SourceLogDensity source = [=](double x, double y) {
    return standard_normal_log_density(x - cx, y - cy);
  };
  const Array<double> x = points();
  std::vector<double> exact;
  for (std::size_t r = 0; r < x.shape()[0]; ++r) {
    // x₀ = R(−ω)·x
    const double x0 = std::cos(omega) * x(r, 0) + std::sin(omega) * x(r, 1);
    const double y0 = -std::sin(omega) * x(r, 0) + std::cos(omega) * x(r, 1);
    exact.push_back(source(x0, y0));
  }
  double previous = 0;
  for (std::size_t steps : {5, 10, 20}) {
    const auto r = log_likelihood(rotation(omega), x, with(Solver::rk4, steps), source);
    for (std::size_t i = 0; i < exact.size(); ++i)
      CHECK(r.log_p[i] - r.log_p0[i] == 0.0);  // ∫ ∇·v = 0 exactly
    const double e = max_error(r, exact);
    CAPTURE(steps, e, previous);
    CHECK(e < 1e-2);
    if (previous > 0) CHECK(previous / e > 12);  // fourth order: 16
    previous = e;
  }
}

TEST_CASE("round trip: the density computed backward equals the one carried forward",
          "[likelihood]") {
  Generator gen(5, "init");
  nn::MLP net(velocity_net_spec(16, 2), gen);
  const Array<float> x0 = Array<float>{{0.3f, -1.1f}, {-1.4f, 0.2f}, {0.0f, 2.0f}, {0.9f, 0.9f}};
  for (Solver solver : {Solver::rk4, Solver::dopri5}) {
    CAPTURE(solver_name(solver));
    const IntegrateOptions o = with(solver, 40);
    const auto forward = sample_with_log_density(net, x0, o);
    const auto backward = log_likelihood(net, forward.x, o);
    // The fast path against reverse mode through the same integration.
    const auto reverse_mode = log_likelihood(tensor_field(net), forward.x, o);
    for (std::size_t i = 0; i < 4; ++i)
      CHECK(reverse_mode.log_p[i] == Approx(backward.log_p[i]).margin(1e-5));
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(backward.x(i, 0) == Approx(x0(i, 0)).margin(1e-4));
      CHECK(backward.x(i, 1) == Approx(x0(i, 1)).margin(1e-4));
      CHECK(backward.log_p[i] == Approx(forward.log_p[i]).margin(1e-4));
    }
    CHECK(mean_nll(backward) == Approx(mean_nll(forward)).margin(1e-4));
  }
  // The forward samples are the integrator's own samples.
  const auto sampled = integrate(velocity_field(net), x0, with(Solver::rk4, 40));
  const auto forward = sample_with_log_density(net, x0, with(Solver::rk4, 40));
  for (std::size_t i = 0; i < sampled.x.size(); ++i)
    CHECK(forward.x.data()[i] == Approx(sampled.x.data()[i]).margin(1e-5));
  CHECK(forward.nfe == 160);
}

TEST_CASE("log_likelihood refuses bad input", "[likelihood][errors]") {
  CHECK_THROWS_WITH(
      log_likelihood(rotation(1.0), Array<double>(xt::zeros<double>({0, 2})), with(Solver::rk4, 4)),
      Catch::Contains("log_likelihood: x must be [n,2] with n > 0"));
  CHECK_THROWS_WITH(mean_nll(DensityResult<double>{}), Catch::Contains("mean_nll"));
}
