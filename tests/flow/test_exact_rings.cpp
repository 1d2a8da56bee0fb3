// The rings' exact velocity (flow/exact_rings.hpp): against brute force, the continuity
// equation, twice the angles, the closed-form density at t = 1, and its own samples.
#include <catch2/catch.hpp>

#include <cmath>

#include <xtensor/xbuilder.hpp>

#include "base/random.hpp"
#include "continuity_residual.hpp"
#include "flow/datasets.hpp"
#include "flow/exact_field.hpp"
#include "flow/metrics.hpp"

using namespace minflow;
using namespace minflow::flow;
using minflow::flow::test::one_row;

namespace {
constexpr double kPi = 3.14159265358979323846;

}  // namespace

TEST_CASE("the rings' exact velocity equals a brute-force integral", "[exact]") {
  // x1 = ρ e_a with ρ ~ N(R, s²) on ring R (weight R/6) and a uniform: integrate over (ρ, a)
  // on a 120 × 3000 grid per ring, x0 = (x − t x1)/(1 − t).
  const GaussianMixture m = target_mixture("rings");
  for (double t : {0.3, 0.7, 0.85}) {
    for (auto [x, y] : {std::pair{0.2, -0.1}, std::pair{-1.3, 0.9}, std::pair{2.1, 1.2}}) {
      double z = 0.0, ux = 0.0, uy = 0.0;
      for (int r = 1; r <= 3; ++r) {
        for (int i = 0; i < 120; ++i) {
          const double rho = r - 0.3 + 0.6 * (i + 0.5) / 120;
          const double pr = r / 6.0 * std::exp(-(rho - r) * (rho - r) / (2 * 0.0025));
          for (int j = 0; j < 3000; ++j) {
            const double a = 2 * kPi * j / 3000;
            const double x1 = rho * std::cos(a), y1 = rho * std::sin(a);
            const double x0 = (x - t * x1) / (1 - t), y0 = (y - t * y1) / (1 - t);
            const double w = pr * std::exp(-(x0 * x0 + y0 * y0) / 2);
            z += w;
            ux += w * (x1 - x0);
            uy += w * (y1 - y0);
          }
        }
      }
      const Array<double> u = exact_velocity(m, one_row(x, y), t);
      INFO("t = " << t << " x = (" << x << ", " << y << ")");
      CHECK(u(0, 0) == Approx(ux / z).margin(1e-6));
      CHECK(u(0, 1) == Approx(uy / z).margin(1e-6));
    }
  }
}

TEST_CASE("the rings: continuity, N against 2N nodes, density and samples", "[exact]") {
  const GaussianMixture m = target_mixture("rings");
  // ∂p_t/∂t + ∇·(p_t u*) = 0 by central differences, as for the mixtures.
  for (double t : {0.3, 0.6, 0.9}) {
    const auto [worst, scale] = test::continuity_residual(m, t, -3.1, 0.77, -3.05, 0.76);
    INFO("rings t = " << t << " residual " << worst << " of " << scale);
    CHECK(worst < 1e-5 * std::max(1.0, scale));
  }
  // The adaptive angles: 128 against 256 per ring, on the training path and at noise points.
  GaussianMixture fine = m;
  fine.ring_nodes = 2 * m.ring_nodes;
  Generator gen(12, "test");
  for (double t : {0.1, 0.5, 0.9, 0.99, 0.999}) {
    const Array<float> x0 = gaussian(gen, 256), x1 = rings(gen, 256);
    Array<double> pts = (1.0 - t) * xt::cast<double>(x0) + t * xt::cast<double>(x1);
    pts = xt::concatenate(xt::xtuple(pts, xt::cast<double>(gaussian(gen, 256))));
    const Array<double> a = exact_velocity(m, pts, t), b = exact_velocity(fine, pts, t);
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
      worst = std::max(worst,
                       std::abs(a.data()[i] - b.data()[i]) / std::max(1.0, std::abs(b.data()[i])));
    INFO("rings t = " << t << ": max relative change " << worst);
    CHECK(worst < 1e-5);
  }
  // The density at t → 1 approaches the closed form used at t = 1.
  for (auto [x, y] : {std::pair{1.02, 0.0}, std::pair{-1.4, 1.45}, std::pair{0.0, -2.96}}) {
    const double closed = log_density(m, one_row(x, y), 1.0)[0];
    CHECK(log_density(m, one_row(x, y), 1.0 - 1e-7)[0] == Approx(closed).margin(1e-4));
  }
  // Euler-100 carries noise onto the rings.
  Generator g0(13, "test"), g1(14, "test"), g2(15, "test");
  const Array<float> target = rings(g1, 1024), other = rings(g2, 1024);
  const Array<float> end = integrate(exact_field(m), gaussian(g0, 1024), IntegrateOptions{}).x;
  CHECK(energy_distance(end, target) < 2.0 * energy_distance(other, target));
}
