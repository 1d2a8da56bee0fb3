#include "nn/loss.hpp"

#include <stdexcept>

namespace minflow::nn {

template <class T>
BasicTensor<T> l1_loss(const BasicTensor<T>& pred, const BasicTensor<T>& target) {
  if (pred.shape() != target.shape()) {
    throw std::invalid_argument("l1_loss: pred " + shape_to_string(pred.shape()) + " and target " +
                                shape_to_string(target.shape()) + " must have the same shape");
  }
  return mean(abs(pred - target));
}

template BasicTensor<float> l1_loss(const BasicTensor<float>&, const BasicTensor<float>&);
template BasicTensor<double> l1_loss(const BasicTensor<double>&, const BasicTensor<double>&);

}  // namespace minflow::nn
