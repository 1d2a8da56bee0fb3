// Optimal transport on a line (chapter 12, §2; docs/design.md#minibatch-ot).
//
// On the real line the optimal one-to-one pairing of n values x with n values y, for the
// cost |x − y|² (indeed for any convex cost of x − y), is the monotone one: the k-th
// smallest x with the k-th smallest y. Why: if x_a < x_b were paired with y_a > y_b (the
// pairs cross), swapping partners lowers the cost, since for a < b and c < d
//   (a − c)² + (b − d)² − (a − d)² − (b − c)² = −2(b − a)(d − c) < 0.
// So sorting solves what in the plane needs an assignment algorithm (O(n log n) instead of
// O(n³)), which is why sliced W2 (flow/metrics.hpp) projects onto lines.
#pragma once

#include <cstddef>
#include <vector>

namespace minflow::flow {

// col_for_row: x[i] is paired with y[col_for_row[i]], the monotone pairing above; ties go by
// index (a stable sort), so the result is one fixed permutation. Throws std::invalid_argument
// when x and y differ in size.
std::vector<std::size_t> sorted_assignment_1d(const std::vector<double>& x,
                                              const std::vector<double>& y);

// W2 on a line: √((1/n)·Σ_i (x_i − y_σ(i))²) with σ = sorted_assignment_1d(x, y); 0 for no
// points.
double w2_1d(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace minflow::flow
