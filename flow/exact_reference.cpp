#include "flow/exact_reference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace minflow::flow {

namespace {

// u*(x, t) = Σ_k P(k | x)·(μ_k + slope_k·(x − t μ_k)) for t in [0, 1), where component k seen at
// time t is N(t μ_k, σ_k² I) with σ_k² = (1 − t)² + t² s_k², its log-weight
//   l_k = log w_k − log(2π σ_k²) − ‖x − t μ_k‖² / (2 σ_k²),
// P(k | x) = exp(l_k − L) / Σ_j exp(l_j − L) with L = max_j l_j (log-sum-exp: the l_k reach
// −10⁴ far from the data late in t, where exp(l_k) itself is 0 for every k), and
// slope_k = (t s_k² − (1 − t)) / σ_k².
std::array<double, 2> posterior_mean(const GaussianMixture& m, double x, double y, double t) {
  // EXERCISE 10.1 BEGIN: the exact field of a finite mixture
  constexpr double kPi = 3.14159265358979323846;
  const std::size_t n = m.size();
  std::vector<double> log_weight(n), var(n);
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < n; ++k) {
    var[k] = (1.0 - t) * (1.0 - t) + t * t * m.s2[k];
    const double dx = x - t * m.mx[k], dy = y - t * m.my[k];
    log_weight[k] =
        m.log_w[k] - std::log(2.0 * kPi * var[k]) - (dx * dx + dy * dy) / (2.0 * var[k]);
    top = std::max(top, log_weight[k]);
  }
  double total = 0.0, ux = 0.0, uy = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double e = std::exp(log_weight[k] - top);
    const double slope = (t * m.s2[k] - (1.0 - t)) / var[k];
    total += e;
    ux += e * (m.mx[k] + slope * (x - t * m.mx[k]));
    uy += e * (m.my[k] + slope * (y - t * m.my[k]));
  }
  return {ux / total, uy / total};
  // EXERCISE END
}
}  // namespace

std::array<double, 2> exact_velocity_at(const GaussianMixture& mixture, double x, double y,
                                        double t) {
  if (!(t >= 0.0 && t <= 1.0)) {
    throw std::invalid_argument("exact_velocity_at: t must lie in [0, 1], got " +
                                std::to_string(t));
  }
  if (mixture.size() == 0 || !mixture.ring_r.empty()) {
    throw std::invalid_argument(
        "exact_velocity_at: needs point components and no rings (exact_velocity has both)");
  }
  if (t == 1.0) return {x, y};  // x_1 = x1 and x0 is independent of it: u* = x − E[x0]
  return posterior_mean(mixture, x, y, t);
}

}  // namespace minflow::flow
