// Every differentiable operation of the engine, as free functions on tensors.
//
// Each op lives in one struct (in the ops_*.cpp file named beside it) holding what its
// backward needs, with forward and backward next to each other. The functions below are
// instantiated for float (Tensor) and double (DTensor). Binary ops broadcast as NumPy does.
// Shape errors throw std::invalid_argument naming the op and the shapes.
#pragma once

#include <cstddef>
#include <vector>

#include "autograd/tensor.hpp"

namespace minflow {

// ---- elementwise arithmetic (ops_arithmetic.cpp) --------------------------------------
template <class T>
BasicTensor<T> add(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T>
BasicTensor<T> sub(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T>
BasicTensor<T> mul(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T>
BasicTensor<T> div(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T>
BasicTensor<T> neg(const BasicTensor<T>& a);

// ---- elementwise functions (ops_unary.cpp) -------------------------------------------
template <class T>
BasicTensor<T> pow(const BasicTensor<T>& a, T exponent);
template <class T>
BasicTensor<T> exp(const BasicTensor<T>& a);
template <class T>
BasicTensor<T> log(const BasicTensor<T>& a);
template <class T>
BasicTensor<T> sqrt(const BasicTensor<T>& a);
template <class T>
BasicTensor<T> square(const BasicTensor<T>& a);
template <class T>
BasicTensor<T> abs(const BasicTensor<T>& a);

// ---- activations (ops_activation.cpp) -------------------------------------------------
template <class T>
BasicTensor<T> tanh(const BasicTensor<T>& a);
template <class T>
BasicTensor<T> sigmoid(const BasicTensor<T>& a);
template <class T>
BasicTensor<T> relu(const BasicTensor<T>& a);
template <class T>
BasicTensor<T> gelu(const BasicTensor<T>& a);  // x·Φ(x), exact erf
template <class T>
BasicTensor<T> gelu_tanh(const BasicTensor<T>& a);  // tanh approximation
template <class T>
BasicTensor<T> silu(const BasicTensor<T>& a);  // x·sigmoid(x)

// ---- matrix products (ops_matmul.cpp) -------------------------------------------------
// [m,k]·[k,n] → [m,n]; [b,m,k]·[b,k,n] → [b,m,n] (batched over the leading axis).
template <class T>
BasicTensor<T> matmul(const BasicTensor<T>& a, const BasicTensor<T>& b);
// x·Wᵀ + b for x [n,in], W [out,in], b [out] (PyTorch's Linear), as one fused op.
template <class T>
BasicTensor<T> linear(const BasicTensor<T>& x, const BasicTensor<T>& weight,
                      const BasicTensor<T>& bias);

// ---- shapes (ops_shape.cpp) -----------------------------------------------------------
// Swaps the last two axes (a 2-D transpose, or per batch for rank 3).
template <class T>
BasicTensor<T> transpose(const BasicTensor<T>& a);
template <class T>
BasicTensor<T> reshape(const BasicTensor<T>& a, const Shape& shape);
template <class T>
BasicTensor<T> concat(const std::vector<BasicTensor<T>>& parts, std::size_t axis);
// Elements [begin, end) along `axis`.
template <class T>
BasicTensor<T> slice(const BasicTensor<T>& a, std::size_t axis, std::size_t begin, std::size_t end);
template <class T>
BasicTensor<T> broadcast_to(const BasicTensor<T>& a, const Shape& shape);

// ---- reductions and losses (ops_reduce.cpp) -------------------------------------------
template <class T>
BasicTensor<T> sum(const BasicTensor<T>& a);  // all elements → rank 0
template <class T>
BasicTensor<T> sum(const BasicTensor<T>& a, const std::vector<std::size_t>& axes,
                   bool keep_dims = false);
template <class T>
BasicTensor<T> mean(const BasicTensor<T>& a);
template <class T>
BasicTensor<T> mean(const BasicTensor<T>& a, const std::vector<std::size_t>& axes,
                    bool keep_dims = false);
// mean((pred − target)²) over all elements → rank 0; shapes must be equal.
template <class T>
BasicTensor<T> mse_loss(const BasicTensor<T>& pred, const BasicTensor<T>& target);

// ---- operators ------------------------------------------------------------------------
// `typename BasicTensor<T>::Scalar` keeps the scalar out of template deduction, so that
// `x * 2.0` works for a float tensor. A scalar becomes a rank-0 constant.
template <class T>
BasicTensor<T> operator+(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return add(a, b);
}
template <class T>
BasicTensor<T> operator-(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return sub(a, b);
}
template <class T>
BasicTensor<T> operator*(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return mul(a, b);
}
template <class T>
BasicTensor<T> operator/(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return div(a, b);
}
template <class T>
BasicTensor<T> operator-(const BasicTensor<T>& a) {
  return neg(a);
}

template <class T>
BasicTensor<T> operator+(const BasicTensor<T>& a, typename BasicTensor<T>::Scalar s) {
  return add(a, BasicTensor<T>::scalar(s));
}
template <class T>
BasicTensor<T> operator+(typename BasicTensor<T>::Scalar s, const BasicTensor<T>& a) {
  return add(BasicTensor<T>::scalar(s), a);
}
template <class T>
BasicTensor<T> operator-(const BasicTensor<T>& a, typename BasicTensor<T>::Scalar s) {
  return sub(a, BasicTensor<T>::scalar(s));
}
template <class T>
BasicTensor<T> operator-(typename BasicTensor<T>::Scalar s, const BasicTensor<T>& a) {
  return sub(BasicTensor<T>::scalar(s), a);
}
template <class T>
BasicTensor<T> operator*(const BasicTensor<T>& a, typename BasicTensor<T>::Scalar s) {
  return mul(a, BasicTensor<T>::scalar(s));
}
template <class T>
BasicTensor<T> operator*(typename BasicTensor<T>::Scalar s, const BasicTensor<T>& a) {
  return mul(BasicTensor<T>::scalar(s), a);
}
template <class T>
BasicTensor<T> operator/(const BasicTensor<T>& a, typename BasicTensor<T>::Scalar s) {
  return div(a, BasicTensor<T>::scalar(s));
}
template <class T>
BasicTensor<T> operator/(typename BasicTensor<T>::Scalar s, const BasicTensor<T>& a) {
  return div(BasicTensor<T>::scalar(s), a);
}

}  // namespace minflow
