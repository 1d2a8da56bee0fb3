#include "nn/linear.hpp"

#include <stdexcept>

#include "autograd/ops.hpp"

namespace minflow::nn {

Linear::Linear(std::size_t in_features, std::size_t out_features, Generator& gen, Init init)
    : in_features_(in_features), out_features_(out_features) {
  LinearInit values = init_linear(in_features, out_features, init, gen);
  weight_ = register_parameter("weight", Tensor(std::move(values.weight)));
  bias_ = register_parameter("bias", Tensor(std::move(values.bias)));
}

Tensor Linear::forward(const Tensor& x) {
  if (x.dim() != 2 || x.shape()[1] != in_features_) {
    throw std::invalid_argument("Linear(" + std::to_string(in_features_) + "→" +
                                std::to_string(out_features_) + "): input of shape " +
                                shape_to_string(x.shape()) + ", expected [n," +
                                std::to_string(in_features_) + "]");
  }
  return linear(x, weight_, bias_);
}

std::string Linear::extra_repr() const {
  return "in_features=" + std::to_string(in_features_) +
         ", out_features=" + std::to_string(out_features_) + ", bias=true";
}

}  // namespace minflow::nn
