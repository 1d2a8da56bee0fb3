// The matrix-product kernel under matmul and linear: a small GEMM on raw row-major buffers.
//
//   C[m,n] = op(A)[m,k] · op(B)[k,n]          (accumulate = false)
//   C[m,n] += op(A)[m,k] · op(B)[k,n]         (accumulate = true)
//   C[m,n] = 1·biasᵀ + op(A)[m,k] · op(B)[k,n] (bias = a row of n values, accumulate = false)
//
// op(A) is A, or Aᵀ when trans_a is set; likewise for B. Row-major with leading dimensions:
// element (r, c) of a stored matrix X is X[r·ldX + c]. So op(A) = A is stored [m,k] (lda ≥ k)
// and op(A) = Aᵀ means A is stored [k,m] (lda ≥ m); B is stored [k,n] or [n,k]; C is [m,n].
//
// The three products of a Linear layer (x [n,in], W [out,in], y and g = dL/dy [n,out]):
//   forward  y  = x·Wᵀ+b gemm(false, true,  n, out, in,  x, in,  W, in,  y,  out, false, b)
//   backward dx = g·W    gemm(false, false, n, in,  out, g, out, W, in,  dx, in,  false)
//   backward dW = gᵀ·x   gemm(true,  false, out, in, n,  g, out, x, in,  dW, in,  false)
// (each backward writes a fresh array, which accumulate_grad then adds to the parameter's
// gradient or takes over; `accumulate = true` is for callers that sum into C in place).
//
// Reproducible: threads split the rows of C, never the sum over k, so each element of C is
// computed by the same operations in the same order whatever the thread count (for most
// shapes, one chain of fused multiply-adds over p = 0, 1, …, k−1). The order depends only
// on the shapes and transpose flags, and results are bitwise identical for any thread count.
// With a bias, each chain starts from bias[j] where it would start from 0: the same bits as
// filling C's rows with the bias and accumulating, without writing and reading C once more.
#pragma once

#include <cstddef>

namespace minflow {

// The fast kernel: SIMD register tiles of C over packed panels of B, rows of C spread over
// the thread pool (see matmul.cpp). Instantiated for float and double.
template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T* c, std::size_t ldc, bool accumulate,
          const T* bias = nullptr);

// The same contract as a plain triple loop: slow, obviously right, and what the tests and
// benchmarks compare gemm against. Instantiated for float and double.
template <class T>
void gemm_reference(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k,
                    const T* a, std::size_t lda, const T* b, std::size_t ldb, T* c, std::size_t ldc,
                    bool accumulate, const T* bias = nullptr);

}  // namespace minflow
