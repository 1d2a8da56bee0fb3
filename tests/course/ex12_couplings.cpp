// Chapter 12: optimal transport on a line by sorting.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <sstream>
#include <vector>

#include "base/random.hpp"
#include "flow/ot_1d.hpp"

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
