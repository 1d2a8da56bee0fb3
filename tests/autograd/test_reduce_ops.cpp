// sum, mean and mse_loss: values, gradients and axis errors.
#include <catch2/catch.hpp>

#include <vector>

#include "autograd/ops.hpp"
#include "iota.hpp"

using namespace minflow;

using minflow::testing::flat;
using minflow::testing::iota;

TEST_CASE("sum of everything is rank 0 and sends its gradient to every element", "[ops][reduce]") {
  DTensor a = iota({2, 3});
  DTensor s = sum(a);
  CHECK(s.dim() == 0);
  CHECK(s.item() == 15.0);
  s.backward(Array<double>(2.5));
  CHECK(flat(a.grad()) == std::vector<double>(6, 2.5));
}

TEST_CASE("sum over axes, with and without keep_dims", "[ops][reduce]") {
  DTensor a = iota({2, 3, 4});
  DTensor s1 = sum(a, {1});
  CHECK(s1.shape() == Shape{2, 4});
  CHECK(flat(s1.value()) == std::vector<double>{12, 15, 18, 21, 48, 51, 54, 57});
  DTensor s02 = sum(a, {0, 2}, true);
  CHECK(s02.shape() == Shape{1, 3, 1});
  CHECK(flat(s02.value()) == std::vector<double>{60, 92, 124});
  Array<double> seed = Array<double>::from_shape({1, 3, 1});
  seed(0, 0, 0) = 1.0;
  seed(0, 1, 0) = -2.0;
  seed(0, 2, 0) = 0.5;
  s02.backward(seed);
  const Array<double> g = a.grad();
  CHECK(g(0, 0, 0) == 1.0);
  CHECK(g(1, 1, 3) == -2.0);
  CHECK(g(0, 2, 2) == 0.5);
  CHECK(sum(a, {}).shape() == a.shape());  // NumPy: no axes, nothing reduced
}

TEST_CASE("mean divides by the number of elements reduced", "[ops][reduce]") {
  DTensor a = iota({2, 3});
  CHECK(mean(a).item() == 2.5);
  DTensor m = mean(a, {0});
  CHECK(flat(m.value()) == std::vector<double>{1.5, 2.5, 3.5});
  m.backward(Array<double>{2.0, 4.0, 6.0});
  CHECK(flat(a.grad()) == std::vector<double>{1, 2, 3, 1, 2, 3});
  DTensor mk = mean(iota({2, 3}), {1}, true);
  CHECK(mk.shape() == Shape{2, 1});
  CHECK(flat(mk.value()) == std::vector<double>{1, 4});
}

TEST_CASE("reduction axes are checked", "[ops][reduce]") {
  CHECK_THROWS_WITH(sum(iota({2, 3}), {2}),
                    "sum: axis 2 out of range for [2,3] (valid axes: -2 to 1)");
  CHECK_THROWS_WITH(mean(iota({2, 3}), {1, 1}), "mean: axis 1 listed twice for [2,3]");
}

TEST_CASE("mse_loss is the mean squared difference, with gradients for both sides",
          "[ops][reduce]") {
  DTensor p = DTensor::from_vector({1.0, 2.0, 3.0, 4.0, 5.0, 6.0}, {2, 3}, true);
  DTensor t = DTensor::from_vector({1.5, 2.0, 1.0, 4.0, 8.0, 6.0}, {2, 3}, true);
  DTensor loss = mse_loss(p, t);
  CHECK(loss.dim() == 0);
  // differences −0.5, 0, 2, 0, −3, 0 → (0.25 + 4 + 9) / 6
  CHECK(loss.item() == Approx(13.25 / 6));
  loss.backward(Array<double>(3.0));
  // dL/dp = 3 · 2(p − t)/6 = p − t
  CHECK(flat(p.grad()) == std::vector<double>{-0.5, 0, 2, 0, -3, 0});
  CHECK(flat(t.grad()) == std::vector<double>{0.5, 0, -2, 0, 3, 0});
  CHECK_THROWS_WITH(
      mse_loss(p, iota({3, 2})),
      "mse_loss: pred has shape [2,3] but target has shape [3,2]; they must be equal");
}

TEST_CASE("reductions in float", "[ops][reduce]") {
  Tensor x = Tensor::full({1000, 3}, 0.1f, true);
  Tensor m = mean(x, {0});
  CHECK(m.value()(1) == Approx(0.1f));
  sum(m).backward();
  CHECK(x.grad()(999, 2) == Approx(1e-3f));
}
