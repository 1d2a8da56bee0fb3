#include "flow/sinkhorn_step.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace minflow::flow {

std::vector<double> sinkhorn_row_update(const CostMatrix& cost, const std::vector<double>& g,
                                        double eps, double log_a) {
  if (g.size() != cost.cols) {
    throw std::invalid_argument("sinkhorn_row_update: g has " + std::to_string(g.size()) +
                                " values, the cost " + std::to_string(cost.cols) + " columns");
  }
  if (!(eps > 0.0)) throw std::invalid_argument("sinkhorn_row_update: eps must be > 0");
  // Row i: z_j = (g_j − c_ij)/ε, m = max_j z_j, LSE = m + log Σ_j exp(z_j − m),
  // f_i = ε·log_a − ε·LSE.
  // EXERCISE 12.2 BEGIN: a Sinkhorn row update (log-sum-exp)
  std::vector<double> f(cost.rows), z(cost.cols);
  for (std::size_t i = 0; i < cost.rows; ++i) {
    double m = -INFINITY;
    for (std::size_t j = 0; j < cost.cols; ++j) {
      z[j] = (g[j] - cost(i, j)) / eps;
      m = std::max(m, z[j]);
    }
    double sum = 0.0;
    for (std::size_t j = 0; j < cost.cols; ++j)
      sum += std::exp(z[j] - m);
    f[i] = eps * log_a - eps * (m + std::log(sum));
  }
  return f;
  // EXERCISE END
}

}  // namespace minflow::flow
