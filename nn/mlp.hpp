// MLP: the multilayer perceptron behind every network of the tutorial.
//
//   x → Linear(in→hidden) → act → [Linear(hidden→hidden) → act] × (depth − 1) → Linear(hidden→out)
//
// `depth` counts hidden layers, so there are depth + 1 Linear layers, registered as the
// children l0 … l{depth}; the activations have no parameters and are not registered. The
// velocity net of docs/design.md#model is MLP({3, 64, 3, 2, Activation::gelu}): l0 … l3, 8,706
// parameters (3·64+64 + 2·(64·64+64) + 64·2+2), named l0.weight, l0.bias, …, l3.bias — the
// torch.nn.Sequential indices 0, 2, 4, 6 (docs/pytorch.md). depth = 0 is a single
// Linear(in→out). MLP is float32, DMLP float64 (nn/module.hpp): built from the same spec and
// seed, a DMLP holds exactly the MLP's initial weights, widened.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "base/random.hpp"
#include "nn/activation.hpp"
#include "nn/config.hpp"
#include "nn/init.hpp"
#include "nn/linear.hpp"
#include "nn/module.hpp"

namespace minflow::nn {

// What defines an MLP's shape; written to and read from config.txt.
struct MlpSpec {
  std::size_t in = 3;
  std::size_t hidden = 64;
  std::size_t depth = 3;
  std::size_t out = 2;
  Activation activation = Activation::gelu;

  // Keys arch = mlp, in, hidden, depth, out, activation.
  void write_to(Config& config) const;
  // Reads those keys (throwing the Config's clear errors when one is missing or wrong).
  static MlpSpec from_config(const Config& config);
  bool operator==(const MlpSpec& o) const;
};

template <class T>
class BasicMLP : public BasicModule<T> {
 public:
  // Weights drawn from `gen` (layer by layer, weight then bias) by `init`.
  BasicMLP(const MlpSpec& spec, Generator& gen, Init init = Init::torch_default);
  BasicMLP(std::size_t in, std::size_t hidden, std::size_t depth, std::size_t out,
           Activation activation, Generator& gen, Init init = Init::torch_default)
      : BasicMLP(MlpSpec{in, hidden, depth, out, activation}, gen, init) {}

  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string type_name() const override { return "MLP"; }
  std::string extra_repr() const override;
  Config architecture() const override;

  const MlpSpec& spec() const { return spec_; }
  const std::vector<std::shared_ptr<BasicLinear<T>>>& layers() const { return layers_; }

 private:
  MlpSpec spec_;
  std::vector<std::shared_ptr<BasicLinear<T>>> layers_;  // the registered children l0 … l{depth}
};

using MLP = BasicMLP<float>;
using DMLP = BasicMLP<double>;
extern template class BasicMLP<float>;
extern template class BasicMLP<double>;

}  // namespace minflow::nn
