#include "nn/adam.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "autograd/grad_mode.hpp"

namespace minflow::nn {

namespace {
void check_options(const AdamOptions& o, const char* who) {
  const std::string w = who;
  if (!(o.lr >= 0.0) || !std::isfinite(o.lr)) {
    throw std::invalid_argument(w + ": learning rate must be finite and ≥ 0, got " +
                                std::to_string(o.lr));
  }
  if (!(o.beta1 >= 0.0 && o.beta1 < 1.0) || !(o.beta2 >= 0.0 && o.beta2 < 1.0)) {
    throw std::invalid_argument(w + ": betas must be in [0, 1), got (" + std::to_string(o.beta1) +
                                ", " + std::to_string(o.beta2) + ")");
  }
  if (!(o.eps >= 0.0)) throw std::invalid_argument(w + ": eps must be ≥ 0");
  if (!(o.weight_decay >= 0.0)) throw std::invalid_argument(w + ": weight_decay must be ≥ 0");
}
}  // namespace

Adam::Adam(std::vector<Tensor> params, AdamOptions options)
    : Adam(std::move(params), options, false) {}

Adam::Adam(std::vector<Tensor> params, AdamOptions options, bool decoupled_weight_decay)
    : params_(std::move(params)), options_(options), decoupled_(decoupled_weight_decay) {
  check_optimizer_parameters(params_, kind());
  check_options(options_, kind());
  m_ = zeros_like(params_);
  v_ = zeros_like(params_);
}

void Adam::set_lr(double lr) {
  AdamOptions o = options_;
  o.lr = lr;
  check_options(o, kind());
  options_ = o;
}

void Adam::step() {
  // With t the step count (step_, incremented first) and, per element, gradient g:
  //   Adam: g ← g + λ·p (L2);  AdamW (decoupled_): p ← p·(1 − lr·λ) first
  //   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²     (m_[i], v_[i])
  //   p ← p − (lr/(1 − β1^t))·m / (√v/√(1 − β2^t) + ε)
  // under a NoGradGuard, skipping parameters without a gradient (p.has_grad()).
  // EXERCISE 2.2 BEGIN: the Adam step
  NoGradGuard no_grad;
  ++step_;
  const double t = static_cast<double>(step_);
  const double bias_correction1 = 1.0 - std::pow(options_.beta1, t);
  const double bias_correction2 = 1.0 - std::pow(options_.beta2, t);
  // The scalars in float, as PyTorch applies them to float tensors.
  const float step_size = static_cast<float>(options_.lr / bias_correction1);
  const float bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
  const float beta1 = static_cast<float>(options_.beta1);
  const float beta2 = static_cast<float>(options_.beta2);
  const float one_minus_beta1 = static_cast<float>(1.0 - options_.beta1);
  const float one_minus_beta2 = static_cast<float>(1.0 - options_.beta2);
  const float eps = static_cast<float>(options_.eps);
  const float l2 = decoupled_ ? 0.0f : static_cast<float>(options_.weight_decay);
  const float decay = static_cast<float>(1.0 - options_.lr * options_.weight_decay);

  for (std::size_t i = 0; i < params_.size(); ++i) {
    Tensor& p = params_[i];
    if (!p.has_grad()) continue;
    float* value = p.data();
    const float* grad = p.node()->grad.data();
    float* m = m_[i].data();
    float* v = v_[i].data();
    for (std::size_t j = 0, n = p.size(); j < n; ++j) {
      float g = grad[j];
      if (decoupled_) {
        value[j] *= decay;
      } else if (l2 != 0.0f) {
        g += l2 * value[j];
      }
      m[j] = m[j] * beta1 + one_minus_beta1 * g;
      v[j] = v[j] * beta2 + one_minus_beta2 * (g * g);
      const float denom = std::sqrt(v[j]) / bias_correction2_sqrt + eps;
      value[j] -= step_size * (m[j] / denom);
    }
  }
  // EXERCISE END
}

OptimizerState Adam::state() const {
  return {kind(), step_, {{"m", m_}, {"v", v_}}};
}

void Adam::load_state(const OptimizerState& state) {
  check_state_fits(state, kind(), {"m", "v"}, params_);
  step_ = state.step;
  m_ = state.slots[0].per_parameter;
  v_ = state.slots[1].per_parameter;
}

}  // namespace minflow::nn
