// Optimizer: the base of SGD, Adam and AdamW (PyTorch's torch::optim::Optimizer).
//
//   nn::Adam adam(net.parameters(), {1e-3});
//   nn::Optimizer& opt = adam;             // any of them, through the base
//   opt.zero_grad(); loss.backward(); opt.step();
//   nn::OptimizerState s = opt.state();   // for a checkpoint; opt.load_state(s) resumes
//
// The base holds the parameter handles (the very nodes the module trains) and the step
// count; each optimizer adds its options and its per-parameter buffers. Like every
// module, an optimizer is a template on the scalar type: Optimizer, SGD, Adam, AdamW work
// on float32 parameters, DOptimizer, DSGD, DAdam, DAdamW on float64 ones (the update is
// then computed in double). An optimizer step builds no graph.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "nn/optimizer_state.hpp"

namespace minflow::nn {

template <class T>
class BasicOptimizer {
 public:
  using Scalar = T;

  virtual ~BasicOptimizer() = default;
  BasicOptimizer(const BasicOptimizer&) = delete;
  BasicOptimizer& operator=(const BasicOptimizer&) = delete;

  // One update of every parameter that has a gradient (the others are skipped).
  virtual void step() = 0;
  // Sets every parameter's gradient to zero (PyTorch's optimizer.zero_grad()).
  void zero_grad() { nn::zero_grad(params_); }
  const std::vector<BasicTensor<T>>& parameters() const { return params_; }

  virtual double lr() const = 0;
  virtual void set_lr(double lr) = 0;  // what a learning-rate schedule calls
  std::int64_t step_count() const { return step_; }

  // "sgd", "adam", "adamw": the kind a saved state names.
  virtual const char* kind() const = 0;
  // The step count and the per-parameter buffers, in float32 (the checkpoint's form).
  virtual OptimizerState state() const = 0;
  // The reverse: checks that `state` fits (kind, buffers, shapes), then takes it over.
  virtual void load_state(const OptimizerState& state) = 0;

 protected:
  // Throws std::invalid_argument when `params` is empty or holds one node twice.
  BasicOptimizer(std::vector<BasicTensor<T>> params, const std::string& kind)
      : params_(std::move(params)) {
    check_optimizer_parameters(params_, kind);
  }

  std::vector<BasicTensor<T>> params_;
  std::int64_t step_ = 0;
};

using Optimizer = BasicOptimizer<float>;
using DOptimizer = BasicOptimizer<double>;

}  // namespace minflow::nn
