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
void check_points(const char* op, const Array<float>& a, const char* what) {
  if (a.dimension() != 2 || a.shape()[1] != 2 || a.shape()[0] == 0) {
    Shape s(a.shape().begin(), a.shape().end());
    throw std::invalid_argument(std::string(op) + ": " + what + " must be [n,2] with n > 0, got " +
                                shape_to_string(s));
  }
}
using detail::kNone;

// A point set's two coordinates as two columns of doubles (xtensor's element access is slow
// in an inner loop).
void coordinates(const Array<float>& p, std::vector<double>& c0, std::vector<double>& c1) {
  const std::size_t n = p.shape()[0];
  c0.resize(n), c1.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    c0[i] = p(i, 0), c1[i] = p(i, 1);
}
}  // namespace

namespace detail {
void squared_distance_row(double xi0, double xi1, const double* y0, const double* y1, std::size_t n,
                          double* out) {
  for (std::size_t j = 0; j < n; ++j) {
    const double d0 = xi0 - y0[j], d1 = xi1 - y1[j];
    out[j] = d0 * d0 + d1 * d1;
  }
}

CostRows::CostRows(const Array<float>& x, const Array<float>& y)
    : n_(x.shape()[0]), buffer_(x.shape()[0]) {
  coordinates(x, x0_, x1_);
  coordinates(y, y0_, y1_);
}

const double* CostRows::row(std::size_t i) {
  if (matrix_) return &matrix_->values[i * n_];
  squared_distance_row(x0_[i], x1_[i], y0_.data(), y1_.data(), n_, buffer_.data());
  return buffer_.data();
}

double CostRows::operator()(std::size_t i, std::size_t j) const {
  if (matrix_) return (*matrix_)(i, j);
  double c;
  squared_distance_row(x0_[i], x1_[i], &y0_[j], &y1_[j], 1, &c);
  return c;
}
}  // namespace detail

CostMatrix squared_distances(const Array<float>& x, const Array<float>& y) {
  check_points("squared_distances", x, "x");
  check_points("squared_distances", y, "y");
  std::vector<double> x0, x1, y0, y1;
  coordinates(x, x0, x1);
  coordinates(y, y0, y1);
  CostMatrix c(x.shape()[0], y.shape()[0]);
  // At least ~2¹⁶ entries per thread: a 256 × 256 matrix (tens of microseconds) stays on the
  // calling thread, which leaves the pool to the training step when the coupling runs on
  // train()'s helper thread.
  const std::size_t grain = std::max<std::size_t>(32, (std::size_t(1) << 16) / c.cols);
  parallel_for(c.rows, grain, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      detail::squared_distance_row(x0[i], x1[i], y0.data(), y1.data(), c.cols,
                                   &c.values[i * c.cols]);
  });
  return c;
}

namespace {
void check_square(std::size_t rows, std::size_t cols) {
  if (rows == 0 || cols != rows) {
    throw std::invalid_argument("solve_assignment: expected a non-empty square cost matrix, got " +
                                std::to_string(rows) + "x" + std::to_string(cols));
  }
}

// Both public solvers: the warm start (`start`), then tighten and the exact phase.
template <class Start>
Assignment solve(detail::CostRows& cost, Start start) {
  const std::size_t n = cost.size();
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
  check_square(cost.rows, cost.cols);
  if (cost.values.size() != cost.rows * cost.cols)
    throw std::invalid_argument("solve_assignment: the matrix holds " +
                                std::to_string(cost.values.size()) + " values, not rows x cols");
  for (double c : cost.values)
    if (!std::isfinite(c)) throw std::invalid_argument("solve_assignment: a cost is not finite");
  detail::CostRows rows(cost);
  return solve(rows, [&](auto& v, auto& col_for_row, auto& row_for_col) {
    detail::auction_start(cost, v, col_for_row, row_for_col);
  });
}

Assignment solve_assignment(const Array<float>& x, const Array<float>& y) {
  check_points("solve_assignment", x, "x");
  check_points("solve_assignment", y, "y");
  check_square(x.shape()[0], y.shape()[0]);
  // The costs are finite exactly when the points are (a float squared fits a double).
  for (const Array<float>* p : {&x, &y})
    for (float value : *p)
      if (!std::isfinite(value))
        throw std::invalid_argument(
            "solve_assignment: a point is not finite, so neither is a cost");
  detail::CostRows rows(x, y);
  return solve(rows, [&](auto& v, auto& col_for_row, auto& row_for_col) {
    detail::auction_start_points(x, y, v, col_for_row, row_for_col);
  });
}

}  // namespace minflow::flow
