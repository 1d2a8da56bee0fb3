// pow (scalar exponent), exp, log, sqrt, square and abs: elementwise functions of one input.
//
// For y = f(x) applied elementwise, each output depends on one input only, so the Jacobian
// is diagonal and the chain rule is a product per element:
//   dL/dx = dL/dy · f'(x)
// Each op saves whichever of x (its input, reached through this->inputs[0]) or y (saved as
// a member) gives f' most cheaply: exp' = exp = y, sqrt' = 1/(2y), log' = 1/x, ...
//
// Transcendental functions go through xtensor expressions, which run on xsimd's vectorized
// exp/log/sqrt (about 8x faster than a loop calling std::exp); cheap ones are plain loops.
// Either way the result is evaluated into a concrete Array at the op boundary.
#include <cmath>
#include <memory>
#include <string>

#include <xtensor/xmath.hpp>

#include "autograd/grad_mode.hpp"
#include "autograd/op.hpp"
#include "autograd/op_registry.hpp"
#include "autograd/ops.hpp"

namespace minflow {
namespace {

// out[i] = f(a[i]) over the raw buffers.
template <class T, class F>
Array<T> map(const Array<T>& a, F f) {
  Array<T> out = Array<T>::from_shape(a.shape());
  const T* src = a.data();
  T* dst = out.data();
  for (std::size_t i = 0, n = a.size(); i < n; ++i)
    dst[i] = f(src[i]);
  return out;
}

// out[i] = f(a[i], b[i]) for two arrays of one shape (the upstream gradient and a saved value).
template <class T, class F>
Array<T> zip(const Array<T>& a, const Array<T>& b, F f) {
  Array<T> out = Array<T>::from_shape(a.shape());
  const T* pa = a.data();
  const T* pb = b.data();
  T* dst = out.data();
  for (std::size_t i = 0, n = a.size(); i < n; ++i)
    dst[i] = f(pa[i], pb[i]);
  return out;
}

}  // namespace

// The op structs live in a named namespace so that a debugger can name them:
//   break minflow::ops::MulOp<double>::backward      (docs/debugging.md)
namespace ops {

// y = x^p:  dy/dx = p·x^(p−1). For p = 0 the derivative is 0 everywhere (x^−1 would make
// 0·∞ = NaN at x = 0, so that case is spelled out).
template <class T>
struct PowOp final : GradFn<T> {
  T exponent = T(1);
  const char* op_name() const override { return "pow"; }
  static Array<T> forward(const Array<T>& x, T p) {
    if (p == T(2)) return map(x, [](T v) { return v * v; });
    return Array<T>(xt::pow(x, p));
  }
  void backward(const Array<T>& g) override {
    const T p = exponent;
    if (p == T(0)) {
      this->inputs[0].accumulate_grad(map(g, [](T) { return T(0); }));
      return;
    }
    const Array<T> x_pm1 = forward(this->inputs[0].value(), p - T(1));
    this->inputs[0].accumulate_grad(zip(g, x_pm1, [p](T gi, T v) { return gi * p * v; }));
  }
};

// y = eˣ:  dy/dx = eˣ = y, so the output is what we save.
template <class T>
struct ExpOp final : GradFn<T> {
  Array<T> y;
  const char* op_name() const override { return "exp"; }
  static Array<T> forward(const Array<T>& x) { return Array<T>(xt::exp(x)); }
  void backward(const Array<T>& g) override {
    this->inputs[0].accumulate_grad(zip(g, y, [](T gi, T yi) { return gi * yi; }));
  }
};

// y = ln x:  dy/dx = 1/x.
template <class T>
struct LogOp final : GradFn<T> {
  const char* op_name() const override { return "log"; }
  static Array<T> forward(const Array<T>& x) { return Array<T>(xt::log(x)); }
  void backward(const Array<T>& g) override {
    const Array<T>& x = this->inputs[0].value();
    this->inputs[0].accumulate_grad(zip(g, x, [](T gi, T xi) { return gi / xi; }));
  }
};

// y = √x:  dy/dx = 1/(2√x) = 1/(2y), so the output is saved (no second square root).
template <class T>
struct SqrtOp final : GradFn<T> {
  Array<T> y;
  const char* op_name() const override { return "sqrt"; }
  static Array<T> forward(const Array<T>& x) { return Array<T>(xt::sqrt(x)); }
  void backward(const Array<T>& g) override {
    this->inputs[0].accumulate_grad(zip(g, y, [](T gi, T yi) { return gi / (T(2) * yi); }));
  }
};

// y = x²:  dy/dx = 2x. Its own op (not pow(x, 2)) because the loss uses it everywhere.
template <class T>
struct SquareOp final : GradFn<T> {
  const char* op_name() const override { return "square"; }
  static Array<T> forward(const Array<T>& x) {
    return map(x, [](T v) { return v * v; });
  }
  void backward(const Array<T>& g) override {
    const Array<T>& x = this->inputs[0].value();
    this->inputs[0].accumulate_grad(zip(g, x, [](T gi, T xi) { return T(2) * xi * gi; }));
  }
};

// y = |x|:  dy/dx = sign(x), taken as 0 at the kink x = 0 (PyTorch's choice).
template <class T>
struct AbsOp final : GradFn<T> {
  const char* op_name() const override { return "abs"; }
  static Array<T> forward(const Array<T>& x) {
    return map(x, [](T v) { return std::abs(v); });
  }
  void backward(const Array<T>& g) override {
    const Array<T>& x = this->inputs[0].value();
    this->inputs[0].accumulate_grad(zip(g, x, [](T gi, T xi) {
      return xi > T(0) ? gi : xi < T(0) ? -gi : T(0);
    }));
  }
};

}  // namespace ops
using namespace ops;

template <class T>
BasicTensor<T> pow(const BasicTensor<T>& a, T exponent) {
  auto fn = std::make_unique<PowOp<T>>();
  fn->exponent = exponent;
  return make_result<T>(PowOp<T>::forward(a.value(), exponent), std::move(fn), {a});
}
template <class T>
BasicTensor<T> exp(const BasicTensor<T>& a) {
  Array<T> y = ExpOp<T>::forward(a.value());
  auto fn = std::make_unique<ExpOp<T>>();
  if (a.requires_grad() && grad_enabled()) fn->y = y;  // saved for backward: exp' = exp
  return make_result<T>(std::move(y), std::move(fn), {a});
}
template <class T>
BasicTensor<T> log(const BasicTensor<T>& a) {
  return make_result<T>(LogOp<T>::forward(a.value()), std::make_unique<LogOp<T>>(), {a});
}
template <class T>
BasicTensor<T> sqrt(const BasicTensor<T>& a) {
  Array<T> y = SqrtOp<T>::forward(a.value());
  auto fn = std::make_unique<SqrtOp<T>>();
  if (a.requires_grad() && grad_enabled()) fn->y = y;  // saved for backward: sqrt' = 1/(2·sqrt)
  return make_result<T>(std::move(y), std::move(fn), {a});
}
template <class T>
BasicTensor<T> square(const BasicTensor<T>& a) {
  return make_result<T>(SquareOp<T>::forward(a.value()), std::make_unique<SquareOp<T>>(), {a});
}
template <class T>
BasicTensor<T> abs(const BasicTensor<T>& a) {
  return make_result<T>(AbsOp<T>::forward(a.value()), std::make_unique<AbsOp<T>>(), {a});
}

// ---- gradient-check cases (op_registry.hpp) -------------------------------------------

void register_unary_ops(std::vector<OpCase>& cases) {
  using In = std::vector<DTensor>;
  auto one = [](Shape shape, double lo, double hi, bool away = false) {
    return [=](Generator& gen) { return In{random_input(gen, shape, lo, hi, away)}; };
  };
  auto pow_by = [](double p) { return [p](const In& in) { return pow(in[0], p); }; };
  cases.push_back({"pow x^3 (3,5)", one({3, 5}, -2.0, 2.0), pow_by(3.0)});
  cases.push_back({"pow x^2 (2,3,4)", one({2, 3, 4}, -2.0, 2.0), pow_by(2.0)});
  cases.push_back({"pow x^2.5 (2,3,4)", one({2, 3, 4}, 0.5, 2.0), pow_by(2.5)});
  cases.push_back({"pow x^-1 (3,5)", one({3, 5}, 0.5, 2.0), pow_by(-1.0)});
  cases.push_back({"pow x^0 (3,5)", one({3, 5}, -2.0, 2.0), pow_by(0.0)});
  cases.push_back({"exp (3,5)", one({3, 5}, -2.0, 2.0), [](const In& in) { return exp(in[0]); }});
  cases.push_back(
      {"log (2,3,4)", one({2, 3, 4}, 0.5, 3.0), [](const In& in) { return log(in[0]); }});
  cases.push_back({"sqrt (3,5)", one({3, 5}, 0.5, 3.0), [](const In& in) { return sqrt(in[0]); }});
  cases.push_back(
      {"square (2,3,4)", one({2, 3, 4}, -2.0, 2.0), [](const In& in) { return square(in[0]); }});
  cases.push_back(
      {"abs (3,5)", one({3, 5}, -2.0, 2.0, true), [](const In& in) { return abs(in[0]); }});
  cases.push_back(
      {"exp(log x) (4)", one({4}, 0.5, 3.0), [](const In& in) { return exp(log(in[0])); }});
}

// ---- explicit instantiations ----------------------------------------------------------

#define MINFLOW_INSTANTIATE(T)                           \
  template BasicTensor<T> pow(const BasicTensor<T>&, T); \
  template BasicTensor<T> exp(const BasicTensor<T>&);    \
  template BasicTensor<T> log(const BasicTensor<T>&);    \
  template BasicTensor<T> sqrt(const BasicTensor<T>&);   \
  template BasicTensor<T> square(const BasicTensor<T>&); \
  template BasicTensor<T> abs(const BasicTensor<T>&);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
