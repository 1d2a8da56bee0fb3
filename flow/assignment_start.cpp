#include "flow/assignment_detail.hpp"

#include <algorithm>
#include <cmath>

#include <xsimd/xsimd.hpp>

namespace minflow::flow::detail {

namespace {
using V = xsimd::batch<float>;  // 8 floats with AVX2
constexpr std::size_t W = V::size;

// The least h_j = c_ij + p_j over j (lowest j on ties), and the second least (equal to the
// least on a tie), W columns at a time: each lane keeps its own best, second and index, and
// the lanes are merged at the end. The same values as a scalar scan, a few times faster.
// (Column indices ride along as floats, exact below 2²⁴.)
struct Bid {
  float best, second;
  std::size_t j;
};
// h_vec(j) gives h_j … h_{j+W−1} as a batch, h_one(j) gives h_j.
template <class HVec, class HOne>
Bid best_bid(std::size_t n, HVec h_vec, HOne h_one) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::size_t whole = n - n % W;
  V best(inf), second(inf), where(0.0f), index;
  {
    alignas(64) float start[W];
    for (std::size_t l = 0; l < W; ++l)
      start[l] = float(l);
    index = V::load_aligned(start);
  }
  for (std::size_t j = 0; j < whole; j += W, index += V(float(W))) {
    const V h = h_vec(j);
    second = xsimd::min(second, xsimd::max(best, h));
    where = xsimd::select(h < best, index, where);
    best = xsimd::min(best, h);
  }
  alignas(64) float b[W], s[W], w[W];
  best.store_aligned(b), second.store_aligned(s), where.store_aligned(w);
  Bid bid{inf, inf, 0};
  for (std::size_t l = 0; l < W; ++l) {  // lanes in any order: ties go to the lowest index
    if (b[l] < bid.best || (b[l] == bid.best && std::size_t(w[l]) < bid.j)) {
      bid.second = std::min(bid.second, bid.best);
      bid.best = b[l], bid.j = std::size_t(w[l]);
    } else {
      bid.second = std::min(bid.second, b[l]);
    }
    bid.second = std::min(bid.second, s[l]);
  }
  for (std::size_t j = whole; j < n; ++j) {
    const float h = h_one(j);
    if (h < bid.second) {
      if (h < bid.best) {
        bid.second = bid.best, bid.best = h, bid.j = j;
      } else {
        bid.second = h;
      }
    }
  }
  return bid;
}

// The auction itself: bid(i) gives row i's Bid at the current prices, raise(j, d) raises
// column j's price by d. ε from max c / 64 down to 0.03 max c / n, divided by 6 per phase
// (measured best at 256 to 4,096 points: a final ε of about 10⁻⁴ max c at 256 points and
// 1.5·10⁻⁵ at 2,048; the gaps between the costs of competing columns shrink as n grows, and
// the exact phase repairs whatever a coarser ε leaves). The last ε stays far above float's
// resolution at the prices' scale (≈ 10⁻⁷ max c, hence the floor of 2·10⁻⁶), so every bid
// raises a price. Returns the pairing.
template <class BidFn, class RaiseFn>
std::vector<std::size_t> auction(std::size_t n, double cmax, BidFn bid, RaiseFn raise) {
  std::vector<std::size_t> owner(n), col(n, kNone), queue;
  if (!(n > 1 && cmax > 0.0 && cmax < 1e30)) return col;  // (float would overflow: cold)
  const float eps_final = float(cmax * std::max(0.03 / double(n), 2e-6));
  for (float eps = float(cmax / 64);; eps = std::max(eps / 6.0f, eps_final)) {
    std::fill(owner.begin(), owner.end(), kNone);
    std::fill(col.begin(), col.end(), kNone);
    queue.resize(n);
    for (std::size_t i = 0; i < n; ++i)
      queue[i] = n - 1 - i;
    while (!queue.empty()) {
      const std::size_t i = queue.back();
      queue.pop_back();
      const Bid b = bid(i);
      raise(b.j, (b.second - b.best) + eps);
      if (owner[b.j] != kNone) {
        col[owner[b.j]] = kNone;
        queue.push_back(owner[b.j]);
      }
      owner[b.j] = i;
      col[i] = b.j;
    }
    if (eps == eps_final) break;
  }
  return col;
}

double max_cost(const CostMatrix& c) {
  double cmax = 0.0;
  for (double x : c.values)
    cmax = std::max(cmax, std::abs(x));
  return cmax;
}

void finish(const std::vector<std::size_t>& col, const std::vector<float>& price,
            std::vector<double>& v, std::vector<std::size_t>& col_for_row,
            std::vector<std::size_t>& row_for_col) {
  for (std::size_t j = 0; j < price.size(); ++j)
    v[j] = -double(price[j]);
  for (std::size_t i = 0; i < col.size(); ++i)
    if (col[i] != kNone) col_for_row[i] = col[i], row_for_col[col[i]] = i;
}
}  // namespace

void auction_start(const CostMatrix& c, std::vector<double>& v,
                   std::vector<std::size_t>& col_for_row, std::vector<std::size_t>& row_for_col) {
  const std::size_t n = c.rows;
  // In float: half the memory and twice the lanes of double. Only the speed of the exact
  // phase depends on how good these prices are, never its result.
  const std::vector<float> cf(c.values.begin(), c.values.end());
  std::vector<float> price(n, 0.0f);
  const auto col = auction(
      n, max_cost(c),
      [&](std::size_t i) {
        const float* row = &cf[i * n];
        return best_bid(
            n,
            [&](std::size_t j) {
              return V::load_unaligned(row + j) + V::load_unaligned(&price[j]);
            },
            [&](std::size_t j) { return row[j] + price[j]; });
      },
      [&](std::size_t j, float d) { price[j] += d; });
  finish(col, price, v, col_for_row, row_for_col);
}

void auction_start_points(const Array<float>& x, const Array<float>& y, std::vector<double>& v,
                          std::vector<std::size_t>& col_for_row,
                          std::vector<std::size_t>& row_for_col) {
  const std::size_t n = x.shape()[0];
  // c_ij = ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j, and a row's bid does not depend on its own ‖x_i‖²:
  // h_j = q_j − 2 x_i·y_j with q_j = ‖y_j‖² + p_j, from three arrays of n floats that stay
  // in the L1 cache (the matrix of floats does not). Points are centred first (on y's mean,
  // in double) so that the expansion does not cancel away the costs' digits.
  double m0 = 0.0, m1 = 0.0;
  for (std::size_t j = 0; j < n; ++j)
    m0 += y(j, 0), m1 += y(j, 1);
  m0 /= double(n), m1 /= double(n);
  std::vector<float> y0(n), y1(n), q(n), price(n, 0.0f), a0(n), a1(n);
  double x_reach = 0.0, y_reach = 0.0;  // the farthest point of each set from (m0, m1)
  for (std::size_t j = 0; j < n; ++j) {
    const double d0 = y(j, 0) - m0, d1 = y(j, 1) - m1, e0 = x(j, 0) - m0, e1 = x(j, 1) - m1;
    y0[j] = float(d0), y1[j] = float(d1), q[j] = float(d0 * d0 + d1 * d1);
    a0[j] = float(-2.0 * e0), a1[j] = float(-2.0 * e1);
    y_reach = std::max(y_reach, d0 * d0 + d1 * d1), x_reach = std::max(x_reach, e0 * e0 + e1 * e1);
  }
  const double reach = std::sqrt(x_reach) + std::sqrt(y_reach);  // ≥ every ‖x_i − y_j‖
  const auto col = auction(
      n, reach * reach,
      [&](std::size_t i) {
        const V b0(a0[i]), b1(a1[i]);
        return best_bid(
            n,
            [&](std::size_t j) {
              return xsimd::fma(
                  b0, V::load_unaligned(&y0[j]),
                  xsimd::fma(b1, V::load_unaligned(&y1[j]), V::load_unaligned(&q[j])));
            },
            [&](std::size_t j) { return std::fma(a0[i], y0[j], std::fma(a1[i], y1[j], q[j])); });
      },
      [&](std::size_t j, float d) { price[j] += d, q[j] += d; });
  finish(col, price, v, col_for_row, row_for_col);
}

std::vector<std::size_t> tighten(CostRows& c, std::vector<double>& u, std::vector<double>& v,
                                 std::vector<std::size_t>& col_for_row,
                                 std::vector<std::size_t>& row_for_col) {
  using D = xsimd::batch<double>;
  const std::size_t n = c.size(), whole = n - n % D::size;
  const double inf = std::numeric_limits<double>::infinity();
  // u_i = the row's least reduced cost; slack_j = the least c_kj − u_k − v_j over the rows k
  // other than column j's owner (the owner's entry is put back after its row's pass). Both
  // loops D::size columns at a time (a min is exact, so the order does not matter).
  std::vector<double> slack(n, inf);
  for (std::size_t k = 0; k < n; ++k) {
    const double* row = c.row(k);
    D low(inf);
    for (std::size_t j = 0; j < whole; j += D::size)
      low = xsimd::min(low, D::load_unaligned(row + j) - D::load_unaligned(&v[j]));
    alignas(64) double lanes[D::size];
    low.store_aligned(lanes);
    double least = inf;
    for (double l : lanes)
      least = std::min(least, l);
    for (std::size_t j = whole; j < n; ++j)
      least = std::min(least, row[j] - v[j]);
    u[k] = least;
    const std::size_t own = col_for_row[k];
    const double kept = own == kNone ? 0.0 : slack[own];
    const D least_d(least);
    for (std::size_t j = 0; j < whole; j += D::size) {
      const D r = (D::load_unaligned(row + j) - least_d) - D::load_unaligned(&v[j]);
      xsimd::min(D::load_unaligned(&slack[j]), r).store_unaligned(&slack[j]);
    }
    for (std::size_t j = whole; j < n; ++j)
      slack[j] = std::min(slack[j], (row[j] - least) - v[j]);
    if (own != kNone) slack[own] = kept;
  }
  std::vector<std::size_t> free_rows;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = col_for_row[i];
    if (j != kNone) {
      const double cij = c(i, j), r = (cij - u[i]) - v[j];
      if (r <= slack[j]) {
        v[j] = cij - u[i];
        continue;
      }
      col_for_row[i] = kNone, row_for_col[j] = kNone;
    }
    free_rows.push_back(i);
  }
  return free_rows;
}

}  // namespace minflow::flow::detail
