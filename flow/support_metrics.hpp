// Sample metrics that see the support (docs/design.md#support-metrics): where energy
// distance averages over all pairs and can hide a fifth of the samples off the data's arm,
// these count the samples (and target points) that are off.
#pragma once

#include <cstddef>
#include <vector>

#include "autograd/tensor.hpp"
#include "flow/exact_field.hpp"

namespace minflow::flow {

// Precision and recall by k-nearest-neighbour balls (Kynkäänniemi et al. 2019). Each point
// p of a set gets the ball of radius r_k(p), the distance to its k-th nearest neighbour in
// its own set (itself excluded). A sample is "in the target manifold" when it lies in the
// ball of some target point (distance ≤ radius); precision is the share of samples in the
// target manifold, recall the share of target points in the samples' manifold. Both sets
// are [n, 2] and [m, 2] with more than k rows; distances in double; rows split across the
// thread pool (the result is the same for any thread count).
struct PrecisionRecall {
  double precision = 0.0;
  double recall = 0.0;
};
PrecisionRecall precision_recall(const Array<float>& samples, const Array<float>& target,
                                 std::size_t k = 3);

// The target's balls (its points and k-th neighbour radii²), computed once when many sample
// sets are measured against the same target (the demo's table); the same numbers as above.
struct KnnBalls {
  Array<float> points;
  std::vector<double> radius_sq;
  std::size_t k = 3;
};
KnnBalls knn_balls(const Array<float>& points, std::size_t k = 3);
PrecisionRecall precision_recall(const Array<float>& samples, const KnnBalls& target);

// For a target with a known density p1 (a mixture with every s_k > 0):
//   nll_true_density = mean over samples of −log p1(x)        (nats per point)
//   entropy          = mean over target points of −log p1(y)  (a Monte Carlo estimate of H)
//   off_support_fraction = share of samples with log p1(x) < τ, τ the data's 1st percentile:
//     the ⌈m/100⌉-th smallest log p1 over the m target points (so about 1% of a sample of
//     the target itself is "off").
// A perfect sampler has nll_true_density ≈ entropy and off_support_fraction ≈ 0.01.
struct DensityMetrics {
  double nll_true_density = 0.0;
  double entropy = 0.0;
  double off_support_fraction = 0.0;
  double log_density_threshold = 0.0;  // τ
};
DensityMetrics density_metrics(const GaussianMixture& density, const Array<float>& samples,
                               const Array<float>& target);

// The target's share (its entropy and τ), computed once for many sample sets.
struct DensityReference {
  GaussianMixture density;
  double entropy = 0.0;
  double log_density_threshold = 0.0;
};
DensityReference density_reference(const GaussianMixture& density, const Array<float>& target);
DensityMetrics density_metrics(const DensityReference& reference, const Array<float>& samples);

}  // namespace minflow::flow
