#include "flow/sb_cfm.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "flow/assignment.hpp"
#include "flow/sinkhorn.hpp"

namespace minflow::flow {

namespace {
void check_sigma(double sigma, const char* who) {
  if (!(sigma > 0.0) || !std::isfinite(sigma)) {
    throw std::invalid_argument(std::string(who) + ": sigma must be > 0 and finite, got " +
                                std::to_string(sigma));
  }
}
}  // namespace

void schrodinger_bridge_pairs(Array<float>& x0, Array<float>& x1, double sigma, Generator& gen) {
  check_sigma(sigma, "schrodinger_bridge_pairs");
  const CostMatrix cost = squared_distances(x0, x1);
  double mean = 0.0;
  for (double c : cost.values)
    mean += c;
  mean /= double(cost.values.size());
  if (!(mean > 0.0)) return;  // every point on top of every other: any pairing is the same
  SinkhornOptions options;
  options.epsilon = 2.0 * sigma * sigma / mean;  // sinkhorn() takes ε relative to the mean
  options.max_iterations = 1000;
  const SinkhornPlan plan = sinkhorn(cost, options);
  const Array<float> old0 = x0, old1 = x1;
  const auto pairs = sample_plan(plan, x0.shape()[0], gen);
  for (std::size_t k = 0; k < pairs.size(); ++k)
    for (std::size_t d = 0; d < 2; ++d) {
      x0(k, d) = old0(pairs[k].first, d);
      x1(k, d) = old1(pairs[k].second, d);
    }
}

FlowBatch schrodinger_bridge_batch(const Array<float>& x0, const Array<float>& x1, double sigma,
                                   Generator& time_gen) {
  check_sigma(sigma, "schrodinger_bridge_batch");
  if (x0.dimension() != 2 || x0.shape()[1] != 2 || x0.shape() != x1.shape()) {
    throw std::invalid_argument("schrodinger_bridge_batch: x0 and x1 must both be [n,2]");
  }
  const std::size_t n = x0.shape()[0];
  FlowBatch b{Array<float>::from_shape({n, 1}), Array<float>::from_shape({n, 2}),
              Array<float>::from_shape({n, 2})};
  for (std::size_t i = 0; i < n; ++i)
    b.t(i, 0) = static_cast<float>(time_gen.uniform_double());
  for (std::size_t i = 0; i < n; ++i) {
    const double t = b.t(i, 0), bridge = sigma * std::sqrt(t * (1.0 - t));
    const double ratio = (1.0 - 2.0 * t) / (2.0 * t * (1.0 - t) + 1e-8);  // σ_t'/σ_t
    for (std::size_t d = 0; d < 2; ++d) {
      const double noise = bridge * time_gen.normal();  // x_t − μ_t
      b.xt(i, d) = static_cast<float>(t * x1(i, d) + (1.0 - t) * x0(i, d) + noise);
      b.u(i, d) = static_cast<float>(double(x1(i, d)) - x0(i, d) + ratio * noise);
    }
  }
  return b;
}

}  // namespace minflow::flow
