// Precision, recall and the true-density metrics (support_metrics.hpp).
#include "flow/support_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/thread_pool.hpp"

namespace minflow::flow {

namespace {
void check_set(const Array<float>& a, const char* what, const char* op, std::size_t min_rows) {
  if (a.dimension() != 2 || a.shape()[1] != 2 || a.shape()[0] < min_rows) {
    Shape s(a.shape().begin(), a.shape().end());
    throw std::invalid_argument(std::string(op) + ": " + what + " must be [n,2] with n >= " +
                                std::to_string(min_rows) + ", got " + shape_to_string(s));
  }
}

double sq_dist(const Array<float>& a, std::size_t i, const Array<float>& b, std::size_t j) {
  const double dx = double(a(i, 0)) - double(b(j, 0)), dy = double(a(i, 1)) - double(b(j, 1));
  return dx * dx + dy * dy;
}

// The squared distance from each row of `a` to its k-th nearest other row of `a`.
std::vector<double> kth_neighbour_sq(const Array<float>& a, std::size_t k) {
  const std::size_t n = a.shape()[0];
  std::vector<double> radius(n);
  parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
    std::vector<double> d(n - 1);
    for (std::size_t i = begin; i < end; ++i) {
      std::size_t m = 0;
      for (std::size_t j = 0; j < n; ++j)
        if (j != i) d[m++] = sq_dist(a, i, a, j);
      std::nth_element(d.begin(), d.begin() + (k - 1), d.end());
      radius[i] = d[k - 1];
    }
  });
  return radius;
}

// The share of rows of `x` inside some ball (centre a row of `centres`, squared radius r²).
double share_inside(const Array<float>& x, const Array<float>& centres,
                    const std::vector<double>& radius_sq) {
  const std::size_t n = x.shape()[0], m = centres.shape()[0];
  std::vector<char> inside(n, 0);
  parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      for (std::size_t j = 0; j < m && !inside[i]; ++j)
        inside[i] = sq_dist(x, i, centres, j) <= radius_sq[j];
  });
  std::size_t count = 0;
  for (char c : inside)
    count += c ? 1 : 0;
  return double(count) / double(n);
}
}  // namespace

PrecisionRecall precision_recall(const Array<float>& samples, const Array<float>& target,
                                 std::size_t k) {
  if (k == 0) throw std::invalid_argument("precision_recall: k must be at least 1");
  check_set(samples, "samples", "precision_recall", k + 1);
  check_set(target, "target", "precision_recall", k + 1);
  PrecisionRecall out;
  out.precision = share_inside(samples, target, kth_neighbour_sq(target, k));
  out.recall = share_inside(target, samples, kth_neighbour_sq(samples, k));
  return out;
}

DensityMetrics density_metrics(const GaussianMixture& density, const Array<float>& samples,
                               const Array<float>& target) {
  check_set(samples, "samples", "density_metrics", 1);
  check_set(target, "target", "density_metrics", 1);
  if (!density.has_density()) {
    throw std::invalid_argument("density_metrics: " + density.name +
                                " has no density (point masses)");
  }
  const std::vector<double> ls = log_density(density, samples), lt = log_density(density, target);
  DensityMetrics out;
  for (double l : ls)
    out.nll_true_density -= l;
  out.nll_true_density /= double(ls.size());
  for (double l : lt)
    out.entropy -= l;
  out.entropy /= double(lt.size());
  std::vector<double> sorted = lt;
  const std::size_t rank = (sorted.size() + 99) / 100;  // ⌈m/100⌉, 1-based
  std::nth_element(sorted.begin(), sorted.begin() + (rank - 1), sorted.end());
  out.log_density_threshold = sorted[rank - 1];
  std::size_t off = 0;
  for (double l : ls)
    off += l < out.log_density_threshold ? 1 : 0;
  out.off_support_fraction = double(off) / double(ls.size());
  return out;
}

}  // namespace minflow::flow
