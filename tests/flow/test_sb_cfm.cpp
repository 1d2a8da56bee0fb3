// SB-CFM: the target is the time derivative of the Brownian-bridge path (finite differences),
// the bridge noise has standard deviation σ√(t(1 − t)), the pairs tend to the exact OT
// assignment as σ → 0 and to independent pairs as σ → ∞; and torchcfm's 2-D sets.
#include <catch2/catch.hpp>
#include <cmath>

#include "base/random.hpp"
#include "flow/assignment.hpp"
#include "flow/sb_cfm.hpp"
#include "flow/torchcfm_data.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
double mean_chord(const Array<float>& x0, const Array<float>& x1) {
  double s = 0;
  for (std::size_t i = 0; i < x0.shape()[0]; ++i)
    s += std::pow(double(x1(i, 0)) - x0(i, 0), 2) + std::pow(double(x1(i, 1)) - x0(i, 1), 2);
  return s / double(x0.shape()[0]);
}
}  // namespace

TEST_CASE("SB-CFM target is the derivative of the bridge path at fixed noise", "[sb_cfm]") {
  Generator gen(3, "sb");
  const Array<float> x0 = sample_torchcfm("gaussian", gen, 200),
                     x1 = sample_torchcfm("moons", gen, 200);
  const double sigma = 0.7;
  const FlowBatch b = schrodinger_bridge_batch(x0, x1, sigma, gen);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < 200; ++i) {
    const double t = b.t(i, 0);
    if (t < 0.02 || t > 0.98) continue;  // finite differences need room either side
    for (std::size_t d = 0; d < 2; ++d) {
      // Recover ε from x_t, then differentiate x(s) = s x1 + (1 − s) x0 + σ√(s(1 − s)) ε.
      const double mu = t * x1(i, d) + (1 - t) * x0(i, d);
      const double eps = (b.xt(i, d) - mu) / (sigma * std::sqrt(t * (1 - t)));
      auto path = [&](double s) {
        return s * x1(i, d) + (1 - s) * x0(i, d) + sigma * std::sqrt(s * (1 - s)) * eps;
      };
      const double h = 1e-4, fd = (path(t + h) - path(t - h)) / (2 * h);
      CHECK(b.u(i, d) == Approx(fd).margin(2e-3).epsilon(2e-3));
    }
    ++checked;
  }
  CHECK(checked > 150);
}

TEST_CASE("SB-CFM bridge noise has standard deviation sigma sqrt(t(1-t))", "[sb_cfm]") {
  Generator gen(4, "sb");
  const std::size_t n = 40000;
  const Array<float> x0 = sample_torchcfm("gaussian", gen, n),
                     x1 = sample_torchcfm("scurve", gen, n);
  const double sigma = 0.5;
  const FlowBatch b = schrodinger_bridge_batch(x0, x1, sigma, gen);
  double sum2 = 0;
  std::size_t used = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = b.t(i, 0);
    if (t * (1 - t) < 1e-3) continue;
    for (std::size_t d = 0; d < 2; ++d) {
      const double z = (b.xt(i, d) - (t * x1(i, d) + (1 - t) * x0(i, d))) / std::sqrt(t * (1 - t));
      sum2 += z * z;
      ++used;
    }
  }
  CHECK(std::sqrt(sum2 / double(used)) == Approx(sigma).epsilon(0.02));
}

TEST_CASE("SB-CFM pairs: exact OT as sigma -> 0, independent as sigma -> infinity", "[sb_cfm]") {
  Generator gen(5, "sb");
  const std::size_t n = 64;
  const Array<float> x0 = sample_torchcfm("gaussian", gen, n),
                     x1 = sample_torchcfm("8gaussians", gen, n);
  const CostMatrix cost = squared_distances(x0, x1);
  const double ot = solve_assignment(cost).total_cost / double(n);
  double all = 0;
  for (double c : cost.values)
    all += c;
  all /= double(cost.values.size());
  Array<float> a0 = x0, a1 = x1;
  schrodinger_bridge_pairs(a0, a1, 0.05, gen);            // ε = 0.005: far below the mean cost ~27
  CHECK(mean_chord(a0, a1) == Approx(ot).epsilon(0.05));  // n draws: sampling noise
  Array<float> b0 = x0, b1 = x1;
  schrodinger_bridge_pairs(b0, b1, 100.0, gen);  // ε = 20,000
  CHECK(mean_chord(b0, b1) == Approx(all).epsilon(0.25));
  CHECK(mean_chord(b0, b1) > 1.6 * ot);
  CHECK_THROWS_WITH(schrodinger_bridge_pairs(a0, a1, 0.0, gen),
                    Catch::Contains("sigma must be > 0"));
}

TEST_CASE("torchcfm's 2-D sets at torchcfm's scales", "[sb_cfm]") {
  Generator gen(6, "tcfm");
  const std::size_t n = 20000;
  // 8gaussians: radius 5, per-coordinate sd 0.1^(1/4); the distance to the nearest centre.
  const Array<float> g = sample_torchcfm("8gaussians", gen, n);
  double r2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = std::round(std::atan2(g(i, 1), g(i, 0)) / (M_PI / 4)) * (M_PI / 4);
    r2 += std::pow(g(i, 0) - 5 * std::cos(a), 2) + std::pow(g(i, 1) - 5 * std::sin(a), 2);
  }
  CHECK(std::sqrt(r2 / double(2 * n)) == Approx(std::pow(0.1, 0.25)).epsilon(0.03));
  // moons: (generate_moons + 0.2 U)·3 − 1: x in [−4, 5.6], mean x = 3·(0.5 + 0.1) − 1 = 0.8.
  const Array<float> m = sample_torchcfm("moons", gen, n);
  double mx = 0, lo = 1e9, hi = -1e9;
  for (std::size_t i = 0; i < n; ++i) {
    mx += m(i, 0) / double(n);
    lo = std::min<double>(lo, m(i, 0));
    hi = std::max<double>(hi, m(i, 0));
  }
  CHECK(mx == Approx(0.8).margin(0.03));
  CHECK(lo >= -4.0);
  CHECK(hi <= 5.6 + 1e-5);
  // scurve: x = 1.5 sin t + noise, so |x| ≤ 1.5 + a few noise sd.
  const Array<float> s = sample_torchcfm("scurve", gen, n);
  for (std::size_t i = 0; i < n; ++i)
    REQUIRE(std::abs(s(i, 0)) < 1.5 + 6 * 0.075);
  CHECK_THROWS_WITH(sample_torchcfm("swiss", gen, 3), Catch::Contains("unknown set 'swiss'"));
}
