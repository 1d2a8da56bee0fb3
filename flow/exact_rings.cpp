#include "flow/exact_rings.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace minflow::flow::detail {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
}  // namespace

double ring_nodes(const GaussianMixture& m, double t, double x, double y, RingNodes& out) {
  const std::size_t rings = m.ring_r.size(), n = m.ring_nodes;
  out.log_weight.resize(rings * n);
  out.ux.resize(rings * n);
  out.uy.resize(rings * n);
  const double rho = std::hypot(x, y), ax = std::atan2(y, x);
  const double v_perp = (1.0 - t) * (1.0 - t), slope_perp = -(1.0 - t) / v_perp;
  if (out.tau.size() != n) {  // the even grid of u, the same for every point
    out.tau.resize(n);
    out.log_1_tau2.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
      out.tau[j] = std::tan(0.5 * (-kPi + 2.0 * kPi * (double(j) + 0.5) / double(n)));
      out.log_1_tau2[j] = std::log1p(out.tau[j] * out.tau[j]);
    }
  }
  const double cx = std::cos(ax), sx = std::sin(ax);
  double top = kMinusInf;
  for (std::size_t r = 0; r < rings; ++r) {
    const double R = m.ring_r[r], s2 = m.ring_s2[r];
    const double v_par = (1.0 - t) * (1.0 - t) + t * t * s2;
    const double slope_par = (t * s2 - (1.0 - t)) / v_par;
    // −log weight(δ) ≈ const + κ δ²/2 near δ = 0 (d∥ = ρ cos δ − tR, d⊥ = −ρ sin δ).
    const double kappa = rho * rho / v_perp + rho * (t * R - rho) / v_par;
    const double lambda = kappa > 0.0 ? std::min(1.0, 3.0 / std::sqrt(kappa)) : 1.0;
    // log of: the ring's weight × the node's share (1/2π)(2π/n) dδ/du × the normalisation,
    // with dδ/du = λ (1 + τ²)/(1 + λ²τ²), τ = tan(u/2)
    const double log_norm = m.ring_log_w[r] - std::log(2.0 * kPi) - 0.5 * std::log(v_par * v_perp) +
                            std::log(lambda / double(n));
    for (std::size_t j = 0; j < n; ++j) {
      // a = a_x + δ with tan(δ/2) = q = λτ: cos δ, sin δ from q without trigonometry
      const double q = lambda * out.tau[j], q2 = q * q;
      const double cd = (1.0 - q2) / (1.0 + q2), sd = 2.0 * q / (1.0 + q2);
      const double ex = cx * cd - sx * sd, ey = sx * cd + cx * sd;
      const double dx = x - t * R * ex, dy = y - t * R * ey;
      const double d_par = dx * ex + dy * ey, d_perp = -dx * ey + dy * ex;
      const double lw = log_norm + out.log_1_tau2[j] - std::log1p(q2) -
                        d_par * d_par / (2.0 * v_par) - d_perp * d_perp / (2.0 * v_perp);
      const double along = R + slope_par * d_par, across = slope_perp * d_perp;
      out.log_weight[r * n + j] = lw;
      out.ux[r * n + j] = along * ex - across * ey;
      out.uy[r * n + j] = along * ey + across * ex;
      top = std::max(top, lw);
    }
  }
  return top;
}

double ring_log_density_t1(const GaussianMixture& m, double x, double y) {
  const double rho = std::hypot(x, y);
  double top = kMinusInf;
  std::vector<double> l(m.ring_r.size());
  for (std::size_t r = 0; r < l.size(); ++r) {
    const double d = rho - m.ring_r[r];
    l[r] = m.ring_log_w[r] - 0.5 * std::log(2.0 * kPi * m.ring_s2[r]) -
           d * d / (2.0 * m.ring_s2[r]) - std::log(2.0 * kPi * rho);
    top = std::max(top, l[r]);
  }
  if (top == kMinusInf) return top;
  double sum = 0.0;
  for (double v : l)
    sum += std::exp(v - top);
  return top + std::log(sum);
}

}  // namespace minflow::flow::detail
