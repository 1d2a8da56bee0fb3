// Precision, recall and the true-density metrics on cases with a known answer.
#include <catch2/catch.hpp>

#include <cmath>

#include <xtensor/xview.hpp>

#include "base/random.hpp"
#include "base/thread_pool.hpp"
#include "flow/datasets.hpp"
#include "flow/exact_field.hpp"
#include "flow/support_metrics.hpp"

using namespace minflow;
using namespace minflow::flow;

TEST_CASE("a sample of the target has precision and recall near 1", "[support]") {
  Generator a(1, "test"), b(2, "test");
  const Array<float> x = spiral(a, 2000), y = spiral(b, 2000);
  const PrecisionRecall pr = precision_recall(x, y);
  CHECK(pr.precision > 0.9);
  CHECK(pr.recall > 0.9);
  CHECK(pr.precision <= 1.0);
}

TEST_CASE("a sample shifted off the support has precision near 0", "[support]") {
  Generator a(3, "test"), b(4, "test");
  const Array<float> x = eight_gaussians(a, 2000), y = eight_gaussians(b, 2000);
  Array<float> far = x;
  xt::view(far, xt::all(), 1) += 6.0f;  // the whole set 6 up: beyond every ball
  const PrecisionRecall gone = precision_recall(far, y);
  CHECK(gone.precision < 0.01);
  CHECK(gone.recall < 0.01);
  // Blobs moved to radius 3 (1.0 = 5σ from every centre): most samples are off. Not all:
  // the k-NN balls of the target's own outliers are wide (the method's known weakness).
  Array<float> wide = x;
  wide *= 1.5f;
  CHECK(precision_recall(wide, y).precision < 0.25);
  CHECK(precision_recall(x, y).precision > 0.9);
}

TEST_CASE("half the modes missing: precision stays high, recall halves", "[support]") {
  Generator a(5, "test"), b(6, "test");
  const Array<float> all = eight_gaussians(a, 4000), y = eight_gaussians(b, 2000);
  std::vector<float> kept;
  for (std::size_t i = 0; i < all.shape()[0] && kept.size() < 4000; ++i)
    if (all(i, 1) > 0.5f) kept.insert(kept.end(), {all(i, 0), all(i, 1)});  // 3 of 8 modes
  Array<float> x = Array<float>::from_shape({kept.size() / 2, 2});
  std::copy(kept.begin(), kept.end(), x.begin());
  const PrecisionRecall pr = precision_recall(x, y);
  CHECK(pr.precision > 0.9);
  CHECK(pr.recall == Approx(3.0 / 8.0).margin(0.05));
}

TEST_CASE("precision and recall by brute force on a tiny set, and any thread count", "[support]") {
  // Target on a line at 0, 1, 2, 3, 10 (k = 1): radii 1, 1, 1, 1, 7. Samples 0.5 (in),
  // 5 (in the ball of 10: 5 ≤ 7), −2 (out), 20 (out): precision 1/2.
  Array<float> y = Array<float>::from_shape({5, 2}), x = Array<float>::from_shape({4, 2});
  y.fill(0.0f);
  x.fill(0.0f);
  const float ys[] = {0, 1, 2, 3, 10}, xs[] = {0.5f, 5, -2, 20};
  for (int i = 0; i < 5; ++i)
    y(i, 0) = ys[i];
  for (int i = 0; i < 4; ++i)
    x(i, 0) = xs[i];
  // Sample radii (k = 1): 0.5 → 4.5, 5 → 4.5, −2 → 2.5, 20 → 15: every target point is
  // within one of them (0, 1, 2, 3 of 0.5; 10 of 5), so recall 1.
  set_num_threads(1);
  const PrecisionRecall one = precision_recall(x, y, 1);
  set_num_threads(2);
  const PrecisionRecall two = precision_recall(x, y, 1);
  CHECK(one.precision == 0.5);
  CHECK(one.recall == 1.0);
  CHECK(two.precision == one.precision);
  CHECK(two.recall == one.recall);
  CHECK_THROWS_WITH(precision_recall(x, y, 4), Catch::Contains("n >= 5"));
}

TEST_CASE("true-density metrics: the target itself and a sample off the arm", "[support]") {
  const GaussianMixture p = target_mixture("spiral", 512);
  Generator a(7, "test"), b(8, "test");
  const Array<float> x = spiral(a, 4000), y = spiral(b, 4000);
  const DensityMetrics same = density_metrics(p, x, y);
  CHECK(same.nll_true_density == Approx(same.entropy).margin(0.05));
  CHECK(same.off_support_fraction == Approx(0.01).margin(0.006));
  Array<float> off = x;
  off *= 1.1f;  // 10% larger: most points fall between the arms
  const DensityMetrics moved = density_metrics(p, off, y);
  CHECK(moved.nll_true_density > same.entropy + 1.0);
  CHECK(moved.off_support_fraction > 0.2);  // the outer turns move 0.2–0.3 off
}

TEST_CASE("entropy of a single Gaussian matches its closed form", "[support]") {
  // H(N(0, s² I₂)) = 1 + log(2π s²).
  const GaussianMixture p = target_mixture("gaussian", 0, 0.5);
  Generator a(9, "test"), b(10, "test");
  const DensityMetrics d = density_metrics(p, gaussian(a, 20000, 0.5), gaussian(b, 20000, 0.5));
  CHECK(d.entropy == Approx(1.0 + std::log(2.0 * 3.14159265358979 * 0.25)).margin(0.02));
  CHECK_THROWS_WITH(density_metrics(points_mixture(gaussian(a, 5)), gaussian(a, 5), gaussian(b, 5)),
                    Catch::Contains("no density"));
}
