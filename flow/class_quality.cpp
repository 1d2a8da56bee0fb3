#include "flow/class_quality.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "flow/conditional.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/labels.hpp"
#include "flow/metrics.hpp"
#include "flow/support_metrics.hpp"

namespace minflow::flow {

TargetSampler class_sampler(const std::string& data, std::size_t label) {
  const std::size_t classes = dataset_classes(data);
  if (label >= classes) {
    throw std::invalid_argument("class_sampler: label " + std::to_string(label) +
                                " is not a class of " + data + " (" + std::to_string(classes) +
                                " classes)");
  }
  return [data, label](Generator& gen, std::size_t n) {
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
  };
}

Array<float> class_points(const std::string& data, std::size_t label, std::size_t n,
                          std::uint64_t eval_seed) {
  Generator gen(eval_seed, "target");
  return class_sampler(data, label)(gen, n);
}

GaussianMixture class_mixture(const std::string& data, std::size_t label) {
  const GaussianMixture all = target_mixture(data);
  if (label >= dataset_classes(data)) {
    throw std::invalid_argument("class_mixture: label " + std::to_string(label) +
                                " is not a class of " + data);
  }
  // The labels of the centres, points first, then each ring's (R, 0).
  const std::size_t points = all.size(), rings = all.ring_r.size();
  Array<float> centres = Array<float>::from_shape({points + rings, 2});
  for (std::size_t k = 0; k < points; ++k)
    centres(k, 0) = float(all.mx[k]), centres(k, 1) = float(all.my[k]);
  for (std::size_t r = 0; r < rings; ++r)
    centres(points + r, 0) = float(all.ring_r[r]), centres(points + r, 1) = 0.0f;
  const std::vector<std::size_t> labels = label_points(data, centres);
  GaussianMixture out;
  out.name = data + " class " + std::to_string(label);
  out.ring_nodes = all.ring_nodes;
  double kept = 0.0;  // the class's share of the weight
  for (std::size_t k = 0; k < points; ++k) {
    if (labels[k] != label) continue;
    out.mx.push_back(all.mx[k]), out.my.push_back(all.my[k]), out.s2.push_back(all.s2[k]);
    out.log_w.push_back(all.log_w[k]);
    kept += std::exp(all.log_w[k]);
  }
  for (std::size_t r = 0; r < rings; ++r) {
    if (labels[points + r] != label) continue;
    out.ring_r.push_back(all.ring_r[r]), out.ring_s2.push_back(all.ring_s2[r]);
    out.ring_log_w.push_back(all.ring_log_w[r]);
    kept += std::exp(all.ring_log_w[r]);
  }
  for (double& lw : out.log_w)
    lw -= std::log(kept);
  for (double& lw : out.ring_log_w)
    lw -= std::log(kept);
  return out;
}

double right_class_share(const std::string& data, const Array<float>& x, std::size_t label) {
  std::size_t right = 0;
  for (std::size_t l : label_points(data, x))
    right += l == label;
  return x.shape()[0] == 0 ? 0.0 : double(right) / double(x.shape()[0]);
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
  q.right_class = right_class_share(data, x, label);
  q.energy_distance = energy_distance(x, target);
  q.sliced_w2 = sliced_w2(x, target);
  const PrecisionRecall pr = precision_recall(x, target);
  q.precision = pr.precision;
  q.recall = pr.recall;
  if (samples) *samples = x;
  return q;
}

}  // namespace minflow::flow
