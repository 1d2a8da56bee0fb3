// normalize_axis (axis.hpp): PyTorch's rule, axis + rank for a negative axis.
#include "autograd/axis.hpp"

#include <stdexcept>
#include <string>

namespace minflow {

std::size_t normalize_axis(int axis, const Shape& shape, const char* op) {
  const long rank = static_cast<long>(shape.size());
  const long index = axis < 0 ? axis + rank : axis;
  if (index < 0 || index >= rank) {
    const std::string valid =
        rank == 0 ? std::string("a rank-0 tensor has no axes")
                  : "valid axes: " + std::to_string(-rank) + " to " + std::to_string(rank - 1);
    throw std::invalid_argument(std::string(op) + ": axis " + std::to_string(axis) +
                                " out of range for " + shape_to_string(shape) + " (" + valid + ")");
  }
  return static_cast<std::size_t>(index);
}

}  // namespace minflow
