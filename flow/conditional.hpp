// Label-conditional flows with classifier-free guidance (docs/design.md#guidance,
// docs/design.md#labelled-data-sets).
//
// The net is the usual MLP with the label as a one-hot input: [x, y, t, onehot(K + 1)] →
// (v_x, v_y), where slot K is "no label". One net learns both fields: during training each
// row's label is replaced by "no label" with probability p (label dropout), so
// v(x, t, ∅) learns the unconditional field v_u and v(x, t, k) the class-k field v_c. A
// one-hot input (rather than a learned embedding) keeps the existing MLP and its checkpoint
// layout unchanged (only `in` grows), and with K ≤ 8 classes costs K + 1 columns of l0.weight:
// the first layer's columns for the label are the embedding. The extra slot (instead of an
// all-zero row for "no label") gives the unconditional field its own learned bias.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "base/random.hpp"
#include "flow/integrators.hpp"
#include "flow/trainer.hpp"
#include "nn/mlp.hpp"

namespace minflow::flow {

// MLP(3 + K + 1, hidden, depth, 2).
nn::MlpSpec conditional_net_spec(std::size_t classes, std::size_t hidden = 64,
                                 std::size_t depth = 3,
                                 nn::Activation activation = nn::Activation::gelu);

// [n, K + 1] one-hot rows; label == K is "no label".
Array<float> one_hot(const std::vector<std::size_t>& labels, std::size_t classes);

// Batches of (x_t, t, u) with the label columns: x0 ~ gaussian and labelled x1 ~ data
// ("pairs" stream; each label dropped with probability `dropout`, a uniform from the same
// stream), t from settings.time ("time" stream).
BatchSource conditional_batches(const std::string& data, double dropout, const TimeSampler& time);
// Label dropout on one batch: each label becomes "no label" (the value `classes`) when its
// uniform draw from `gen` (one per row, in row order) is below p (exercise 13.2).
void drop_labels(std::vector<std::size_t>& labels, std::size_t classes, double p, Generator& gen);

// The guided velocity from the two velocities at the same points: vu + w·(vc − vu), elementwise
// (exercise 13.1). vu and vc have the same shape.
Array<float> guide(const Array<float>& vu, const Array<float>& vc, double w);

// v = v_u + w·(v_c − v_u) for class `label` (w = 0 unconditional, 1 conditional, > 1
// guided); label == classes gives v_u whatever w.
VelocityField<float> guided_field(nn::Module& net, std::size_t classes, std::size_t label,
                                  double w);
// The other spelling, (1 + w')·v_c − w'·v_u: the same field as guided_field with w = 1 + w'.
VelocityField<float> guided_field_prime(nn::Module& net, std::size_t classes, std::size_t label,
                                        double w_prime);

// n samples of each class c = 0 … K − 1 at guidance w: class c's start points x0 ~ N(0, I)
// drawn in turn from `gen` (so at w = 0 the classes differ only by their noise), integrated
// with `options`.
std::vector<Array<float>> sample_classes(nn::Module& net, std::size_t classes, double w,
                                         std::size_t n, const IntegrateOptions& options,
                                         Generator& gen);

}  // namespace minflow::flow
