// Chapters 8 and 9: the reflow pairs, straightness, the energy distance.
#include <catch2/catch.hpp>

#include "course_test.hpp"
#include "flow/datasets.hpp"
#include "flow/metrics.hpp"
#include "flow/reflow.hpp"
#include "flow/velocity_net.hpp"
#include "linear_field.hpp"

using namespace minflow;
using namespace minflow::flow;
using course::max_diff;

TEST_CASE("exercise 8.1: the reflow pairs", "[ex8.1]") {
  course::LinearField teacher;
  // Midpoint is not an exercise: the test needs no integrator exercise.
  const TeacherSettings settings{Solver::midpoint, 4};
  const PairSource source = teacher_pairs(teacher, settings);
  TrainState state;
  state.generators.emplace("pairs", Generator(21, "pairs"));
  Array<float> x0, x1;
  source(5, state, x0, x1);

  Generator ref(21, "pairs");
  const Array<float> expect0 = gaussian(ref, 5);
  const VelocityField<float> v = velocity_field(teacher);
  Array<float> expect1 = expect0;
  for (int k = 0; k < 4; ++k) {  // midpoint by hand, h = 1/4
    const double t = k / 4.0, h = 0.25;
    expect1 = axpy(expect1, h, v(axpy(expect1, h / 2, v(expect1, t)), t + h / 2));
  }
  if (max_diff(x0, expect0) > 0)
    FAIL(
        "x0 must be gaussian(state.generators.at(\"pairs\"), batch): the noise, drawn from "
        "the run's pairs stream so that a resumed run draws the same pairs");
  if (max_diff(x1, x0) == 0)
    FAIL("x1 equals x0: the pair is (x0, Φ(x0)), the teacher's ODE solution from x0");
  INFO("x1 must be the teacher's solution from x0 (its solver and steps, teacher_solution)");
  CHECK(max_diff(x1, expect1) < 1e-6);
}

TEST_CASE("exercise 8.2: straightness", "[ex8.2]") {
  const Array<float> x0 = Tensor::from_vector({0, 0, 1, -1, 2, 0.5f}, {3, 2}).value();
  // A constant field: straight paths at constant speed, S = 0.
  const VelocityField<float> constant = [](const Array<float>& x, double) {
    Array<float> v = Array<float>::from_shape(x.shape());
    for (std::size_t i = 0; i < v.size(); ++i)
      v.data()[i] = i % 2 ? -1.0f : 2.0f;
    return v;
  };
  const double s0 = straightness(constant, x0, 10);
  INFO("a constant field moves in straight lines at constant speed: S = 0, got " << s0);
  CHECK(std::abs(s0) < 1e-10);
  // v = (2t, 0): straight but accelerating. Euler with h = 1/N: v_k = 2k/N, x_N − x_0 =
  // Σ h·v_k = (N − 1)/N, S = mean over k of ((N − 1)/N − 2k/N)².
  const VelocityField<float> speeding = [](const Array<float>& x, double t) {
    Array<float> v = Array<float>::from_shape(x.shape());
    for (std::size_t i = 0; i < v.size(); ++i)
      v.data()[i] = i % 2 ? 0.0f : float(2 * t);
    return v;
  };
  const std::size_t n = 10;
  double expect = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double d = double(n - 1) / n - 2.0 * double(k) / n;
    expect += d * d / n;
  }
  const double got = straightness(speeding, x0, n);
  if (got == 0)
    FAIL(
        "S = 0 for v = (2t, 0): the path is a straight line but its speed changes, and "
        "straightness compares every velocity with the one displacement x_N − x_0");
  INFO("for v = (2t, 0) with 10 Euler steps S = " << expect << ", got " << got);
  CHECK(std::abs(got - expect) < 1e-6);
}

TEST_CASE("exercise 9.1: the energy distance", "[ex9.1]") {
  auto points = [](std::vector<float> v) {
    return Tensor::from_vector(v, {v.size() / 2, 2}).value();
  };
  // One point each, 5 apart: 2·5 − 0 − 0.
  const double one = energy_distance(points({0, 0}), points({3, 4}));
  if (one == 0) FAIL("the energy distance of (0,0) and (3,4) is 2·5 = 10, yours is 0");
  INFO("ED({(0,0)}, {(3,4)}) = 2·‖x − y‖ = 10, got " << one);
  CHECK(std::abs(one - 10) < 1e-12);
  INFO("the same set twice has ED = 0");
  CHECK(std::abs(energy_distance(points({0, 0, 1, 0, 2, 3}), points({0, 0, 1, 0, 2, 3}))) < 1e-12);
  // X = {(0,0), (2,0)}, Y = {(1,0)}: E‖X − Y‖ = 1, E‖X − X'‖ = (0 + 2 + 2 + 0)/4 = 1 (the
  // zero diagonal included), E‖Y − Y'‖ = 0.
  const double ed = energy_distance(points({0, 0, 2, 0}), points({1, 0}));
  if (std::abs(ed - 0.0) < 1e-12)
    FAIL(
        "ED({(0,0),(2,0)}, {(1,0)}) = 2·1 − 1 − 0 = 1, yours is 0: E‖X − X'‖ averages over "
        "all n² pairs, the zero diagonal included (n(n − 1) pairs gives 2, not 1)");
  INFO("ED({(0,0),(2,0)}, {(1,0)}) = 2·1 − 1 − 0 = 1, got " << ed);
  CHECK(std::abs(ed - 1) < 1e-12);
  // Many points (several threads' work) against brute force.
  Generator gen(4, "data");
  const Array<float> x = gaussian(gen, 300), y = gaussian(gen, 200, 2.0);
  auto mean = [](const Array<float>& a, const Array<float>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.shape()[0]; ++i)
      for (std::size_t j = 0; j < b.shape()[0]; ++j)
        s += std::hypot(double(a(i, 0)) - b(j, 0), double(a(i, 1)) - b(j, 1));
    return s / double(a.shape()[0] * b.shape()[0]);
  };
  const double brute = 2 * mean(x, y) - mean(x, x) - mean(y, y);
  INFO("300 and 200 points: brute force gives " << brute << ", yours " << energy_distance(x, y));
  CHECK(std::abs(energy_distance(x, y) - brute) < 1e-9);
}
