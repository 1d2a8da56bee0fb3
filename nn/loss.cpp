#include "nn/loss.hpp"

#include <stdexcept>

#include "autograd/ops.hpp"

namespace minflow::nn {

Tensor l1_loss(const Tensor& pred, const Tensor& target) {
  if (pred.shape() != target.shape()) {
    throw std::invalid_argument("l1_loss: pred " + shape_to_string(pred.shape()) + " and target " +
                                shape_to_string(target.shape()) + " must have the same shape");
  }
  return mean(abs(pred - target));
}

Tensor MSELoss::operator()(const Tensor& pred, const Tensor& target) const {
  return mse_loss(pred, target);
}

}  // namespace minflow::nn
