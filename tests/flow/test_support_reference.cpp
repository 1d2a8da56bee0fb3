// The pruned searches and the reusable references of support_metrics.hpp against brute force.
#include <algorithm>
#include <catch2/catch.hpp>
#include <limits>
#include <vector>

#include "flow/datasets.hpp"
#include "flow/support_metrics.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
double d2(const Array<float>& a, std::size_t i, const Array<float>& b, std::size_t j) {
  const double dx = double(a(i, 0)) - double(b(j, 0)), dy = double(a(i, 1)) - double(b(j, 1));
  return dx * dx + dy * dy;
}
// Every pair compared: the k-th neighbour radius², then the share of `x` in some ball.
std::vector<double> brute_radius(const Array<float>& a, std::size_t k) {
  std::vector<double> r(a.shape()[0]);
  for (std::size_t i = 0; i < r.size(); ++i) {
    std::vector<double> d;
    for (std::size_t j = 0; j < r.size(); ++j)
      if (j != i) d.push_back(d2(a, i, a, j));
    std::sort(d.begin(), d.end());
    r[i] = d[k - 1];
  }
  return r;
}
double brute_share(const Array<float>& x, const Array<float>& c, const std::vector<double>& r) {
  std::size_t in = 0;
  for (std::size_t i = 0; i < x.shape()[0]; ++i) {
    bool hit = false;
    for (std::size_t j = 0; j < c.shape()[0] && !hit; ++j)
      hit = d2(x, i, c, j) <= r[j];
    in += hit ? 1 : 0;
  }
  return double(in) / double(x.shape()[0]);
}
}  // namespace

TEST_CASE("pruned precision/recall equal brute force exactly, with repeated x", "[support]") {
  Generator gen(21, "ref");
  Array<float> x = spiral(gen, 600), y = spiral(gen, 500);
  for (std::size_t i = 0; i < 40; ++i)
    x(i, 0) = y(i, 0) = 0.25f;  // ties in x
  x(7, 0) = 3.0f;               // an outlier
  for (std::size_t k : {1, 3, 5}) {
    const KnnBalls balls = knn_balls(y, k);
    CHECK(balls.radius_sq == brute_radius(y, k));
    const PrecisionRecall pr = precision_recall(x, balls);
    CHECK(pr.precision == brute_share(x, y, brute_radius(y, k)));
    CHECK(pr.recall == brute_share(y, x, brute_radius(x, k)));
    const PrecisionRecall direct = precision_recall(x, y, k);
    CHECK(direct.precision == pr.precision);
    CHECK(direct.recall == pr.recall);
  }
}

TEST_CASE("a density reference gives the same metrics as the direct call", "[support]") {
  Generator gen(22, "ref");
  const Array<float> x = spiral(gen, 300), y = spiral(gen, 400);
  const GaussianMixture p = target_mixture("spiral");
  const DensityMetrics direct = density_metrics(p, x, y);
  const DensityMetrics reused = density_metrics(density_reference(p, y), x);
  CHECK(reused.nll_true_density == direct.nll_true_density);
  CHECK(reused.entropy == direct.entropy);
  CHECK(reused.off_support_fraction == direct.off_support_fraction);
  CHECK(reused.log_density_threshold == direct.log_density_threshold);
  CHECK(direct.entropy > 1.5);  // a real value, not the zero a skipped loop would leave
}
