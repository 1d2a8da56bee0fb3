#include "flow/class_quality.hpp"

#include "flow/conditional.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/labels.hpp"
#include "flow/metrics.hpp"
#include "flow/support_metrics.hpp"

namespace minflow::flow {

Array<float> class_points(const std::string& data, std::size_t label, std::size_t n,
                          std::uint64_t eval_seed) {
  Generator gen(eval_seed, "target");
  Array<float> out = Array<float>::from_shape({n, 2});
  std::size_t filled = 0;
  while (filled < n) {
    const LabelledPoints batch = sample_labelled(data, gen, 4096);
    for (std::size_t i = 0; i < 4096 && filled < n; ++i) {
      if (batch.labels[i] != label) continue;
      out(filled, 0) = batch.x(i, 0);
      out(filled, 1) = batch.x(i, 1);
      ++filled;
    }
  }
  return out;
}

ClassQuality class_quality(nn::Module& net, const std::string& data, std::size_t classes,
                           std::size_t label, double w, std::size_t n,
                           const IntegrateOptions& options, std::uint64_t seed,
                           Array<float>* samples) {
  Generator gen(seed, "sample");
  const Array<float> x =
      integrate(guided_field(net, classes, label, w), gaussian(gen, n), options).x;
  const Array<float> target = class_points(data, label, n, kEvalSeed);
  ClassQuality q;
  for (std::size_t l : label_points(data, x))
    q.right_class += (l == label) / double(n);
  q.energy_distance = energy_distance(x, target);
  q.sliced_w2 = sliced_w2(x, target);
  const PrecisionRecall pr = precision_recall(x, target);
  q.precision = pr.precision;
  q.recall = pr.recall;
  if (samples) *samples = x;
  return q;
}

}  // namespace minflow::flow
