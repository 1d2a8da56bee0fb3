// The assignment solver against brute force (every permutation, n ≤ 8), against a second,
// independent algorithm (Bertsekas's auction with ε-scaling, exact on integer costs when
// the last ε < 1/n), and against its own dual certificate.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "base/random.hpp"
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
