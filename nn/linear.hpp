// Linear: y = x·Wᵀ + b, for x [n, in], W [out, in] (PyTorch's layout), b [out].
//
// One fused autograd op (minflow::linear) does the product and the bias, so a layer adds
// one node to the graph, not three.
#pragma once

#include <cstddef>
#include <string>

#include "base/random.hpp"
#include "nn/init.hpp"
#include "nn/module.hpp"

namespace minflow::nn {

class Linear : public Module {
 public:
  // Parameters "weight" [out, in] and "bias" [out], drawn from `gen` by `init`.
  Linear(std::size_t in_features, std::size_t out_features, Generator& gen,
         Init init = Init::torch_default);

  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Linear"; }
  std::string extra_repr() const override;

  std::size_t in_features() const { return in_features_; }
  std::size_t out_features() const { return out_features_; }
  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }

 private:
  std::size_t in_features_, out_features_;
  Tensor weight_, bias_;  // the same nodes as the registered parameters
};

}  // namespace minflow::nn
