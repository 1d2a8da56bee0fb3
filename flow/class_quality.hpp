// Judging a conditional flow class by class (docs/design.md#labelled-data-sets): sample n
// points of class c with guidance w, and compare them with n points of that class alone
// (fresh target points of the data set whose label is c, drawn with the evaluation seed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "flow/exact_field.hpp"
#include "flow/integrators.hpp"
#include "flow/path_errors.hpp"
#include "nn/module.hpp"

namespace minflow::flow {

struct ClassQuality {
  double right_class = 0;  // share of samples whose label (nearest component) is c
  double energy_distance = 0, sliced_w2 = 0, precision = 0, recall = 0;  // against class c
};

// n points of class c of the set: target points drawn ("target" stream of eval_seed) until
// n of them carry label c.
Array<float> class_points(const std::string& data, std::size_t label, std::size_t n,
                          std::uint64_t eval_seed);
// The same draw from any generator: the set's points, drawn 4096 at a time, kept while
// their label is c (class_points is class_sampler(data, c) on the "target" stream).
TargetSampler class_sampler(const std::string& data, std::size_t label);
// The target's density restricted to class c: the components of target_mixture(data) whose
// centre has label c (a ring: its point (R, 0)), their weights renormalised to sum to 1. The
// reference for the true-density metrics of one class (`minflow eval --label`).
GaussianMixture class_mixture(const std::string& data, std::size_t label);

// The share of the rows of x [n, 2] whose label (label_points) is c.
double right_class_share(const std::string& data, const Array<float>& x, std::size_t label);

ClassQuality class_quality(nn::Module& net, const std::string& data, std::size_t classes,
                           std::size_t label, double w, std::size_t n,
                           const IntegrateOptions& options, std::uint64_t seed = 0,
                           Array<float>* samples = nullptr);

}  // namespace minflow::flow
