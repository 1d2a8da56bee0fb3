// The registry of gradient-check cases (op_registry.hpp): built once, from the
// register_*_ops function that each ops file defines next to its ops.
#include "autograd/op_registry.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace minflow {

const std::vector<OpCase>& op_registry() {
  static const std::vector<OpCase> cases = [] {
    std::vector<OpCase> all;
    register_arithmetic_ops(all);
    register_unary_ops(all);
    register_activation_ops(all);
    register_matmul_ops(all);
    register_shape_ops(all);
    register_reduce_ops(all);
    register_permute_ops(all);
    register_select_ops(all);
    register_softmax_ops(all);
    register_pow_ops(all);
    return all;
  }();
  return cases;
}

DTensor random_input(Generator& gen, const Shape& shape, double lo, double hi,
                     bool away_from_zero) {
  if (!(lo < hi)) {
    throw std::invalid_argument("random_input: empty range [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + ")");
  }
  if (away_from_zero && lo > -0.1 && hi <= 0.1) {
    throw std::invalid_argument("random_input: no value with |v| >= 0.1 in [" + std::to_string(lo) +
                                ", " + std::to_string(hi) + ")");
  }
  Array<double> values = Array<double>::from_shape(shape);
  for (double& v : values) {
    v = gen.uniform(lo, hi);
    // Rejection keeps the draw uniform on the allowed part of [lo, hi).
    while (away_from_zero && std::abs(v) < 0.1)
      v = gen.uniform(lo, hi);
  }
  return DTensor(std::move(values), /*requires_grad=*/true);
}

}  // namespace minflow
