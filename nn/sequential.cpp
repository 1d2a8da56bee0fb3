#include "nn/sequential.hpp"

namespace minflow::nn {

template <class T>
BasicTensor<T> BasicSequential<T>::forward(const BasicTensor<T>& x) {
  BasicTensor<T> y = x;
  for (const auto& child : this->children())
    y = child.module->forward(y);
  return y;
}

template class BasicSequential<float>;
template class BasicSequential<double>;

}  // namespace minflow::nn
