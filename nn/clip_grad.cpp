#include "nn/clip_grad.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace minflow::nn {

double grad_norm(const std::vector<Tensor>& params) {
  double sum = 0.0;
  for (const auto& p : params) {
    if (!p.has_grad()) continue;
    for (float g : p.node()->grad)
      sum += static_cast<double>(g) * g;
  }
  return std::sqrt(sum);
}

double clip_grad_norm(std::vector<Tensor>& params, double max_norm) {
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
    const auto scale = static_cast<float>(max_norm / (total + 1e-6));
    for (auto& p : params) {
      if (!p.has_grad()) continue;
      for (float& g : p.mutable_grad())
        g *= scale;
    }
  }
  return total;
  // EXERCISE END
}

}  // namespace minflow::nn
