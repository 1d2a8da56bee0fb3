// micrograd's README example: the same expression must give the same numbers here.
#include <catch2/catch.hpp>

#include "autograd/ops.hpp"

using namespace minflow;

TEST_CASE("micrograd README golden numbers", "[golden]") {
  DTensor a = DTensor::scalar(-4.0, true, "a");
  DTensor b = DTensor::scalar(2.0, true, "b");
  DTensor c = a + b;
  DTensor d = a * b + pow(b, 3.0);
  c = c + c + 1.0;
  c = c + 1.0 + c + (-a);
  d = d + d * 2.0 + relu(b + a);
  d = d + 3.0 * d + relu(b - a);
  DTensor e = c - d;
  DTensor f = pow(e, 2.0);
  DTensor g = f / 2.0;
  g = g + 10.0 / f;
  INFO("g = " << g.item());
  CHECK(g.item() == Approx(24.7041).margin(5e-5));
  g.backward();
  CHECK(a.grad()() == Approx(138.8338).margin(5e-5));
  CHECK(b.grad()() == Approx(645.5773).margin(5e-5));
}
