// pow with a tensor exponent: a^b, d/da = b·a^(b−1), d/db = a^b·ln a, with broadcasting.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "autograd/ops.hpp"
#include "iota.hpp"

using namespace minflow;

using minflow::testing::flat;

TEST_CASE("pow(a, b) and both of its gradients", "[ops][pow]") {
  DTensor a = DTensor::from_vector({2.0, 3.0, 0.5}, {3}, true);
  DTensor b = DTensor::from_vector({3.0, 2.0, -1.0}, {3}, true);
  DTensor y = pow(a, b);
  CHECK(flat(y.value()) == std::vector<double>{8, 9, 2});
  y.backward(Array<double>{1.0, 2.0, 3.0});
  // g·b·a^(b−1) = [1·3·4, 2·2·3, 3·(−1)·0.5^(−2)]
  CHECK(flat(a.grad()) == std::vector<double>{12, 12, -12});
  const std::vector<double> gb = flat(b.grad());  // g·a^b·ln a
  CHECK(gb[0] == Approx(8 * std::log(2.0)));
  CHECK(gb[1] == Approx(18 * std::log(3.0)));
  CHECK(gb[2] == Approx(-6 * std::log(2.0)));
}

TEST_CASE("pow broadcasts and sums each gradient back to its input", "[ops][pow]") {
  DTensor a = DTensor::from_vector({1.0, 2.0}, {2, 1}, true);
  DTensor b = DTensor::from_vector({0.0, 1.0, 2.0}, {3}, true);
  DTensor y = pow(a, b);
  REQUIRE(y.shape() == Shape{2, 3});
  CHECK(flat(y.value()) == std::vector<double>{1, 1, 1, 1, 2, 4});
  y.backward(Array<double>{{1, 2, 3}, {4, 5, 6}});
  // dL/da[r] = Σ_j g[r,j]·b[j]·a[r]^(b[j]−1): row 0 → 0 + 2 + 6; row 1 → 0 + 5 + 6·2·2.
  CHECK(flat(a.grad()) == std::vector<double>{8, 29});
  // dL/db[j] = Σ_r g[r,j]·a^b·ln a: only a = 2 contributes (ln 1 = 0).
  const std::vector<double> gb = flat(b.grad());
  const double l2 = std::log(2.0);
  CHECK(gb[0] == Approx(4 * 1 * l2));
  CHECK(gb[1] == Approx(5 * 2 * l2));
  CHECK(gb[2] == Approx(6 * 4 * l2));
}

TEST_CASE("pow at a = 0: the exponent's gradient is 0 where the value is 0", "[ops][pow]") {
  DTensor a = DTensor::from_vector({0.0, 0.0}, {2}, true);
  DTensor b = DTensor::from_vector({2.0, 0.0}, {2}, true);
  DTensor y = pow(a, b);
  CHECK(flat(y.value()) == std::vector<double>{0, 1});  // 0^0 = 1
  y.backward(Array<double>{1.0, 1.0});
  CHECK(flat(a.grad()) == std::vector<double>{0, 0});  // 2·0^1 and 0·0^(−1) := 0
  const std::vector<double> gb = flat(b.grad());
  CHECK(gb[0] == 0.0);       // 0·ln 0 taken as 0
  CHECK(std::isinf(gb[1]));  // 1·ln 0 = −∞: the true derivative of 0^b at b = 0
  CHECK_THROWS_WITH(pow(a, DTensor::zeros({3})), Catch::StartsWith("pow: cannot broadcast"));
}
