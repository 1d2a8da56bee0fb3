// add, sub, mul, div and neg, with NumPy broadcasting.
//
// For z = f(a, b) with a and b broadcast to z's shape, the chain rule gives
//   dL/da = reduce_to_shape(dL/dz · ∂z/∂a, shape of a)
// (summing over the axes along which a was copied), and the same for b.
#include <memory>

#include "autograd/broadcast.hpp"
#include "autograd/op.hpp"
#include "autograd/op_registry.hpp"
#include "autograd/ops.hpp"

namespace minflow {
namespace {

// Applies f elementwise to a and b broadcast together. Equal shapes (the common case) take
// a plain loop; otherwise both are first expanded to the common shape.
template <class T, class F>
Array<T> broadcast_apply(const Array<T>& a, const Array<T>& b, const char* op, F f) {
  Shape sa(a.shape().begin(), a.shape().end());
  Shape sb(b.shape().begin(), b.shape().end());
  if (sa == sb) {
    Array<T> out = Array<T>::from_shape(sa);
    for (std::size_t i = 0, n = out.size(); i < n; ++i)
      out.data()[i] = f(a.data()[i], b.data()[i]);
    return out;
  }
  const Shape s = broadcast_shapes(sa, sb, op);
  const Array<T> ea = sa == s ? a : expand_to(a, s);
  const Array<T> eb = sb == s ? b : expand_to(b, s);
  return broadcast_apply(ea, eb, op, f);
}

}  // namespace

// The op structs live in a named namespace so that a debugger can name them:
//   break minflow::ops::MulOp<double>::backward      (docs/debugging.md)
namespace ops {

// z = a + b:  dz/da = 1, dz/db = 1.
template <class T>
struct AddOp final : GradFn<T> {
  const char* op_name() const override { return "add"; }
  static Array<T> forward(const Array<T>& a, const Array<T>& b) {
    return broadcast_apply(a, b, "add", [](T x, T y) { return x + y; });
  }
  void backward(const Array<T>& g) override {
    BasicTensor<T>& a = this->inputs[0];
    BasicTensor<T>& b = this->inputs[1];
    if (a.requires_grad()) a.accumulate_grad(reduce_to_shape(g, a.shape()));
    if (b.requires_grad()) b.accumulate_grad(reduce_to_shape(g, b.shape()));
  }
};

// z = a − b:  dz/da = 1, dz/db = −1.
template <class T>
struct SubOp final : GradFn<T> {
  const char* op_name() const override { return "sub"; }
  static Array<T> forward(const Array<T>& a, const Array<T>& b) {
    return broadcast_apply(a, b, "sub", [](T x, T y) { return x - y; });
  }
  void backward(const Array<T>& g) override {
    BasicTensor<T>& a = this->inputs[0];
    BasicTensor<T>& b = this->inputs[1];
    if (a.requires_grad()) a.accumulate_grad(reduce_to_shape(g, a.shape()));
    if (b.requires_grad()) {
      Array<T> minus_g = g;
      for (T& v : minus_g)
        v = -v;
      b.accumulate_grad(reduce_to_shape(minus_g, b.shape()));
    }
  }
};

// z = a · b:  dz/da = b, dz/db = a (the inputs' values are the saved values).
template <class T>
struct MulOp final : GradFn<T> {
  const char* op_name() const override { return "mul"; }
  static Array<T> forward(const Array<T>& a, const Array<T>& b) {
    return broadcast_apply(a, b, "mul", [](T x, T y) { return x * y; });
  }
  void backward(const Array<T>& g) override {
    // dL/da = reduce_to_shape(g·b, shape of a), dL/db = reduce_to_shape(g·a, shape of b),
    // each only if that input requires a gradient (broadcast_apply multiplies broadcasting).
    // EXERCISE 1.1 BEGIN: mul's backward
    BasicTensor<T>& a = this->inputs[0];
    BasicTensor<T>& b = this->inputs[1];
    auto times = [](T x, T y) { return x * y; };
    if (a.requires_grad()) {
      a.accumulate_grad(reduce_to_shape(broadcast_apply(g, b.value(), "mul", times), a.shape()));
    }
    if (b.requires_grad()) {
      b.accumulate_grad(reduce_to_shape(broadcast_apply(g, a.value(), "mul", times), b.shape()));
    }
    // EXERCISE END
  }
};

// z = a / b:  dz/da = 1/b, dz/db = −a/b².
template <class T>
struct DivOp final : GradFn<T> {
  const char* op_name() const override { return "div"; }
  static Array<T> forward(const Array<T>& a, const Array<T>& b) {
    return broadcast_apply(a, b, "div", [](T x, T y) { return x / y; });
  }
  void backward(const Array<T>& g) override {
    BasicTensor<T>& a = this->inputs[0];
    BasicTensor<T>& b = this->inputs[1];
    if (a.requires_grad()) {
      Array<T> ga = broadcast_apply(g, b.value(), "div", [](T x, T y) { return x / y; });
      a.accumulate_grad(reduce_to_shape(ga, a.shape()));
    }
    if (b.requires_grad()) {
      // −g·a/b², computed as −(g/b)·(a/b) to stay in range for small b.
      Array<T> g_over_b = broadcast_apply(g, b.value(), "div", [](T x, T y) { return x / y; });
      Array<T> a_over_b =
          broadcast_apply(a.value(), b.value(), "div", [](T x, T y) { return x / y; });
      Array<T> gb = broadcast_apply(g_over_b, a_over_b, "div", [](T x, T y) { return -x * y; });
      b.accumulate_grad(reduce_to_shape(gb, b.shape()));
    }
  }
};

// z = −a:  dz/da = −1.
template <class T>
struct NegOp final : GradFn<T> {
  const char* op_name() const override { return "neg"; }
  static Array<T> forward(const Array<T>& a) {
    Array<T> out = a;
    for (T& v : out)
      v = -v;
    return out;
  }
  void backward(const Array<T>& g) override { this->inputs[0].accumulate_grad(forward(g)); }
};

}  // namespace ops
using namespace ops;

namespace {

template <class Op, class T>
BasicTensor<T> binary(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return make_result<T>(Op::forward(a.value(), b.value()), std::make_unique<Op>(), {a, b});
}

}  // namespace

template <class T>
BasicTensor<T> add(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return binary<AddOp<T>>(a, b);
}
template <class T>
BasicTensor<T> sub(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return binary<SubOp<T>>(a, b);
}
template <class T>
BasicTensor<T> mul(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return binary<MulOp<T>>(a, b);
}
template <class T>
BasicTensor<T> div(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return binary<DivOp<T>>(a, b);
}
template <class T>
BasicTensor<T> neg(const BasicTensor<T>& a) {
  return make_result<T>(NegOp<T>::forward(a.value()), std::make_unique<NegOp<T>>(), {a});
}

template Tensor add(const Tensor&, const Tensor&);
template DTensor add(const DTensor&, const DTensor&);
template Tensor sub(const Tensor&, const Tensor&);
template DTensor sub(const DTensor&, const DTensor&);
template Tensor mul(const Tensor&, const Tensor&);
template DTensor mul(const DTensor&, const DTensor&);
template Tensor div(const Tensor&, const Tensor&);
template DTensor div(const DTensor&, const DTensor&);
template Tensor neg(const Tensor&);
template DTensor neg(const DTensor&);

// ---- gradient-check cases (op_registry.hpp) -------------------------------------------

void register_arithmetic_ops(std::vector<OpCase>& cases) {
  using In = std::vector<DTensor>;
  // Inputs of the given shapes, uniform in [lo, hi); `denominator` marks the second input
  // of div, drawn from ±[0.5, 2) to stay away from the pole at 0.
  auto inputs = [](Shape sa, Shape sb, bool denominator = false) {
    return [=](Generator& gen) {
      DTensor b = denominator ? random_input(gen, sb, 0.5, 2.0) : random_input(gen, sb, -2.0, 2.0);
      if (denominator) {
        for (double& v : b.mutable_value())
          if (gen.uniform_double() < 0.5) v = -v;
      }
      return In{random_input(gen, sa, -2.0, 2.0), b};
    };
  };
  auto add_ = [](const In& in) { return in[0] + in[1]; };
  auto sub_ = [](const In& in) { return in[0] - in[1]; };
  auto mul_ = [](const In& in) { return in[0] * in[1]; };
  auto div_ = [](const In& in) { return in[0] / in[1]; };
  cases.push_back({"add (3,5)+(3,5)", inputs({3, 5}, {3, 5}), add_});
  cases.push_back({"add (3,1)+(1,4)", inputs({3, 1}, {1, 4}), add_});
  cases.push_back({"add (2,3,4)+(4)", inputs({2, 3, 4}, {4}), add_});
  cases.push_back({"add ()+(3,5)", inputs({}, {3, 5}), add_});
  cases.push_back({"sub (3,1)-(1,4)", inputs({3, 1}, {1, 4}), sub_});
  cases.push_back({"sub (2,3,4)-(3,4)", inputs({2, 3, 4}, {3, 4}), sub_});
  cases.push_back({"sub (3,5)-()", inputs({3, 5}, {}), sub_});
  cases.push_back({"mul (3,5)*(3,5)", inputs({3, 5}, {3, 5}), mul_});
  cases.push_back({"mul (3,1)*(1,4)", inputs({3, 1}, {1, 4}), mul_});
  cases.push_back({"mul ()*(2,3,4)", inputs({}, {2, 3, 4}), mul_});
  cases.push_back({"div (3,5)/(3,5)", inputs({3, 5}, {3, 5}, true), div_});
  cases.push_back({"div (2,3,4)/(4)", inputs({2, 3, 4}, {4}, true), div_});
  cases.push_back({"div (4,1)/(1,3)", inputs({4, 1}, {1, 3}, true), div_});
  cases.push_back({"div ()/(3,5)", inputs({}, {3, 5}, true), div_});
  auto one = [](Shape s) {
    return [=](Generator& gen) { return In{random_input(gen, s, -2.0, 2.0)}; };
  };
  cases.push_back({"neg (2,3,4)", one({2, 3, 4}), [](const In& in) { return -in[0]; }});
  cases.push_back(
      {"reused node a*a+a (3,5)", one({3, 5}), [](const In& in) { return in[0] * in[0] + in[0]; }});
}

}  // namespace minflow
