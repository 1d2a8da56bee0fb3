#include "flow/assignment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "base/thread_pool.hpp"

namespace minflow::flow {

namespace {
void check_points(const Array<float>& a, const char* what) {
  if (a.dimension() != 2 || a.shape()[1] != 2 || a.shape()[0] == 0) {
    Shape s(a.shape().begin(), a.shape().end());
    throw std::invalid_argument(std::string("squared_distances: ") + what +
                                " must be [n,2] with n > 0, got " + shape_to_string(s));
  }
}
constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// Auction with ε-scaling (Bertsekas 1988) as a warm start: free rows bid for their best
// column at price p, raising it by (best − second best) + ε, with ε shrinking by 8 per phase
// (prices kept). The result is ε-optimal: c_ij + p_j ≤ min_k (c_ik + p_k) + ε for every
// assigned pair. With v = −p every reduced cost c_ij − v_j − u_i, u_i = min_k (c_ik − v_k),
// is ≥ 0, and rows whose pair is tight (reduced cost exactly 0) keep it; the others are
// returned free, each within ε of a free column, so their augmenting paths are short.
std::vector<std::size_t> auction_start(const CostMatrix& c, std::vector<double>& v,
                                       std::vector<std::size_t>& col_for_row,
                                       std::vector<std::size_t>& row_for_col) {
  const std::size_t n = c.rows;
  const double inf = std::numeric_limits<double>::infinity();
  double cmax = 0.0;
  for (double x : c.values)
    cmax = std::max(cmax, std::abs(x));
  std::vector<double> price(n, 0.0);
  std::vector<std::size_t> owner(n), col(n), queue;
  if (n > 1 && cmax > 0.0) {
    const double eps_final = cmax * 1e-7;
    for (double eps = cmax / 8;; eps = std::max(eps / 8, eps_final)) {
      std::fill(owner.begin(), owner.end(), kNone);
      std::fill(col.begin(), col.end(), kNone);
      queue.resize(n);
      for (std::size_t i = 0; i < n; ++i)
        queue[i] = n - 1 - i;
      while (!queue.empty()) {
        const std::size_t i = queue.back();
        queue.pop_back();
        const double* row = &c.values[i * n];
        double best = inf, second = inf;  // least c_ij + p_j, and the next
        std::size_t bj = 0;
        for (std::size_t j = 0; j < n; ++j) {
          const double h = row[j] + price[j];
          if (h < second) {
            if (h < best) {
              second = best;
              best = h;
              bj = j;
            } else {
              second = h;
            }
          }
        }
        price[bj] += (second - best) + eps;
        if (owner[bj] != kNone) {
          col[owner[bj]] = kNone;
          queue.push_back(owner[bj]);
        }
        owner[bj] = i;
        col[i] = bj;
      }
      if (eps == eps_final) break;
    }
  }
  for (std::size_t j = 0; j < n; ++j)
    v[j] = -price[j];
  std::vector<std::size_t> free_rows;
  for (std::size_t i = 0; i < n; ++i) {
    double least = inf;
    for (std::size_t j = 0; j < n; ++j)
      least = std::min(least, c(i, j) - v[j]);
    const std::size_t j = n > 1 && cmax > 0.0 ? col[i] : kNone;
    if (j != kNone && c(i, j) - v[j] == least) {
      col_for_row[i] = j;
      row_for_col[j] = i;
    } else {
      free_rows.push_back(i);
    }
  }
  return free_rows;
}
}  // namespace

CostMatrix squared_distances(const Array<float>& x, const Array<float>& y) {
  check_points(x, "x");
  check_points(y, "y");
  CostMatrix c(x.shape()[0], y.shape()[0]);
  parallel_for(c.rows, 32, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const double xi = x(i, 0), yi = x(i, 1);
      double* row = &c.values[i * c.cols];
      for (std::size_t j = 0; j < c.cols; ++j) {
        const double dx = xi - y(j, 0), dy = yi - y(j, 1);
        row[j] = dx * dx + dy * dy;
      }
    }
  });
  return c;
}

Assignment solve_assignment(const CostMatrix& cost) {
  const std::size_t n = cost.rows;
  if (n == 0 || cost.cols != n || cost.values.size() != n * n) {
    throw std::invalid_argument("solve_assignment: expected a non-empty square cost matrix, got " +
                                std::to_string(cost.rows) + "x" + std::to_string(cost.cols));
  }
  for (double c : cost.values)
    if (!std::isfinite(c)) throw std::invalid_argument("solve_assignment: a cost is not finite");

  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n, 0.0), v(n, 0.0), shortest(n);
  std::vector<std::size_t> col_for_row(n, kNone), row_for_col(n, kNone), path(n), remaining(n);
  std::vector<char> row_seen(n), col_seen(n);

  // A warm start assigns most rows cheaply; the augmenting paths below then serve only the
  // rows it leaves free.
  const std::vector<std::size_t> free_rows = auction_start(cost, v, col_for_row, row_for_col);
  for (std::size_t r = 0; r < n; ++r)
    if (col_for_row[r] != kNone) u[r] = cost(r, col_for_row[r]) - v[col_for_row[r]];

  for (const std::size_t start : free_rows) {
    // Dijkstra from the free row `start` over the columns, on reduced costs. shortest[j] is
    // the length of the cheapest alternating path start → … → j found so far; path[j] the
    // row it arrives from. `remaining` lists the columns not yet settled (its order is
    // permuted by the swap-removal below, deterministically).
    std::fill(shortest.begin(), shortest.end(), inf);
    std::fill(row_seen.begin(), row_seen.end(), 0);
    std::fill(col_seen.begin(), col_seen.end(), 0);
    for (std::size_t j = 0; j < n; ++j)
      remaining[j] = n - 1 - j;
    std::size_t num_remaining = n, i = start, sink = kNone;
    double min_val = 0.0;
    while (sink == kNone) {
      row_seen[i] = 1;
      const double* row = &cost.values[i * n];
      const double base = min_val - u[i];
      double lowest = inf;
      std::size_t index = kNone;
      for (std::size_t k = 0; k < num_remaining; ++k) {
        const std::size_t j = remaining[k];
        const double r = base + row[j] - v[j];
        if (r < shortest[j]) {
          path[j] = i;
          shortest[j] = r;
        }
        // Prefer a free column on ties: the search ends sooner.
        if (shortest[j] < lowest || (shortest[j] == lowest && row_for_col[j] == kNone)) {
          lowest = shortest[j];
          index = k;
        }
      }
      min_val = lowest;
      const std::size_t j = remaining[index];
      col_seen[j] = 1;
      remaining[index] = remaining[--num_remaining];
      if (row_for_col[j] == kNone) {
        sink = j;
      } else {
        i = row_for_col[j];
      }
    }
    // Potentials: keep reduced costs ≥ 0 and zero on the (new) assigned pairs.
    u[start] += min_val;
    for (std::size_t r = 0; r < n; ++r)
      if (row_seen[r] && r != start) u[r] += min_val - shortest[col_for_row[r]];
    for (std::size_t c = 0; c < n; ++c)
      if (col_seen[c]) v[c] -= min_val - shortest[c];
    // Augment: flip the alternating path back from the free column to `start`.
    for (std::size_t j = sink;;) {
      const std::size_t r = path[j];
      row_for_col[j] = r;
      std::swap(col_for_row[r], j);
      if (r == start) break;
    }
  }

  Assignment a;
  a.col_for_row = std::move(col_for_row);
  for (std::size_t r = 0; r < n; ++r)
    a.total_cost += cost(r, a.col_for_row[r]);
  a.u = std::move(u);
  a.v = std::move(v);
  return a;
}

}  // namespace minflow::flow
