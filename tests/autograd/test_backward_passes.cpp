// Backward run more than once through a graph, with PyTorch's semantics (retain_graph):
// leaves accumulate exactly each pass's contribution, interior nodes hold the latest pass
// only, and a pass frees what the ops saved unless told to retain it. The numbers in the
// comments are what PyTorch 1.13 gives for the same code with retain_graph=True.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "autograd/ops.hpp"

using minflow::Array;
using minflow::DTensor;
using minflow::live_saved_op_count;

TEST_CASE("a second pass adds its own contribution to the leaves, once", "[backward][retain]") {
  DTensor x = DTensor::scalar(3.0, true, "x");
  DTensor y = x + x, z = y + y;
  z.backward(/*retain_graph=*/true);
  CHECK(x.grad()() == 4.0);
  z.backward();
  CHECK(x.grad()() == 8.0);  // PyTorch: 8 (the old engine sent y's stale 2 again: 16)
  CHECK(y.grad()() == 2.0);  // this pass's gradient only, not 2 + 2
}

TEST_CASE("two losses sharing a subgraph, the first retaining it", "[backward][retain]") {
  DTensor a = DTensor::scalar(3.0, true, "a");
  DTensor h = a * 2.0, l1 = h, l2 = h * h;
  l1.backward(true);
  l2.backward();
  CHECK(a.grad()() == 26.0);  // 2 + 2h·2 with h = 6; PyTorch: 26
}

TEST_CASE("chapter 1's Try-it: a·a·a, twice, then after zero_grad", "[backward][retain]") {
  DTensor a = DTensor::scalar(-4.0, true, "a");
  DTensor h = a * a * a;
  h.backward(true);
  CHECK(a.grad()() == 48.0);
  h.backward(true);
  CHECK(a.grad()() == 96.0);
  a.zero_grad();
  h.backward();
  CHECK(a.grad()() == 48.0);
}

TEST_CASE("a pass through a freed graph throws, names the op, and changes nothing",
          "[backward][retain]") {
  DTensor a = DTensor::scalar(2.0, true, "a");
  DTensor b = DTensor::scalar(5.0, true, "b");
  DTensor y = a * b;
  y.backward();
  CHECK(a.grad()() == 5.0);
  CHECK_THROWS_WITH(y.backward(), Catch::Contains("mul") && Catch::Contains("retain_graph"));
  CHECK(a.grad()() == 5.0);  // refused before any gradient was touched
  CHECK(b.grad()() == 2.0);
  // A new loss on top of the freed part is refused too.
  DTensor z = y * 3.0;
  CHECK_THROWS_WITH(z.backward(), Catch::Contains("mul"));
  CHECK(a.grad()() == 5.0);
}

TEST_CASE("a pass frees the values the ops saved; retain_graph keeps them", "[backward][retain]") {
  const long before = live_saved_op_count();
  DTensor w = DTensor::full({300, 200}, 0.5, true);
  DTensor x = DTensor::full({400, 300}, 2.0);
  DTensor loss = sum(tanh(matmul(x, w)) * 3.0);  // matmul, tanh, mul, sum
  CHECK(live_saved_op_count() - before == 4);
  loss.backward(/*retain_graph=*/true);
  CHECK(live_saved_op_count() - before == 4);  // kept for another pass
  loss.backward();
  CHECK(live_saved_op_count() - before == 0);  // freed, although `loss` is still alive
  // The graph's structure stays for printing: the root still names its op.
  REQUIRE(loss.grad_fn() != nullptr);
  CHECK(std::string(loss.grad_fn()->op_name()) == "sum");
  CHECK(loss.grad_fn()->released());
}

TEST_CASE("backward on a leaf accumulates its seed", "[backward][retain]") {
  DTensor a = DTensor::scalar(1.5, true, "a");
  a.backward();
  a.backward();
  CHECK(a.grad()() == 2.0);  // PyTorch: a.backward() twice on a leaf gives 2
}

TEST_CASE("errors describe an unnamed tensor by its op and shape", "[backward][errors]") {
  DTensor a = DTensor::full({2, 3}, 1.0);
  DTensor y = a * 2.0;  // nothing requires grad, so no graph: y is a plain leaf
  CHECK_THROWS_WITH(y.backward(Array<double>(xt::ones<double>({2, 3}))),
                    Catch::Contains("an unnamed leaf [2,3] does not require grad"));
  DTensor b = DTensor::full({2, 3}, 1.0, true);
  CHECK_THROWS_WITH((b * 2.0).backward(), Catch::Contains("the result of mul [2,3]"));
}

TEST_CASE("mutable_grad changes the stored gradient in place", "[backward]") {
  DTensor a = DTensor::full({2}, 1.0, true);
  CHECK_THROWS_WITH(a.mutable_grad(), Catch::Contains("no gradient"));
  sum(a * 3.0).backward();
  a.mutable_grad() *= 0.5;
  CHECK(a.grad()(0) == 1.5);
  CHECK(a.grad()(1) == 1.5);
}

TEST_CASE("a scalar has no gradient until a pass reaches it", "[backward]") {
  DTensor a = DTensor::scalar(2.0, true, "a");
  CHECK_FALSE(a.has_grad());  // an empty gradient, not a rank-0 array holding one value
  CHECK(a.grad()() == 0.0);
  (a * 3.0).backward();
  CHECK(a.has_grad());
  CHECK(a.grad()() == 3.0);
}
