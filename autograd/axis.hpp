// Axis arguments as PyTorch takes them: an axis is an int in [−rank, rank), where −1 is the
// last axis and −rank the first (axis + rank when negative). Every op that takes an axis
// (sum, mean, concat, slice, transpose, permute, max, min, softmax, …) goes through
// `normalize_axis`, so they all accept negative axes and fail with the same message.
#pragma once

#include <cstddef>

#include "autograd/broadcast.hpp"
#include "autograd/tensor.hpp"

namespace minflow {

// `axis` of an array of `shape` as an index in [0, rank). Throws std::invalid_argument
// "OP: axis 3 out of range for [2,3] (valid axes: -2 to 1)" otherwise.
std::size_t normalize_axis(int axis, const Shape& shape, const char* op);

// A row-major array seen around `axis` as [outer, n, inner]: element (o, k, i) is at
// (o·n + k)·inner + i, so for fixed (o, k) the inner elements are contiguous. Ops that work
// along one axis (sum, max, min, softmax, index_select) loop over this view.
struct AxisView {
  std::size_t outer, n, inner;
  AxisView(const Shape& s, std::size_t axis)
      : outer(count(s, 0, axis)), n(s[axis]), inner(count(s, axis + 1, s.size())) {}
};

}  // namespace minflow
