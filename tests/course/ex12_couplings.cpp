// Chapter 12: optimal transport on a line by sorting; a Sinkhorn row update.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <sstream>
#include <vector>

#include "base/random.hpp"
#include "flow/ot_1d.hpp"
#include "flow/sinkhorn.hpp"
#include "flow/sinkhorn_step.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
double cost(const std::vector<double>& x, const std::vector<double>& y,
            const std::vector<std::size_t>& col) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    s += (x[i] - y[col[i]]) * (x[i] - y[col[i]]);
  return s;
}
std::string text(const std::vector<std::size_t>& v) {
  std::ostringstream out;
  out << '{';
  for (std::size_t i = 0; i < v.size(); ++i)
    out << (i ? ", " : "") << v[i];
  out << '}';
  return out.str();
}
}  // namespace

TEST_CASE("exercise 12.1: 1-D optimal transport by sorting", "[ex12.1]") {
  // x = {2, 3, 1}, y = {30, 10, 20}: 1 ↔ 10, 2 ↔ 20, 3 ↔ 30, so row 0 (x = 2) takes
  // column 2 (y = 20), row 1 (x = 3) column 0 (y = 30), row 2 (x = 1) column 1 (y = 10).
  const std::vector<double> x{2, 3, 1}, y{30, 10, 20};
  const std::vector<std::size_t> got = sorted_assignment_1d(x, y);
  const std::vector<std::size_t> expect{2, 0, 1};
  if (got.size() != 3) FAIL("one column per row: col_for_row needs x.size() entries");
  std::vector<std::size_t> seen = got;
  std::sort(seen.begin(), seen.end());
  if (seen != std::vector<std::size_t>{0, 1, 2})
    FAIL("col_for_row = " << text(got)
                          << " uses a column twice: the pairing is one-to-one (a permutation), "
                             "not each x's nearest y");
  if (got == std::vector<std::size_t>{0, 1, 2})
    FAIL(
        "col_for_row = {0, 1, 2} pairs row i with column i: that is the random pairing; sort "
        "both sets and pair the k-th smallest x with the k-th smallest y");
  if (got == std::vector<std::size_t>{1, 2, 0})
    FAIL(
        "col_for_row = {1, 2, 0} is order_y itself: y's ranks must go to the rows of x's "
        "ranks, col_for_row[order_x[k]] = order_y[k]");
  if (got == std::vector<std::size_t>{0, 2, 1})
    FAIL(
        "col_for_row = {0, 2, 1} pairs the largest x with the smallest y: the monotone "
        "pairing goes the same way on both sides, smallest with smallest");
  INFO("x = {2, 3, 1}, y = {30, 10, 20}: expected {2, 0, 1}, got " << text(got));
  CHECK(got == expect);

  // Against brute force over all 720 permutations of six random values.
  Generator gen(12, "ex12.1");
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<double> a(6), b(6);
    for (std::size_t i = 0; i < 6; ++i) {
      a[i] = gen.normal();
      b[i] = 3 * gen.uniform_double();
    }
    std::vector<std::size_t> perm(6);
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    double best = 1e300;
    do
      best = std::min(best, cost(a, b, perm));
    while (std::next_permutation(perm.begin(), perm.end()));
    const std::vector<std::size_t> mine = sorted_assignment_1d(a, b);
    INFO("six values: the cheapest of all 720 pairings costs " << best << ", " << text(mine)
                                                               << " costs " << cost(a, b, mine));
    CHECK(cost(a, b, mine) == Approx(best).epsilon(1e-12));
  }
}

TEST_CASE("exercise 12.2: a Sinkhorn row update (log-sum-exp)", "[ex12.2]") {
  // 2 × 3 costs, moderate ε: the plain formula f_i = ε log a − ε log Σ_j exp((g_j − c_ij)/ε)
  // is safe here and gives the answer directly.
  CostMatrix c(2, 3);
  const double values[] = {0, 1, 2, 1, 0, 3};
  std::copy(values, values + 6, c.values.begin());
  const std::vector<double> g{0, 0.5, -1};
  const double eps = 0.5, log_a = std::log(0.5);
  auto plain = [&](std::size_t i, double sign, double outer) {
    double s = 0;
    for (std::size_t j = 0; j < 3; ++j)
      s += std::exp(sign * (g[j] - c(i, j)) / eps);
    return outer * log_a - outer * std::log(s);
  };
  const std::vector<double> f = sinkhorn_row_update(c, g, eps, log_a);
  if (f.size() != 2) FAIL("one potential per row of the cost: f needs cost.rows values");
  const double e0 = plain(0, 1, eps), e1 = plain(1, 1, eps);
  if (std::abs(f[0] - (e0 - eps * log_a)) < 1e-9)
    FAIL("f_0 = " << f[0]
                  << " lacks the ε·log a_i term: without it the plan's rows sum to 1, "
                     "not to a_i = 1/n");
  if (std::abs(f[0] - plain(0, -1, eps)) < 1e-9)
    FAIL("f_0 = " << f[0]
                  << " uses (c_ij − g_j)/ε: the plan is exp((f_i + g_j − c_ij)/ε), so "
                     "the row's terms are (g_j − c_ij)/ε");
  const double lse0 = (eps * log_a - e0) / eps;  // log Σ_j exp((g_j − c_0j)/ε)
  if (std::abs(f[0] - (log_a - eps * lse0)) < 1e-9 || std::abs(f[0] - (eps * log_a - lse0)) < 1e-9)
    FAIL("f_0 = " << f[0] << ": both terms carry the factor ε, f_i = ε·log a_i − ε·LSE");
  INFO("cost rows {0, 1, 2}, {1, 0, 3}, g = {0, 0.5, -1}, ε = 0.5, a = 1/2: f = {"
       << e0 << ", " << e1 << "}, got {" << f[0] << ", " << f[1] << "}");
  CHECK(f[0] == Approx(e0).epsilon(1e-12));
  CHECK(f[1] == Approx(e1).epsilon(1e-12));

  // Small ε: every exp((g_j − c_ij)/ε) underflows to 0 in double, the plain formula gives
  // log 0; the shifted one does not. As ε → 0, f_i → min_j (c_ij − g_j) (a soft minimum).
  CostMatrix near(2, 2);
  near(0, 0) = 1.0, near(0, 1) = 2.0, near(1, 0) = 3.0, near(1, 1) = 1.5;
  const std::vector<double> small = sinkhorn_row_update(near, {0, 0}, 1e-3, std::log(0.5));
  if (!std::isfinite(small[0]) || !std::isfinite(small[1]))
    FAIL(
        "at ε = 0.001 f is not finite: exp(−1/0.001) is 0 in double; subtract the largest "
        "z_j before exp (LSE = m + log Σ exp(z_j − m))");
  INFO("at ε = 0.001, f_i is within ε·log 2 of min_j c_ij: about {1, 1.5}, got {"
       << small[0] << ", " << small[1] << "}");
  CHECK(small[0] == Approx(1.0 + 1e-3 * std::log(0.5)).epsilon(1e-9));
  CHECK(small[1] == Approx(1.5 + 1e-3 * std::log(0.5)).epsilon(1e-9));

  // At Sinkhorn's fixed point the row update returns the library's f (flow/sinkhorn.cpp).
  Generator gen(122, "ex12.2");
  CostMatrix r(5, 5);
  for (double& v : r.values)
    v = 4 * gen.uniform_double();
  const SinkhornPlan plan = sinkhorn(r, {0.05, 1e-13, 20000});
  const std::vector<double> fixed = sinkhorn_row_update(r, plan.g, plan.epsilon, std::log(0.2));
  for (std::size_t i = 0; i < 5; ++i) {
    INFO("row " << i << " at the converged plan: the library's f_i = " << plan.f[i] << ", yours "
                << fixed[i]);
    CHECK(fixed[i] == Approx(plan.f[i]).margin(1e-9));
  }
}
