// tanh, sigmoid, relu, gelu (exact), gelu_tanh (approximation) and silu.
//
// All are elementwise, so as in ops_unary.cpp the backward is dL/dx = dL/dy · f'(x) per
// element. tanh and sigmoid have derivatives written in their own outputs (1 − y², y(1 − y))
// and save y; gelu saves f'(x), computed in the same pass as y; the others recompute what
// they need from x, which the op reaches through this->inputs[0].
//
// exp and tanh go through xtensor expressions so that xsimd vectorizes them (8x faster than
// calling std::exp in a loop); gelu, the net's activation, has its own kernel.
#include <cmath>
#include <memory>
#include <type_traits>
#include <utility>

#include <xtensor/xmath.hpp>

#include "autograd/grad_mode.hpp"
#include "autograd/kernels/gelu.hpp"
#include "autograd/op.hpp"
#include "autograd/op_registry.hpp"
#include "autograd/ops.hpp"
#include "base/thread_pool.hpp"

namespace minflow {
namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;     // 1/√2
constexpr double kInvSqrt2Pi = 0.39894228040143267794;   // 1/√(2π)
constexpr double kSqrt2OverPi = 0.79788456080286535588;  // √(2/π)
constexpr double kGeluTanhCubic = 0.044715;              // PyTorch's constant

// out[i] = f(g[i], s[i]): the upstream gradient times a derivative made from a saved array.
template <class T, class F>
Array<T> zip(const Array<T>& g, const Array<T>& s, F f) {
  Array<T> out = Array<T>::from_shape(g.shape());
  const T* pg = g.data();
  const T* ps = s.data();
  T* dst = out.data();
  for (std::size_t i = 0, n = g.size(); i < n; ++i)
    dst[i] = f(pg[i], ps[i]);
  return out;
}

// Elementwise work is split over the thread pool in chunks of at least this many elements
// (below that, waking a thread costs more than it saves). Elements are independent, so any
// split gives the same bits.
constexpr std::size_t kMinParallelElements = 16384;

// out[i] = g[i]·d[i]: the upstream gradient times a saved derivative, in parallel chunks.
template <class T>
Array<T> multiply(const Array<T>& g, const Array<T>& d) {
  Array<T> out = Array<T>::from_shape(g.shape());
  const T* pg = g.data();
  const T* pd = d.data();
  T* dst = out.data();
  parallel_for(g.size(), kMinParallelElements, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      dst[i] = pg[i] * pd[i];
  });
  return out;
}

}  // namespace

// The op structs live in a named namespace so that a debugger can name them:
//   break minflow::ops::MulOp<double>::backward      (docs/debugging.md)
namespace ops {

// y = tanh x:  dy/dx = 1 − tanh² x = 1 − y².
template <class T>
struct TanhOp final : GradFn<T> {
  Array<T> y;
  const char* op_name() const override { return "tanh"; }
  static Array<T> forward(const Array<T>& x) { return Array<T>(xt::tanh(x)); }
  void backward(const Array<T>& g) override {
    this->inputs[0].accumulate_grad(zip(g, y, [](T gi, T yi) { return gi * (T(1) - yi * yi); }));
  }
};

// y = σ(x) = 1/(1 + e⁻ˣ):  dy/dx = σ(x)(1 − σ(x)) = y(1 − y).
// For very negative x, e⁻ˣ overflows to +∞ and y = 1/∞ = 0: the right limit, no NaN.
template <class T>
struct SigmoidOp final : GradFn<T> {
  Array<T> y;
  const char* op_name() const override { return "sigmoid"; }
  static Array<T> forward(const Array<T>& x) { return Array<T>(T(1) / (T(1) + xt::exp(-x))); }
  void backward(const Array<T>& g) override {
    this->inputs[0].accumulate_grad(zip(g, y, [](T gi, T yi) { return gi * yi * (T(1) - yi); }));
  }
};

// y = max(x, 0):  dy/dx = 1 for x > 0, else 0 (0 at the kink, as PyTorch).
template <class T>
struct ReluOp final : GradFn<T> {
  const char* op_name() const override { return "relu"; }
  static Array<T> forward(const Array<T>& x) {
    Array<T> out = Array<T>::from_shape(x.shape());
    for (std::size_t i = 0, n = x.size(); i < n; ++i)
      out.data()[i] = x.data()[i] > T(0) ? x.data()[i] : T(0);
    return out;
  }
  void backward(const Array<T>& g) override {
    const Array<T>& x = this->inputs[0].value();
    this->inputs[0].accumulate_grad(zip(g, x, [](T gi, T xi) { return xi > T(0) ? gi : T(0); }));
  }
};

// y = x·Φ(x), Φ the standard normal CDF: Φ(x) = ½(1 + erf(x/√2)).
// dy/dx = Φ(x) + x·φ(x), with the density φ(x) = e^(−x²/2)/√(2π).
//
// GELU runs on every hidden unit of the velocity net, so it has a fast path: for float, the
// vectorized kernel of kernels/gelu.hpp (piecewise polynomials within 1e-6 of the exact
// form) over chunks of the thread pool. When a graph is built, the forward also computes
// dy/dx (from the same polynomial, differentiated) and saves it, so the backward is one
// multiplication. The plain loops below, with std::erf, are the definition: double
// always takes them, and float does under a ReferenceKernelsGuard.
template <class T>
struct GeluOp final : GradFn<T> {
  Array<T> dydx;  // gelu'(x), saved by the forward
  const char* op_name() const override { return "gelu"; }

  static T value_reference(T x) { return T(0.5) * x * (T(1) + std::erf(x * T(kInvSqrt2))); }
  static T derivative_reference(T x) {
    // d/dx [x·Φ(x)] = Φ(x) + x·φ(x), Φ(x) = ½(1 + erf(x/√2)), φ(x) = e^(−x²/2)/√(2π)
    // (the constants kInvSqrt2 = 1/√2 and kInvSqrt2Pi = 1/√(2π) are defined above).
    // EXERCISE 1.6 BEGIN: the GELU derivative
    return T(0.5) * (T(1) + std::erf(x * T(kInvSqrt2))) +
           x * std::exp(T(-0.5) * x * x) * T(kInvSqrt2Pi);
    // EXERCISE END
  }

  // y = gelu(x), and dy/dx into *dydx_out unless it is null.
  static Array<T> forward(const Array<T>& x, Array<T>* dydx_out) {
    Array<T> y = Array<T>::from_shape(x.shape());
    if (dydx_out) *dydx_out = Array<T>::from_shape(x.shape());
    const T* px = x.data();
    T* py = y.data();
    T* pd = dydx_out ? dydx_out->data() : nullptr;
    if constexpr (std::is_same_v<T, float>) {
      if (!reference_kernels_enabled()) {
        parallel_for(x.size(), kMinParallelElements, [&](std::size_t begin, std::size_t end) {
          gelu_kernel(px + begin, py + begin, pd ? pd + begin : nullptr, end - begin);
        });
        return y;
      }
    }
    for (std::size_t i = 0, n = x.size(); i < n; ++i) {
      py[i] = value_reference(px[i]);
      if (pd) pd[i] = derivative_reference(px[i]);
    }
    return y;
  }

  void backward(const Array<T>& g) override { this->inputs[0].accumulate_grad(multiply(g, dydx)); }
};

// PyTorch's gelu(approximate='tanh'): y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³).
// Its exact derivative (not the exact GELU's): with t = tanh u and du/dx = √(2/π)(1 +
// 3·0.044715x²),
//   dy/dx = ½(1 + t) + ½x(1 − t²)·du/dx.
template <class T>
struct GeluTanhOp final : GradFn<T> {
  const char* op_name() const override { return "gelu_tanh"; }
  static Array<T> forward(const Array<T>& x) {
    return Array<T>(T(0.5) * x *
                    (T(1) + xt::tanh(T(kSqrt2OverPi) * (x + T(kGeluTanhCubic) * x * x * x))));
  }
  void backward(const Array<T>& g) override {
    const Array<T>& x = this->inputs[0].value();
    const Array<T> t = xt::tanh(T(kSqrt2OverPi) * (x + T(kGeluTanhCubic) * x * x * x));
    Array<T> dx = g * (T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * T(kSqrt2OverPi) *
                                                 (T(1) + T(3 * kGeluTanhCubic) * x * x));
    this->inputs[0].accumulate_grad(std::move(dx));
  }
};

// y = x·σ(x) (also called swish):  dy/dx = σ(x) + x·σ(x)(1 − σ(x)) = σ(x)(1 + x(1 − σ(x))).
template <class T>
struct SiluOp final : GradFn<T> {
  const char* op_name() const override { return "silu"; }
  static Array<T> forward(const Array<T>& x) { return Array<T>(x / (T(1) + xt::exp(-x))); }
  void backward(const Array<T>& g) override {
    const Array<T>& x = this->inputs[0].value();
    const Array<T> s = T(1) / (T(1) + xt::exp(-x));
    Array<T> dx = g * s * (T(1) + x * (T(1) - s));
    this->inputs[0].accumulate_grad(std::move(dx));
  }
};

}  // namespace ops
using namespace ops;

namespace {

// Ops whose backward reads their own output keep a copy of it, unless no graph is built.
template <class Op, class T>
BasicTensor<T> saving_output(const BasicTensor<T>& a) {
  Array<T> y = Op::forward(a.value());
  auto fn = std::make_unique<Op>();
  if (a.requires_grad() && grad_enabled()) fn->y = y;
  return make_result<T>(std::move(y), std::move(fn), {a});
}

template <class Op, class T>
BasicTensor<T> from_input(const BasicTensor<T>& a) {
  return make_result<T>(Op::forward(a.value()), std::make_unique<Op>(), {a});
}

}  // namespace

template <class T>
BasicTensor<T> tanh(const BasicTensor<T>& a) {
  return saving_output<TanhOp<T>>(a);
}
template <class T>
BasicTensor<T> sigmoid(const BasicTensor<T>& a) {
  return saving_output<SigmoidOp<T>>(a);
}
template <class T>
BasicTensor<T> relu(const BasicTensor<T>& a) {
  return from_input<ReluOp<T>>(a);
}
template <class T>
BasicTensor<T> gelu(const BasicTensor<T>& a) {
  auto fn = std::make_unique<GeluOp<T>>();
  const bool graph = a.requires_grad() && grad_enabled();
  Array<T> y = GeluOp<T>::forward(a.value(), graph ? &fn->dydx : nullptr);
  return make_result<T>(std::move(y), std::move(fn), {a});
}
template <class T>
BasicTensor<T> gelu_tanh(const BasicTensor<T>& a) {
  return from_input<GeluTanhOp<T>>(a);
}
template <class T>
BasicTensor<T> silu(const BasicTensor<T>& a) {
  return from_input<SiluOp<T>>(a);
}

// ---- gradient-check cases (op_registry.hpp) -------------------------------------------

void register_activation_ops(std::vector<OpCase>& cases) {
  using In = std::vector<DTensor>;
  auto one = [](Shape shape, double lo, double hi, bool away = false) {
    return [=](Generator& gen) { return In{random_input(gen, shape, lo, hi, away)}; };
  };
  cases.push_back({"tanh (3,5)", one({3, 5}, -3.0, 3.0), [](const In& in) { return tanh(in[0]); }});
  cases.push_back(
      {"sigmoid (2,3,4)", one({2, 3, 4}, -4.0, 4.0), [](const In& in) { return sigmoid(in[0]); }});
  cases.push_back(
      {"relu (3,5)", one({3, 5}, -2.0, 2.0, true), [](const In& in) { return relu(in[0]); }});
  cases.push_back({"gelu (3,5)", one({3, 5}, -3.0, 3.0), [](const In& in) { return gelu(in[0]); }});
  cases.push_back(
      {"gelu (2,3,4)", one({2, 3, 4}, -5.0, 5.0), [](const In& in) { return gelu(in[0]); }});
  cases.push_back({"gelu_tanh (2,3,4)", one({2, 3, 4}, -3.0, 3.0),
                   [](const In& in) { return gelu_tanh(in[0]); }});
  cases.push_back({"silu (3,5)", one({3, 5}, -4.0, 4.0), [](const In& in) { return silu(in[0]); }});
}

// ---- explicit instantiations ----------------------------------------------------------

#define MINFLOW_INSTANTIATE(T)                              \
  template BasicTensor<T> tanh(const BasicTensor<T>&);      \
  template BasicTensor<T> sigmoid(const BasicTensor<T>&);   \
  template BasicTensor<T> relu(const BasicTensor<T>&);      \
  template BasicTensor<T> gelu(const BasicTensor<T>&);      \
  template BasicTensor<T> gelu_tanh(const BasicTensor<T>&); \
  template BasicTensor<T> silu(const BasicTensor<T>&);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
