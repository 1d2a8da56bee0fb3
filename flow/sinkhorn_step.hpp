// One half-step of Sinkhorn's iterations in the log domain, in its plain form (chapter 12,
// §4; exercise 12.2). flow/sinkhorn.cpp runs the same update vectorised and on the thread
// pool; this one is the reference a reader can follow, and tests check the two agree.
//
// The entropic plan P_ij = exp((f_i + g_j − c_ij)/ε) has row sums a_i exactly when
//   f_i = ε·log a_i − ε·LSE_j((g_j − c_ij)/ε),    LSE_j(z_j) = log Σ_j exp(z_j),
// (the row update; the column update is the same with the roles of f and g swapped and c
// transposed). LSE is computed as m + log Σ_j exp(z_j − m) with m = max_j z_j: every exp is
// then at most 1 and the largest is exactly 1, so nothing overflows and the sum is never 0,
// however small ε is. (exp(z) itself underflows to 0 once z < −745: with costs near 1 that
// is ε below about 1/745.)
#pragma once

#include <vector>

#include "flow/assignment.hpp"

namespace minflow::flow {

// f_i for every row i of `cost` (rows × cols) from g (cols values), with the same log a_i =
// log_a for every row (uniform marginals: log(1/rows)). Throws std::invalid_argument when g
// does not have cols values or ε is not > 0.
std::vector<double> sinkhorn_row_update(const CostMatrix& cost, const std::vector<double>& g,
                                        double eps, double log_a);

}  // namespace minflow::flow
