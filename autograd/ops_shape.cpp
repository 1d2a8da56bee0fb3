// transpose, reshape, concat, slice and broadcast_to: ops that move values without changing
// them.
//
// Each output element is a copy of exactly one input element (broadcast_to: of one, many
// times), so the backward moves the upstream gradient back along the same map: transpose
// it back, reshape it back, cut it into the parts, write it into the sliced window, or sum
// it over the broadcast copies. No derivative other than 1 ever appears.
//
// concat and slice view a row-major array of shape s around an axis as [outer, s[axis],
// inner]: for fixed (outer, axis) index the `inner` elements are contiguous, so both are a
// loop of block copies.
#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "autograd/axis.hpp"
#include "autograd/broadcast.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/op.hpp"
#include "autograd/op_registry.hpp"
#include "autograd/ops.hpp"

namespace minflow {
namespace {

// Swaps the last two axes of a rank-2 or rank-3 array (out[b][j][i] = in[b][i][j]).
template <class T>
Array<T> swap_last_two(const Array<T>& in) {
  Shape s = shape_of(in);
  const std::size_t r = s.size();
  const std::size_t batch = r == 3 ? s[0] : 1, m = s[r - 2], n = s[r - 1];
  std::swap(s[r - 2], s[r - 1]);
  Array<T> out = Array<T>::from_shape(s);
  const T* src = in.data();
  T* dst = out.data();
  // In 8x8 tiles, writing each output row segment contiguously: with power-of-two row
  // lengths a plain double loop (or larger tiles) keeps evicting its own cache lines and is
  // ~5x slower on [2048,64].
  constexpr std::size_t tile = 8;
  for (std::size_t b = 0; b < batch; ++b, src += m * n, dst += m * n)
    for (std::size_t i0 = 0; i0 < m; i0 += tile)
      for (std::size_t j0 = 0; j0 < n; j0 += tile) {
        const std::size_t i1 = std::min(i0 + tile, m), j1 = std::min(j0 + tile, n);
        for (std::size_t j = j0; j < j1; ++j)
          for (std::size_t i = i0; i < i1; ++i)
            dst[j * m + i] = src[i * n + j];
      }
  return out;
}

}  // namespace

// The op structs live in a named namespace so that a debugger can name them:
//   break minflow::ops::MulOp<double>::backward      (docs/debugging.md)
namespace ops {

// y = aᵀ (per batch for rank 3):  dL/da = (dL/dy)ᵀ.
template <class T>
struct TransposeOp final : GradFn<T> {
  const char* op_name() const override { return "transpose"; }
  static Array<T> forward(const Array<T>& a) { return swap_last_two(a); }
  void backward(const Array<T>& g) override { this->inputs[0].accumulate_grad(swap_last_two(g)); }
};

// Same elements in the same (row-major) order, another shape:  dL/da = dL/dy in a's shape.
template <class T>
struct ReshapeOp final : GradFn<T> {
  const char* op_name() const override { return "reshape"; }
  static Array<T> forward(const Array<T>& a, const Shape& shape) {
    Array<T> out = Array<T>::from_shape(shape);
    std::copy(a.data(), a.data() + a.size(), out.data());
    return out;
  }
  void backward(const Array<T>& g) override {
    this->inputs[0].accumulate_grad(forward(g, this->inputs[0].shape()));
  }
};

// y = [a₀ a₁ …] along `axis`:  dL/daₚ = the block of dL/dy that part p filled.
template <class T>
struct ConcatOp final : GradFn<T> {
  std::size_t axis = 0;
  std::vector<std::size_t> sizes;  // each part's extent along `axis`
  const char* op_name() const override { return "concat"; }
  static Array<T> forward(const std::vector<const Array<T>*>& parts, std::size_t axis) {
    Shape s = shape_of(*parts[0]);
    s[axis] = 0;
    for (const Array<T>* p : parts)
      s[axis] += p->shape()[axis];
    Array<T> out = Array<T>::from_shape(s);
    const std::size_t outer = count(s, 0, axis), inner = count(s, axis + 1, s.size());
    std::size_t start = 0;  // where this part begins along the axis
    for (const Array<T>* p : parts) {
      const std::size_t block = p->shape()[axis] * inner;
      for (std::size_t o = 0; o < outer; ++o)
        std::copy_n(p->data() + o * block, block, out.data() + (o * s[axis] + start) * inner);
      start += p->shape()[axis];
    }
    return out;
  }
  void backward(const Array<T>& g) override {
    const Shape s = shape_of(g);
    const std::size_t outer = count(s, 0, axis), inner = count(s, axis + 1, s.size());
    std::size_t start = 0;
    for (std::size_t k = 0; k < this->inputs.size(); ++k) {
      BasicTensor<T>& part = this->inputs[k];
      if (part.requires_grad()) {
        const std::size_t block = sizes[k] * inner;
        Array<T> gp = Array<T>::from_shape(part.shape());
        for (std::size_t o = 0; o < outer; ++o)
          std::copy_n(g.data() + (o * s[axis] + start) * inner, block, gp.data() + o * block);
        part.accumulate_grad(std::move(gp));
      }
      start += sizes[k];
    }
  }
};

// y = a[..., begin:end, ...] on `axis`:  dL/da = dL/dy inside the window, 0 outside.
template <class T>
struct SliceOp final : GradFn<T> {
  std::size_t axis = 0, begin = 0;
  const char* op_name() const override { return "slice"; }
  static Array<T> forward(const Array<T>& a, std::size_t axis, std::size_t begin, std::size_t end) {
    Shape s = shape_of(a);
    const std::size_t outer = count(s, 0, axis), inner = count(s, axis + 1, s.size());
    const std::size_t full = s[axis];
    s[axis] = end - begin;
    Array<T> out = Array<T>::from_shape(s);
    const std::size_t block = s[axis] * inner;
    for (std::size_t o = 0; o < outer; ++o)
      std::copy_n(a.data() + (o * full + begin) * inner, block, out.data() + o * block);
    return out;
  }
  void backward(const Array<T>& g) override {
    const Shape s = this->inputs[0].shape();
    const std::size_t outer = count(s, 0, axis), inner = count(s, axis + 1, s.size());
    const std::size_t block = g.shape()[axis] * inner;
    Array<T> ga = Array<T>::from_shape(s);
    std::fill(ga.begin(), ga.end(), T(0));
    for (std::size_t o = 0; o < outer; ++o)
      std::copy_n(g.data() + o * block, block, ga.data() + (o * s[axis] + begin) * inner);
    this->inputs[0].accumulate_grad(std::move(ga));
  }
};

// y = a copied along the broadcast axes:  dL/da = dL/dy summed over those axes.
template <class T>
struct BroadcastToOp final : GradFn<T> {
  const char* op_name() const override { return "broadcast_to"; }
  static Array<T> forward(const Array<T>& a, const Shape& shape) { return expand_to(a, shape); }
  void backward(const Array<T>& g) override {
    this->inputs[0].accumulate_grad(reduce_to_shape(g, this->inputs[0].shape()));
  }
};

}  // namespace ops
using namespace ops;

template <class T>
BasicTensor<T> transpose(const BasicTensor<T>& a) {
  if (a.dim() != 2 && a.dim() != 3) {
    throw std::invalid_argument("transpose: expected rank 2 or 3, got " +
                                shape_to_string(a.shape()));
  }
  return make_result<T>(TransposeOp<T>::forward(a.value()), std::make_unique<TransposeOp<T>>(),
                        {a});
}

template <class T>
BasicTensor<T> reshape(const BasicTensor<T>& a, const Shape& shape) {
  const std::size_t n = count(shape, 0, shape.size());
  if (n != a.size()) {
    throw std::invalid_argument("reshape: cannot reshape " + shape_to_string(a.shape()) + " (" +
                                std::to_string(a.size()) + " elements) to " +
                                shape_to_string(shape) + " (" + std::to_string(n) + " elements)");
  }
  return make_result<T>(ReshapeOp<T>::forward(a.value(), shape), std::make_unique<ReshapeOp<T>>(),
                        {a});
}

template <class T>
BasicTensor<T> concat(const std::vector<BasicTensor<T>>& parts, int axis_arg) {
  if (parts.empty()) throw std::invalid_argument("concat: no parts to concatenate");
  const Shape first = parts[0].shape();
  const std::size_t axis = normalize_axis(axis_arg, first, "concat");
  std::vector<const Array<T>*> values;
  auto fn = std::make_unique<ConcatOp<T>>();
  fn->axis = axis;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    Shape s = parts[k].shape();
    bool ok = s.size() == first.size();
    for (std::size_t i = 0; ok && i < s.size(); ++i)
      ok = i == axis || s[i] == first[i];
    if (!ok) {
      std::string expected = "[";
      for (std::size_t i = 0; i < first.size(); ++i)
        expected += (i ? "," : "") + (i == axis ? std::string("*") : std::to_string(first[i]));
      throw std::invalid_argument("concat: part " + std::to_string(k) + " has shape " +
                                  shape_to_string(s) + ", expected " + expected + "] (part 0 is " +
                                  shape_to_string(first) + ", joining on axis " +
                                  std::to_string(axis) + ")");
    }
    values.push_back(&parts[k].value());
    fn->sizes.push_back(s[axis]);
  }
  return make_result<T>(ConcatOp<T>::forward(values, axis), std::move(fn), parts);
}

template <class T>
BasicTensor<T> slice(const BasicTensor<T>& a, int axis_arg, std::size_t begin, std::size_t end) {
  const Shape s = a.shape();
  const std::size_t axis = normalize_axis(axis_arg, s, "slice");
  if (begin >= end || end > s[axis]) {
    throw std::invalid_argument("slice: range [" + std::to_string(begin) + "," +
                                std::to_string(end) + ") is empty or out of bounds for axis " +
                                std::to_string(axis) + " of " + shape_to_string(s));
  }
  auto fn = std::make_unique<SliceOp<T>>();
  fn->axis = axis;
  fn->begin = begin;
  return make_result<T>(SliceOp<T>::forward(a.value(), axis, begin, end), std::move(fn), {a});
}

template <class T>
BasicTensor<T> broadcast_to(const BasicTensor<T>& a, const Shape& shape) {
  const Shape s = a.shape();
  bool ok = s.size() <= shape.size();
  for (std::size_t i = 0; ok && i < s.size(); ++i) {
    const std::size_t target = shape[shape.size() - s.size() + i];
    ok = s[i] == target || s[i] == 1;
  }
  if (!ok) {
    throw std::invalid_argument("broadcast_to: cannot broadcast " + shape_to_string(s) + " to " +
                                shape_to_string(shape));
  }
  return make_result<T>(BroadcastToOp<T>::forward(a.value(), shape),
                        std::make_unique<BroadcastToOp<T>>(), {a});
}

// ---- gradient-check cases (op_registry.hpp) -------------------------------------------

void register_shape_ops(std::vector<OpCase>& cases) {
  using In = std::vector<DTensor>;
  auto inputs = [](std::vector<Shape> shapes) {
    return [=](Generator& gen) {
      In in;
      for (const Shape& s : shapes)
        in.push_back(random_input(gen, s, -2.0, 2.0));
      return in;
    };
  };
  auto cat = [](int axis) { return [axis](const In& in) { return concat(in, axis); }; };
  auto cut = [](int axis, std::size_t b, std::size_t e) {
    return [=](const In& in) { return slice(in[0], axis, b, e); };
  };
  auto to = [](Shape s) { return [s](const In& in) { return broadcast_to(in[0], s); }; };
  auto re = [](Shape s) { return [s](const In& in) { return reshape(in[0], s); }; };
  auto tr = [](const In& in) { return transpose(in[0]); };
  cases.push_back({"transpose (3,5)", inputs({{3, 5}}), tr});
  cases.push_back({"transpose (2,3,4)", inputs({{2, 3, 4}}), tr});
  cases.push_back({"reshape (3,4)->(2,6)", inputs({{3, 4}}), re({2, 6})});
  cases.push_back({"reshape (2,3,4)->(24)", inputs({{2, 3, 4}}), re({24})});
  cases.push_back({"reshape (1,1)->()", inputs({{1, 1}}), re({})});
  cases.push_back({"concat axis 0 (2,3)+(4,3)", inputs({{2, 3}, {4, 3}}), cat(0)});
  cases.push_back({"concat axis 1 (2,3)+(2,1)+(2,2)", inputs({{2, 3}, {2, 1}, {2, 2}}), cat(1)});
  cases.push_back({"concat axis 2 (2,3,4)+(2,3,1)", inputs({{2, 3, 4}, {2, 3, 1}}), cat(2)});
  cases.push_back({"slice axis 1 [1,4) of (3,5)", inputs({{3, 5}}), cut(1, 1, 4)});
  cases.push_back({"slice axis 0 [1,2) of (2,3,4)", inputs({{2, 3, 4}}), cut(0, 1, 2)});
  cases.push_back({"slice axis 2 [0,3) of (2,3,4)", inputs({{2, 3, 4}}), cut(2, 0, 3)});
  cases.push_back({"concat axis -1 (2,3)+(2,2)", inputs({{2, 3}, {2, 2}}), cat(-1)});
  cases.push_back({"slice axis -2 [1,3) of (2,3,4)", inputs({{2, 3, 4}}), cut(-2, 1, 3)});
  cases.push_back({"broadcast_to (3,1)->(2,3,4)", inputs({{3, 1}}), to({2, 3, 4})});
  cases.push_back({"broadcast_to (4)->(3,4)", inputs({{4}}), to({3, 4})});
  cases.push_back({"broadcast_to ()->(2,3)", inputs({Shape{}}), to({2, 3})});
  cases.push_back({"transpose of slice of concat (2,3)+(2,2)", inputs({{2, 3}, {2, 2}}),
                   [](const In& in) { return transpose(slice(concat(in, 1), 1, 1, 5)); }});
}

// ---- explicit instantiations ----------------------------------------------------------

#define MINFLOW_INSTANTIATE(T)                                                         \
  template BasicTensor<T> transpose(const BasicTensor<T>&);                            \
  template BasicTensor<T> reshape(const BasicTensor<T>&, const Shape&);                \
  template BasicTensor<T> concat(const std::vector<BasicTensor<T>>&, int);             \
  template BasicTensor<T> slice(const BasicTensor<T>&, int, std::size_t, std::size_t); \
  template BasicTensor<T> broadcast_to(const BasicTensor<T>&, const Shape&);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
