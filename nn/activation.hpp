// Activation functions, by name and as modules.
//
//   gelu       x·Φ(x), Φ the standard normal CDF (exact, with erf)      PyTorch GELU()
//   gelu-tanh  x/2·(1 + tanh(√(2/π)·(x + 0.044715x³)))                  GELU(approximate='tanh')
//   relu       max(x, 0)
//   silu       x·σ(x)                                                    (also called swish)
//   tanh       tanh(x)
//
// The names are the ones of config files and of the `--activation` flag. The modules are
// templates on the scalar type like every module (nn/module.hpp): GELU is float32, DGELU
// float64, and so on.
#pragma once

#include <string>

#include "nn/module.hpp"

namespace minflow::nn {

enum class Activation { gelu, gelu_tanh, relu, silu, tanh };

// "gelu", "gelu-tanh", "relu", "silu", "tanh".
std::string activation_name(Activation a);
// The reverse; an unknown name throws std::invalid_argument listing the choices.
Activation parse_activation(const std::string& name);

// Applies the activation elementwise (one autograd op), in float or double.
template <class T>
BasicTensor<T> activate(Activation a, const BasicTensor<T>& x);

// An activation as a module: no parameters, forward = activate(kind, x).
template <class T>
class BasicActivationLayer : public BasicModule<T> {
 public:
  explicit BasicActivationLayer(Activation kind) : kind_(kind) {}
  BasicTensor<T> forward(const BasicTensor<T>& x) override { return activate(kind_, x); }
  std::string type_name() const override;  // PyTorch's class name: "GELU", "ReLU", …
  std::string extra_repr() const override;
  Activation kind() const { return kind_; }

 private:
  Activation kind_;
};

// PyTorch's names for the same modules.
template <class T>
class BasicGELU final : public BasicActivationLayer<T> {
 public:
  BasicGELU() : BasicActivationLayer<T>(Activation::gelu) {}
};
template <class T>
class BasicGELUTanh final : public BasicActivationLayer<T> {  // GELU(approximate='tanh')
 public:
  BasicGELUTanh() : BasicActivationLayer<T>(Activation::gelu_tanh) {}
};
template <class T>
class BasicReLU final : public BasicActivationLayer<T> {
 public:
  BasicReLU() : BasicActivationLayer<T>(Activation::relu) {}
};
template <class T>
class BasicSiLU final : public BasicActivationLayer<T> {
 public:
  BasicSiLU() : BasicActivationLayer<T>(Activation::silu) {}
};
template <class T>
class BasicTanh final : public BasicActivationLayer<T> {
 public:
  BasicTanh() : BasicActivationLayer<T>(Activation::tanh) {}
};

using ActivationLayer = BasicActivationLayer<float>;
using GELU = BasicGELU<float>;
using GELUTanh = BasicGELUTanh<float>;
using ReLU = BasicReLU<float>;
using SiLU = BasicSiLU<float>;
using Tanh = BasicTanh<float>;
using DActivationLayer = BasicActivationLayer<double>;
using DGELU = BasicGELU<double>;
using DGELUTanh = BasicGELUTanh<double>;
using DReLU = BasicReLU<double>;
using DSiLU = BasicSiLU<double>;
using DTanh = BasicTanh<double>;
extern template class BasicActivationLayer<float>;
extern template class BasicActivationLayer<double>;

}  // namespace minflow::nn
