// The losses, all in one place (like torch::nn::functional and torch::nn's loss modules),
// each returning a rank-0 tensor to call backward() on, in float or double:
//
//   mse_loss / MSELoss  mean((pred − target)²)   over all elements (the flow-matching loss)
//   l1_loss  / L1Loss   mean(|pred − target|)    mean absolute error; its gradient
//                                                sign(pred − target)/N does not shrink near
//                                                the optimum, unlike MSE's
// pred and target must have the same shape (no broadcasting: a [n,1] vs [n] mix-up would
// otherwise silently compare every pair).
//
// Why here: a loss is a choice of what to train, a user's decision like a layer's, so the
// user looks for it next to the layers; the engine (autograd/) only differentiates. The
// one exception is a kernel: mse_loss is one fused autograd op (a single node with a
// hand-written backward, gradient-checked with the other ops in the op registry, and used
// by the engine-only chapters), so its definition stays in autograd/ops_reduce.cpp and this
// header re-exports it as nn::mse_loss — the same function, never an ambiguity for code
// that sees both namespaces. Composite losses such as l1_loss are defined here.
#pragma once

#include "autograd/ops.hpp"
#include "autograd/tensor.hpp"

namespace minflow::nn {

using minflow::mse_loss;

template <class T>
BasicTensor<T> l1_loss(const BasicTensor<T>& pred, const BasicTensor<T>& target);

// The loss modules (torch::nn::MSELoss, torch::nn::L1Loss), for float and double tensors.
struct MSELoss {
  template <class T>
  BasicTensor<T> operator()(const BasicTensor<T>& pred, const BasicTensor<T>& target) const {
    return mse_loss(pred, target);
  }
};

struct L1Loss {
  template <class T>
  BasicTensor<T> operator()(const BasicTensor<T>& pred, const BasicTensor<T>& target) const {
    return l1_loss(pred, target);
  }
};

}  // namespace minflow::nn
