// Small double tensors with known values for the op tests: 0, 1, 2, … in row-major order,
// so a test can say where each element went.
#pragma once

#include <vector>

#include "autograd/tensor.hpp"

namespace minflow::testing {

inline DTensor iota(const Shape& shape, bool requires_grad = true, double start = 0.0) {
  std::size_t n = 1;
  for (std::size_t d : shape)
    n *= d;
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = start + static_cast<double>(i);
  return DTensor::from_vector(v, shape, requires_grad);
}

// The values of an array in row-major order.
inline std::vector<double> flat(const Array<double>& a) {
  return std::vector<double>(a.data(), a.data() + a.size());
}

}  // namespace minflow::testing
