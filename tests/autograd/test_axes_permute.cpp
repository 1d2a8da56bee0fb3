// Negative axes (−1 is the last, as in PyTorch) for every op that takes an axis, and permute
// / transpose(a, dim0, dim1): where each element goes and where its gradient comes back from.
#include <catch2/catch.hpp>

#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "iota.hpp"

using namespace minflow;

using minflow::testing::flat;
using minflow::testing::iota;

TEST_CASE("sum, mean, concat and slice take negative axes", "[ops][axes]") {
  DTensor a = iota({2, 3});  // [[0 1 2] [3 4 5]]
  CHECK(flat(sum(a, {-1}).value()) == std::vector<double>{3, 12});
  CHECK(flat(mean(a, {-2}).value()) == std::vector<double>{1.5, 2.5, 3.5});
  CHECK(sum(iota({2, 3, 4}), {-3, -1}, true).shape() == Shape{1, 3, 1});

  DTensor m = mean(a, {-1});
  m.backward(Array<double>{3.0, -6.0});
  CHECK(flat(a.grad()) == std::vector<double>{1, 1, 1, -2, -2, -2});

  DTensor b = iota({2, 1}, true, 10.0);  // [[10] [11]]
  DTensor c = concat<double>({iota({2, 2}), b}, -1);
  CHECK(flat(c.value()) == std::vector<double>{0, 1, 10, 2, 3, 11});

  DTensor s = slice(iota({2, 4}), -1, 1, 3);
  CHECK(flat(s.value()) == std::vector<double>{1, 2, 5, 6});
}

TEST_CASE("an axis out of range names the op, the axis and the shape", "[ops][axes]") {
  CHECK_THROWS_WITH(sum(iota({2, 3}), {-3}),
                    "sum: axis -3 out of range for [2,3] (valid axes: -2 to 1)");
  CHECK_THROWS_WITH(mean(iota({2, 3}), {1, -1}), "mean: axis 1 listed twice for [2,3]");
  CHECK_THROWS_WITH(concat<double>({iota({2, 3})}, -3),
                    "concat: axis -3 out of range for [2,3] (valid axes: -2 to 1)");
  CHECK_THROWS_WITH(slice(iota({4}), -2, 0, 1),
                    "slice: axis -2 out of range for [4] (valid axes: -1 to 0)");
  CHECK_THROWS_WITH(transpose(iota({2, 3}), 0, 2),
                    "transpose: axis 2 out of range for [2,3] (valid axes: -2 to 1)");
  CHECK_THROWS_WITH(softmax(DTensor::scalar(1.0), 0),
                    "softmax: axis 0 out of range for [] (a rank-0 tensor has no axes)");
}

TEST_CASE("permute moves a[i][j][l] to y[l][i][j] and the gradient back", "[ops][permute]") {
  DTensor a = iota({2, 3, 4});  // a[i][j][l] = 12i + 4j + l
  DTensor y = permute(a, {2, 0, 1});
  REQUIRE(y.shape() == Shape{4, 2, 3});
  for (std::size_t l = 0; l < 4; ++l)
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        CHECK(y.value()(l, i, j) == 12.0 * i + 4.0 * j + l);
  // Upstream gradient g[l][i][j] = 6l + 3i + j − 7 (every element different, some negative).
  Array<double> g = Array<double>::from_shape({4, 2, 3});
  for (std::size_t l = 0; l < 4; ++l)
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        g(l, i, j) = 6.0 * l + 3.0 * i + j - 7.0;
  y.backward(g);
  const Array<double> ga = a.grad();
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t l = 0; l < 4; ++l)
        CHECK(ga(i, j, l) == g(l, i, j));
}

TEST_CASE("transpose(a, dim0, dim1) swaps two axes of any rank", "[ops][permute]") {
  DTensor a = iota({2, 3, 4});
  DTensor t = transpose(a, 0, -1);
  REQUIRE(t.shape() == Shape{4, 3, 2});
  CHECK(t.value()(3, 1, 1) == 12.0 + 4.0 + 3.0);
  // Swapping the last two axes agrees with the two-axis transpose.
  CHECK(flat(transpose(a, -2, -1).value()) == flat(transpose(a).value()));
  CHECK(flat(permute(iota({3, 2}), {-1, 0}).value()) == std::vector<double>{0, 2, 4, 1, 3, 5});
  CHECK(permute(DTensor::scalar(2.0), {}).item() == 2.0);

  auto report = gradcheck([](const std::vector<DTensor>& in) { return transpose(in[0], 1, -3); },
                          {iota({2, 3, 2}, true, -5.0)});
  CHECK(report.ok);
}

TEST_CASE("permute checks its axes", "[ops][permute]") {
  CHECK_THROWS_WITH(permute(iota({2, 3}), {0}), "permute: got 1 axes for [2,3], expected 2");
  CHECK_THROWS_WITH(permute(iota({2, 3}), {1, -1}), "permute: axis -1 listed twice for [2,3]");
  CHECK_THROWS_WITH(permute(iota({2, 3}), {0, 2}),
                    "permute: axis 2 out of range for [2,3] (valid axes: -2 to 1)");
}
