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

template <class T>
BasicAdam<T>::BasicAdam(std::vector<BasicTensor<T>> params, AdamOptions options)
    : BasicAdam(std::move(params), options, false) {}

template <class T>
BasicAdam<T>::BasicAdam(std::vector<BasicTensor<T>> params, AdamOptions options,
                        bool decoupled_weight_decay)
    : BasicOptimizer<T>(std::move(params), decoupled_weight_decay ? "adamw" : "adam"),
      options_(options),
      decoupled_(decoupled_weight_decay) {
  check_options(options_, kind());
  m_ = zeros_like(this->params_);
  v_ = zeros_like(this->params_);
}

template <class T>
void BasicAdam<T>::set_lr(double lr) {
  AdamOptions o = options_;
  o.lr = lr;
  check_options(o, kind());
  options_ = o;
}

template <class T>
void BasicAdam<T>::step() {
  // With t the step count (step_, incremented first) and, per element, gradient g:
  //   Adam: g ← g + λ·p (L2);  AdamW (decoupled_): p ← p·(1 − lr·λ) first
  //   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²     (m_[i], v_[i])
  //   p ← p − (lr/(1 − β1^t))·m / (√v/√(1 − β2^t) + ε)
  // under a NoGradGuard, skipping parameters without a gradient (p.has_grad()).
  // EXERCISE 2.2 BEGIN: the Adam step
  NoGradGuard no_grad;
  ++this->step_;
  const double t = static_cast<double>(this->step_);
  const double bias_correction1 = 1.0 - std::pow(options_.beta1, t);
  const double bias_correction2 = 1.0 - std::pow(options_.beta2, t);
  // The scalars in T, as PyTorch applies them to float (or double) tensors.
  const T step_size = static_cast<T>(options_.lr / bias_correction1);
  const T bias_correction2_sqrt = static_cast<T>(std::sqrt(bias_correction2));
  const T beta1 = static_cast<T>(options_.beta1);
  const T beta2 = static_cast<T>(options_.beta2);
  const T one_minus_beta1 = static_cast<T>(1.0 - options_.beta1);
  const T one_minus_beta2 = static_cast<T>(1.0 - options_.beta2);
  const T eps = static_cast<T>(options_.eps);
  const T l2 = decoupled_ ? T(0) : static_cast<T>(options_.weight_decay);
  const T decay = static_cast<T>(1.0 - options_.lr * options_.weight_decay);

  for (std::size_t i = 0; i < this->params_.size(); ++i) {
    BasicTensor<T>& p = this->params_[i];
    if (!p.has_grad()) continue;
    T* value = p.data();
    const T* grad = p.mutable_grad().data();
    T* m = m_[i].data();
    T* v = v_[i].data();
    for (std::size_t j = 0, n = p.size(); j < n; ++j) {
      T g = grad[j];
      if (decoupled_) {
        value[j] *= decay;
      } else if (l2 != T(0)) {
        g += l2 * value[j];
      }
      m[j] = m[j] * beta1 + one_minus_beta1 * g;
      v[j] = v[j] * beta2 + one_minus_beta2 * (g * g);
      const T denom = std::sqrt(v[j]) / bias_correction2_sqrt + eps;
      value[j] -= step_size * (m[j] / denom);
    }
  }
  // EXERCISE END
}

template <class T>
OptimizerState BasicAdam<T>::state() const {
  return {kind(), this->step_, {{"m", state_buffers(m_)}, {"v", state_buffers(v_)}}};
}

template <class T>
void BasicAdam<T>::load_state(const OptimizerState& state) {
  check_state_fits(state, kind(), {"m", "v"}, this->params_);
  this->step_ = state.step;
  m_ = buffers_from_state<T>(state.slots[0].per_parameter);
  v_ = buffers_from_state<T>(state.slots[1].per_parameter);
}

template class BasicAdam<float>;
template class BasicAdam<double>;

}  // namespace minflow::nn
