#include "nn/clip_grad.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace minflow::nn {

template <class T>
double grad_norm(const std::vector<BasicTensor<T>>& params) {
  double sum = 0.0;
  for (BasicTensor<T> p : params) {  // a handle copy: the same node, its gradient in place
    if (!p.has_grad()) continue;
    for (T g : p.mutable_grad())
      sum += static_cast<double>(g) * g;
  }
  return std::sqrt(sum);
}

template <class T>
double clip_grad_norm(std::vector<BasicTensor<T>>& params, double max_norm) {
  // total = ‖all gradients‖₂ (grad_norm); if total > max_norm, multiply every gradient by
  // max_norm/(total + 1e-6) (PyTorch's coefficient); return total, the norm before clipping.
  // max_norm ≤ 0 (or NaN) throws std::invalid_argument naming clip_grad_norm.
  // EXERCISE 2.3 BEGIN: gradient clipping
  if (!(max_norm > 0.0)) {
    throw std::invalid_argument("clip_grad_norm: max_norm must be positive, got " +
                                std::to_string(max_norm));
  }
  const double total = grad_norm(params);
  if (total > max_norm) {
    // PyTorch's coefficient: the 1e-6 keeps it finite for a zero norm (not reached here).
    const auto scale = static_cast<T>(max_norm / (total + 1e-6));
    for (auto& p : params) {
      if (!p.has_grad()) continue;
      for (T& g : p.mutable_grad())
        g *= scale;
    }
  }
  return total;
  // EXERCISE END
}

template double grad_norm(const std::vector<BasicTensor<float>>&);
template double grad_norm(const std::vector<BasicTensor<double>>&);
template double clip_grad_norm(std::vector<BasicTensor<float>>&, double);
template double clip_grad_norm(std::vector<BasicTensor<double>>&, double);

}  // namespace minflow::nn
