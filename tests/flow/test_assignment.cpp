// The assignment solver against brute force (every permutation, n ≤ 8), against a second,
// independent algorithm (Bertsekas's auction with ε-scaling, exact on integer costs when
// the last ε < 1/n), and against its own dual certificate.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "base/random.hpp"
#include "base/thread_pool.hpp"
#include "flow/assignment.hpp"
#include "flow/datasets.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

double brute_force_min(const CostMatrix& c) {
  std::vector<std::size_t> p(c.rows);
  std::iota(p.begin(), p.end(), 0);
  double best = INFINITY;
  do {
    double s = 0;
    for (std::size_t i = 0; i < c.rows; ++i)
      s += c(i, p[i]);
    best = std::min(best, s);
  } while (std::next_permutation(p.begin(), p.end()));
  return best;
}

// Auction (Bertsekas 1988) for the minimum-cost assignment: each free row bids for its
// best column j (largest −c_ij − price_j), raising the price by (best − second best) + ε;
// ε-scaling repeats the auction with ε divided by 4, keeping the prices. With integer
// costs and a final ε < 1/n the result is optimal.
std::vector<std::size_t> auction(const CostMatrix& c, double eps_final) {
  const std::size_t n = c.rows, none = n;
  double cmax = 0;
  for (double x : c.values)
    cmax = std::max(cmax, std::abs(x));
  std::vector<double> price(n, 0.0);
  std::vector<std::size_t> owner(n), col(n);
  for (double eps = std::max(cmax / 4, eps_final);; eps = std::max(eps / 4, eps_final)) {
    std::fill(owner.begin(), owner.end(), none);
    std::fill(col.begin(), col.end(), none);
    std::vector<std::size_t> free_rows(n);
    std::iota(free_rows.begin(), free_rows.end(), 0);
    while (!free_rows.empty()) {
      const std::size_t i = free_rows.back();
      free_rows.pop_back();
      double best = -INFINITY, second = -INFINITY;
      std::size_t bj = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const double value = -c(i, j) - price[j];
        if (value > best) {
          second = best;
          best = value;
          bj = j;
        } else if (value > second) {
          second = value;
        }
      }
      price[bj] += (n == 1 ? 0.0 : best - second) + eps;
      if (owner[bj] != none) {
        col[owner[bj]] = none;
        free_rows.push_back(owner[bj]);
      }
      owner[bj] = i;
      col[i] = bj;
    }
    if (eps == eps_final) return col;
  }
}

double cost_of(const CostMatrix& c, const std::vector<std::size_t>& col) {
  double s = 0;
  for (std::size_t i = 0; i < c.rows; ++i)
    s += c(i, col[i]);
  return s;
}

void check_certificate(const CostMatrix& c, const Assignment& a) {
  // A permutation, reduced costs ≥ 0 everywhere, zero on the pairs: optimal by duality.
  std::vector<std::size_t> sorted = a.col_for_row;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t j = 0; j < c.rows; ++j)
    REQUIRE(sorted[j] == j);
  const double tol = 1e-9 * (1.0 + *std::max_element(c.values.begin(), c.values.end()));
  double dual = 0;
  for (std::size_t i = 0; i < c.rows; ++i) {
    dual += a.u[i] + a.v[i];
    for (std::size_t j = 0; j < c.cols; ++j)
      REQUIRE(c(i, j) - a.u[i] - a.v[j] >= -tol);
    REQUIRE(c(i, a.col_for_row[i]) - a.u[i] - a.v[a.col_for_row[i]] == Approx(0).margin(tol));
  }
  CHECK(dual == Approx(a.total_cost).epsilon(1e-9));
}

}  // namespace

TEST_CASE("assignment equals brute force over all permutations, n <= 8", "[assignment]") {
  for (std::uint64_t seed = 0; seed < 6; ++seed) {
    for (std::size_t n = 1; n <= 8; ++n) {
      Generator gen(seed, "assign");
      const CostMatrix c = squared_distances(gaussian(gen, n), eight_gaussians(gen, n));
      const Assignment a = solve_assignment(c);
      CHECK(a.total_cost == Approx(brute_force_min(c)).epsilon(1e-12));
      check_certificate(c, a);
      // and on an arbitrary (not Euclidean) matrix with ties: small integers
      CostMatrix t(n, n);
      for (double& x : t.values)
        x = double(gen.below(4));
      CHECK(solve_assignment(t).total_cost == brute_force_min(t));
    }
  }
}

TEST_CASE("assignment equals the auction algorithm, n = 50 to 200", "[assignment]") {
  for (std::size_t n : {50, 117, 200}) {
    Generator gen(n, "assign");
    CostMatrix c(n, n);
    for (double& x : c.values)
      x = double(gen.below(1000));
    const Assignment a = solve_assignment(c);
    CHECK(a.total_cost == cost_of(c, auction(c, 0.5 / double(n))));
    check_certificate(c, a);
    // Squared distances: auction with a tiny final ε is within n·ε of the optimum.
    const CostMatrix e = squared_distances(gaussian(gen, n), moons(gen, n));
    const Assignment b = solve_assignment(e);
    const double by_auction = cost_of(e, auction(e, 1e-7));
    CHECK(b.total_cost <= by_auction + 1e-9);
    CHECK(by_auction - b.total_cost <= double(n) * 1e-7);
    check_certificate(e, b);
  }
}

TEST_CASE("assignment of a set to its own permutation recovers the permutation", "[assignment]") {
  Generator gen(7, "assign");
  const Array<float> x = spiral(gen, 300);
  Array<float> y = Array<float>::from_shape({300, 2});
  std::vector<std::size_t> perm(300);
  std::iota(perm.begin(), perm.end(), 0);
  for (std::size_t i = 299; i > 0; --i)
    std::swap(perm[i], perm[gen.below(std::uint32_t(i + 1))]);
  for (std::size_t i = 0; i < 300; ++i) {
    y(perm[i], 0) = x(i, 0);
    y(perm[i], 1) = x(i, 1);
  }
  const Assignment a = solve_assignment(squared_distances(x, y));
  CHECK(a.total_cost == 0.0);
  CHECK(a.col_for_row == perm);
}

TEST_CASE("assignment rejects bad matrices", "[assignment]") {
  CHECK_THROWS_WITH(solve_assignment(CostMatrix(2, 3)), Catch::Contains("square"));
  CHECK_THROWS_AS(solve_assignment(CostMatrix()), std::invalid_argument);
  CostMatrix c(2, 2);
  c(0, 1) = NAN;
  CHECK_THROWS_WITH(solve_assignment(c), Catch::Contains("not finite"));
  CHECK_THROWS_WITH(
      squared_distances(Array<float>::from_shape({3, 3}), Array<float>::from_shape({3, 2})),
      Catch::Contains("[n,2]"));
}

TEST_CASE("assignment of degenerate input: one point, ties, duplicates, all equal",
          "[assignment]") {
  // n = 1: the only pairing.
  CostMatrix one(1, 1);
  one(0, 0) = 2.5;
  const Assignment a1 = solve_assignment(one);
  CHECK(a1.col_for_row == std::vector<std::size_t>{0});
  CHECK(a1.total_cost == 2.5);
  check_certificate(one, a1);
  // Every cost equal: every permutation is optimal; the result is a permutation, certified.
  CostMatrix flat(40, 40);
  for (double& x : flat.values)
    x = 3.0;
  const Assignment af = solve_assignment(flat);
  CHECK(af.total_cost == 120.0);
  check_certificate(flat, af);
  CostMatrix zero(17, 17);
  check_certificate(zero, solve_assignment(zero));
  // Duplicate points on both sides (many exact ties), against brute force for n <= 8 and the
  // certificate for larger n; and the same answer on a second call (deterministic).
  for (std::size_t n : {6, 8, 64, 300}) {
    Generator gen(n, "dup");
    Array<float> x = Array<float>::from_shape({n, 2}), y = Array<float>::from_shape({n, 2});
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t d = 0; d < 2; ++d) {
        x(i, d) = float(gen.below(3));  // a 3 x 3 grid: many points coincide
        y(i, d) = float(gen.below(3));
      }
    const CostMatrix c = squared_distances(x, y);
    const Assignment a = solve_assignment(c);
    if (n <= 8) CHECK(a.total_cost == brute_force_min(c));
    if (n > 8) CHECK(a.total_cost == cost_of(c, auction(c, 0.5 / double(n))));
    check_certificate(c, a);
    CHECK(solve_assignment(c).col_for_row == a.col_for_row);
  }
}

TEST_CASE("assignment is the same for one, two and three threads", "[assignment]") {
  Generator gen(11, "assign");
  const Array<float> x = gaussian(gen, 700), y = eight_gaussians(gen, 700);
  const int before = num_threads();
  set_num_threads(1);
  const CostMatrix c1 = squared_distances(x, y);
  const Assignment one = solve_assignment(c1);
  for (int threads : {2, 3}) {
    set_num_threads(threads);
    const CostMatrix c = squared_distances(x, y);
    CHECK(c.values == c1.values);
    const Assignment a = solve_assignment(c);
    CHECK(a.col_for_row == one.col_for_row);
    CHECK(a.total_cost == one.total_cost);
    CHECK(a.u == one.u);
    CHECK(a.v == one.v);
  }
  set_num_threads(before);
  check_certificate(c1, one);
}

TEST_CASE("assignment of a large point set equals the auction's cost and is certified",
          "[assignment]") {
  // The warm start and the exact phase on a size where the warm start matters (1,024
  // points): the certificate proves optimality; integer costs make the auction exact too.
  Generator gen(12, "assign");
  const std::size_t n = 1024;
  const CostMatrix e = squared_distances(gaussian(gen, n), eight_gaussians(gen, n));
  check_certificate(e, solve_assignment(e));
  CostMatrix c(n, n);
  for (std::size_t k = 0; k < c.values.size(); ++k)
    c.values[k] = std::round(e.values[k] * 100.0);  // integer costs with many near-ties
  CHECK(solve_assignment(c).total_cost == cost_of(c, auction(c, 0.5 / double(n))));
}

TEST_CASE("assignment from the points equals the one from their matrix", "[assignment]") {
  // solve_assignment(x, y) warms up from the points (‖y‖² + p − 2 x·y in float); the exact
  // phase is the same, so the cost is the optimum and certified, far from the origin too.
  for (std::size_t n : {1, 2, 7, 64, 301}) {
    for (float offset : {0.0f, 1000.0f}) {
      Generator gen(n, "points");
      Array<float> x = gaussian(gen, n), y = moons(gen, n);
      for (std::size_t i = 0; i < n; ++i)
        x(i, 0) += offset, y(i, 1) += offset / 2;
      const CostMatrix c = squared_distances(x, y);
      const Assignment from_matrix = solve_assignment(c), from_points = solve_assignment(x, y);
      CHECK(from_points.total_cost == from_matrix.total_cost);
      CHECK(from_points.col_for_row == from_matrix.col_for_row);  // a unique optimum here
      check_certificate(c, from_points);
      if (n <= 7) CHECK(from_points.total_cost == Approx(brute_force_min(c)).epsilon(1e-12));
    }
  }
  CHECK_THROWS_WITH(
      solve_assignment(Array<float>::from_shape({3, 2}), Array<float>::from_shape({3, 3})),
      Catch::Contains("solve_assignment") && Catch::Contains("[n,2]"));
  CHECK_THROWS_WITH(
      solve_assignment(Array<float>::from_shape({3, 2}), Array<float>::from_shape({4, 2})),
      Catch::Contains("square") && Catch::Contains("3x4"));
  Array<float> bad = Array<float>::from_shape({3, 2});
  bad.fill(0.0f);
  bad(1, 0) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH(solve_assignment(bad, bad), Catch::Contains("not finite"));
}
