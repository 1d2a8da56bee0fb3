// transpose, reshape, concat, slice and broadcast_to: where each element goes, where its
// gradient comes back from, and the errors for bad shapes.
#include <catch2/catch.hpp>

#include <vector>

#include "autograd/ops.hpp"
#include "iota.hpp"

using namespace minflow;

using minflow::testing::flat;
using minflow::testing::iota;

TEST_CASE("transpose swaps the last two axes, and so does its backward", "[ops][shape]") {
  DTensor a = iota({2, 3});  // [[0 1 2] [3 4 5]]
  DTensor t = transpose(a);
  CHECK(t.shape() == Shape{3, 2});
  CHECK(flat(t.value()) == std::vector<double>{0, 3, 1, 4, 2, 5});
  t.backward(Array<double>{{10, 20}, {30, 40}, {50, 60}});
  CHECK(flat(a.grad()) == std::vector<double>{10, 30, 50, 20, 40, 60});

  DTensor b = iota({2, 2, 3});
  DTensor tb = transpose(b);
  CHECK(tb.shape() == Shape{2, 3, 2});
  CHECK(flat(tb.value()) == std::vector<double>{0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11});
  CHECK_THROWS_WITH(transpose(iota({4})), "transpose: expected rank 2 or 3, got [4]");
}

TEST_CASE("reshape keeps the row-major order", "[ops][shape]") {
  DTensor a = iota({2, 3});
  DTensor r = reshape(a, {3, 2});
  CHECK(r.shape() == Shape{3, 2});
  CHECK(flat(r.value()) == flat(a.value()));
  r.backward(Array<double>{{1, 2}, {3, 4}, {5, 6}});
  CHECK(a.grad().shape() == a.value().shape());
  CHECK(flat(a.grad()) == std::vector<double>{1, 2, 3, 4, 5, 6});
  CHECK(reshape(iota({1, 1}), {}).dim() == 0);
  CHECK_THROWS_WITH(reshape(a, {4}),
                    "reshape: cannot reshape [2,3] (6 elements) to [4] (4 elements)");
}

TEST_CASE("concat joins along an axis and splits the gradient back", "[ops][shape]") {
  DTensor a = iota({2, 2});              // [[0 1] [2 3]]
  DTensor b = iota({2, 1}, true, 10.0);  // [[10] [11]]
  DTensor c = iota({2, 3}, false, 20.0);
  DTensor y = concat<double>({a, b, c}, 1);
  CHECK(y.shape() == Shape{2, 6});
  CHECK(flat(y.value()) == std::vector<double>{0, 1, 10, 20, 21, 22, 2, 3, 11, 23, 24, 25});
  Array<double> seed = Array<double>::from_shape({2, 6});
  for (std::size_t i = 0; i < 12; ++i)
    seed.data()[i] = static_cast<double>(i + 1);
  y.backward(seed);
  CHECK(flat(a.grad()) == std::vector<double>{1, 2, 7, 8});
  CHECK(flat(b.grad()) == std::vector<double>{3, 9});
  CHECK_FALSE(c.has_grad());

  DTensor rows = concat<double>({a, iota({1, 2})}, 0);
  CHECK(rows.shape() == Shape{3, 2});
  CHECK(flat(rows.value()) == std::vector<double>{0, 1, 2, 3, 0, 1});
}

TEST_CASE("concat errors name the part and the expected shape", "[ops][shape]") {
  CHECK_THROWS_WITH(concat<double>({iota({2, 3}), iota({3, 3})}, 1),
                    Catch::StartsWith("concat: part 1 has shape [3,3], expected [2,*]"));
  CHECK_THROWS_WITH(concat<double>({iota({2, 3}), iota({2, 3, 1})}, 0),
                    Catch::StartsWith("concat: part 1 has shape [2,3,1], expected [*,3]"));
  CHECK_THROWS_WITH(concat<double>({iota({2, 3})}, 2),
                    "concat: axis 2 out of range for [2,3] (valid axes: -2 to 1)");
  CHECK_THROWS_WITH(concat<double>({}, 0), "concat: no parts to concatenate");
}

TEST_CASE("slice takes begin to end on an axis and its gradient is zero outside", "[ops][shape]") {
  DTensor a = iota({2, 4});  // [[0 1 2 3] [4 5 6 7]]
  DTensor s = slice(a, 1, 1, 3);
  CHECK(s.shape() == Shape{2, 2});
  CHECK(flat(s.value()) == std::vector<double>{1, 2, 5, 6});
  s.backward(Array<double>{{1, 2}, {3, 4}});
  CHECK(flat(a.grad()) == std::vector<double>{0, 1, 2, 0, 0, 3, 4, 0});

  DTensor b = iota({3, 2, 2});
  CHECK(flat(slice(b, 0, 2, 3).value()) == std::vector<double>{8, 9, 10, 11});
  CHECK_THROWS_WITH(slice(iota({4, 5}), 2, 0, 1),
                    "slice: axis 2 out of range for [4,5] (valid axes: -2 to 1)");
  CHECK_THROWS_WITH(slice(iota({4, 5}), 1, 3, 7),
                    Catch::StartsWith("slice: range [3,7)") && Catch::EndsWith("axis 1 of [4,5]"));
  CHECK_THROWS_WITH(slice(iota({4, 5}), 0, 2, 2), Catch::Contains("empty"));
}

TEST_CASE("broadcast_to copies along new and size-1 axes and sums the gradient back",
          "[ops][shape]") {
  DTensor a = iota({2, 1});  // [[0] [1]]
  DTensor y = broadcast_to(a, {3, 2, 2});
  CHECK(y.shape() == Shape{3, 2, 2});
  CHECK(flat(y.value()) == std::vector<double>{0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1});
  Array<double> seed = Array<double>::from_shape({3, 2, 2});
  for (std::size_t i = 0; i < 12; ++i)
    seed.data()[i] = static_cast<double>(i);
  y.backward(seed);
  // row 0 collects elements 0,1,4,5,8,9; row 1 collects 2,3,6,7,10,11
  CHECK(flat(a.grad()) == std::vector<double>{27, 39});
  CHECK_THROWS_WITH(broadcast_to(iota({3, 4}), {4}), "broadcast_to: cannot broadcast [3,4] to [4]");
  CHECK_THROWS_WITH(broadcast_to(iota({3, 4}), {1, 4}),
                    "broadcast_to: cannot broadcast [3,4] to [1,4]");
}
