// max/min along an axis, clamp, where and index_select: values, where the gradient goes
// (with upstream gradients that differ element by element), ties, boundaries and errors.
#include <catch2/catch.hpp>

#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "iota.hpp"

using namespace minflow;

using minflow::testing::flat;
using minflow::testing::iota;

TEST_CASE("max along an axis sends the gradient to the arg-max, the first one on ties",
          "[ops][select]") {
  DTensor a = DTensor::from_vector({1, 5, 5, 7, -2, 3}, {2, 3}, true);
  DTensor m = max(a, 1);
  REQUIRE(m.shape() == Shape{2});
  CHECK(flat(m.value()) == std::vector<double>{5, 7});
  m.backward(Array<double>{2.0, -3.0});
  // Row 0 has 5 twice: the first (index 1) takes the gradient, index 2 gets none.
  CHECK(flat(a.grad()) == std::vector<double>{0, 2, 0, -3, 0, 0});

  DTensor b = iota({2, 3, 4});
  DTensor mb = max(b, -1, true);
  REQUIRE(mb.shape() == Shape{2, 3, 1});
  CHECK(flat(mb.value()) == std::vector<double>{3, 7, 11, 15, 19, 23});
}

TEST_CASE("min along an axis, with keep_dims", "[ops][select]") {
  DTensor a = DTensor::from_vector({1, 5, 2, 0, 5, 3}, {2, 3}, true);
  DTensor m = min(a, 0, true);
  REQUIRE(m.shape() == Shape{1, 3});
  CHECK(flat(m.value()) == std::vector<double>{0, 5, 2});
  m.backward(Array<double>{{1.0, 2.0, 3.0}});
  CHECK(flat(a.grad()) == std::vector<double>{0, 2, 3, 1, 0, 0});  // column 1 tied: row 0
  CHECK_THROWS_WITH(min(a, 2), "min: axis 2 out of range for [2,3] (valid axes: -2 to 1)");
  CHECK_THROWS_WITH(max(DTensor::zeros({2, 0}), 1), "max: axis 1 of [2,0] is empty");
}

TEST_CASE("clamp passes the gradient inside [lo, hi], boundary included", "[ops][select]") {
  DTensor x = DTensor::from_vector({-2, -1, 0, 0.5, 1, 2}, {6}, true);
  DTensor y = clamp(x, -1.0, 1.0);
  CHECK(flat(y.value()) == std::vector<double>{-1, -1, 0, 0.5, 1, 1});
  y.backward(Array<double>{1, 2, 3, 4, 5, 6});
  // x = −1 and x = 1 sit on the boundary: their gradient passes (as PyTorch's clamp).
  CHECK(flat(x.grad()) == std::vector<double>{0, 2, 3, 4, 5, 0});
  Tensor f = Tensor::from_vector({-3.0f, 0.25f}, {2});
  CHECK(clamp(f, 0.0, 1.0).value()(0) == 0.0f);  // a double bound works for a float tensor
  CHECK_THROWS_WITH(clamp(x, 1.0, -1.0), Catch::StartsWith("clamp: lo (1.0"));
}

TEST_CASE("where picks a or b elementwise and splits the gradient the same way", "[ops][select]") {
  DTensor cond = DTensor::from_vector({1, 0}, {2, 1});
  DTensor a = iota({2, 3});
  DTensor b = DTensor::from_vector({10, 20, 30}, {3}, true);
  DTensor y = where(cond, a, b);
  REQUIRE(y.shape() == Shape{2, 3});
  CHECK(flat(y.value()) == std::vector<double>{0, 1, 2, 10, 20, 30});
  y.backward(Array<double>{{1, 2, 3}, {4, 5, 6}});
  CHECK(flat(a.grad()) == std::vector<double>{1, 2, 3, 0, 0, 0});
  CHECK(flat(b.grad()) == std::vector<double>{4, 5, 6});  // b broadcast over rows: summed
  CHECK_THROWS_WITH(where(cond, iota({3, 3}), b), Catch::StartsWith("where: cannot broadcast"));
}

TEST_CASE("index_select gathers rows and scatter-adds their gradients", "[ops][select]") {
  DTensor a = iota({4, 2});  // rows [0 1] [2 3] [4 5] [6 7]
  DTensor y = index_select(a, 0, {3, 0, 3});
  REQUIRE(y.shape() == Shape{3, 2});
  CHECK(flat(y.value()) == std::vector<double>{6, 7, 0, 1, 6, 7});
  y.backward(Array<double>{{1, 2}, {3, 4}, {5, 6}});
  // Row 3 was picked twice: its gradient is [1,2] + [5,6]. Rows 1 and 2 were not picked.
  CHECK(flat(a.grad()) == std::vector<double>{3, 4, 0, 0, 0, 0, 6, 8});

  DTensor c = iota({2, 3});
  DTensor cols = index_select(c, -1, {2, 2, 0});
  CHECK(flat(cols.value()) == std::vector<double>{2, 2, 0, 5, 5, 3});
  CHECK(index_select(c, 0, {}).shape() == Shape{0, 3});
  CHECK_THROWS_WITH(index_select(a, 0, {1, 4}),
                    "index_select: index 4 (position 1) out of range for axis 0 of [4,2] (size 4)");
}

TEST_CASE("gradcheck of max, clamp and index_select on hand-picked inputs", "[ops][select]") {
  // Distinct values (no ties within 1e-6), and none within 1e-6 of clamp's bounds.
  DTensor x = DTensor::from_vector({0.3, -1.2, 2.5, 0.9, -0.4, 1.7}, {2, 3}, true);
  auto f = [](const std::vector<DTensor>& in) {
    return sum(max(in[0], 0)) + sum(clamp(in[0], -1.0, 1.0) * index_select(in[0], 0, {1, 1}));
  };
  CHECK(gradcheck(f, {x}).ok);
}
