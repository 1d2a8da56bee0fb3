// Chapters 3–5: the spiral, the training batch, the loss, the Euler step.
#include <catch2/catch.hpp>

#include "course_test.hpp"
#include "flow/coupling.hpp"
#include "flow/datasets.hpp"
#include "flow/integrators.hpp"
#include "linear_field.hpp"

using namespace minflow;
using namespace minflow::flow;
using course::max_diff;

TEST_CASE("exercise 3.1: the spiral sampler", "[ex3.1]") {
  const double pi = 3.14159265358979323846;
  for (double scale : {1.0, 2.5}) {
    Generator gen(11, "data"), ref(11, "data");
    const Array<float> x = spiral(gen, 600, scale);
    Array<float> expect = Array<float>::from_shape({600, 2});
    for (std::size_t i = 0; i < 600; ++i) {
      const double theta = ref.uniform(0.0, 6 * pi), r = scale * theta / (2 * pi);
      const double nx = ref.normal(), ny = ref.normal();
      expect(i, 0) = float(r * std::cos(theta) + 0.1 * scale * nx);
      expect(i, 1) = float(r * std::sin(theta) + 0.1 * scale * ny);
    }
    if (max_diff(x, expect) > 0) {
      // Say what is wrong in terms of the shape: the radius against the angle.
      double far = 0;
      for (std::size_t i = 0; i < 600; ++i)
        far = std::max(far, double(std::hypot(x(i, 0), x(i, 1))));
      FAIL("scale " << scale << ": point 0 is (" << x(0, 0) << ", " << x(0, 1)
                    << "), the reference draws give (" << expect(0, 0) << ", " << expect(0, 1)
                    << "). Draw θ = g.uniform(0, 6π) first, then nx = g.normal(), ny = "
                       "g.normal(); r = scale·θ/(2π), noise 0.1·scale. Your farthest point is at "
                    << far << ", the spiral's outer end at " << 3 * scale);
    }
  }
}

TEST_CASE("exercise 3.2: x_t and its velocity", "[ex3.2]") {
  const Array<float> x0 = Tensor::from_vector({0, 0, 1, -1, -2, 0.5f}, {3, 2}).value();
  const Array<float> x1 = Tensor::from_vector({2, 4, 1, 1, 0, -0.5f}, {3, 2}).value();
  Generator gen(3, "time"), ref(3, "time");
  const TimeSampler time = uniform_time();
  const FlowBatch b = make_flow_batch(x0, x1, time, gen);
  for (std::size_t i = 0; i < 3; ++i) {
    const float t = float(time.sample(ref));
    INFO("row " << i << ": t must be the row's draw time.sample(gen), in row order");
    REQUIRE(b.t(i, 0) == t);
    for (std::size_t j = 0; j < 2; ++j) {
      const float xt = (1 - t) * x0(i, j) + t * x1(i, j), u = x1(i, j) - x0(i, j);
      if (std::abs(b.xt(i, j) - (t * x0(i, j) + (1 - t) * x1(i, j))) < 1e-6f &&
          std::abs(xt - b.xt(i, j)) > 1e-6f)
        FAIL(
            "x_t runs backwards: at t = 0 it must be x0 (noise) and at t = 1 x1 (data), "
            "x_t = (1 − t)·x0 + t·x1");
      INFO("row " << i << " at t = " << t << ": x_t should be " << xt << ", got " << b.xt(i, j));
      CHECK(std::abs(b.xt(i, j) - xt) < 1e-6f);
      if (std::abs(b.u(i, j) - b.xt(i, j)) < 1e-7f && std::abs(u - xt) > 1e-6f)
        FAIL("u is the velocity dx_t/dt = x1 − x0, not the position x_t");
      INFO("row " << i << ": u = dx_t/dt should be x1 − x0 = " << u << ", got " << b.u(i, j));
      CHECK(std::abs(b.u(i, j) - u) < 1e-6f);
    }
  }
  INFO("x0 and x1 of different shapes must throw std::invalid_argument");
  CHECK_THROWS_AS(make_flow_batch(x0, Array<float>::from_shape({2, 2}), time, gen),
                  std::invalid_argument);
}

TEST_CASE("exercise 4.1: the flow-matching loss", "[ex4.1]") {
  course::LinearField net;
  FlowBatch batch{Tensor::from_vector({0.2f, 0.9f}, {2, 1}).value(),
                  Tensor::from_vector({1, -1, 0.5f, 2}, {2, 2}).value(),
                  Tensor::from_vector({0.3f, 1, -2, 0.5f}, {2, 2}).value()};
  // v = [x, t]·W by hand, then the mean of the 4 squared differences.
  const float w[3][2] = {{0.5f, -1}, {1, 0.25f}, {0.3f, -0.6f}};
  double sum = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    const float in[3] = {batch.xt(i, 0), batch.xt(i, 1), batch.t(i, 0)};
    for (std::size_t j = 0; j < 2; ++j) {
      const double v = in[0] * w[0][j] + in[1] * w[1][j] + in[2] * w[2][j];
      sum += (v - batch.u(i, j)) * (v - batch.u(i, j));
    }
  }
  const Tensor loss = flow_matching_loss(net, batch);
  const double got = loss.item();
  if (std::abs(got - sum) < 1e-5)
    FAIL("the loss is the sum of the squared errors ("
         << got
         << "): take the MEAN over rows and "
            "coordinates, "
         << sum / 4 << ", so that it does not grow with the batch");
  INFO("mean of (v_θ(x_t, t) − u)² should be " << sum / 4 << ", got " << got);
  CHECK(std::abs(got - sum / 4) < 1e-5);
  INFO("the loss must carry the graph back to the net's weights (build it from tensor ops)");
  CHECK(loss.requires_grad());
}

namespace {
// dx/dt = x·cos(t) from x(0) = 1: x(t) = e^(sin t). Not linear in t, so every method
// shows its true order.
VelocityField<double> growth() {
  return [](const Array<double>& x, double t) { return Array<double>(x * std::cos(t)); };
}
double error_at_one(Solver solver, std::size_t steps) {
  IntegrateOptions o;
  o.solver = solver;
  o.steps = steps;
  const Array<double> x0(Shape{1, 2}, 1.0);
  return std::abs(integrate(growth(), x0, o).x(0, 0) - std::exp(std::sin(1.0)));
}
}  // namespace

TEST_CASE("exercise 5.1: the Euler step", "[ex5.1]") {
  // One step by hand: x + h·v(x, t).
  IntegrateOptions o;
  o.steps = 1;
  const VelocityField<double> v = [](const Array<double>& x, double t) {
    return Array<double>(x * 2.0 + t + 1.0);
  };
  const Array<double> x0(Shape{1, 2}, 3.0);
  const double got = integrate(v, x0, o).x(0, 0);
  if (got == 3.0) FAIL("the Euler step returned x unchanged: it is x + h·v(x, t)");
  INFO("one step from x = 3 at t = 0 with h = 1 and v = 2x + t + 1 gives 3 + 7 = 10, got " << got);
  CHECK(std::abs(got - 10.0) < 1e-12);
  // Backwards (h < 0) from t = 1: 3 − (2·3 + 1 + 1) = −5.
  o.reverse = true;
  INFO("integrating backwards, h = −1 and the slope is taken at t = 1: 3 − 8 = −5");
  CHECK(std::abs(integrate(v, x0, o).x(0, 0) + 5.0) < 1e-12);
  const double e1 = error_at_one(Solver::euler, 100), e2 = error_at_one(Solver::euler, 200);
  const double order = std::log2(e1 / e2);
  INFO("your Euler step converges with order " << order << " (the error at t = 1 goes from " << e1
                                               << " to " << e2
                                               << " when h halves); Euler's order is 1");
  CHECK(std::abs(order - 1.0) < 0.1);
}
