#include "flow/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "base/random.hpp"
#include "base/thread_pool.hpp"

namespace minflow::flow {

namespace {

void check_points(const Array<float>& a, const char* what, const char* op) {
  if (a.dimension() != 2 || a.shape()[1] != 2 || a.shape()[0] == 0) {
    Shape s(a.shape().begin(), a.shape().end());
    throw std::invalid_argument(std::string(op) + ": " + what + " must be [n,2] with n > 0, got " +
                                shape_to_string(s));
  }
}

// Mean of ‖a_i − b_j‖ over all n·m pairs. Each row's sum is computed by one thread and the
// row sums are added in order afterwards, so the result does not depend on the thread count.
// Each thread owns whole rows (a reduction split across threads would change the rounding
// with the thread count): row_sum[i] = Σ_j ‖a_i − b_j‖ in double, then the sums in order.
double mean_pair_distance(const Array<float>& a, const Array<float>& b) {
  // EXERCISE 9.1 BEGIN: the energy distance (mean pair distance)
  const std::size_t n = a.shape()[0], m = b.shape()[0];
  std::vector<double> row_sum(n, 0.0);
  parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const double ax = a(i, 0), ay = a(i, 1);
      double s = 0.0;
      for (std::size_t j = 0; j < m; ++j) {
        const double dx = ax - b(j, 0), dy = ay - b(j, 1);
        s += std::sqrt(dx * dx + dy * dy);
      }
      row_sum[i] = s;
    }
  });
  double total = 0.0;
  for (double s : row_sum)
    total += s;
  return total / (double(n) * double(m));
  // EXERCISE END
}

}  // namespace

double energy_distance(const Array<float>& x, const Array<float>& y) {
  check_points(x, "X", "energy_distance");
  check_points(y, "Y", "energy_distance");
  return 2.0 * mean_pair_distance(x, y) - mean_pair_distance(x, x) - mean_pair_distance(y, y);
}

double sliced_w2(const Array<float>& x, const Array<float>& y, std::size_t directions,
                 std::uint64_t seed) {
  check_points(x, "X", "sliced_w2");
  check_points(y, "Y", "sliced_w2");
  const std::size_t n = x.shape()[0];
  if (y.shape()[0] != n) {
    throw std::invalid_argument("sliced_w2: X has " + std::to_string(n) + " rows but Y has " +
                                std::to_string(y.shape()[0]) + "; they must be equal");
  }
  if (directions == 0) throw std::invalid_argument("sliced_w2: need at least one direction");
  constexpr double kPi = 3.14159265358979323846;
  Generator gen(seed, "sliced_w2");
  std::vector<double> angle(directions);
  for (double& a : angle)
    a = gen.uniform(0.0, kPi);

  std::vector<double> per_direction(directions, 0.0);
  parallel_for(directions, 1, [&](std::size_t begin, std::size_t end) {
    std::vector<double> px(n), py(n);
    for (std::size_t d = begin; d < end; ++d) {
      const double cx = std::cos(angle[d]), cy = std::sin(angle[d]);
      for (std::size_t i = 0; i < n; ++i) {
        px[i] = cx * x(i, 0) + cy * x(i, 1);
        py[i] = cx * y(i, 0) + cy * y(i, 1);
      }
      // Sorted projections are the 1-D optimal transport plan: match quantile to quantile.
      std::sort(px.begin(), px.end());
      std::sort(py.begin(), py.end());
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i)
        s += (px[i] - py[i]) * (px[i] - py[i]);
      per_direction[d] = s;
    }
  });
  double total = 0.0;
  for (double s : per_direction)
    total += s;
  return std::sqrt(total / (double(directions) * double(n)));
}

double straightness(const VelocityField<float>& v, const Array<float>& x0, std::size_t steps) {
  check_points(x0, "x0", "straightness");
  if (steps == 0) throw std::invalid_argument("straightness: steps must be positive");
  // Walk `steps` Euler steps x_{k+1} = x_k + h·v(x_k, t_k), h = 1/steps, t_k = k·h, keeping
  // each v(x_k, t_k); then S = mean over k and rows of ‖(x_N − x_0) − v(x_k, t_k)‖² (double).
  // EXERCISE 8.2 BEGIN: straightness
  // Walk the Euler path, keeping every velocity; the displacement x_N − x_0 is known only
  // at the end.
  std::vector<Array<float>> velocity;
  velocity.reserve(steps);
  Array<float> x = x0;
  const double h = 1.0 / double(steps);
  for (std::size_t k = 0; k < steps; ++k) {
    velocity.push_back(v(x, double(k) * h));
    const Array<float>& vk = velocity.back();
    for (std::size_t i = 0; i < x.size(); ++i)
      x.data()[i] += float(h) * vk.data()[i];
  }
  const std::size_t n = x0.shape()[0];
  double total = 0.0;
  for (const Array<float>& vk : velocity) {
    for (std::size_t i = 0; i < n; ++i) {
      const double dx = (double(x(i, 0)) - x0(i, 0)) - vk(i, 0);
      const double dy = (double(x(i, 1)) - x0(i, 1)) - vk(i, 1);
      total += dx * dx + dy * dy;
    }
  }
  return total / (double(steps) * double(n));
  // EXERCISE END
}

}  // namespace minflow::flow
