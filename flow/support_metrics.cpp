// Precision, recall and the true-density metrics (support_metrics.hpp).
#include "flow/support_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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

// The rows of `a` sorted by x (ties by index, so the order is deterministic). A pair whose x
// differ by dx is at least dx apart, so a search can stop once dx² passes the radius it
// needs: the same answers as comparing every pair, in a fraction of the time.
std::vector<std::size_t> by_x(const Array<float>& a) {
  std::vector<std::size_t> order(a.shape()[0]);
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    return a(i, 0) < a(j, 0) || (a(i, 0) == a(j, 0) && i < j);
  });
  return order;
}

// The squared distance from each row of `a` to its k-th nearest other row of `a`. The k
// smallest distances so far are kept sorted in a buffer of k; the scan walks outward from
// the row in x order and stops on each side once dx² ≥ the current k-th distance.
std::vector<double> kth_neighbour_sq(const Array<float>& a, std::size_t k) {
  const std::size_t n = a.shape()[0];
  const std::vector<std::size_t> order = by_x(a);
  std::vector<double> radius(n);
  parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
    std::vector<double> best(k);
    auto offer = [&](double d) {
      if (d >= best[k - 1]) return;
      std::size_t p = k - 1;  // shift the larger ones up, insert d in order
      for (; p > 0 && best[p - 1] > d; --p)
        best[p] = best[p - 1];
      best[p] = d;
    };
    for (std::size_t pos = begin; pos < end; ++pos) {
      const std::size_t i = order[pos];
      const double xi = a(i, 0);
      std::fill(best.begin(), best.end(), std::numeric_limits<double>::infinity());
      for (std::size_t q = pos + 1; q < n; ++q) {
        const double dx = double(a(order[q], 0)) - xi;
        if (dx * dx >= best[k - 1]) break;
        offer(sq_dist(a, i, a, order[q]));
      }
      for (std::size_t q = pos; q-- > 0;) {
        const double dx = xi - double(a(order[q], 0));
        if (dx * dx >= best[k - 1]) break;
        offer(sq_dist(a, i, a, order[q]));
      }
      radius[i] = best[k - 1];
    }
  });
  return radius;
}

// The share of rows of `x` inside some ball (centre a row of `centres`, squared radius r²).
// Only centres within the largest radius in x can hold a row: they are found by binary search
// in x order and scanned outward until dx² > the largest r².
// ([[maybe_unused]]: a student copy of the course stubs its only caller, exercise 10.2.)
[[maybe_unused]] double share_inside(const Array<float>& x, const Array<float>& centres,
                                     const std::vector<double>& radius_sq) {
  const std::size_t n = x.shape()[0], m = centres.shape()[0];
  const std::vector<std::size_t> order = by_x(centres);
  std::vector<double> cx(m);
  for (std::size_t q = 0; q < m; ++q)
    cx[q] = centres(order[q], 0);
  const double max_sq = *std::max_element(radius_sq.begin(), radius_sq.end());
  std::vector<char> inside(n, 0);
  parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const double xi = x(i, 0);
      const std::size_t start =
          std::size_t(std::lower_bound(cx.begin(), cx.end(), xi) - cx.begin());
      for (std::size_t q = start; q < m && !inside[i]; ++q) {
        if ((cx[q] - xi) * (cx[q] - xi) > max_sq) break;
        inside[i] = sq_dist(x, i, centres, order[q]) <= radius_sq[order[q]];
      }
      for (std::size_t q = start; q-- > 0 && !inside[i];) {
        if ((xi - cx[q]) * (xi - cx[q]) > max_sq) break;
        inside[i] = sq_dist(x, i, centres, order[q]) <= radius_sq[order[q]];
      }
    }
  });
  std::size_t count = 0;
  for (char c : inside)
    count += c ? 1 : 0;
  return double(count) / double(n);
}
}  // namespace

KnnBalls knn_balls(const Array<float>& points, std::size_t k) {
  if (k == 0) throw std::invalid_argument("precision_recall: k must be at least 1");
  check_set(points, "target", "precision_recall", k + 1);
  return {points, kth_neighbour_sq(points, k), k};
}

// Each set's manifold is the union of its points' balls, the radius of a point's ball the
// distance to its k-th nearest neighbour in its own set (kth_neighbour_sq gives the squared
// radii, the point itself excluded). precision = the share of samples inside the target's
// manifold (the target's balls, target.radius_sq); recall = the share of target points inside
// the samples' manifold (balls around the samples with the samples' own radii, k = target.k).
// share_inside(x, centres, radius_sq) counts the rows of x inside some ball. The samples need
// more than k rows (check_set).
PrecisionRecall precision_recall(const Array<float>& samples, const KnnBalls& target) {
  // EXERCISE 10.2 BEGIN: precision and recall by k-NN balls
  check_set(samples, "samples", "precision_recall", target.k + 1);
  PrecisionRecall out;
  out.precision = share_inside(samples, target.points, target.radius_sq);
  out.recall = share_inside(target.points, samples, kth_neighbour_sq(samples, target.k));
  return out;
  // EXERCISE END
}

PrecisionRecall precision_recall(const Array<float>& samples, const Array<float>& target,
                                 std::size_t k) {
  if (k == 0) throw std::invalid_argument("precision_recall: k must be at least 1");
  check_set(samples, "samples", "precision_recall", k + 1);
  return precision_recall(samples, knn_balls(target, k));
}

DensityReference density_reference(const GaussianMixture& density, const Array<float>& target) {
  check_set(target, "target", "density_metrics", 1);
  if (!density.has_density()) {
    throw std::invalid_argument("density_metrics: " + density.name +
                                " has no density (point masses)");
  }
  std::vector<double> lt = log_density(density, target);
  DensityReference out{density, 0.0, 0.0};
  for (double l : lt)
    out.entropy -= l;
  out.entropy /= double(lt.size());
  const std::size_t rank = (lt.size() + 99) / 100;  // ⌈m/100⌉, 1-based
  std::nth_element(lt.begin(), lt.begin() + (rank - 1), lt.end());
  out.log_density_threshold = lt[rank - 1];
  return out;
}

DensityMetrics density_metrics(const DensityReference& reference, const Array<float>& samples) {
  check_set(samples, "samples", "density_metrics", 1);
  const std::vector<double> ls = log_density(reference.density, samples);
  DensityMetrics out;
  out.entropy = reference.entropy;
  out.log_density_threshold = reference.log_density_threshold;
  std::size_t off = 0;
  for (double l : ls) {
    out.nll_true_density -= l;
    off += l < out.log_density_threshold ? 1 : 0;
  }
  out.nll_true_density /= double(ls.size());
  out.off_support_fraction = double(off) / double(ls.size());
  return out;
}

DensityMetrics density_metrics(const GaussianMixture& density, const Array<float>& samples,
                               const Array<float>& target) {
  check_set(samples, "samples", "density_metrics", 1);
  return density_metrics(density_reference(density, target), samples);
}

}  // namespace minflow::flow
