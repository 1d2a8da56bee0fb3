// Stochastic gradient descent with momentum, PyTorch's form.
//
// For each parameter p with gradient g:
//   g ← g + λ·p                       (weight decay λ, as L2)
//   buf ← μ·buf + g                   (momentum μ; buf starts at 0, so the first buf is g)
//   d = g + μ·buf  if nesterov, else buf
//   p ← p − lr·d
// With μ = 0 this is plain p ← p − lr·g. PyTorch's form folds the learning rate out of the
// buffer (Sutskever et al. keep v ← μ·v − lr·g); the two agree while lr is constant.
// SGD computes in float32, DSGD in float64.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/optimizer.hpp"
#include "nn/optimizer_state.hpp"

namespace minflow::nn {

struct SGDOptions {
  double lr = 1e-2;
  double momentum = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
};

template <class T>
class BasicSGD : public BasicOptimizer<T> {
 public:
  explicit BasicSGD(std::vector<BasicTensor<T>> params, SGDOptions options = {});

  void step() override;

  double lr() const override { return options_.lr; }
  void set_lr(double lr) override;
  const SGDOptions& options() const { return options_; }

  const std::vector<Array<T>>& momentum_buffers() const { return buffers_; }

  const char* kind() const override { return "sgd"; }
  // kind "sgd", the step count, and slot "momentum" (only when μ ≠ 0).
  OptimizerState state() const override;
  void load_state(const OptimizerState& state) override;

 private:
  SGDOptions options_;
  std::vector<Array<T>> buffers_;  // empty when μ = 0
};

using SGD = BasicSGD<float>;
using DSGD = BasicSGD<double>;
extern template class BasicSGD<float>;
extern template class BasicSGD<double>;

}  // namespace minflow::nn
