// The linear assignment problem: pair each of n sources with one of n targets, one to one,
// so that the total cost is least. With the cost ‖x_i − y_j‖² this is optimal transport
// between two equal-size point sets: the minibatch coupling of OT-CFM (Tong et al. 2024)
// and the exact 2-Wasserstein distance (transport_metrics.hpp).
//
// Algorithm: shortest augmenting paths with dual potentials (Jonker & Volgenant 1987, in the
// form Crouse 2016 gives and SciPy's linear_sum_assignment uses). Rows are assigned one at a
// time; each new row finds, by Dijkstra's algorithm on the reduced costs
// c_ij − u_i − v_j ≥ 0, the cheapest way to grab a free column, possibly by moving earlier
// rows to other columns along the path, and the potentials are then updated so that every
// reduced cost stays ≥ 0 and every assigned pair has reduced cost 0. When all rows are
// assigned, Σu + Σv = total cost and u_i + v_j ≤ c_ij for all i, j: a dual certificate that
// the assignment is optimal (linear-programming duality), which the tests check.
// O(n) Dijkstra steps of O(n) each per row: O(n³) at worst.
//
// Warm start: on squared distances between point clouds the late rows' paths are long
// (n = 4096 took 30 s cold). An auction with ε-scaling (Bertsekas 1988), run in float with
// 8-lane min-scans, first finds near-optimal column prices cheaply; with v = −price as the
// starting potentials and u_i = min_j (c_ij − v_j), every auction pair whose column can be
// raised to make it tight without any other reduced cost turning negative keeps it, and the
// other rows are left free, each within ε of a free column, so their paths are short. The
// result is still exact: the warm start only changes where the augmenting paths begin, and
// the exact phase runs in double on the original costs. The path search scans all columns
// with contiguous arrays and no branch (4 doubles per instruction), settled columns masked
// by +∞. From the points the matrix is never built: the exact phase computes the rows it
// visits. Serial: from the points, about 0.45 ms at 256 points, 0.04 s at 2,048, 0.15 s at
// 4,096 (bench/RESULTS.md).
#pragma once

#include <cstddef>
#include <vector>

#include "autograd/tensor.hpp"

namespace minflow::flow {

// A dense rows × cols matrix of costs in double, row-major.
struct CostMatrix {
  std::size_t rows = 0, cols = 0;
  std::vector<double> values;

  CostMatrix() = default;
  CostMatrix(std::size_t r, std::size_t c) : rows(r), cols(c), values(r * c, 0.0) {}
  double& operator()(std::size_t i, std::size_t j) { return values[i * cols + j]; }
  double operator()(std::size_t i, std::size_t j) const { return values[i * cols + j]; }
};

// c_ij = ‖x_i − y_j‖² for point sets x [n, 2] and y [m, 2], in double (rows split across
// the thread pool). Throws std::invalid_argument for anything but two non-empty [·, 2] sets.
CostMatrix squared_distances(const Array<float>& x, const Array<float>& y);

struct Assignment {
  std::vector<std::size_t> col_for_row;  // row i is paired with column col_for_row[i]
  double total_cost = 0.0;               // Σ_i c(i, col_for_row[i])
  std::vector<double> u, v;              // the dual potentials (the optimality certificate)
};

// The exact minimum-cost assignment of a square cost matrix with finite entries. Throws
// std::invalid_argument for a non-square, empty or non-finite matrix. Serial and
// deterministic (nothing depends on the thread count): among columns at equal path length
// the search settles the lowest-indexed free one, else the lowest-indexed one.
Assignment solve_assignment(const CostMatrix& cost);

// The same for the cost c_ij = ‖x_i − y_j‖² of two [n, 2] point sets (squared_distances
// first, whose errors it throws): exact and certified in the same way, with a warm start
// that reads the points instead of the matrix, faster per bid (assignment_detail.hpp).
// The minibatch OT coupling and exact_w2 use this one.
Assignment solve_assignment(const Array<float>& x, const Array<float>& y);

}  // namespace minflow::flow
