// The two phases of the assignment solver (assignment.hpp), internal to flow/.
//
// The warm start (assignment_start.cpp): a cheap way to find column potentials v and a
// pairing, so that the exact shortest-augmenting-path phase has few rows left to serve, each
// with a short path. tighten() keeps a pair only where the potentials can certify it, so the
// warm start cannot make the result inexact, only slower or faster. (Jonker & Volgenant's own
// initialisation, column reduction plus augmenting row reduction, was measured too: it left
// long paths, 2.2 ms at 256 points and 1 s at 2,048 against the auction's 0.6 ms and 0.1 s
// then.)
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "flow/assignment.hpp"

namespace minflow::flow::detail {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// Row i of the costs, read from a CostMatrix or computed from two [n, 2] point sets
// (c_ij = ‖x_i − y_j‖² in double, by the same function as squared_distances, so the same
// bits). From the points the solver never holds the n × n matrix: at 256 points building and
// zeroing its 512 KB was a quarter of the solve, and the exact phase reads only a few rows.
class CostRows {
 public:
  explicit CostRows(const CostMatrix& c) : matrix_(&c), n_(c.rows) {}
  CostRows(const Array<float>& x, const Array<float>& y);  // both [n, 2], checked before
  std::size_t size() const { return n_; }
  // The n costs of row i: valid until the next call.
  const double* row(std::size_t i);
  double operator()(std::size_t i, std::size_t j) const;

 private:
  const CostMatrix* matrix_ = nullptr;
  std::size_t n_ = 0;
  std::vector<double> x0_, x1_, y0_, y1_, buffer_;  // the points' coordinates, in double
};

// Row i of squared_distances: out_j = (xi0 − y0_j)² + (xi1 − y1_j)², j < n.
void squared_distance_row(double xi0, double xi1, const double* y0, const double* y1, std::size_t n,
                          double* out);

// Auction with ε-scaling (Bertsekas 1988), in float, down to ε = 10⁻⁵·max c: ε-optimal
// prices p (v = −p) and a pairing that is ε-optimal (each row's pair within ε of its best).
void auction_start(const CostMatrix& c, std::vector<double>& v,
                   std::vector<std::size_t>& col_for_row, std::vector<std::size_t>& row_for_col);
// The same auction for c = squared_distances(x, y), reading the points instead of the
// matrix (h_j = ‖y_j‖² + p_j − 2 x_i·y_j from three L1-resident arrays): faster per bid. Its
// ε follows a bound on max c from the points, (max ‖x_i − m‖ + max ‖y_j − m‖)², not the
// matrix's maximum.
void auction_start_points(const Array<float>& x, const Array<float>& y, std::vector<double>& v,
                          std::vector<std::size_t>& col_for_row,
                          std::vector<std::size_t>& row_for_col);

// From a warm start's v and pairing to a dual-feasible start: u_i = min_j (c_ij − v_j), so
// every reduced cost c_ij − u_i − v_j is ≥ 0. A pair (i, j) with reduced cost r > 0 (the
// auction leaves up to ε, rounding a few ulps) is made tight by raising v_j by r when every
// other row's reduced cost in column j is ≥ r (so none turns negative); otherwise row i is
// freed. Returns the free rows, in increasing order.
std::vector<std::size_t> tighten(CostRows& c, std::vector<double>& u, std::vector<double>& v,
                                 std::vector<std::size_t>& col_for_row,
                                 std::vector<std::size_t>& row_for_col);

// The exact phase (assignment_paths.cpp): for each row in `free_rows`, in order, Dijkstra's
// shortest path on the reduced costs c_ij − u_i − v_j ≥ 0 to the nearest free column, the
// potentials updated so that reduced costs stay ≥ 0 and are 0 on the pairs, and the path
// flipped (Jonker & Volgenant 1987; Crouse 2016). On entry every assigned pair must be tight.
void augment_rows(CostRows& c, const std::vector<std::size_t>& free_rows, std::vector<double>& u,
                  std::vector<double>& v, std::vector<std::size_t>& col_for_row,
                  std::vector<std::size_t>& row_for_col);

}  // namespace minflow::flow::detail
