// GEMM in the style of BLIS / GotoBLAS, reduced to what a teaching engine needs.
//
// The time of a matrix product goes into one place: the innermost loop, which must keep
// the FMA units busy. Zen 4 retires two 8-float FMAs per cycle with a latency of 4 cycles,
// so at least 8 independent accumulators must be in flight, and loads must stay below
// about one per FMA. The micro-kernel therefore holds a 6×16 tile of C (for float) in
// 12 vector registers and, for each p, does 2 vector loads of B, 6 broadcasts of A and
// 12 FMAs: 15 of the 16 AVX2 registers. (With AVX-512's 32 registers a 6×32 tile fits.)
//
// Around it:
//  - The kernel reads B as panels of NR = 16 columns: for each p, 16 contiguous values.
//    B stored [k,n] with n a multiple of 16 is already laid out so and is read in place;
//    otherwise B is packed once into panels [k][NR], zero-padded on the right, so the last
//    partial panel needs no special kernel (its padding columns are computed and dropped).
//  - A is not packed: the kernel reads its 6 rows in place (A stored [m,k]), or 6
//    neighbouring values of one row of the stored matrix (A stored [k,m], trans_a).
//  - k is cut into blocks of KC so the block of A rows and of B that a tile walks over
//    stays in cache; a tile then loads C, continues its FMA chains, and stores C again.
//  - Rows of C are dealt out to the thread pool in strips of 6. No thread ever splits the
//    sum over k, so each C element is one FMA chain over p = 0 … k−1 in every run.
//  - A narrow C (n < 6: the last layer's 2 outputs) has its own paths, see gemm().
// Double uses the same code with 4-lane vectors (a 6×8 tile).
#include "autograd/kernels/matmul.hpp"

#include <algorithm>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "base/thread_pool.hpp"

namespace minflow {
namespace {

template <class T>
using Vec = xsimd::batch<T>;  // 8 floats or 4 doubles with AVX2
template <class T>
using AlignedBuffer = std::vector<T, xsimd::aligned_allocator<T, 64>>;

constexpr std::size_t kMR = 6;    // rows of a C tile
constexpr std::size_t kNV = 2;    // vector registers across a C tile row
constexpr std::size_t kKC = 256;  // length of a block of the k loop
// Columns of a C tile: kNV vectors (16 floats or 8 doubles).
template <class T>
constexpr std::size_t kNR = std::size_t{kNV} * Vec<T>::size;

// Below this much work a chunk is not worth handing to another thread: waking a sleeping
// worker and being woken when it is done cost ~10–30 µs here, the time of ~2 MFLOP.
// (So the k = 3 and n = 2 layers of the tutorial's MLP run on one thread.)
constexpr std::size_t kMinFlopsPerChunk = std::size_t(1) << 21;
constexpr std::size_t kMinPackPerChunk = std::size_t(1) << 18;  // elements of B to pack

// C tile [MR, NR] = start + A rows [MR, kc] · B block [kc, NR].
// a points at op(A)(0, 0) of the block: A(r, p) is a[r·lda + p], or a[p·lda + r] (TransA).
// b points at the block of a B panel: B(p, jj) is b[p·ldb + jj].
// The tile starts from start[r·ld_start + jj]: C itself (accumulate, or a later k block), or
// a bias row or a row of zeros read with ld_start = 0 (a stride rather than a branch, because
// a branch here makes GCC keep the accumulators in memory around the loop).
template <class T, std::size_t MR, bool TransA>
void micro_kernel(std::size_t kc, const T* a, std::size_t lda, const T* b, std::size_t ldb, T* c,
                  std::size_t ldc, const T* start, std::size_t ld_start) {
  constexpr std::size_t W = Vec<T>::size;
  Vec<T> acc[MR][kNV];  // the constant bounds below let the compiler keep these in registers
  for (std::size_t r = 0; r < MR; ++r)
    for (std::size_t v = 0; v < kNV; ++v)
      acc[r][v] = Vec<T>::load_unaligned(start + r * ld_start + v * W);
  std::size_t p = 0;
  do {  // kc ≥ 1; a `for` would let GCC's zero-trip path push the accumulators to memory
    Vec<T> b_p[kNV];
    for (std::size_t v = 0; v < kNV; ++v)
      b_p[v] = Vec<T>::load_unaligned(b + p * ldb + v * W);
    for (std::size_t r = 0; r < MR; ++r) {
      const Vec<T> a_rp(TransA ? a[p * lda + r] : a[r * lda + p]);  // broadcast A(r, p)
      for (std::size_t v = 0; v < kNV; ++v)
        acc[r][v] = xsimd::fma(a_rp, b_p[v], acc[r][v]);  // acc += A(r,p)·B(p, cols)
    }
  } while (++p < kc);
  for (std::size_t r = 0; r < MR; ++r)
    for (std::size_t v = 0; v < kNV; ++v)
      acc[r][v].store_unaligned(c + r * ldc + v * W);
}

// The bottom rows of C (m not a multiple of 6) use the same kernel with fewer rows, so
// their elements see exactly the same FMA chains.
template <class T, bool TransA>
void tile(std::size_t mr, std::size_t kc, const T* a, std::size_t lda, const T* b, std::size_t ldb,
          T* c, std::size_t ldc, const T* start, std::size_t ld_start) {
  switch (mr) {
    case 6:
      return micro_kernel<T, 6, TransA>(kc, a, lda, b, ldb, c, ldc, start, ld_start);
    case 5:
      return micro_kernel<T, 5, TransA>(kc, a, lda, b, ldb, c, ldc, start, ld_start);
    case 4:
      return micro_kernel<T, 4, TransA>(kc, a, lda, b, ldb, c, ldc, start, ld_start);
    case 3:
      return micro_kernel<T, 3, TransA>(kc, a, lda, b, ldb, c, ldc, start, ld_start);
    case 2:
      return micro_kernel<T, 2, TransA>(kc, a, lda, b, ldb, c, ldc, start, ld_start);
    default:
      return micro_kernel<T, 1, TransA>(kc, a, lda, b, ldb, c, ldc, start, ld_start);
  }
}

// Copies columns [j0, j0+nr) of op(B) into one panel [k][NR], zero-filling the padding.
// Each loop reads B along its stored rows, so the reads are contiguous either way.
template <class T>
void pack_panel(bool trans_b, std::size_t k, std::size_t j0, std::size_t nr, const T* b,
                std::size_t ldb, T* panel) {
  constexpr std::size_t NR = kNR<T>;
  for (std::size_t p = 0; p < k; ++p)
    std::fill(panel + p * NR + (trans_b ? nr : 0), panel + p * NR + NR, T(0));
  if (trans_b) {  // op(B)(p, j) = b[j·ldb + p]
    for (std::size_t jj = 0; jj < nr; ++jj)
      for (std::size_t p = 0; p < k; ++p)
        panel[p * NR + jj] = b[(j0 + jj) * ldb + p];
  } else {  // op(B)(p, j) = b[p·ldb + j]
    for (std::size_t p = 0; p < k; ++p)
      std::copy(b + p * ldb + j0, b + p * ldb + j0 + nr, panel + p * NR);
  }
}

// A narrow C with A stored [m,k]: each C(i, j) is a dot product of row i of A with row j
// of Bt = op(B)ᵀ [n,k], both contiguous. Lane l of the vector sums the terms p ≡ l (mod W),
// then the lanes are added (xsimd::hadd, a fixed order) and the k mod W last terms follow:
// a different order from the tiled path, but still the same in every run.
//
// One dot product is a chain of dependent FMAs (4 cycles each), so R rows are computed side
// by side, R·N chains in flight (R·N ≤ 8 keeps them in registers); the tail rows go one at
// a time. Each C(i, j) sees the same operations either way, so R never changes a result.
template <class T, std::size_t N, std::size_t R>
void dot_rows(std::size_t i, std::size_t k, const T* a, std::size_t lda, const T* bt,
              std::size_t ldbt, T* c, std::size_t ldc, bool accumulate, const T* bias) {
  constexpr std::size_t W = Vec<T>::size;
  const std::size_t kv = k - k % W;
  Vec<T> acc[R][N];
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t j = 0; j < N; ++j)
      acc[r][j] = Vec<T>(T(0));
  for (std::size_t p = 0; p < kv; p += W) {
    Vec<T> b_p[N];
    for (std::size_t j = 0; j < N; ++j)
      b_p[j] = Vec<T>::load_unaligned(bt + j * ldbt + p);
    for (std::size_t r = 0; r < R; ++r) {
      const Vec<T> a_p = Vec<T>::load_unaligned(a + (i + r) * lda + p);
      for (std::size_t j = 0; j < N; ++j)
        acc[r][j] = xsimd::fma(a_p, b_p[j], acc[r][j]);
    }
  }
  for (std::size_t r = 0; r < R; ++r) {
    const T* a_row = a + (i + r) * lda;
    for (std::size_t j = 0; j < N; ++j) {
      const T* b_row = bt + j * ldbt;
      T sum = xsimd::hadd(acc[r][j]);
      for (std::size_t p = kv; p < k; ++p)
        sum += a_row[p] * b_row[p];
      T& out = c[(i + r) * ldc + j];
      out = accumulate ? out + sum : bias ? bias[j] + sum : sum;
    }
  }
}

template <class T, std::size_t N>
void gemm_dot_n(std::size_t m, std::size_t k, const T* a, std::size_t lda, const T* bt,
                std::size_t ldbt, T* c, std::size_t ldc, bool accumulate, const T* bias) {
  constexpr std::size_t R = N == 1 ? 8 : N == 2 ? 4 : N <= 4 ? 2 : 1;  // R·N ≤ 8
  const std::size_t min_rows = std::max<std::size_t>(1, kMinFlopsPerChunk / (2 * N * k));
  parallel_for(m, min_rows, [&](std::size_t i0, std::size_t i1) {
    std::size_t i = i0;
    for (; i + R <= i1; i += R)
      dot_rows<T, N, R>(i, k, a, lda, bt, ldbt, c, ldc, accumulate, bias);
    for (; i < i1; ++i)
      dot_rows<T, N, 1>(i, k, a, lda, bt, ldbt, c, ldc, accumulate, bias);
  });
}

template <class T>
void gemm_dot(std::size_t m, std::size_t n, std::size_t k, const T* a, std::size_t lda, const T* bt,
              std::size_t ldbt, T* c, std::size_t ldc, bool accumulate, const T* bias) {
  switch (n) {  // n < kMR
    case 1:
      return gemm_dot_n<T, 1>(m, k, a, lda, bt, ldbt, c, ldc, accumulate, bias);
    case 2:
      return gemm_dot_n<T, 2>(m, k, a, lda, bt, ldbt, c, ldc, accumulate, bias);
    case 3:
      return gemm_dot_n<T, 3>(m, k, a, lda, bt, ldbt, c, ldc, accumulate, bias);
    case 4:
      return gemm_dot_n<T, 4>(m, k, a, lda, bt, ldbt, c, ldc, accumulate, bias);
    default:
      return gemm_dot_n<T, 5>(m, k, a, lda, bt, ldbt, c, ldc, accumulate, bias);
  }
}

// Where the kernel finds op(B): element (p, jp·NR + jj) is data[jp·panel_stride + p·ld + jj].
template <class T>
struct Panels {
  const T* data;
  std::size_t ld, panel_stride;
};

// Rows [i0, i0+mr) × columns [j0, j0+nr) of C (panel jp), over the k block [pc, pc+kc).
// With load_c the tile continues from C's values; otherwise from the bias row (n values),
// or from zeros when bias is null.
template <class T, bool TransA>
void compute_tile(std::size_t i0, std::size_t mr, std::size_t jp, std::size_t nr, std::size_t pc,
                  std::size_t kc, const T* a, std::size_t lda, Panels<T> b, T* c, std::size_t ldc,
                  bool load_c, const T* bias) {
  constexpr std::size_t NR = kNR<T>;
  alignas(64) static const T kZeros[NR] = {};
  const T* a_blk = TransA ? a + pc * lda + i0 : a + i0 * lda + pc;
  const T* b_blk = b.data + jp * b.panel_stride + pc * b.ld;
  T* c_tile = c + i0 * ldc + jp * NR;
  if (nr == NR) {
    const T* start = load_c ? c_tile : bias ? bias + jp * NR : kZeros;
    const std::size_t ld_start = load_c ? ldc : 0;
    if (mr == kMR) {  // the common case, without the switch over mr
      return micro_kernel<T, kMR, TransA>(kc, a_blk, lda, b_blk, b.ld, c_tile, ldc, start,
                                          ld_start);
    }
    return tile<T, TransA>(mr, kc, a_blk, lda, b_blk, b.ld, c_tile, ldc, start, ld_start);
  }
  // The right edge: work on a full-width copy so the kernel never touches memory past
  // C's (or the bias's) last column, then copy the valid columns back.
  alignas(64) T tmp[kMR * NR] = {};
  for (std::size_t r = 0; r < mr; ++r) {
    if (load_c) {
      std::copy(c_tile + r * ldc, c_tile + r * ldc + nr, tmp + r * NR);
    } else if (bias) {
      std::copy(bias + jp * NR, bias + jp * NR + nr, tmp + r * NR);
    }
  }
  tile<T, TransA>(mr, kc, a_blk, lda, b_blk, b.ld, tmp, NR, tmp, NR);
  for (std::size_t r = 0; r < mr; ++r)
    std::copy(tmp + r * NR, tmp + r * NR + nr, c_tile + r * ldc);
}

// The strips [s0, s1) of 6 rows of C: every tile of them, k block after k block.
template <class T, bool TransA>
void compute_strips(std::size_t s0, std::size_t s1, std::size_t m, std::size_t n, std::size_t k,
                    const T* a, std::size_t lda, Panels<T> b, T* c, std::size_t ldc,
                    bool accumulate, const T* bias) {
  constexpr std::size_t NR = kNR<T>;
  const std::size_t panels = (n + NR - 1) / NR;
  for (std::size_t pc = 0; pc < k; pc += kKC) {
    const std::size_t kc = std::min(kKC, k - pc);
    const bool load_c = accumulate || pc > 0;
    for (std::size_t s = s0; s < s1; ++s) {
      const std::size_t i0 = s * kMR, mr = std::min(kMR, m - i0);
      for (std::size_t jp = 0; jp < panels; ++jp) {
        const std::size_t nr = std::min(NR, n - jp * NR);
        compute_tile<T, TransA>(i0, mr, jp, nr, pc, kc, a, lda, b, c, ldc, load_c, bias);
      }
    }
  }
}

}  // namespace

template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T* c, std::size_t ldc, bool accumulate,
          const T* bias) {
  constexpr std::size_t NR = kNR<T>;
  if (m == 0 || n == 0) return;
  if (accumulate) bias = nullptr;  // C's own values are the start
  if (k == 0) {                    // an empty sum: C = 0 (or the bias), or C unchanged
    for (std::size_t i = 0; !accumulate && i < m; ++i) {
      if (bias) {
        std::copy(bias, bias + n, c + i * ldc);
      } else {
        std::fill(c + i * ldc, c + i * ldc + n, T(0));
      }
    }
    return;
  }

  // A narrow C (the last layer's 2 outputs, a first-layer dW with 3 columns) would fill 2 or
  // 3 of a tile's 16 columns: take another path, the dot products for A stored [m,k] (for
  // any m, so a row's result does not depend on how many rows come with it), and Cᵀ for A
  // stored [k,m] when C is tall enough to fill tiles the other way. Only the shapes pick the
  // path, never the thread count.
  if (n < kMR && (!trans_a || m >= NR)) {
    if (!trans_a) {  // rows of A are contiguous: dot products with the rows of op(B)ᵀ
      thread_local AlignedBuffer<T> bt;
      if (!trans_b && bt.size() < n * k) bt.resize(n * k);
      for (std::size_t p = 0; !trans_b && p < k; ++p)
        for (std::size_t j = 0; j < n; ++j)
          bt[j * k + p] = b[p * ldb + j];
      return gemm_dot(m, n, k, a, lda, trans_b ? b : bt.data(), trans_b ? ldb : k, c, ldc,
                      accumulate, bias);
    }
    // A stored [k,m]: Cᵀ = op(B)ᵀ·A is a wide product whose tiles run along m, and whose
    // "B" is A itself, read in place; compute it, then add it into C.
    thread_local AlignedBuffer<T> ct;  // Cᵀ [n, m]
    if (ct.size() < n * m) ct.resize(n * m);
    gemm(!trans_b, false, n, m, k, b, ldb, a, lda, ct.data(), m, false);
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j)
        c[i * ldc + j] = accumulate ? c[i * ldc + j] + ct[j * m + i]
                         : bias     ? bias[j] + ct[j * m + i]
                                    : ct[j * m + i];
    return;
  }

  // op(B) as panels of NR columns: in place when B is stored [k,n] with whole panels,
  // else packed panel after panel (jp at jp·k·NR) into a buffer that belongs to the calling
  // thread and is reused by its next call (no allocation in the steady state).
  const std::size_t panels = (n + NR - 1) / NR;
  Panels<T> bp{b, ldb, NR};
  if (trans_b || n % NR != 0) {
    thread_local AlignedBuffer<T> packed;
    if (packed.size() < panels * k * NR) packed.resize(panels * k * NR);
    T* dst = packed.data();
    const std::size_t min_panels = std::max<std::size_t>(1, kMinPackPerChunk / (k * NR));
    parallel_for(panels, min_panels, [&](std::size_t p0, std::size_t p1) {
      for (std::size_t jp = p0; jp < p1; ++jp)
        pack_panel(trans_b, k, jp * NR, std::min(NR, n - jp * NR), b, ldb, dst + jp * k * NR);
    });
    bp = Panels<T>{dst, NR, k * NR};
  }

  // Strips of 6 rows of C, dealt out to the threads.
  const std::size_t strips = (m + kMR - 1) / kMR;
  const std::size_t min_strips = std::max<std::size_t>(1, kMinFlopsPerChunk / (2 * kMR * n * k));
  parallel_for(strips, min_strips, [&](std::size_t s0, std::size_t s1) {
    if (trans_a) {
      compute_strips<T, true>(s0, s1, m, n, k, a, lda, bp, c, ldc, accumulate, bias);
    } else {
      compute_strips<T, false>(s0, s1, m, n, k, a, lda, bp, c, ldc, accumulate, bias);
    }
  });
}

// C(i, j) (+)= Σ_p op(A)(i, p) · op(B)(p, j), one element at a time, in the obvious order.
template <class T>
void gemm_reference(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k,
                    const T* a, std::size_t lda, const T* b, std::size_t ldb, T* c, std::size_t ldc,
                    bool accumulate, const T* bias) {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      T sum = 0;
      for (std::size_t p = 0; p < k; ++p) {
        const T a_ip = trans_a ? a[p * lda + i] : a[i * lda + p];  // op(A)(i, p)
        const T b_pj = trans_b ? b[j * ldb + p] : b[p * ldb + j];  // op(B)(p, j)
        sum += a_ip * b_pj;
      }
      c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : bias ? bias[j] + sum : sum;
    }
  }
}

#define MINFLOW_INSTANTIATE_GEMM(T)                                                               \
  template void gemm<T>(bool, bool, std::size_t, std::size_t, std::size_t, const T*, std::size_t, \
                        const T*, std::size_t, T*, std::size_t, bool, const T*);                  \
  template void gemm_reference<T>(bool, bool, std::size_t, std::size_t, std::size_t, const T*,    \
                                  std::size_t, const T*, std::size_t, T*, std::size_t, bool,      \
                                  const T*);
MINFLOW_INSTANTIATE_GEMM(float)
MINFLOW_INSTANTIATE_GEMM(double)

}  // namespace minflow
