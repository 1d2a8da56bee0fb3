#include <catch2/catch.hpp>

#include "base/random.hpp"
#include "flow/datasets.hpp"
#include "flow/metrics.hpp"

using namespace minflow;
using namespace minflow::flow;

TEST_CASE("energy distance of a sample with itself is zero", "[metrics]") {
  Generator gen(1, "test");
  Array<float> x = spiral(gen, 500);
  CHECK(energy_distance(x, x) == Approx(0.0).margin(1e-12));
  CHECK(sliced_w2(x, x) == Approx(0.0).margin(1e-12));
}

TEST_CASE("energy distance between samples of one distribution shrinks with n", "[metrics]") {
  Generator gen(2, "test");
  const double small = energy_distance(spiral(gen, 200), spiral(gen, 200));
  const double large = energy_distance(spiral(gen, 2000), spiral(gen, 2000));
  CHECK(small > 0.0);
  CHECK(large < small / 3.0);  // the V-statistic's bias falls like 1/n
}

TEST_CASE("different distributions are clearly apart", "[metrics]") {
  Generator gen(3, "test");
  Array<float> noise = gaussian(gen, 1000), target = spiral(gen, 1000), other = spiral(gen, 1000);
  const double floor = energy_distance(target, other);
  CHECK(energy_distance(noise, target) > 20 * floor);
  // Projections of a Gaussian and of the spiral look alike, so the sliced distance is
  // less sensitive than the energy distance here.
  CHECK(sliced_w2(noise, target) > 3 * sliced_w2(target, other));
}

TEST_CASE("straightness is zero for a constant field", "[metrics]") {
  VelocityField<float> constant = [](const Array<float>& x, double) {
    Array<float> v = Array<float>::from_shape(x.shape());
    for (std::size_t i = 0; i < x.shape()[0]; ++i) {
      v(i, 0) = 0.5f;
      v(i, 1) = -1.25f;
    }
    return v;
  };
  Generator gen(4, "test");
  CHECK(straightness(constant, gaussian(gen, 100)) == Approx(0.0).margin(1e-9));
  // A rotation is anything but straight.
  VelocityField<float> rotation = [](const Array<float>& x, double) {
    Array<float> v = Array<float>::from_shape(x.shape());
    for (std::size_t i = 0; i < x.shape()[0]; ++i) {
      v(i, 0) = -3 * x(i, 1);
      v(i, 1) = 3 * x(i, 0);
    }
    return v;
  };
  CHECK(straightness(rotation, gaussian(gen, 100)) > 1.0);
}

TEST_CASE("metrics reject malformed point sets", "[metrics]") {
  Array<float> bad = Array<float>::from_shape({3, 3});
  Array<float> good = Array<float>::from_shape({3, 2});
  CHECK_THROWS_WITH(energy_distance(bad, good), Catch::Contains("[3,3]"));
  Array<float> other = Array<float>::from_shape({4, 2});
  CHECK_THROWS_WITH(sliced_w2(good, other), Catch::Contains("rows"));
}
