// The demo table's support metrics (precision, recall, true-density metrics), with the
// target's share of the work done once: its k-NN radii (an O(n²) pass) serve every row.
#include "apps/demo.hpp"
#include "flow/exact_field.hpp"

namespace minflow::cli {

SupportReference support_reference(const flow::EvalSettings& eval) {
  const Array<float> target = flow::evaluation_targets(eval);
  return {flow::knn_balls(target),
          flow::density_reference(flow::target_mixture(eval.data), target)};
}

void measure_support(const SupportReference& reference, const Array<float>& samples,
                     DemoMetric& m) {
  m.support = flow::precision_recall(samples, reference.balls);
  m.density = flow::density_metrics(reference.density, samples);
}

}  // namespace minflow::cli
