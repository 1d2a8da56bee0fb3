// permute and transpose(a, dim0, dim1): reorder the axes.
//
// y = permute(a, dims) has y.shape[i] = a.shape[dims[i]] and y[j₀,…,j_{r−1}] = a[i] with
// i_{dims[k]} = j_k: each output element is one input element, so the gradient goes back
// along the same map, which is the permutation by the inverse order:
//   dL/da = permute(dL/dy, inverse(dims)),  inverse[dims[k]] = k.
// transpose(a, d0, d1) is permute with d0 and d1 swapped (PyTorch's torch.transpose).
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

// y = a with its axes reordered by `dims`:  dL/da = dL/dy reordered by the inverse.
template <class T>
struct PermuteOp final : GradFn<T> {
  std::vector<std::size_t> inverse;  // inverse[dims[k]] = k: the backward's order
  const char* op_name() const override { return "permute"; }

  // out[j] = a[i], walking the output in row-major order: an odometer over the output index
  // j, with the input offset Σ_k j_k·stride_a[dims[k]] kept up to date incrementally.
  static Array<T> forward(const Array<T>& a, const std::vector<std::size_t>& dims) {
    const Shape sa = shape_of(a);
    const std::size_t r = sa.size();
    std::vector<std::size_t> stride_a(r, 1);
    for (std::size_t k = r; k-- > 1;)
      stride_a[k - 1] = stride_a[k] * sa[k];
    Shape so(r);
    std::vector<std::size_t> step(r);  // input stride of each output axis
    for (std::size_t k = 0; k < r; ++k) {
      so[k] = sa[dims[k]];
      step[k] = stride_a[dims[k]];
    }
    Array<T> out = Array<T>::from_shape(so);
    if (out.size() == 0) return out;
    if (r == 0) {
      out.data()[0] = a.data()[0];
      return out;
    }
    std::vector<std::size_t> j(r, 0);
    std::size_t src = 0;
    const std::size_t last = so[r - 1], last_step = step[r - 1];
    for (T* dst = out.data(); dst != out.data() + out.size();) {
      for (std::size_t i = 0; i < last; ++i)  // the last output axis, one row at a time
        *dst++ = a.data()[src + i * last_step];
      // Advance the odometer over the other axes.
      for (std::size_t k = r - 1; k-- > 0;) {
        src += step[k];
        if (++j[k] < so[k]) break;
        src -= step[k] * so[k];
        j[k] = 0;
      }
    }
    return out;
  }

  void backward(const Array<T>& g) override {
    this->inputs[0].accumulate_grad(forward(g, inverse));
  }
};

}  // namespace minflow::ops

namespace minflow {

template <class T>
BasicTensor<T> permute(const BasicTensor<T>& a, const std::vector<int>& dims) {
  const Shape s = a.shape();
  if (dims.size() != s.size()) {
    throw std::invalid_argument("permute: got " + std::to_string(dims.size()) + " axes for " +
                                shape_to_string(s) + ", expected " + std::to_string(s.size()));
  }
  std::vector<std::size_t> order;
  std::vector<std::size_t> inverse(s.size(), s.size());
  for (std::size_t k = 0; k < dims.size(); ++k) {
    const std::size_t ax = normalize_axis(dims[k], s, "permute");
    if (inverse[ax] != s.size()) {
      throw std::invalid_argument("permute: axis " + std::to_string(dims[k]) +
                                  " listed twice for " + shape_to_string(s));
    }
    inverse[ax] = k;
    order.push_back(ax);
  }
  auto fn = std::make_unique<ops::PermuteOp<T>>();
  fn->inverse = std::move(inverse);
  return make_result<T>(ops::PermuteOp<T>::forward(a.value(), order), std::move(fn), {a});
}

template <class T>
BasicTensor<T> transpose(const BasicTensor<T>& a, int dim0, int dim1) {
  const std::size_t d0 = normalize_axis(dim0, a.shape(), "transpose");
  const std::size_t d1 = normalize_axis(dim1, a.shape(), "transpose");
  std::vector<int> dims(a.dim());
  for (std::size_t k = 0; k < dims.size(); ++k)
    dims[k] = static_cast<int>(k);
  std::swap(dims[d0], dims[d1]);
  return permute(a, dims);
}

// ---- gradient-check cases (op_registry.hpp) -------------------------------------------

void register_permute_ops(std::vector<OpCase>& cases) {
  using In = std::vector<DTensor>;
  auto one = [](Shape shape) {
    return [=](Generator& gen) { return In{random_input(gen, shape, -2.0, 2.0)}; };
  };
  auto perm = [](std::vector<int> dims) {
    return [=](const In& in) { return permute(in[0], dims); };
  };
  cases.push_back({"permute (2,3,4)->{2,0,1}", one({2, 3, 4}), perm({2, 0, 1})});
  cases.push_back({"permute (2,3,4)->{1,-1,0}", one({2, 3, 4}), perm({1, -1, 0})});
  cases.push_back({"permute (2,3,4,5)->{3,1,0,2}", one({2, 3, 4, 5}), perm({3, 1, 0, 2})});
  cases.push_back({"permute (3,5)->{1,0}", one({3, 5}), perm({1, 0})});
  cases.push_back({"transpose axes 0,-1 (2,3,4)", one({2, 3, 4}),
                   [](const In& in) { return transpose(in[0], 0, -1); }});
}

// ---- explicit instantiations ----------------------------------------------------------

#define MINFLOW_INSTANTIATE(T)                                                     \
  template BasicTensor<T> permute(const BasicTensor<T>&, const std::vector<int>&); \
  template BasicTensor<T> transpose(const BasicTensor<T>&, int, int);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
