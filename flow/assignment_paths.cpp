#include <cstdint>
#include <limits>

#include <xsimd/xsimd.hpp>

#include "flow/assignment_detail.hpp"

namespace minflow::flow::detail {

namespace {
using V = xsimd::batch<double>;  // 4 doubles with AVX2
constexpr std::size_t W = V::size;

// One Dijkstra step's scan, over every column at once: the path through row i (of length
// base + c_ij − v_j) replaces column j's best so far if shorter, and the least tentative
// length is returned. Settled columns carry w_j = +∞ (so their r is +∞ and never wins) and
// key_j = +∞ (so they never are the least); unsettled ones w_j = −v_j. No indirection and
// no branch: the loop runs W columns per instruction (rows are stored as doubles, exact up
// to 2⁵³, so that `from` blends with the same mask as `key`).
double relax(const double* row, double base, double i, const std::vector<double>& w,
             std::vector<double>& key, std::vector<double>& from) {
  const std::size_t n = key.size(), whole = n - n % W;
  V low(std::numeric_limits<double>::infinity());
  for (std::size_t j = 0; j < whole; j += W) {
    const V r = (V(base) + V::load_unaligned(row + j)) + V::load_unaligned(&w[j]);
    const V k = V::load_unaligned(&key[j]);
    const auto better = r < k;
    xsimd::select(better, V(i), V::load_unaligned(&from[j])).store_unaligned(&from[j]);
    const V updated = xsimd::select(better, r, k);
    updated.store_unaligned(&key[j]);
    low = xsimd::min(low, updated);
  }
  alignas(64) double lanes[W];
  low.store_aligned(lanes);
  double lowest = lanes[0];
  for (std::size_t l = 1; l < W; ++l)
    lowest = std::min(lowest, lanes[l]);
  for (std::size_t j = whole; j < n; ++j) {
    const double r = (base + row[j]) + w[j];
    if (r < key[j]) key[j] = r, from[j] = i;
    lowest = std::min(lowest, key[j]);
  }
  return lowest;
}

// Among the columns at the least length, the first free one, else the first: W columns at a
// time, looking closer only where a lane holds the least.
std::size_t column_to_settle(const std::vector<double>& key, double least,
                             const std::vector<std::size_t>& row_for_col) {
  const std::size_t n = key.size(), whole = n - n % W;
  std::size_t first = kNone;
  auto look = [&](std::size_t k) {
    if (key[k] != least) return false;
    if (first == kNone) first = k;
    return row_for_col[k] == kNone;
  };
  for (std::size_t j = 0; j < whole; j += W) {
    if (!xsimd::any(V::load_unaligned(&key[j]) == V(least))) continue;
    for (std::size_t k = j; k < j + W; ++k)
      if (look(k)) return k;
  }
  for (std::size_t k = whole; k < n; ++k)
    if (look(k)) return k;
  return first;
}
}  // namespace

void augment_rows(CostRows& c, const std::vector<std::size_t>& free_rows, std::vector<double>& u,
                  std::vector<double>& v, std::vector<std::size_t>& col_for_row,
                  std::vector<std::size_t>& row_for_col) {
  const std::size_t n = c.size();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> key(n), w(n), from(n), shortest(n);
  std::vector<std::size_t> settled;
  settled.reserve(n);
  for (const std::size_t start : free_rows) {
    for (std::size_t j = 0; j < n; ++j)
      key[j] = inf, w[j] = -v[j];
    settled.clear();
    std::size_t i = start, sink = kNone;
    double min_val = 0.0;
    while (sink == kNone) {
      min_val = relax(c.row(i), min_val - u[i], double(i), w, key, from);
      // The column to settle: among those at the least length, the first free one (the
      // search ends there), else the first; lowest index first, so the result is fixed.
      const std::size_t j = column_to_settle(key, min_val, row_for_col);
      shortest[j] = min_val;
      key[j] = inf, w[j] = inf;
      settled.push_back(j);
      if (row_for_col[j] == kNone) {
        sink = j;
      } else {
        i = row_for_col[j];
      }
    }
    // Potentials: every settled column j and the row that holds it move by min_val − d_j,
    // so reduced costs stay ≥ 0 and the path's pairs are tight; the start row by min_val.
    u[start] += min_val;
    for (const std::size_t j : settled) {
      const double delta = min_val - shortest[j];
      v[j] -= delta;
      if (j != sink) u[row_for_col[j]] += delta;
    }
    // Augment: flip the alternating path back from the free column to `start`.
    for (std::size_t j = sink;;) {
      const std::size_t r = std::size_t(from[j]);
      row_for_col[j] = r;
      std::swap(col_for_row[r], j);
      if (r == start) break;
    }
  }
}

}  // namespace minflow::flow::detail
