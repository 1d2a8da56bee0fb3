#include "nn/activation.hpp"

#include <stdexcept>

#include "autograd/ops.hpp"

namespace minflow::nn {

namespace {
constexpr Activation kAll[] = {Activation::gelu, Activation::gelu_tanh, Activation::relu,
                               Activation::silu, Activation::tanh};
}  // namespace

std::string activation_name(Activation a) {
  switch (a) {
    case Activation::gelu:
      return "gelu";
    case Activation::gelu_tanh:
      return "gelu-tanh";
    case Activation::relu:
      return "relu";
    case Activation::silu:
      return "silu";
    case Activation::tanh:
      return "tanh";
  }
  throw std::invalid_argument("activation_name: unknown Activation value");
}

Activation parse_activation(const std::string& name) {
  for (Activation a : kAll)
    if (activation_name(a) == name) return a;
  throw std::invalid_argument("unknown activation \"" + name +
                              "\" (choices: gelu, gelu-tanh, relu, silu, tanh)");
}

template <class T>
BasicTensor<T> activate(Activation a, const BasicTensor<T>& x) {
  switch (a) {
    case Activation::gelu:
      return gelu(x);
    case Activation::gelu_tanh:
      return gelu_tanh(x);
    case Activation::relu:
      return relu(x);
    case Activation::silu:
      return silu(x);
    case Activation::tanh:
      return minflow::tanh(x);
  }
  throw std::invalid_argument("activate: unknown Activation value");
}

template <class T>
std::string BasicActivationLayer<T>::type_name() const {
  switch (kind_) {
    case Activation::gelu:
    case Activation::gelu_tanh:
      return "GELU";
    case Activation::relu:
      return "ReLU";
    case Activation::silu:
      return "SiLU";
    case Activation::tanh:
      return "Tanh";
  }
  return "Activation";
}

template <class T>
std::string BasicActivationLayer<T>::extra_repr() const {
  if (kind_ == Activation::gelu) return "approximate='none'";
  if (kind_ == Activation::gelu_tanh) return "approximate='tanh'";
  return {};
}

template BasicTensor<float> activate(Activation, const BasicTensor<float>&);
template BasicTensor<double> activate(Activation, const BasicTensor<double>&);
template class BasicActivationLayer<float>;
template class BasicActivationLayer<double>;

}  // namespace minflow::nn
