// pow(a, b) with a tensor exponent, broadcast as NumPy does (pow(a, p) with a scalar
// exponent is in ops_unary.cpp).
//
// y = a^b = exp(b·ln a), so
//   ∂y/∂a = b·a^(b−1),   ∂y/∂b = a^b·ln a = y·ln a,
// each summed back over the axes its input was broadcast along. ln a needs a > 0: for a = 0
// the exponent's gradient is taken as 0 where y = 0 (PyTorch's choice, instead of 0·(−∞) =
// NaN), and for a < 0 it is NaN, as the real function has no derivative in b there.
#include <cmath>
#include <memory>
#include <utility>

#include "autograd/broadcast.hpp"
#include "autograd/op.hpp"
#include "autograd/op_registry.hpp"
#include "autograd/ops.hpp"

namespace minflow::ops {

// y = a^b:  dL/da = Σ_bcast g·b·a^(b−1),  dL/db = Σ_bcast g·y·ln a  (y saved).
template <class T>
struct PowTensorOp final : GradFn<T> {
  Array<T> y;  // a^b, in the broadcast shape
  const char* op_name() const override { return "pow"; }
  // a and b already expanded to one shape.
  static Array<T> forward(const Array<T>& a, const Array<T>& b) {
    Array<T> out = Array<T>::from_shape(a.shape());
    for (std::size_t i = 0, n = out.size(); i < n; ++i)
      out.data()[i] = std::pow(a.data()[i], b.data()[i]);
    return out;
  }
  void backward(const Array<T>& g) override {
    BasicTensor<T>& a = this->inputs[0];
    BasicTensor<T>& b = this->inputs[1];
    const Shape s = shape_of(y);
    const Array<T> ea = expand_to(a.value(), s);
    const Array<T> eb = expand_to(b.value(), s);
    if (a.requires_grad()) {
      Array<T> ga = Array<T>::from_shape(s);
      for (std::size_t i = 0, n = ga.size(); i < n; ++i) {
        const T p = eb.data()[i];
        // b·a^(b−1); b = 0 gives 0 even at a = 0 (where a^(−1) is infinite).
        ga.data()[i] = p == T(0) ? T(0) : g.data()[i] * p * std::pow(ea.data()[i], p - T(1));
      }
      a.accumulate_grad(reduce_to_shape(ga, a.shape()));
    }
    if (b.requires_grad()) {
      Array<T> gb = Array<T>::from_shape(s);
      for (std::size_t i = 0, n = gb.size(); i < n; ++i) {
        const T yi = y.data()[i];
        gb.data()[i] = yi == T(0) ? T(0) : g.data()[i] * yi * std::log(ea.data()[i]);
      }
      b.accumulate_grad(reduce_to_shape(gb, b.shape()));
    }
  }
};

}  // namespace minflow::ops

namespace minflow {

template <class T>
BasicTensor<T> pow(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  const Shape s = broadcast_shapes(a.shape(), b.shape(), "pow");
  auto fn = std::make_unique<ops::PowTensorOp<T>>();
  fn->y = ops::PowTensorOp<T>::forward(expand_to(a.value(), s), expand_to(b.value(), s));
  Array<T> y = fn->y;
  return make_result<T>(std::move(y), std::move(fn), {a, b});
}

// ---- gradient-check cases (op_registry.hpp) -------------------------------------------

void register_pow_ops(std::vector<OpCase>& cases) {
  using In = std::vector<DTensor>;
  // a > 0: ln a is the exponent's derivative.
  auto inputs = [](Shape sa, Shape sb) {
    return [=](Generator& gen) {
      return In{random_input(gen, sa, 0.5, 2.0), random_input(gen, sb, -2.0, 2.0)};
    };
  };
  auto pw = [](const In& in) { return pow(in[0], in[1]); };
  cases.push_back({"pow tensor exponent (3,4)^(3,4)", inputs({3, 4}, {3, 4}), pw});
  cases.push_back({"pow tensor exponent (2,3,4)^(3,1)", inputs({2, 3, 4}, {3, 1}), pw});
  cases.push_back({"pow tensor exponent (4)^(2,3,1)", inputs({4}, {2, 3, 1}), pw});
}

// ---- explicit instantiations ----------------------------------------------------------

template BasicTensor<float> pow(const BasicTensor<float>&, const BasicTensor<float>&);
template BasicTensor<double> pow(const BasicTensor<double>&, const BasicTensor<double>&);

}  // namespace minflow
