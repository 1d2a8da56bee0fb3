#include <catch2/catch.hpp>

#include "autograd/grad_mode.hpp"
#include "autograd/ops.hpp"
#include "autograd/tensor.hpp"

using namespace minflow;

TEST_CASE("backward through a reused node sums every use", "[backward]") {
  // b = a + a; c = b + b  →  c = 4a, dc/da = 4. Without a topological order, a would
  // receive b's gradient before b had collected both of its uses.
  DTensor a = DTensor::scalar(3.0, true, "a");
  DTensor b = a + a;
  DTensor c = b + b;
  c.backward();
  CHECK(c.item() == 12.0);
  CHECK(a.grad()() == 4.0);
  CHECK(b.grad()() == 2.0);
}

TEST_CASE("backward through a diamond", "[backward]") {
  // x → (x·2, x·3) → sum: d/dx (2x·3x) = 12x
  DTensor x = DTensor::scalar(0.5, true, "x");
  DTensor left = x * 2.0, right = x * 3.0;
  DTensor y = left * right;
  y.backward();
  CHECK(x.grad()() == Approx(6.0));
}

TEST_CASE("a chain of 100,000 nodes runs backward and frees without recursion", "[backward]") {
  const long before = live_node_count();
  {
    Tensor x = Tensor::scalar(1.0f, true, "x");
    Tensor y = x;
    for (int i = 0; i < 100000; ++i)
      y = y + 0.0f;
    CHECK(live_node_count() - before > 100000);
    y.backward();
    CHECK(x.grad()() == 1.0f);
  }
  CHECK(live_node_count() == before);
}

TEST_CASE("backward on a non-scalar needs a seed", "[backward]") {
  Tensor x = Tensor::ones({2, 3}, true);
  Tensor y = x * 2.0f;
  CHECK_THROWS_WITH(y.backward(), Catch::Contains("backward") && Catch::Contains("[2,3]"));
  Array<float> seed = {{1, 2, 3}, {4, 5, 6}};
  y.backward(seed);
  CHECK(x.grad()(1, 2) == 12.0f);
}

TEST_CASE("gradients accumulate until zero_grad", "[backward]") {
  Tensor x = Tensor::scalar(2.0f, true, "x");
  (x * x).backward();
  (x * x).backward();
  CHECK(x.grad()() == 8.0f);
  x.zero_grad();
  CHECK(x.grad()() == 0.0f);
}

TEST_CASE("NoGradGuard builds no graph", "[guards]") {
  Tensor x = Tensor::ones({4}, true);
  const long before = live_node_count();
  NoGradGuard no_grad;
  Tensor y = x * 3.0f + 1.0f;
  CHECK_FALSE(y.requires_grad());
  CHECK(y.is_leaf());
  // only y itself (plus nothing kept for backward) is alive
  CHECK(live_node_count() - before == 1);
}

TEST_CASE("AnomalyGuard names the op that produced a NaN", "[guards]") {
  Tensor x = Tensor::scalar(0.0f, true, "x");
  AnomalyGuard anomaly;
  CHECK_THROWS_WITH(x / x, Catch::Contains("div") && Catch::Contains("NaN"));
}

TEST_CASE("broadcasting shape errors name the op and both shapes", "[broadcast]") {
  Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({4});
  CHECK_THROWS_WITH(a + b, "add: cannot broadcast [2,3] with [4]");
}
