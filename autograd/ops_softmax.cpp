// logsumexp, softmax and log_softmax along an axis, in the numerically stable form.
//
// With m = max_k x_k along the axis (any constant works, the max keeps every exponent ≤ 0,
// so nothing overflows and the largest term is exactly 1):
//   logsumexp(x) = m + log Σ_k exp(x_k − m)
//   softmax(x)_k = exp(x_k − m) / Σ_j exp(x_j − m)
//   log_softmax(x)_k = x_k − logsumexp(x)
// Their derivatives, with p = softmax(x) and g = dL/dy:
//   logsumexp:   ∂y/∂x_k = p_k                  ⇒ dL/dx_k = g·p_k
//   softmax:     ∂y_k/∂x_j = p_k(δ_kj − p_j)     ⇒ dL/dx = p ⊙ (g − Σ_k g_k p_k)
//   log_softmax: ∂y_k/∂x_j = δ_kj − p_j          ⇒ dL/dx = g − p·Σ_k g_k
// Arrays are viewed around the axis as [outer, n, inner] (row-major).
#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "autograd/axis.hpp"
#include "autograd/broadcast.hpp"
#include "autograd/op.hpp"
#include "autograd/op_registry.hpp"
#include "autograd/ops.hpp"

namespace minflow::ops {
namespace {

// logsumexp along the axis, [outer·inner] values (the kept-dims shape's order). An all −∞
// slice gives −∞ (m = −∞ is not subtracted, which would give NaN).
template <class T>
std::vector<T> stable_logsumexp(const Array<T>& x, const AxisView& v) {
  std::vector<T> out(v.outer * v.inner);
  for (std::size_t o = 0; o < v.outer; ++o)
    for (std::size_t i = 0; i < v.inner; ++i) {
      const T* col = x.data() + o * v.n * v.inner + i;  // element k at col[k·inner]
      T m = -INFINITY;
      for (std::size_t k = 0; k < v.n; ++k)
        m = std::max(m, col[k * v.inner]);
      const T shift = std::isfinite(m) ? m : T(0);
      T total = T(0);
      for (std::size_t k = 0; k < v.n; ++k)
        total += std::exp(col[k * v.inner] - shift);
      out[o * v.inner + i] = shift + std::log(total);
    }
  return out;
}

// x − lse broadcast along the axis: log_softmax(x).
template <class T>
Array<T> minus_along(const Array<T>& x, const std::vector<T>& lse, const AxisView& v) {
  Array<T> out = Array<T>::from_shape(x.shape());
  for (std::size_t o = 0; o < v.outer; ++o)
    for (std::size_t k = 0; k < v.n; ++k)
      for (std::size_t i = 0; i < v.inner; ++i) {
        const std::size_t at = (o * v.n + k) * v.inner + i;
        out.data()[at] = x.data()[at] - lse[o * v.inner + i];
      }
  return out;
}

// Σ_k a_k·b_k along the axis (b = nullptr: Σ_k a_k), [outer·inner] values.
template <class T>
std::vector<T> dot_along(const Array<T>& a, const T* b, const AxisView& v) {
  std::vector<T> out(v.outer * v.inner, T(0));
  for (std::size_t o = 0; o < v.outer; ++o)
    for (std::size_t k = 0; k < v.n; ++k)
      for (std::size_t i = 0; i < v.inner; ++i) {
        const std::size_t at = (o * v.n + k) * v.inner + i;
        out[o * v.inner + i] += a.data()[at] * (b ? b[at] : T(1));
      }
  return out;
}

template <class T>
Array<T> exp_of(Array<T> a) {
  for (T& x : a)
    x = std::exp(x);
  return a;
}

}  // namespace

// y = logsumexp(x) along `axis`:  dL/dx_k = dL/dy·p_k, p = softmax(x) (saved).
template <class T>
struct LogSumExpOp final : GradFn<T> {
  std::size_t axis = 0;
  Array<T> probs;  // softmax(x), x's shape
  const char* op_name() const override { return "logsumexp"; }
  // The values in [outer·inner] order; also fills `probs`.
  static std::vector<T> forward(const Array<T>& x, std::size_t axis, Array<T>& probs) {
    const AxisView v(shape_of(x), axis);
    std::vector<T> lse = stable_logsumexp(x, v);
    probs = exp_of(minus_along(x, lse, v));
    return lse;
  }
  void backward(const Array<T>& g) override {
    const AxisView v(shape_of(probs), axis);
    Array<T> gx = probs;
    for (std::size_t o = 0; o < v.outer; ++o)
      for (std::size_t k = 0; k < v.n; ++k)
        for (std::size_t i = 0; i < v.inner; ++i)
          gx.data()[(o * v.n + k) * v.inner + i] *= g.data()[o * v.inner + i];
    this->inputs[0].accumulate_grad(std::move(gx));
  }
};

// y = softmax(x) along `axis`:  dL/dx = y ⊙ (g − Σ_k g_k y_k), y saved.
template <class T>
struct SoftmaxOp final : GradFn<T> {
  std::size_t axis = 0;
  Array<T> y;
  const char* op_name() const override { return "softmax"; }
  static Array<T> forward(const Array<T>& x, std::size_t axis) {
    const AxisView v(shape_of(x), axis);
    return exp_of(minus_along(x, stable_logsumexp(x, v), v));
  }
  void backward(const Array<T>& g) override {
    const AxisView v(shape_of(y), axis);
    const std::vector<T> gy = dot_along(g, y.data(), v);
    Array<T> gx = Array<T>::from_shape(y.shape());
    for (std::size_t o = 0; o < v.outer; ++o)
      for (std::size_t k = 0; k < v.n; ++k)
        for (std::size_t i = 0; i < v.inner; ++i) {
          const std::size_t at = (o * v.n + k) * v.inner + i;
          gx.data()[at] = y.data()[at] * (g.data()[at] - gy[o * v.inner + i]);
        }
    this->inputs[0].accumulate_grad(std::move(gx));
  }
};

// y = log_softmax(x) along `axis`:  dL/dx = g − exp(y)·Σ_k g_k, y saved.
template <class T>
struct LogSoftmaxOp final : GradFn<T> {
  std::size_t axis = 0;
  Array<T> y;
  const char* op_name() const override { return "log_softmax"; }
  static Array<T> forward(const Array<T>& x, std::size_t axis) {
    const AxisView v(shape_of(x), axis);
    return minus_along(x, stable_logsumexp(x, v), v);
  }
  void backward(const Array<T>& g) override {
    const AxisView v(shape_of(y), axis);
    const std::vector<T> gsum = dot_along(g, static_cast<const T*>(nullptr), v);
    Array<T> gx = Array<T>::from_shape(y.shape());
    for (std::size_t o = 0; o < v.outer; ++o)
      for (std::size_t k = 0; k < v.n; ++k)
        for (std::size_t i = 0; i < v.inner; ++i) {
          const std::size_t at = (o * v.n + k) * v.inner + i;
          gx.data()[at] = g.data()[at] - std::exp(y.data()[at]) * gsum[o * v.inner + i];
        }
    this->inputs[0].accumulate_grad(std::move(gx));
  }
};

}  // namespace minflow::ops

namespace minflow {

template <class T>
BasicTensor<T> logsumexp(const BasicTensor<T>& x, int axis_arg, bool keep_dims) {
  const std::size_t axis = normalize_axis(axis_arg, x.shape(), "logsumexp");
  auto fn = std::make_unique<ops::LogSumExpOp<T>>();
  fn->axis = axis;
  const std::vector<T> lse = ops::LogSumExpOp<T>::forward(x.value(), axis, fn->probs);
  Shape s = x.shape();
  if (keep_dims)
    s[axis] = 1;
  else
    s.erase(s.begin() + static_cast<std::ptrdiff_t>(axis));
  Array<T> y = Array<T>::from_shape(s);
  std::copy(lse.begin(), lse.end(), y.data());
  return make_result<T>(std::move(y), std::move(fn), {x});
}

template <class T>
BasicTensor<T> softmax(const BasicTensor<T>& x, int axis_arg) {
  const std::size_t axis = normalize_axis(axis_arg, x.shape(), "softmax");
  auto fn = std::make_unique<ops::SoftmaxOp<T>>();
  fn->axis = axis;
  fn->y = ops::SoftmaxOp<T>::forward(x.value(), axis);
  Array<T> y = fn->y;
  return make_result<T>(std::move(y), std::move(fn), {x});
}

template <class T>
BasicTensor<T> log_softmax(const BasicTensor<T>& x, int axis_arg) {
  const std::size_t axis = normalize_axis(axis_arg, x.shape(), "log_softmax");
  auto fn = std::make_unique<ops::LogSoftmaxOp<T>>();
  fn->axis = axis;
  fn->y = ops::LogSoftmaxOp<T>::forward(x.value(), axis);
  Array<T> y = fn->y;
  return make_result<T>(std::move(y), std::move(fn), {x});
}

// ---- gradient-check cases (op_registry.hpp) -------------------------------------------

void register_softmax_ops(std::vector<OpCase>& cases) {
  using In = std::vector<DTensor>;
  auto one = [](Shape shape) {
    return [=](Generator& gen) { return In{random_input(gen, shape, -3.0, 3.0)}; };
  };
  cases.push_back(
      {"logsumexp axis 1 (3,5)", one({3, 5}), [](const In& in) { return logsumexp(in[0], 1); }});
  cases.push_back({"logsumexp axis -2 keep_dims (2,3,4)", one({2, 3, 4}),
                   [](const In& in) { return logsumexp(in[0], -2, true); }});
  cases.push_back(
      {"softmax axis -1 (3,5)", one({3, 5}), [](const In& in) { return softmax(in[0], -1); }});
  cases.push_back(
      {"softmax axis 1 (2,3,4)", one({2, 3, 4}), [](const In& in) { return softmax(in[0], 1); }});
  cases.push_back({"log_softmax axis -1 (3,5)", one({3, 5}),
                   [](const In& in) { return log_softmax(in[0], -1); }});
  cases.push_back({"log_softmax axis 0 (4,2,3)", one({4, 2, 3}),
                   [](const In& in) { return log_softmax(in[0], 0); }});
}

// ---- explicit instantiations ----------------------------------------------------------

#define MINFLOW_INSTANTIATE(T)                                         \
  template BasicTensor<T> logsumexp(const BasicTensor<T>&, int, bool); \
  template BasicTensor<T> softmax(const BasicTensor<T>&, int);         \
  template BasicTensor<T> log_softmax(const BasicTensor<T>&, int);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
