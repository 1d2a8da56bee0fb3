// Stochastic gradient descent with momentum, PyTorch's form.
//
// For each parameter p with gradient g:
//   g ← g + λ·p                       (weight decay λ, as L2)
//   buf ← μ·buf + g                   (momentum μ; buf starts at 0, so the first buf is g)
//   d = g + μ·buf  if nesterov, else buf
//   p ← p − lr·d
// With μ = 0 this is plain p ← p − lr·g. PyTorch's form folds the learning rate out of the
// buffer (Sutskever et al. keep v ← μ·v − lr·g); the two agree while lr is constant.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/optimizer_state.hpp"

namespace minflow::nn {

struct SGDOptions {
  double lr = 1e-2;
  double momentum = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
};

class SGD {
 public:
  explicit SGD(std::vector<Tensor> params, SGDOptions options = {});

  void zero_grad() { nn::zero_grad(params_); }
  void step();

  double lr() const { return options_.lr; }
  void set_lr(double lr);
  const SGDOptions& options() const { return options_; }
  const std::vector<Tensor>& parameters() const { return params_; }

  std::int64_t step_count() const { return step_; }
  const std::vector<Array<float>>& momentum_buffers() const { return buffers_; }

  // kind "sgd", the step count, and slot "momentum" (only when μ ≠ 0).
  OptimizerState state() const;
  void load_state(const OptimizerState& state);

 private:
  std::vector<Tensor> params_;
  SGDOptions options_;
  std::int64_t step_ = 0;
  std::vector<Array<float>> buffers_;  // empty when μ = 0
};

}  // namespace minflow::nn
