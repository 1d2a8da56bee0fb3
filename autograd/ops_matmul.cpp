// matmul and linear: the ops whose forward and backward are matrix products.
//
// For C = A·B with A [m,k], B [k,n] and G = dL/dC [m,n], entry by entry
//   C(i,j) = Σ_p A(i,p)·B(p,j)  ⇒  ∂C(i,j)/∂A(i,p) = B(p,j),  ∂C(i,j)/∂B(p,j) = A(i,p),
// and summing over the entries of C that each input entry touches:
//   dL/dA = G·Bᵀ [m,k],   dL/dB = Aᵀ·G [k,n].
// Every product goes through the gemm kernel (kernels/matmul.hpp), whose transpose flags
// read Bᵀ and Aᵀ in place: no transposed copy is ever made.
#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "autograd/grad_mode.hpp"
#include "autograd/kernels/matmul.hpp"
#include "autograd/op.hpp"
#include "autograd/op_registry.hpp"
#include "autograd/ops.hpp"
#include "base/thread_pool.hpp"

namespace minflow {
namespace {

template <class T>
Shape shape_of(const Array<T>& a) {
  return Shape(a.shape().begin(), a.shape().end());
}

// Every product below: the gemm kernel, or its plain triple loop under a
// ReferenceKernelsGuard (the tests compare the two).
template <class T>
void product(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
             std::size_t lda, const T* b, std::size_t ldb, T* c, std::size_t ldc, bool accumulate,
             const T* bias = nullptr) {
  auto* kernel = reference_kernels_enabled() ? &gemm_reference<T> : &gemm<T>;
  kernel(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias);
}

}  // namespace

// The op structs live in a named namespace so that a debugger can name them:
//   break minflow::ops::MulOp<double>::backward      (docs/debugging.md)
namespace ops {

// C = A·B, with torch.matmul's forms up to rank 3:
//   [m,k]·[k,n] → [m,n]       [m,k]·[k] → [m]       [k]·[k,n] → [n]       [k]·[k] → []
//   [b,m,k]·[b,k,n] → [b,m,n]  and the broadcast batch forms [b,m,k]·[k,n], [m,k]·[b,k,n]
//   (a batch of 1 broadcasts too; a vector operand works in each).
// A vector is a [1,k] row on the left or a [k,1] column on the right, its axis of size 1
// dropped from the result. An operand without a batch (or with a batch of 1) is shared by
// every product, so its gradient is the sum of the per-batch gradients (accumulated in batch
// order, the same for any thread count).
template <class T>
struct MatMulOp final : GradFn<T> {
  const char* op_name() const override { return "matmul"; }

  // The products to run: `batch` of them, [m,k]·[k,n] each, the operands advancing by
  // a_step and b_step elements (0 for a shared operand), and the result's shape.
  struct Dims {
    std::size_t batch = 1, m = 1, k = 1, n = 1, a_step = 0, b_step = 0;
    Shape out;
  };

  // Or "matmul: cannot multiply [2048,3] by [2,64]".
  static Dims dims(const Array<T>& a, const Array<T>& b) {
    const Shape sa = shape_of(a), sb = shape_of(b);
    const std::size_t ra = sa.size(), rb = sb.size();
    Dims d;
    const auto fail = [&] {
      return std::invalid_argument("matmul: cannot multiply " + shape_to_string(sa) + " by " +
                                   shape_to_string(sb));
    };
    if (ra < 1 || ra > 3 || rb < 1 || rb > 3) throw fail();
    d.m = ra == 1 ? 1 : sa[ra - 2];
    d.k = sa[ra - 1];
    if ((rb == 1 ? sb[0] : sb[rb - 2]) != d.k) throw fail();
    d.n = rb == 1 ? 1 : sb[rb - 1];
    const std::size_t ba = ra == 3 ? sa[0] : 1, bb = rb == 3 ? sb[0] : 1;
    if (ba != bb && ba != 1 && bb != 1) throw fail();
    d.batch = std::max(ba, bb);
    d.a_step = ba == d.batch ? d.m * d.k : 0;
    d.b_step = bb == d.batch ? d.k * d.n : 0;
    if (ra == 3 || rb == 3) d.out.push_back(d.batch);
    if (ra >= 2) d.out.push_back(d.m);
    if (rb >= 2) d.out.push_back(d.n);
    return d;
  }

  static Array<T> forward(const Array<T>& a, const Array<T>& b) {
    const Dims d = dims(a, b);
    Array<T> c = Array<T>::from_shape(d.out);
    for (std::size_t i = 0; i < d.batch; ++i) {
      product<T>(false, false, d.m, d.n, d.k, a.data() + i * d.a_step, d.k, b.data() + i * d.b_step,
                 d.n, c.data() + i * d.m * d.n, d.n,
                 /*accumulate=*/false);
    }
    return c;
  }

  void backward(const Array<T>& g) override {
    // Per batch item i: dA_i = G_i·B_iᵀ [m,k], dB_i = A_iᵀ·G_i [k,n] (product()'s
    // transpose flags read Bᵀ and Aᵀ in place; dims() gives {batch, m, k, n}).
    // EXERCISE 1.3 BEGIN: matmul's backward
    BasicTensor<T>& a = this->inputs[0];
    BasicTensor<T>& b = this->inputs[1];
    const Dims d = dims(a.value(), b.value());
    const std::size_t m = d.m, k = d.k, n = d.n;
    if (a.requires_grad()) {  // dA = G·Bᵀ: G [m,n], B stored [k,n]; summed if A is shared
      Array<T> ga = Array<T>::from_shape(a.shape());
      for (std::size_t i = 0; i < d.batch; ++i) {
        product<T>(false, true, m, k, n, g.data() + i * m * n, n, b.data() + i * d.b_step, n,
                   ga.data() + i * d.a_step, k, /*accumulate=*/d.a_step == 0 && i > 0);
      }
      a.accumulate_grad(std::move(ga));
    }
    if (b.requires_grad()) {  // dB = Aᵀ·G: A stored [m,k], G [m,n]; summed if B is shared
      Array<T> gb = Array<T>::from_shape(b.shape());
      for (std::size_t i = 0; i < d.batch; ++i) {
        product<T>(true, false, k, n, m, a.data() + i * d.a_step, k, g.data() + i * m * n, n,
                   gb.data() + i * d.b_step, n, /*accumulate=*/d.b_step == 0 && i > 0);
      }
      b.accumulate_grad(std::move(gb));
    }
    // EXERCISE END
  }
};

// y = x·Wᵀ + b for x [n,in], W [out,in], b [out] (PyTorch's layout), one node instead of
// three (matmul, transpose, broadcast add). With G = dL/dy [n,out]:
//   dL/dx = G·W [n,in],   dL/dW = Gᵀ·x [out,in],   dL/db(j) = Σ_i G(i,j) [out].
template <class T>
struct LinearOp final : GradFn<T> {
  const char* op_name() const override { return "linear"; }

  static Array<T> forward(const Array<T>& x, const Array<T>& w, const Array<T>& b) {
    const Shape sx = shape_of(x), sw = shape_of(w), sb = shape_of(b);
    if (sw.size() != 2) {
      throw std::invalid_argument("linear: weight must be [out,in], got " + shape_to_string(sw));
    }
    const std::size_t out = sw[0], in = sw[1];
    if (sx.size() != 2 || sx[1] != in) {
      throw std::invalid_argument("linear: weight " + shape_to_string(sw) + " expects input [n," +
                                  std::to_string(in) + "], got " + shape_to_string(sx));
    }
    if (sb != Shape{out}) {
      throw std::invalid_argument("linear: weight " + shape_to_string(sw) + " expects bias [" +
                                  std::to_string(out) + "], got " + shape_to_string(sb));
    }
    // Each element's sum starts from its bias, and the product is accumulated on top (the
    // bias fused into the gemm: y is written once).
    const std::size_t n = sx[0];
    Array<T> y = Array<T>::from_shape({n, out});
    product<T>(false, true, n, out, in, x.data(), in, w.data(), in, y.data(), out,
               /*accumulate=*/false, b.data());
    return y;
  }

  void backward(const Array<T>& g) override {
    // dL/dx = G·W [n,in], dL/dW = Gᵀ·x [out,in], and the bias, broadcast over the n rows
    // in the forward, gets the sum over them: dL/db(j) = Σ_i G(i,j).
    // EXERCISE 1.4 BEGIN: linear's backward, bias broadcast
    BasicTensor<T>& x = this->inputs[0];
    BasicTensor<T>& w = this->inputs[1];
    BasicTensor<T>& b = this->inputs[2];
    const std::size_t n = x.shape()[0], in = x.shape()[1], out = w.shape()[0];
    if (x.requires_grad()) {  // dx = G·W: G [n,out], W [out,in]
      Array<T> gx = Array<T>::from_shape({n, in});
      product<T>(false, false, n, in, out, g.data(), out, w.data(), in, gx.data(), in, false);
      x.accumulate_grad(std::move(gx));
    }
    if (w.requires_grad()) {  // dW = Gᵀ·x: G stored [n,out], x [n,in]
      Array<T> gw = Array<T>::from_shape({out, in});
      product<T>(true, false, out, in, n, g.data(), out, x.data(), in, gw.data(), in, false);
      w.accumulate_grad(std::move(gw));
    }
    if (b.requires_grad()) {
      // db = column sums of G: a hand loop (xt::sum over axis 0 is ~10× slower here). Threads
      // take disjoint columns, and each column is summed top to bottom, always.
      Array<T> gb(Shape{out}, T(0));
      // (Worth splitting from ~64K additions on: a worker still spinning from the product
      // before takes its half within microseconds.)
      const std::size_t min_cols =
          std::max<std::size_t>(1, (std::size_t(1) << 16) / std::max<std::size_t>(n, 1));
      parallel_for(out, min_cols, [&](std::size_t j0, std::size_t j1) {
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = j0; j < j1; ++j)
            gb.data()[j] += g.data()[i * out + j];
      });
      b.accumulate_grad(std::move(gb));
    }
    // EXERCISE END
  }
};

}  // namespace ops
using namespace ops;

template <class T>
BasicTensor<T> matmul(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return make_result<T>(MatMulOp<T>::forward(a.value(), b.value()), std::make_unique<MatMulOp<T>>(),
                        {a, b});
}

template <class T>
BasicTensor<T> linear(const BasicTensor<T>& x, const BasicTensor<T>& weight,
                      const BasicTensor<T>& bias) {
  return make_result<T>(LinearOp<T>::forward(x.value(), weight.value(), bias.value()),
                        std::make_unique<LinearOp<T>>(), {x, weight, bias});
}

// ---- gradient-check cases (op_registry.hpp) -------------------------------------------

void register_matmul_ops(std::vector<OpCase>& cases) {
  using In = std::vector<DTensor>;
  auto inputs = [](std::vector<Shape> shapes) {
    return [=](Generator& gen) {
      In in;
      for (const Shape& s : shapes)
        in.push_back(random_input(gen, s, -1.0, 1.0));
      return in;
    };
  };
  auto mm = [](const In& in) { return matmul(in[0], in[1]); };
  cases.push_back({"matmul (3,5)·(5,4)", inputs({{3, 5}, {5, 4}}), mm});
  cases.push_back({"matmul (1,1)·(1,1)", inputs({{1, 1}, {1, 1}}), mm});
  cases.push_back({"matmul batched (2,3,4)·(2,4,5)", inputs({{2, 3, 4}, {2, 4, 5}}), mm});
  cases.push_back({"matmul matrix·vector (3,5)·(5)", inputs({{3, 5}, {5}}), mm});
  cases.push_back({"matmul vector·matrix (5)·(5,4)", inputs({{5}, {5, 4}}), mm});
  cases.push_back({"matmul vector·vector (5)·(5)", inputs({{5}, {5}}), mm});
  cases.push_back({"matmul broadcast (2,3,4)·(4,5)", inputs({{2, 3, 4}, {4, 5}}), mm});
  cases.push_back({"matmul broadcast (3,4)·(2,4,5)", inputs({{3, 4}, {2, 4, 5}}), mm});
  cases.push_back({"matmul broadcast (1,3,4)·(2,4,5)", inputs({{1, 3, 4}, {2, 4, 5}}), mm});
  cases.push_back({"matmul batch·vector (2,3,4)·(4)", inputs({{2, 3, 4}, {4}}), mm});
  cases.push_back({"linear x(7,3) W(5,3) b(5)", inputs({{7, 3}, {5, 3}, {5}}),
                   [](const In& in) { return linear(in[0], in[1], in[2]); }});
}

// ---- explicit instantiations ----------------------------------------------------------

#define MINFLOW_INSTANTIATE(T)                                                  \
  template BasicTensor<T> matmul(const BasicTensor<T>&, const BasicTensor<T>&); \
  template BasicTensor<T> linear(const BasicTensor<T>&, const BasicTensor<T>&,  \
                                 const BasicTensor<T>&);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
