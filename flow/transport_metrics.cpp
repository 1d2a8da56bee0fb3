#include "flow/transport_metrics.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "flow/assignment.hpp"

namespace minflow::flow {

double exact_w2(const Array<float>& x, const Array<float>& y) {
  if (x.dimension() != 2 || y.dimension() != 2 || x.shape()[0] != y.shape()[0]) {
    Shape a(x.shape().begin(), x.shape().end()), b(y.shape().begin(), y.shape().end());
    throw std::invalid_argument("exact_w2: expected two [n,2] sets of the same n, got " +
                                shape_to_string(a) + " and " + shape_to_string(b));
  }
  const Assignment a = solve_assignment(x, y);
  return std::sqrt(a.total_cost / double(x.shape()[0]));
}

double path_energy(const VelocityField<float>& v, const Array<float>& x0, std::size_t steps) {
  if (x0.dimension() != 2 || x0.shape()[1] != 2 || x0.shape()[0] == 0) {
    throw std::invalid_argument("path_energy: x0 must be [n,2] with n > 0");
  }
  if (steps == 0) throw std::invalid_argument("path_energy: steps must be positive");
  const std::size_t n = x0.shape()[0];
  const double h = 1.0 / double(steps);
  Array<float> x = x0;
  double total = 0.0;
  for (std::size_t k = 0; k < steps; ++k) {
    const Array<float> vk = v(x, double(k) * h);
    for (std::size_t i = 0; i < n; ++i) {
      const double vx = vk(i, 0), vy = vk(i, 1);
      total += h * (vx * vx + vy * vy);
    }
    for (std::size_t i = 0; i < x.size(); ++i)
      x.data()[i] += float(h) * vk.data()[i];
  }
  return total / double(n);
}

double normalized_path_energy(double path_energy, double w2_squared) {
  if (!(w2_squared > 0.0)) {
    throw std::invalid_argument("normalized_path_energy: W2² must be > 0, got " +
                                std::to_string(w2_squared));
  }
  return std::abs(path_energy - w2_squared) / w2_squared;
}

}  // namespace minflow::flow
