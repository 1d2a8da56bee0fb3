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

SGD::SGD(std::vector<Tensor> params, SGDOptions options)
    : params_(std::move(params)), options_(options) {
  check_optimizer_parameters(params_, "sgd");
  check_options(options_);
  if (options_.momentum != 0.0) buffers_ = zeros_like(params_);
}

void SGD::set_lr(double lr) {
  SGDOptions o = options_;
  o.lr = lr;
  check_options(o);
  options_ = o;
}

void SGD::step() {
  NoGradGuard no_grad;
  ++step_;
  const float lr = static_cast<float>(options_.lr);
  const float mu = static_cast<float>(options_.momentum);
  const float wd = static_cast<float>(options_.weight_decay);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    Tensor& p = params_[i];
    if (!p.has_grad()) continue;
    float* value = p.data();
    const float* grad = p.node()->grad.data();
    float* buf = buffers_.empty() ? nullptr : buffers_[i].data();
    for (std::size_t j = 0, n = p.size(); j < n; ++j) {
      float d = grad[j];
      if (wd != 0.0f) d += wd * value[j];
      if (buf) {
        buf[j] = mu * buf[j] + d;
        d = options_.nesterov ? d + mu * buf[j] : buf[j];
      }
      value[j] -= lr * d;
    }
  }
}

OptimizerState SGD::state() const {
  OptimizerState s{"sgd", step_, {}};
  if (!buffers_.empty()) s.slots.push_back({"momentum", buffers_});
  return s;
}

void SGD::load_state(const OptimizerState& state) {
  if (buffers_.empty()) {
    check_state_fits(state, "sgd", {}, params_);
  } else {
    check_state_fits(state, "sgd", {"momentum"}, params_);
    buffers_ = state.slots[0].per_parameter;
  }
  step_ = state.step;
}

}  // namespace minflow::nn
