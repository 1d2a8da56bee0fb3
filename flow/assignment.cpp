#include "flow/assignment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "base/thread_pool.hpp"
#include "flow/assignment_detail.hpp"

namespace minflow::flow {

namespace {
void check_points(const Array<float>& a, const char* what) {
  if (a.dimension() != 2 || a.shape()[1] != 2 || a.shape()[0] == 0) {
    Shape s(a.shape().begin(), a.shape().end());
    throw std::invalid_argument(std::string("squared_distances: ") + what +
                                " must be [n,2] with n > 0, got " + shape_to_string(s));
  }
}
using detail::kNone;
}  // namespace

CostMatrix squared_distances(const Array<float>& x, const Array<float>& y) {
  check_points(x, "x");
  check_points(y, "y");
  CostMatrix c(x.shape()[0], y.shape()[0]);
  // At least ~2¹⁶ entries per thread: a 256 × 256 matrix (tens of microseconds) stays on the
  // calling thread, which leaves the pool to the training step when the coupling runs on
  // train()'s helper thread.
  const std::size_t grain = std::max<std::size_t>(32, (std::size_t(1) << 16) / c.cols);
  parallel_for(c.rows, grain, [&](std::size_t begin, std::size_t end) {
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

namespace {
// Both public solvers: the warm start (`start`), then tighten and the exact phase.
template <class Start>
Assignment solve(const CostMatrix& cost, Start start) {
  const std::size_t n = cost.rows;
  if (n == 0 || cost.cols != n || cost.values.size() != n * n) {
    throw std::invalid_argument("solve_assignment: expected a non-empty square cost matrix, got " +
                                std::to_string(cost.rows) + "x" + std::to_string(cost.cols));
  }
  for (double c : cost.values)
    if (!std::isfinite(c)) throw std::invalid_argument("solve_assignment: a cost is not finite");

  std::vector<double> u(n, 0.0), v(n, 0.0);
  std::vector<std::size_t> col_for_row(n, kNone), row_for_col(n, kNone);
  if (n > 1) start(v, col_for_row, row_for_col);
  // Make the warm start's potentials dual feasible and its pairs tight, freeing the pairs
  // that cannot be (detail::tighten); the exact phase serves the free rows.
  std::vector<std::size_t> free_rows = detail::tighten(cost, u, v, col_for_row, row_for_col);
  detail::augment_rows(cost, free_rows, u, v, col_for_row, row_for_col);

  Assignment a;
  a.col_for_row = std::move(col_for_row);
  for (std::size_t r = 0; r < n; ++r)
    a.total_cost += cost(r, a.col_for_row[r]);
  a.u = std::move(u);
  a.v = std::move(v);
  return a;
}
}  // namespace

Assignment solve_assignment(const CostMatrix& cost) {
  return solve(cost, [&](auto& v, auto& col_for_row, auto& row_for_col) {
    detail::auction_start(cost, v, col_for_row, row_for_col);
  });
}

Assignment solve_assignment(const Array<float>& x, const Array<float>& y) {
  const CostMatrix cost = squared_distances(x, y);
  return solve(cost, [&](auto& v, auto& col_for_row, auto& row_for_col) {
    detail::auction_start_points(cost, x, y, v, col_for_row, row_for_col);
  });
}

}  // namespace minflow::flow
