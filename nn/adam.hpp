// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), with PyTorch's exact update.
//
// For each parameter p with gradient g, at step t = 1, 2, …:
//   Adam, weight decay λ as L2:   g ← g + λ·p
//   AdamW, decoupled decay:       p ← p − lr·λ·p          (before the moments)
//   m ← β1·m + (1 − β1)·g                   first moment (running mean of g)
//   v ← β2·v + (1 − β2)·g²                  second moment (running mean of g²)
//   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)  bias correction: m and v start at 0
//   p ← p − lr·m̂ / (√v̂ + ε)
// computed as PyTorch does: p ← p − (lr/(1 − β1^t))·m / (√v/√(1 − β2^t) + ε).
//
// The update writes the parameters' value arrays directly under a NoGradGuard: an
// optimizer step builds no graph. Parameters that received no gradient are skipped.
// Unlike PyTorch, which counts steps per parameter, one counter serves all parameters.
// Adam/AdamW compute in float32 (the scalars rounded to float, as PyTorch applies them to
// float tensors), DAdam/DAdamW in float64.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/optimizer.hpp"
#include "nn/optimizer_state.hpp"

namespace minflow::nn {

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;  // λ: L2 for Adam, decoupled for AdamW
};

template <class T>
class BasicAdam : public BasicOptimizer<T> {
 public:
  explicit BasicAdam(std::vector<BasicTensor<T>> params, AdamOptions options = {});

  void step() override;

  double lr() const override { return options_.lr; }
  void set_lr(double lr) override;
  const AdamOptions& options() const { return options_; }

  const std::vector<Array<T>>& exp_avg() const { return m_; }     // m, per parameter
  const std::vector<Array<T>>& exp_avg_sq() const { return v_; }  // v, per parameter

  const char* kind() const override { return decoupled_ ? "adamw" : "adam"; }
  // kind "adam" or "adamw", the step count, and slots "m" and "v".
  OptimizerState state() const override;
  void load_state(const OptimizerState& state) override;

 protected:
  BasicAdam(std::vector<BasicTensor<T>> params, AdamOptions options, bool decoupled_weight_decay);

 private:
  AdamOptions options_;
  bool decoupled_ = false;
  std::vector<Array<T>> m_, v_;
};

// Adam with decoupled weight decay; PyTorch's default λ = 0.01.
template <class T>
class BasicAdamW : public BasicAdam<T> {
 public:
  explicit BasicAdamW(std::vector<BasicTensor<T>> params,
                      AdamOptions options = {1e-3, 0.9, 0.999, 1e-8, 1e-2})
      : BasicAdam<T>(std::move(params), options, true) {}
};

using Adam = BasicAdam<float>;
using AdamW = BasicAdamW<float>;
using DAdam = BasicAdam<double>;
using DAdamW = BasicAdamW<double>;
extern template class BasicAdam<float>;
extern template class BasicAdam<double>;

}  // namespace minflow::nn
