#include "nn/sequential.hpp"

namespace minflow::nn {

Tensor Sequential::forward(const Tensor& x) {
  Tensor y = x;
  for (const auto& child : children())
    y = child.module->forward(y);
  return y;
}

}  // namespace minflow::nn
