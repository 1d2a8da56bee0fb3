// max and min along an axis, clamp, where and index_select: ops whose output elements are
// each one chosen input element (or a constant), so their gradient is routed, not computed.
//
//   max/min:      y[o,i] = a[o,k*,i], k* the arg-extremum along the axis. dL/da is dL/dy at
//                 k* and 0 elsewhere. Ties go to the FIRST extremal index (the one the
//                 forward picked), so the gradient is never split between equal elements.
//   clamp:        y = min(max(a, lo), hi). dL/da = dL/dy where lo ≤ a ≤ hi, else 0; at the
//                 boundary (a == lo or a == hi) the gradient passes, as in PyTorch.
//   where:        y = cond ? a : b (broadcast together). dL/da = dL/dy where cond, dL/db
//                 where not, each summed back to its input's shape; cond gets none.
//   index_select: y[o,k,i] = a[o,index[k],i]. The backward scatters: dL/da[o,index[k],i] +=
//                 dL/dy[o,k,i], so a row selected twice receives both gradients.
//
// Arrays are viewed around the axis as [outer, n, inner] (row-major): for a fixed (outer,
// axis) index the inner elements are contiguous.
#include <algorithm>
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

// y = max (or min) of a along `axis`:  dL/da[o,k,i] = dL/dy[o,i] if k = arg[o,i], else 0.
template <class T>
struct ExtremumOp final : GradFn<T> {
  bool is_max = true;
  std::size_t axis = 0;
  std::vector<std::size_t> arg;  // [outer·inner]: the index along the axis that was chosen
  const char* op_name() const override { return is_max ? "max" : "min"; }

  // The extremal values in the kept-dims shape; fills `arg`. A strict comparison keeps the
  // first of equal values.
  static Array<T> forward(const Array<T>& a, std::size_t axis, bool is_max,
                          std::vector<std::size_t>& arg) {
    Shape s = shape_of(a);
    const auto [outer, n, inner] = AxisView(s, axis);
    s[axis] = 1;
    Array<T> out = Array<T>::from_shape(s);
    arg.assign(outer * inner, 0);
    for (std::size_t o = 0; o < outer; ++o) {
      T* best = out.data() + o * inner;
      std::size_t* where = arg.data() + o * inner;
      std::copy_n(a.data() + o * n * inner, inner, best);  // k = 0
      for (std::size_t k = 1; k < n; ++k) {
        const T* row = a.data() + (o * n + k) * inner;
        for (std::size_t i = 0; i < inner; ++i) {
          if (is_max ? row[i] > best[i] : row[i] < best[i]) {
            best[i] = row[i];
            where[i] = k;
          }
        }
      }
    }
    return out;
  }

  void backward(const Array<T>& g) override {
    BasicTensor<T>& a = this->inputs[0];
    const Shape s = a.shape();
    const auto [outer, n, inner] = AxisView(s, axis);
    Array<T> ga = Array<T>::from_shape(s);
    std::fill(ga.begin(), ga.end(), T(0));
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t i = 0; i < inner; ++i)
        ga.data()[(o * n + arg[o * inner + i]) * inner + i] = g.data()[o * inner + i];
    a.accumulate_grad(std::move(ga));
  }
};

// y = min(max(a, lo), hi):  dL/da = dL/dy where lo ≤ a ≤ hi (boundary included), else 0.
template <class T>
struct ClampOp final : GradFn<T> {
  T lo = T(0), hi = T(0);
  const char* op_name() const override { return "clamp"; }
  static Array<T> forward(const Array<T>& a, T lo, T hi) {
    Array<T> out = a;
    for (T& v : out)
      v = std::min(std::max(v, lo), hi);
    return out;
  }
  void backward(const Array<T>& g) override {
    const Array<T>& a = this->inputs[0].value();
    Array<T> ga = g;
    for (std::size_t i = 0, n = ga.size(); i < n; ++i)
      if (a.data()[i] < lo || a.data()[i] > hi) ga.data()[i] = T(0);
    this->inputs[0].accumulate_grad(std::move(ga));
  }
};

// y = cond ? a : b:  dL/da = Σ_broadcast dL/dy·[cond], dL/db = Σ_broadcast dL/dy·[¬cond].
template <class T>
struct WhereOp final : GradFn<T> {
  std::vector<bool> take_a;  // cond != 0, expanded to the output's shape
  const char* op_name() const override { return "where"; }
  static Array<T> forward(const std::vector<bool>& take_a, const Array<T>& a, const Array<T>& b) {
    Array<T> out = Array<T>::from_shape(a.shape());  // a and b already expanded
    for (std::size_t i = 0, n = out.size(); i < n; ++i)
      out.data()[i] = take_a[i] ? a.data()[i] : b.data()[i];
    return out;
  }
  void backward(const Array<T>& g) override {
    for (std::size_t side = 0; side < 2; ++side) {
      BasicTensor<T>& x = this->inputs[side];
      if (!x.requires_grad()) continue;
      Array<T> gx = g;
      for (std::size_t i = 0, n = gx.size(); i < n; ++i)
        if (take_a[i] != (side == 0)) gx.data()[i] = T(0);
      x.accumulate_grad(reduce_to_shape(gx, x.shape()));
    }
  }
};

// y = a[..., index, ...] along `axis`:  dL/da = dL/dy scatter-added back to the rows it came
// from (a row selected twice receives the sum of both gradients).
template <class T>
struct IndexSelectOp final : GradFn<T> {
  std::size_t axis = 0;
  std::vector<std::size_t> index;
  const char* op_name() const override { return "index_select"; }
  static Array<T> forward(const Array<T>& a, std::size_t axis,
                          const std::vector<std::size_t>& index) {
    Shape s = shape_of(a);
    const auto [outer, n, inner] = AxisView(s, axis);
    s[axis] = index.size();
    Array<T> out = Array<T>::from_shape(s);
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t k = 0; k < index.size(); ++k)
        std::copy_n(a.data() + (o * n + index[k]) * inner, inner,
                    out.data() + (o * index.size() + k) * inner);
    return out;
  }
  void backward(const Array<T>& g) override {
    BasicTensor<T>& a = this->inputs[0];
    const Shape s = a.shape();
    const auto [outer, n, inner] = AxisView(s, axis);
    Array<T> ga = Array<T>::from_shape(s);
    std::fill(ga.begin(), ga.end(), T(0));
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t k = 0; k < index.size(); ++k) {
        T* dst = ga.data() + (o * n + index[k]) * inner;
        const T* src = g.data() + (o * index.size() + k) * inner;
        for (std::size_t i = 0; i < inner; ++i)
          dst[i] += src[i];
      }
    a.accumulate_grad(std::move(ga));
  }
};

}  // namespace minflow::ops

namespace minflow {
namespace {

// The kept-dims shape without the reduced axis, unless keep_dims.
Shape drop_axis(Shape kept, std::size_t axis, bool keep_dims) {
  if (!keep_dims) kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(axis));
  return kept;
}

template <class T>
BasicTensor<T> extremum(const BasicTensor<T>& a, int axis_arg, bool keep_dims, bool is_max) {
  const char* op = is_max ? "max" : "min";
  const std::size_t axis = normalize_axis(axis_arg, a.shape(), op);
  if (a.shape()[axis] == 0) {
    throw std::invalid_argument(std::string(op) + ": axis " + std::to_string(axis_arg) + " of " +
                                shape_to_string(a.shape()) + " is empty");
  }
  auto fn = std::make_unique<ops::ExtremumOp<T>>();
  fn->is_max = is_max;
  fn->axis = axis;
  Array<T> kept = ops::ExtremumOp<T>::forward(a.value(), axis, is_max, fn->arg);
  Array<T> y = Array<T>::from_shape(drop_axis(shape_of(kept), axis, keep_dims));
  std::copy(kept.data(), kept.data() + kept.size(), y.data());
  return make_result<T>(std::move(y), std::move(fn), {a});
}

}  // namespace

template <class T>
BasicTensor<T> max(const BasicTensor<T>& a, int axis, bool keep_dims) {
  return extremum(a, axis, keep_dims, true);
}
template <class T>
BasicTensor<T> min(const BasicTensor<T>& a, int axis, bool keep_dims) {
  return extremum(a, axis, keep_dims, false);
}

template <class T>
BasicTensor<T> clamp(const BasicTensor<T>& a, typename BasicTensor<T>::Scalar lo,
                     typename BasicTensor<T>::Scalar hi) {
  if (!(lo <= hi)) {
    throw std::invalid_argument("clamp: lo (" + std::to_string(lo) + ") must not exceed hi (" +
                                std::to_string(hi) + ")");
  }
  auto fn = std::make_unique<ops::ClampOp<T>>();
  fn->lo = lo;
  fn->hi = hi;
  return make_result<T>(ops::ClampOp<T>::forward(a.value(), lo, hi), std::move(fn), {a});
}

template <class T>
BasicTensor<T> where(const BasicTensor<T>& cond, const BasicTensor<T>& a, const BasicTensor<T>& b) {
  const Shape s =
      broadcast_shapes(broadcast_shapes(cond.shape(), a.shape(), "where"), b.shape(), "where");
  const Array<T> c = expand_to(cond.value(), s);
  auto fn = std::make_unique<ops::WhereOp<T>>();
  fn->take_a.resize(c.size());
  for (std::size_t i = 0; i < c.size(); ++i)
    fn->take_a[i] = c.data()[i] != T(0);
  Array<T> y =
      ops::WhereOp<T>::forward(fn->take_a, expand_to(a.value(), s), expand_to(b.value(), s));
  return make_result<T>(std::move(y), std::move(fn), {a, b});
}

template <class T>
BasicTensor<T> index_select(const BasicTensor<T>& a, int axis_arg,
                            const std::vector<std::size_t>& index) {
  const std::size_t axis = normalize_axis(axis_arg, a.shape(), "index_select");
  const std::size_t n = a.shape()[axis];
  for (std::size_t k = 0; k < index.size(); ++k) {
    if (index[k] >= n) {
      throw std::invalid_argument("index_select: index " + std::to_string(index[k]) +
                                  " (position " + std::to_string(k) + ") out of range for axis " +
                                  std::to_string(axis_arg) + " of " + shape_to_string(a.shape()) +
                                  " (size " + std::to_string(n) + ")");
    }
  }
  auto fn = std::make_unique<ops::IndexSelectOp<T>>();
  fn->axis = axis;
  fn->index = index;
  return make_result<T>(ops::IndexSelectOp<T>::forward(a.value(), axis, index), std::move(fn), {a});
}

// ---- gradient-check cases (op_registry.hpp) -------------------------------------------

void register_select_ops(std::vector<OpCase>& cases) {
  using In = std::vector<DTensor>;
  auto one = [](Shape shape) {
    return [=](Generator& gen) { return In{random_input(gen, shape, -2.0, 2.0)}; };
  };
  auto max_over = [](int axis, bool keep) {
    return [=](const In& in) { return max(in[0], axis, keep); };
  };
  auto min_over = [](int axis, bool keep) {
    return [=](const In& in) { return min(in[0], axis, keep); };
  };
  cases.push_back({"max axis 1 (3,5)", one({3, 5}), max_over(1, false)});
  cases.push_back({"max axis -1 keep_dims (2,3,4)", one({2, 3, 4}), max_over(-1, true)});
  cases.push_back({"min axis 0 (4,3)", one({4, 3}), min_over(0, false)});
  cases.push_back({"min axis -2 (2,3,4)", one({2, 3, 4}), min_over(-2, false)});
  cases.push_back({"clamp [-0.5,0.7] (3,5)", one({3, 5}),
                   [](const In& in) { return clamp(in[0], -0.5, 0.7); }});
  // cond (3,1) [no gradient], a (3,4), b (4): all three broadcast.
  cases.push_back({"where cond(3,1) a(3,4) b(4)",
                   [](Generator& gen) {
                     DTensor c = random_input(gen, {3, 1}, -1.0, 1.0, true);
                     Array<double> mask = c.value();
                     for (double& v : mask)
                       v = v > 0 ? 1.0 : 0.0;
                     return In{DTensor(mask, false), random_input(gen, {3, 4}, -2.0, 2.0),
                               random_input(gen, {4}, -2.0, 2.0)};
                   },
                   [](const In& in) { return where(in[0], in[1], in[2]); }});
  cases.push_back({"index_select axis 0 rows {3,0,3,1} of (4,3)", one({4, 3}), [](const In& in) {
                     return index_select(in[0], 0, {3, 0, 3, 1});
                   }});
  cases.push_back({"index_select axis -1 {1,1,0} of (2,3,2)", one({2, 3, 2}), [](const In& in) {
                     return index_select(in[0], -1, {1, 1, 0});
                   }});
}

// ---- explicit instantiations ----------------------------------------------------------

#define MINFLOW_INSTANTIATE(T)                                                \
  template BasicTensor<T> max(const BasicTensor<T>&, int, bool);              \
  template BasicTensor<T> min(const BasicTensor<T>&, int, bool);              \
  template BasicTensor<T> clamp(const BasicTensor<T>&, T, T);                 \
  template BasicTensor<T> where(const BasicTensor<T>&, const BasicTensor<T>&, \
                                const BasicTensor<T>&);                       \
  template BasicTensor<T> index_select(const BasicTensor<T>&, int, const std::vector<std::size_t>&);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
