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
#pragma once

#include <cstdint>
#include <vector>

#include "nn/optimizer_state.hpp"

namespace minflow::nn {

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;  // λ: L2 for Adam, decoupled for AdamW
};

class Adam {
 public:
  explicit Adam(std::vector<Tensor> params, AdamOptions options = {});

  void zero_grad() { nn::zero_grad(params_); }
  void step();

  double lr() const { return options_.lr; }
  void set_lr(double lr);
  const AdamOptions& options() const { return options_; }
  const std::vector<Tensor>& parameters() const { return params_; }

  std::int64_t step_count() const { return step_; }
  const std::vector<Array<float>>& exp_avg() const { return m_; }     // m, per parameter
  const std::vector<Array<float>>& exp_avg_sq() const { return v_; }  // v, per parameter

  // kind "adam" or "adamw", the step count, and slots "m" and "v".
  OptimizerState state() const;
  void load_state(const OptimizerState& state);

 protected:
  Adam(std::vector<Tensor> params, AdamOptions options, bool decoupled_weight_decay);

 private:
  const char* kind() const { return decoupled_ ? "adamw" : "adam"; }

  std::vector<Tensor> params_;
  AdamOptions options_;
  bool decoupled_ = false;
  std::int64_t step_ = 0;
  std::vector<Array<float>> m_, v_;
};

// Adam with decoupled weight decay; PyTorch's default λ = 0.01.
class AdamW : public Adam {
 public:
  explicit AdamW(std::vector<Tensor> params, AdamOptions options = {1e-3, 0.9, 0.999, 1e-8, 1e-2})
      : Adam(std::move(params), options, true) {}
};

}  // namespace minflow::nn
