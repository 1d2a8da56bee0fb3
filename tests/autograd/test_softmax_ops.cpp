// logsumexp, softmax and log_softmax: values with closed forms, gradients against the
// formulas in ops_softmax.cpp, and inputs of ±1000 (where the naive forms overflow).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "iota.hpp"

using namespace minflow;

using minflow::testing::flat;

namespace {
const double ln2 = std::log(2.0), ln3 = std::log(3.0);

void check_near(const Array<double>& got, const std::vector<double>& want, double tol = 1e-12) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("element " << i);
    CHECK(got.data()[i] == Approx(want[i]).margin(tol));
  }
}
}  // namespace

TEST_CASE("softmax of log(1), log(2), log(3) is 1/6, 2/6, 3/6; its gradient p(g − Σgp)",
          "[ops][softmax]") {
  DTensor x = DTensor::from_vector({0.0, ln2, ln3}, {3}, true);
  DTensor p = softmax(x, 0);
  check_near(p.value(), {1.0 / 6, 2.0 / 6, 3.0 / 6});
  // g = [1, 0, −1]: Σ g·p = −1/3, so dx = p·(g + 1/3) = [2/9, 1/9, −1/3].
  p.backward(Array<double>{1.0, 0.0, -1.0});
  check_near(x.grad(), {2.0 / 9, 1.0 / 9, -1.0 / 3});
}

TEST_CASE("log_softmax is x − logsumexp(x); its gradient g − p·Σg", "[ops][softmax]") {
  DTensor x = DTensor::from_vector({0.0, ln2, ln3, ln3, ln2, 0.0}, {2, 3}, true);
  DTensor y = log_softmax(x, -1);
  const double l6 = std::log(6.0);
  check_near(y.value(), {-l6, ln2 - l6, ln3 - l6, ln3 - l6, ln2 - l6, -l6});
  y.backward(Array<double>{{1.0, 0.0, 0.0}, {0.0, 0.0, 2.0}});
  // Row 0: [1,0,0] − 1·[1/6,2/6,3/6]; row 1: [0,0,2] − 2·[3/6,2/6,1/6].
  check_near(x.grad(), {5.0 / 6, -1.0 / 3, -1.0 / 2, -1.0, -2.0 / 3, 5.0 / 3});
}

TEST_CASE("logsumexp along an axis; its gradient is g times the softmax", "[ops][softmax]") {
  DTensor x = DTensor::from_vector({0.0, ln3, ln2, ln2, ln2, 0.0}, {2, 3}, true);
  DTensor l = logsumexp(x, 0, true);  // columns: [1+2, 3+2, 2+1] → ln 3, ln 5, ln 3
  REQUIRE(l.shape() == Shape{1, 3});
  check_near(l.value(), {ln3, std::log(5.0), ln3});
  l.backward(Array<double>{{3.0, -5.0, 6.0}});
  check_near(x.grad(), {3.0 / 3, -5.0 * 3 / 5, 6.0 * 2 / 3, 3.0 * 2 / 3, -5.0 * 2 / 5, 6.0 / 3});
  CHECK(logsumexp(x, -1).shape() == Shape{2});
}

TEST_CASE("the softmax family is stable at ±1000", "[ops][softmax]") {
  DTensor big = DTensor::from_vector({1000.0, 1000.0, -1000.0, -1000.0 + ln3}, {2, 2}, true);
  check_near(softmax(big, 1).value(), {0.5, 0.5, 0.25, 0.75});
  check_near(logsumexp(big, 1).value(), {1000.0 + ln2, -1000.0 + std::log(4.0)}, 1e-9);
  DTensor far = DTensor::from_vector({1000.0, -1000.0}, {2}, true);
  DTensor y = log_softmax(far, 0);
  check_near(y.value(), {0.0, -2000.0}, 1e-9);  // log(1 + e^−2000) underflows to 0
  y.backward(Array<double>{1.0, 2.0});
  check_near(far.grad(), {1.0 - 3.0, 2.0}, 1e-9);  // g − p·Σg with p = [1, 0]
  // In float as well: no Inf, no NaN.
  Tensor f = Tensor::from_vector({1000.0f, -1000.0f, 999.0f}, {3}, true);
  Tensor sf = softmax(f, 0);
  sum(sf * sf).backward();
  for (float v : f.grad())
    CHECK(std::isfinite(v));
  CHECK(sf.value()(1) == 0.0f);
  // An all −∞ slice: logsumexp is −∞, not NaN.
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(logsumexp(DTensor::from_vector({-inf, -inf}, {2}), 0).item() == -inf);
}

TEST_CASE("gradcheck of the softmax family around ±1000", "[ops][softmax]") {
  DTensor x = DTensor::from_vector({1000.0, 1000.5, 999.2, -1000.0, -999.1, -1000.7}, {2, 3}, true);
  auto f = [](const std::vector<DTensor>& in) {
    return softmax(in[0], 1) * log_softmax(in[0], -1) + logsumexp(in[0], 1, true);
  };
  GradcheckOptions options;
  options.eps = 1e-4;  // values near 1000 need a step well above their rounding (1e-13)
  CHECK(gradcheck(f, {x}, options).ok);
}
