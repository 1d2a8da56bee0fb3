// Losses over autograd ops, each returning a rank-0 tensor to call backward() on.
//
//   MSELoss  mean((pred − target)²)      over all elements (the flow-matching loss)
//   L1Loss   mean(|pred − target|)       mean absolute error; its gradient sign(pred − target)/N
//                                        does not shrink near the optimum, unlike MSE's
// pred and target must have the same shape (no broadcasting: a [n,1] vs [n] mix-up would
// otherwise silently compare every pair).
#pragma once

#include "autograd/tensor.hpp"

namespace minflow::nn {

Tensor l1_loss(const Tensor& pred, const Tensor& target);

struct MSELoss {
  Tensor operator()(const Tensor& pred, const Tensor& target) const;
};

struct L1Loss {
  Tensor operator()(const Tensor& pred, const Tensor& target) const {
    return l1_loss(pred, target);
  }
};

}  // namespace minflow::nn
