#include "nn/linear.hpp"

#include <stdexcept>
#include <type_traits>

#include "autograd/ops.hpp"

namespace minflow::nn {

namespace {
// The initializers draw float32 values; a double layer widens them exactly.
template <class T>
Array<T> as(Array<float>&& values) {
  if constexpr (std::is_same_v<T, float>) {
    return std::move(values);
  } else {
    return xt::cast<T>(values);
  }
}
}  // namespace

template <class T>
BasicLinear<T>::BasicLinear(std::size_t in_features, std::size_t out_features, Generator& gen,
                            Init init)
    : in_features_(in_features), out_features_(out_features) {
  LinearInit values = init_linear(in_features, out_features, init, gen);
  weight_ = this->register_parameter("weight", TensorType(as<T>(std::move(values.weight))));
  bias_ = this->register_parameter("bias", TensorType(as<T>(std::move(values.bias))));
}

template <class T>
BasicTensor<T> BasicLinear<T>::forward(const TensorType& x) {
  if (x.dim() != 2 || x.shape()[1] != in_features_) {
    throw std::invalid_argument("Linear(" + std::to_string(in_features_) + "→" +
                                std::to_string(out_features_) + "): input of shape " +
                                shape_to_string(x.shape()) + ", expected [n," +
                                std::to_string(in_features_) + "]");
  }
  return linear(x, weight_, bias_);
}

template <class T>
std::string BasicLinear<T>::extra_repr() const {
  return "in_features=" + std::to_string(in_features_) +
         ", out_features=" + std::to_string(out_features_) + ", bias=true";
}

template class BasicLinear<float>;
template class BasicLinear<double>;

}  // namespace minflow::nn
