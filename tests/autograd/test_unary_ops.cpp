// Forward values and gradients of pow, exp, log, sqrt, square and abs against numbers worked
// out by hand (or from <cmath> element by element), on a 2x3 input with an upstream gradient
// that is not all ones.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <vector>

#include "autograd/grad_mode.hpp"
#include "autograd/ops.hpp"

using namespace minflow;

namespace {

const Shape kShape{2, 3};
const Array<double> kSeed = {{1.0, -2.0, 0.5}, {3.0, 0.25, -1.0}};

void check_close(const Array<double>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << i);
    CHECK(actual.data()[i] == Approx(expected[i]).epsilon(1e-12).margin(1e-14));
  }
}

// Runs op on x (shape 2x3), backward with kSeed, and checks y and dL/dx = seed·f'(x).
void check_op(const std::function<DTensor(const DTensor&)>& op, const std::vector<double>& x,
              const std::vector<double>& y, const std::vector<double>& dy_dx) {
  DTensor t = DTensor::from_vector(x, kShape, true, "x");
  DTensor out = op(t);
  CHECK(out.shape() == kShape);
  check_close(out.value(), y);
  out.backward(kSeed);
  std::vector<double> grad(6);
  for (std::size_t i = 0; i < 6; ++i)
    grad[i] = kSeed.data()[i] * dy_dx[i];
  check_close(t.grad(), grad);
}

}  // namespace

TEST_CASE("pow with integer, fractional, negative and zero exponents", "[ops][unary]") {
  const std::vector<double> x{1.0, 2.0, 3.0, 0.5, 4.0, -1.0};
  check_op([](const DTensor& t) { return pow(t, 3.0); }, x, {1, 8, 27, 0.125, 64, -1},
           {3, 12, 27, 0.75, 48, 3});
  check_op([](const DTensor& t) { return pow(t, 2.0); }, x, {1, 4, 9, 0.25, 16, 1},
           {2, 4, 6, 1, 8, -2});
  check_op([](const DTensor& t) { return pow(t, 0.0); }, x, {1, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 0, 0});
  const std::vector<double> pos{1.0, 4.0, 9.0, 0.25, 16.0, 2.0};
  check_op([](const DTensor& t) { return pow(t, 0.5); }, pos, {1, 2, 3, 0.5, 4, std::sqrt(2.0)},
           {0.5, 0.25, 1.0 / 6, 1.0, 0.125, 0.5 / std::sqrt(2.0)});
  check_op([](const DTensor& t) { return pow(t, -1.0); }, pos, {1, 0.25, 1.0 / 9, 4, 0.0625, 0.5},
           {-1, -1.0 / 16, -1.0 / 81, -16, -1.0 / 256, -0.25});
}

TEST_CASE("exp and log", "[ops][unary]") {
  const std::vector<double> x{0.0, 1.0, -1.0, 2.0, 0.5, -3.0};
  std::vector<double> ex;
  for (double v : x)
    ex.push_back(std::exp(v));
  check_op([](const DTensor& t) { return exp(t); }, x, ex, ex);
  const std::vector<double> pos{1.0, std::exp(1.0), 0.5, 2.0, 10.0, 0.1};
  std::vector<double> lg, inv;
  for (double v : pos) {
    lg.push_back(std::log(v));
    inv.push_back(1.0 / v);
  }
  check_op([](const DTensor& t) { return log(t); }, pos, lg, inv);
  CHECK(lg[1] == Approx(1.0));
}

TEST_CASE("sqrt, square and abs", "[ops][unary]") {
  check_op([](const DTensor& t) { return sqrt(t); }, {1, 4, 9, 0.25, 16, 0.01},
           {1, 2, 3, 0.5, 4, 0.1}, {0.5, 0.25, 1.0 / 6, 1.0, 0.125, 5.0});
  check_op([](const DTensor& t) { return square(t); }, {1, -2, 3, 0.5, -4, 0},
           {1, 4, 9, 0.25, 16, 0}, {2, -4, 6, 1, -8, 0});
  // abs: sign(x), 0 at the kink.
  check_op([](const DTensor& t) { return abs(t); }, {1, -2, 3, -0.5, 0, -1e-3},
           {1, 2, 3, 0.5, 0, 1e-3}, {1, -1, 1, -1, 0, -1});
}

TEST_CASE("unary ops run in float and build no graph under NoGradGuard", "[ops][unary]") {
  Tensor x = Tensor::from_vector({0.25f, 1.0f, 4.0f}, {3}, true);
  Tensor y = sqrt(exp(log(square(x))));  // |x|
  CHECK(y.value()(2) == Approx(4.0f));
  y.backward(Array<float>{1.0f, 1.0f, 1.0f});
  CHECK(x.grad()(0) == Approx(1.0f));
  NoGradGuard no_grad;
  const long before = live_node_count();
  Tensor z = abs(pow(x, 2.0f));
  CHECK(z.is_leaf());
  CHECK(live_node_count() - before == 1);
}
