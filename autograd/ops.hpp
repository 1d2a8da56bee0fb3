// Every differentiable operation of the engine, as free functions on tensors.
//
// Each op lives in one struct (in the ops_*.cpp file named beside it) holding what its
// backward needs, with forward and backward next to each other. The functions below are
// instantiated for float (Tensor) and double (DTensor). Binary ops broadcast as NumPy does.
// Shape errors throw std::invalid_argument naming the op and the shapes. An axis is an int
// as in PyTorch: −1 is the last axis, −rank the first (axis.hpp).
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
// a^b elementwise with a tensor exponent, broadcast (ops_pow.cpp). d/da = b·a^(b−1),
// d/db = a^b·ln a, which needs a > 0 (at a = 0 the exponent's gradient is taken as 0).
template <class T>
BasicTensor<T> pow(const BasicTensor<T>& a, const BasicTensor<T>& b);
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
// torch.matmul's forms up to rank 3: [m,k]·[k,n] → [m,n]; [m,k]·[k] → [m]; [k]·[k,n] → [n];
// [k]·[k] → []; [b,m,k]·[b,k,n] → [b,m,n], and the batch broadcast: [b,m,k]·[k,n] and
// [m,k]·[b,k,n] → [b,m,n] (a batch of 1 broadcasts as well).
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
// Swaps axes dim0 and dim1 of any rank (torch.transpose; ops_permute.cpp).
template <class T>
BasicTensor<T> transpose(const BasicTensor<T>& a, int dim0, int dim1);
// Reorders the axes: result.shape[i] = a.shape[dims[i]] (torch.permute; ops_permute.cpp).
template <class T>
BasicTensor<T> permute(const BasicTensor<T>& a, const std::vector<int>& dims);
template <class T>
BasicTensor<T> reshape(const BasicTensor<T>& a, const Shape& shape);
template <class T>
BasicTensor<T> concat(const std::vector<BasicTensor<T>>& parts, int axis);
// Elements [begin, end) along `axis`.
template <class T>
BasicTensor<T> slice(const BasicTensor<T>& a, int axis, std::size_t begin, std::size_t end);
template <class T>
BasicTensor<T> broadcast_to(const BasicTensor<T>& a, const Shape& shape);

// ---- reductions and losses (ops_reduce.cpp) -------------------------------------------
template <class T>
BasicTensor<T> sum(const BasicTensor<T>& a);  // all elements → rank 0
template <class T>
BasicTensor<T> sum(const BasicTensor<T>& a, const std::vector<int>& axes, bool keep_dims = false);
template <class T>
BasicTensor<T> mean(const BasicTensor<T>& a);
template <class T>
BasicTensor<T> mean(const BasicTensor<T>& a, const std::vector<int>& axes, bool keep_dims = false);
// mean((pred − target)²) over all elements → rank 0; shapes must be equal.
template <class T>
BasicTensor<T> mse_loss(const BasicTensor<T>& pred, const BasicTensor<T>& target);

// ---- selection (ops_select.cpp) -------------------------------------------------------
// The largest (smallest) element along `axis`; the gradient goes to that element only, and
// among equal extremes to the first (lowest index), the one the forward picked.
template <class T>
BasicTensor<T> max(const BasicTensor<T>& a, int axis, bool keep_dims = false);
template <class T>
BasicTensor<T> min(const BasicTensor<T>& a, int axis, bool keep_dims = false);
// min(max(a, lo), hi); gradient 1 for lo ≤ a ≤ hi (the boundary included, as PyTorch), else 0.
template <class T>
BasicTensor<T> clamp(const BasicTensor<T>& a, typename BasicTensor<T>::Scalar lo,
                     typename BasicTensor<T>::Scalar hi);
// cond ? a : b elementwise, the three broadcast together; cond is true where nonzero and
// gets no gradient.
template <class T>
BasicTensor<T> where(const BasicTensor<T>& cond, const BasicTensor<T>& a, const BasicTensor<T>& b);
// The slices index[0], index[1], … of `a` along `axis` (rows, for axis 0); the backward
// scatter-adds, so a repeated index receives the sum of its gradients. Every index must be
// < a.shape[axis].
template <class T>
BasicTensor<T> index_select(const BasicTensor<T>& a, int axis,
                            const std::vector<std::size_t>& index);

// ---- softmax family (ops_softmax.cpp), stable for any input (the max is subtracted) ---
// log Σ exp(a) along `axis`.
template <class T>
BasicTensor<T> logsumexp(const BasicTensor<T>& a, int axis, bool keep_dims = false);
// exp(a) / Σ exp(a) along `axis`.
template <class T>
BasicTensor<T> softmax(const BasicTensor<T>& a, int axis);
// a − logsumexp(a) along `axis` (more accurate than log(softmax(a))).
template <class T>
BasicTensor<T> log_softmax(const BasicTensor<T>& a, int axis);

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
