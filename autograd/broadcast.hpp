// NumPy broadcasting, forward and backward.
//
// Forward: two shapes are aligned at their trailing axes; each pair of sizes must be equal
// or one of them 1, and the result takes the larger. Backward: an input that was broadcast
// was, in effect, copied along the broadcast axes, so its gradient is the upstream gradient
// summed over those axes. Every binary op's backward goes through `reduce_to_shape`.
#pragma once

#include "autograd/tensor.hpp"

namespace minflow {

// An array's shape as a Shape.
template <class T>
Shape shape_of(const Array<T>& a) {
  return Shape(a.shape().begin(), a.shape().end());
}

// Product of shape[first, last): the number of elements in those axes.
inline std::size_t count(const Shape& shape, std::size_t first, std::size_t last) {
  std::size_t n = 1;
  for (std::size_t i = first; i < last; ++i)
    n *= shape[i];
  return n;
}

// The broadcast shape of `a` and `b`; throws "OP: cannot broadcast [..] with [..]".
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// `value` expanded (copied) to `shape`, which must be a broadcast of value's shape.
template <class T>
Array<T> expand_to(const Array<T>& value, const Shape& shape);

// Sum `grad` over the axes along which an array of shape `shape` was broadcast to grad's
// shape: leading axes that `shape` lacks, and axes where `shape` has size 1.
template <class T>
Array<T> reduce_to_shape(const Array<T>& grad, const Shape& shape);

}  // namespace minflow
