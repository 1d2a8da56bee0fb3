// Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_).
//
//   total = √(Σ over all parameters and elements of g²)
//   if total > max_norm:  g ← g · max_norm/(total + 1e-6)   for every parameter
// The direction of the full gradient is kept; only its length is capped. Returns `total`,
// the norm before clipping (worth logging: spikes show instabilities). For float and double
// parameters; the gradients are read and scaled in place through mutable_grad().
#pragma once

#include <vector>

#include "autograd/tensor.hpp"

namespace minflow::nn {

// The global L2 norm of the parameters' gradients (parameters without one count as 0),
// accumulated in double.
template <class T>
double grad_norm(const std::vector<BasicTensor<T>>& params);

template <class T>
double clip_grad_norm(std::vector<BasicTensor<T>>& params, double max_norm);

}  // namespace minflow::nn
