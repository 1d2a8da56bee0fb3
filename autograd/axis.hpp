// Axis arguments as PyTorch takes them: an axis is an int in [−rank, rank), where −1 is the
// last axis and −rank the first (axis + rank when negative). Every op that takes an axis
// (sum, mean, concat, slice, transpose, permute, max, min, softmax, …) goes through
// `normalize_axis`, so they all accept negative axes and fail with the same message.
#pragma once

#include <cstddef>

#include "autograd/tensor.hpp"

namespace minflow {

// `axis` of an array of `shape` as an index in [0, rank). Throws std::invalid_argument
// "OP: axis 3 out of range for [2,3] (valid axes: -2 to 1)" otherwise.
std::size_t normalize_axis(int axis, const Shape& shape, const char* op);

}  // namespace minflow
