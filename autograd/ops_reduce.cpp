// sum and mean (over everything or over chosen axes) and the mean-squared-error loss.
//
// A sum over some axes is the adjoint of a broadcast along them: y = Σₖ aₖ gives
// ∂y/∂aₖ = 1 for every k, so each input element receives the gradient of the one output
// element it was summed into: dL/da = dL/dy copied back along the reduced axes. The mean
// scales both ways by 1/n, n the number of elements summed into each output.
//
// Axes follow NumPy: `keep_dims` leaves each reduced axis in place with size 1 (so the result
// broadcasts against the input); an empty axis list reduces nothing. Axes may be negative
// (−1 is the last), as in PyTorch (axis.hpp).
#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "autograd/axis.hpp"
#include "autograd/broadcast.hpp"
#include "autograd/op.hpp"
#include "autograd/op_registry.hpp"
#include "autograd/ops.hpp"

namespace minflow {
namespace {

// Sums one axis, viewing `a` as [outer, n, inner]: out[o][i] = Σₖ a[o][k][i]. The inner loop
// runs over contiguous memory, so it vectorizes (a general odometer walk would be ~20x
// slower on [2048,64]).
template <class T>
Array<T> sum_axis(const Array<T>& a, std::size_t axis) {
  Shape s = shape_of(a);
  const auto [outer, n, inner] = AxisView(s, axis);
  s[axis] = 1;
  Array<T> out = Array<T>::from_shape(s);
  std::fill(out.begin(), out.end(), T(0));
  for (std::size_t o = 0; o < outer; ++o) {
    T* dst = out.data() + o * inner;
    for (std::size_t k = 0; k < n; ++k) {
      const T* src = a.data() + (o * n + k) * inner;
      for (std::size_t i = 0; i < inner; ++i)
        dst[i] += src[i];
    }
  }
  return out;
}

// The adjoint of sum_axis: [outer, 1, inner] → [outer, n, inner], each block copied n times.
template <class T>
Array<T> repeat_axis(const Array<T>& a, std::size_t axis, std::size_t n) {
  Shape s = shape_of(a);
  const std::size_t outer = count(s, 0, axis), inner = count(s, axis + 1, s.size());
  s[axis] = n;
  Array<T> out = Array<T>::from_shape(s);
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t k = 0; k < n; ++k)
      std::copy_n(a.data() + o * inner, inner, out.data() + (o * n + k) * inner);
  return out;
}

// Σ over the axes where `kept` (the input's shape with reduced axes set to 1) has size 1,
// one axis at a time. Summing everything is one loop, accumulated in double for accuracy.
template <class T>
Array<T> reduce_sum(const Array<T>& a, const Shape& kept) {
  if (std::all_of(kept.begin(), kept.end(), [](std::size_t d) { return d == 1; })) {
    double total = 0.0;
    for (std::size_t i = 0, n = a.size(); i < n; ++i)
      total += a.data()[i];
    Array<T> out = Array<T>::from_shape(kept);
    out.data()[0] = static_cast<T>(total);
    return out;
  }
  Array<T> out;
  const Array<T>* current = &a;
  for (std::size_t ax = 0; ax < kept.size(); ++ax) {
    if (kept[ax] == 1 && current->shape()[ax] != 1) {
      out = sum_axis(*current, ax);
      current = &out;
    }
  }
  return current == &a ? a : out;
}

// The backward of a reduction: g (the output's shape) seen in `kept` shape, copied along the
// reduced axes to `shape`, times `scale` (1 for sum, 1/n for mean).
template <class T>
Array<T> spread(const Array<T>& g, const Shape& kept, const Shape& shape, T scale) {
  Array<T> out = Array<T>::from_shape(kept);  // same elements, size-1 axes reinserted
  std::copy(g.data(), g.data() + g.size(), out.data());
  if (scale != T(1)) {
    for (std::size_t i = 0, n = out.size(); i < n; ++i)
      out.data()[i] *= scale;  // scaled before copying: fewer multiplications
  }
  for (std::size_t ax = 0; ax < shape.size(); ++ax)
    if (kept[ax] != shape[ax]) out = repeat_axis(out, ax, shape[ax]);
  return out;
}

}  // namespace

// The op structs live in a named namespace so that a debugger can name them:
//   break minflow::ops::MulOp<double>::backward      (docs/debugging.md)
namespace ops {

// y = Σ a over the reduced axes:  dL/da = dL/dy copied along them.
template <class T>
struct SumOp final : GradFn<T> {
  Shape kept;  // input shape with the reduced axes set to 1
  const char* op_name() const override { return "sum"; }
  static Array<T> forward(const Array<T>& a, const Shape& kept) { return reduce_sum(a, kept); }
  void backward(const Array<T>& g) override {
    this->inputs[0].accumulate_grad(spread(g, kept, this->inputs[0].shape(), T(1)));
  }
};

// y = (1/n) Σ a over the reduced axes:  dL/da = dL/dy / n copied along them.
template <class T>
struct MeanOp final : GradFn<T> {
  Shape kept;
  T inv_count = T(1);  // 1/n
  const char* op_name() const override { return "mean"; }
  static Array<T> forward(const Array<T>& a, const Shape& kept, T inv_count) {
    Array<T> out = reduce_sum(a, kept);
    for (std::size_t i = 0, n = out.size(); i < n; ++i)
      out.data()[i] *= inv_count;
    return out;
  }
  void backward(const Array<T>& g) override {
    this->inputs[0].accumulate_grad(spread(g, kept, this->inputs[0].shape(), inv_count));
  }
};

// L = (1/n) Σ (pᵢ − tᵢ)²:  dL/dpᵢ = 2(pᵢ − tᵢ)/n, dL/dtᵢ = −dL/dpᵢ.
// One op rather than mean(square(p − t)): the training loop calls it every step, and one
// node is cheaper than three (and reads better in the graph).
template <class T>
struct MseLossOp final : GradFn<T> {
  const char* op_name() const override { return "mse_loss"; }
  static Array<T> forward(const Array<T>& p, const Array<T>& t) {
    double total = 0.0;
    for (std::size_t i = 0, n = p.size(); i < n; ++i) {
      const double d = static_cast<double>(p.data()[i]) - t.data()[i];
      total += d * d;
    }
    return Array<T>(static_cast<T>(total / static_cast<double>(p.size())));
  }
  void backward(const Array<T>& g) override {
    BasicTensor<T>& p = this->inputs[0];
    BasicTensor<T>& t = this->inputs[1];
    const T scale = T(2) * g.data()[0] / static_cast<T>(p.size());
    Array<T> gp = Array<T>::from_shape(p.value().shape());
    for (std::size_t i = 0, n = gp.size(); i < n; ++i)
      gp.data()[i] = scale * (p.data()[i] - t.data()[i]);
    if (t.requires_grad()) {
      Array<T> gt = gp;
      for (T& v : gt)
        v = -v;
      t.accumulate_grad(std::move(gt));
    }
    if (p.requires_grad()) p.accumulate_grad(std::move(gp));
  }
};

}  // namespace ops
using namespace ops;

namespace {

// `axes` checked and made non-negative (−1 → rank − 1).
std::vector<std::size_t> normalize_axes(const std::vector<int>& axes, const Shape& shape,
                                        const char* op) {
  std::vector<std::size_t> out;
  for (int ax : axes)
    out.push_back(normalize_axis(ax, shape, op));
  return out;
}

// The kept-dims shape of reducing `shape` over `axes` (normalized), after checking them.
Shape kept_shape(const Shape& shape, const std::vector<std::size_t>& axes, const char* op) {
  Shape kept = shape;
  std::vector<bool> seen(shape.size(), false);
  for (std::size_t ax : axes) {
    if (seen[ax]) {
      throw std::invalid_argument(std::string(op) + ": axis " + std::to_string(ax) +
                                  " listed twice for " + shape_to_string(shape));
    }
    seen[ax] = true;
    kept[ax] = 1;
  }
  return kept;
}

// The result's shape: `kept`, or `kept` without the reduced axes.
Shape output_shape(const Shape& kept, const std::vector<std::size_t>& axes, bool keep_dims) {
  if (keep_dims) return kept;
  Shape out;
  for (std::size_t i = 0; i < kept.size(); ++i)
    if (std::find(axes.begin(), axes.end(), i) == axes.end()) out.push_back(kept[i]);
  return out;
}

std::vector<int> all_axes(std::size_t rank) {
  std::vector<int> axes(rank);
  for (std::size_t i = 0; i < rank; ++i)
    axes[i] = static_cast<int>(i);
  return axes;
}

// Gives `value` the result's shape (the elements are already in order).
template <class T>
Array<T> with_shape(Array<T> value, const Shape& shape) {
  Array<T> out = Array<T>::from_shape(shape);
  std::copy(value.data(), value.data() + value.size(), out.data());
  return out;
}

}  // namespace

template <class T>
BasicTensor<T> sum(const BasicTensor<T>& a, const std::vector<int>& axis_list, bool keep_dims) {
  const std::vector<std::size_t> axes = normalize_axes(axis_list, a.shape(), "sum");
  auto fn = std::make_unique<SumOp<T>>();
  fn->kept = kept_shape(a.shape(), axes, "sum");
  Array<T> y =
      with_shape(SumOp<T>::forward(a.value(), fn->kept), output_shape(fn->kept, axes, keep_dims));
  return make_result<T>(std::move(y), std::move(fn), {a});
}
template <class T>
BasicTensor<T> sum(const BasicTensor<T>& a) {
  return sum(a, all_axes(a.dim()), false);
}

template <class T>
BasicTensor<T> mean(const BasicTensor<T>& a, const std::vector<int>& axis_list, bool keep_dims) {
  const std::vector<std::size_t> axes = normalize_axes(axis_list, a.shape(), "mean");
  auto fn = std::make_unique<MeanOp<T>>();
  fn->kept = kept_shape(a.shape(), axes, "mean");
  std::size_t n = 1;
  for (std::size_t ax : axes)
    n *= a.shape()[ax];
  fn->inv_count = T(1) / static_cast<T>(n);
  Array<T> y = with_shape(MeanOp<T>::forward(a.value(), fn->kept, fn->inv_count),
                          output_shape(fn->kept, axes, keep_dims));
  return make_result<T>(std::move(y), std::move(fn), {a});
}
template <class T>
BasicTensor<T> mean(const BasicTensor<T>& a) {
  return mean(a, all_axes(a.dim()), false);
}

template <class T>
BasicTensor<T> mse_loss(const BasicTensor<T>& pred, const BasicTensor<T>& target) {
  if (pred.shape() != target.shape()) {
    throw std::invalid_argument("mse_loss: pred has shape " + shape_to_string(pred.shape()) +
                                " but target has shape " + shape_to_string(target.shape()) +
                                "; they must be equal");
  }
  return make_result<T>(MseLossOp<T>::forward(pred.value(), target.value()),
                        std::make_unique<MseLossOp<T>>(), {pred, target});
}

// ---- gradient-check cases (op_registry.hpp) -------------------------------------------

void register_reduce_ops(std::vector<OpCase>& cases) {
  using In = std::vector<DTensor>;
  using Axes = std::vector<int>;
  auto one = [](Shape shape) {
    return [=](Generator& gen) { return In{random_input(gen, shape, -2.0, 2.0)}; };
  };
  auto two = [](Shape shape) {
    return [=](Generator& gen) {
      return In{random_input(gen, shape, -2.0, 2.0), random_input(gen, shape, -2.0, 2.0)};
    };
  };
  auto sum_over = [](Axes axes, bool keep) {
    return [=](const In& in) { return sum(in[0], axes, keep); };
  };
  auto mean_over = [](Axes axes, bool keep) {
    return [=](const In& in) { return mean(in[0], axes, keep); };
  };
  auto mse = [](const In& in) { return mse_loss(in[0], in[1]); };
  cases.push_back({"sum all (3,5)", one({3, 5}), [](const In& in) { return sum(in[0]); }});
  cases.push_back({"sum axis 1 (3,5)", one({3, 5}), sum_over({1}, false)});
  cases.push_back({"sum axes {0,2} keep_dims (2,3,4)", one({2, 3, 4}), sum_over({0, 2}, true)});
  cases.push_back({"sum axis 1 (2,3,4)", one({2, 3, 4}), sum_over({1}, false)});
  cases.push_back({"mean all (2,3,4)", one({2, 3, 4}), [](const In& in) { return mean(in[0]); }});
  cases.push_back({"mean axis 0 (3,5)", one({3, 5}), mean_over({0}, false)});
  cases.push_back({"mean axes {1,2} keep_dims (2,3,4)", one({2, 3, 4}), mean_over({1, 2}, true)});
  cases.push_back({"sum axis -1 (2,3,4)", one({2, 3, 4}), sum_over({-1}, false)});
  cases.push_back(
      {"mean axes {-3,-1} keep_dims (2,3,4)", one({2, 3, 4}), mean_over({-3, -1}, true)});
  cases.push_back({"mse_loss (3,5)", two({3, 5}), mse});
  cases.push_back({"mse_loss (2,3,4)", two({2, 3, 4}), mse});
}

// ---- explicit instantiations ----------------------------------------------------------

#define MINFLOW_INSTANTIATE(T)                                                        \
  template BasicTensor<T> sum(const BasicTensor<T>&);                                 \
  template BasicTensor<T> sum(const BasicTensor<T>&, const std::vector<int>&, bool);  \
  template BasicTensor<T> mean(const BasicTensor<T>&);                                \
  template BasicTensor<T> mean(const BasicTensor<T>&, const std::vector<int>&, bool); \
  template BasicTensor<T> mse_loss(const BasicTensor<T>&, const BasicTensor<T>&);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
