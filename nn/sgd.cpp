#include "nn/sgd.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "autograd/grad_mode.hpp"

namespace minflow::nn {

namespace {
void check_options(const SGDOptions& o) {
  if (!(o.lr >= 0.0) || !std::isfinite(o.lr)) {
    throw std::invalid_argument("sgd: learning rate must be finite and ≥ 0, got " +
                                std::to_string(o.lr));
  }
  if (!(o.momentum >= 0.0)) throw std::invalid_argument("sgd: momentum must be ≥ 0");
  if (!(o.weight_decay >= 0.0)) throw std::invalid_argument("sgd: weight_decay must be ≥ 0");
  if (o.nesterov && o.momentum == 0.0) {
    throw std::invalid_argument("sgd: nesterov needs a momentum > 0");
  }
}
}  // namespace

template <class T>
BasicSGD<T>::BasicSGD(std::vector<BasicTensor<T>> params, SGDOptions options)
    : BasicOptimizer<T>(std::move(params), "sgd"), options_(options) {
  check_options(options_);
  if (options_.momentum != 0.0) buffers_ = zeros_like(this->params_);
}

template <class T>
void BasicSGD<T>::set_lr(double lr) {
  SGDOptions o = options_;
  o.lr = lr;
  check_options(o);
  options_ = o;
}

template <class T>
void BasicSGD<T>::step() {
  NoGradGuard no_grad;
  ++this->step_;
  const T lr = static_cast<T>(options_.lr);
  const T mu = static_cast<T>(options_.momentum);
  const T wd = static_cast<T>(options_.weight_decay);
  for (std::size_t i = 0; i < this->params_.size(); ++i) {
    BasicTensor<T>& p = this->params_[i];
    if (!p.has_grad()) continue;
    T* value = p.data();
    const T* grad = p.mutable_grad().data();
    T* buf = buffers_.empty() ? nullptr : buffers_[i].data();
    for (std::size_t j = 0, n = p.size(); j < n; ++j) {
      T d = grad[j];
      if (wd != T(0)) d += wd * value[j];
      if (buf) {
        buf[j] = mu * buf[j] + d;
        d = options_.nesterov ? d + mu * buf[j] : buf[j];
      }
      value[j] -= lr * d;
    }
  }
}

template <class T>
OptimizerState BasicSGD<T>::state() const {
  OptimizerState s{"sgd", this->step_, {}};
  if (!buffers_.empty()) s.slots.push_back({"momentum", state_buffers(buffers_)});
  return s;
}

template <class T>
void BasicSGD<T>::load_state(const OptimizerState& state) {
  if (buffers_.empty()) {
    check_state_fits(state, "sgd", {}, this->params_);
  } else {
    check_state_fits(state, "sgd", {"momentum"}, this->params_);
    buffers_ = buffers_from_state<T>(state.slots[0].per_parameter);
  }
  this->step_ = state.step;
}

template class BasicSGD<float>;
template class BasicSGD<double>;

}  // namespace minflow::nn
