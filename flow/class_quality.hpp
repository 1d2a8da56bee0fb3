// Judging a conditional flow class by class (docs/design.md#labelled-data-sets): sample n
// points of class c with guidance w, and compare them with n points of that class alone
// (fresh target points of the data set whose label is c, drawn with the evaluation seed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "flow/integrators.hpp"
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

ClassQuality class_quality(nn::Module& net, const std::string& data, std::size_t classes,
                           std::size_t label, double w, std::size_t n,
                           const IntegrateOptions& options, std::uint64_t seed = 0,
                           Array<float>* samples = nullptr);

}  // namespace minflow::flow
