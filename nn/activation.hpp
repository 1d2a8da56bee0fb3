// Activation functions, by name and as modules.
//
//   gelu       x·Φ(x), Φ the standard normal CDF (exact, with erf)      PyTorch GELU()
//   gelu-tanh  x/2·(1 + tanh(√(2/π)·(x + 0.044715x³)))                  GELU(approximate='tanh')
//   relu       max(x, 0)
//   silu       x·σ(x)                                                    (also called swish)
//   tanh       tanh(x)
//
// The names are the ones of config files and of the `--activation` flag.
#pragma once

#include <string>

#include "nn/module.hpp"

namespace minflow::nn {

enum class Activation { gelu, gelu_tanh, relu, silu, tanh };

// "gelu", "gelu-tanh", "relu", "silu", "tanh".
std::string activation_name(Activation a);
// The reverse; an unknown name throws std::invalid_argument listing the choices.
Activation parse_activation(const std::string& name);

// Applies the activation elementwise (one autograd op).
Tensor activate(Activation a, const Tensor& x);

// An activation as a module: no parameters, forward = activate(kind, x).
class ActivationLayer : public Module {
 public:
  explicit ActivationLayer(Activation kind) : kind_(kind) {}
  Tensor forward(const Tensor& x) override { return activate(kind_, x); }
  std::string type_name() const override;  // PyTorch's class name: "GELU", "ReLU", …
  std::string extra_repr() const override;
  Activation kind() const { return kind_; }

 private:
  Activation kind_;
};

// PyTorch's names for the same modules.
class GELU final : public ActivationLayer {
 public:
  GELU() : ActivationLayer(Activation::gelu) {}
};
class GELUTanh final : public ActivationLayer {  // torch.nn.GELU(approximate='tanh')
 public:
  GELUTanh() : ActivationLayer(Activation::gelu_tanh) {}
};
class ReLU final : public ActivationLayer {
 public:
  ReLU() : ActivationLayer(Activation::relu) {}
};
class SiLU final : public ActivationLayer {
 public:
  SiLU() : ActivationLayer(Activation::silu) {}
};
class Tanh final : public ActivationLayer {
 public:
  Tanh() : ActivationLayer(Activation::tanh) {}
};

}  // namespace minflow::nn
