// Linear: y = x·Wᵀ + b, for x [n, in], W [out, in] (PyTorch's layout), b [out].
//
// One fused autograd op (minflow::linear) does the product and the bias, so a layer adds
// one node to the graph, not three. Linear is float32, DLinear float64 (nn/module.hpp);
// both draw the same float32 initial values from the generator, so a DLinear built with a
// seed holds exactly the values of the Linear built with it, widened.
#pragma once

#include <cstddef>
#include <string>

#include "base/random.hpp"
#include "nn/init.hpp"
#include "nn/module.hpp"

namespace minflow::nn {

template <class T>
class BasicLinear : public BasicModule<T> {
 public:
  using TensorType = BasicTensor<T>;

  // Parameters "weight" [out, in] and "bias" [out], drawn from `gen` by `init`.
  BasicLinear(std::size_t in_features, std::size_t out_features, Generator& gen,
              Init init = Init::torch_default);

  TensorType forward(const TensorType& x) override;
  std::string type_name() const override { return "Linear"; }
  std::string extra_repr() const override;

  std::size_t in_features() const { return in_features_; }
  std::size_t out_features() const { return out_features_; }
  const TensorType& weight() const { return weight_; }
  const TensorType& bias() const { return bias_; }

 private:
  std::size_t in_features_, out_features_;
  TensorType weight_, bias_;  // the same nodes as the registered parameters
};

using Linear = BasicLinear<float>;
using DLinear = BasicLinear<double>;
extern template class BasicLinear<float>;
extern template class BasicLinear<double>;

}  // namespace minflow::nn
