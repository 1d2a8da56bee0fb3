// One class of a labelled set: its own target points (class_sampler) and its part of the
// target density (class_mixture), the references of `minflow eval --label`.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "flow/class_quality.hpp"
#include "flow/evaluate.hpp"
#include "flow/exact_field.hpp"
#include "flow/labels.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
double total_weight(const GaussianMixture& m) {
  double w = 0;
  for (double lw : m.log_w)
    w += std::exp(lw);
  for (double lw : m.ring_log_w)
    w += std::exp(lw);
  return w;
}
}  // namespace

TEST_CASE("a class's mixture is its own components, renormalised", "[conditional]") {
  const double pi = 3.14159265358979323846;
  const GaussianMixture g3 = class_mixture("eight_gaussians", 3);
  REQUIRE(g3.size() == 1);
  CHECK(g3.ring_r.empty());
  CHECK(g3.mx[0] == Approx(2 * std::cos(3 * pi / 4)));
  CHECK(g3.my[0] == Approx(2 * std::sin(3 * pi / 4)));
  CHECK(g3.log_w[0] == Approx(0.0).margin(1e-12));
  const GaussianMixture r1 = class_mixture("rings", 1);
  REQUIRE(r1.ring_r.size() == 1);
  CHECK(r1.size() == 0);
  CHECK(r1.ring_r[0] == Approx(2.0));
  CHECK(r1.ring_log_w[0] == Approx(0.0).margin(1e-12));
  // Curves: every component lands in exactly one class, and each class's weights sum to 1.
  for (const char* data : {"moons", "spiral"}) {
    std::size_t components = 0;
    for (std::size_t c = 0; c < dataset_classes(data); ++c) {
      const GaussianMixture m = class_mixture(data, c);
      CHECK(m.size() > 0);
      CHECK(total_weight(m) == Approx(1.0).epsilon(1e-9));
      components += m.size();
    }
    CHECK(components == target_mixture(data).size());
  }
  CHECK_THROWS_AS(class_mixture("moons", 2), std::invalid_argument);
}

TEST_CASE("on its own class, a class's density is the whole one over the class's share",
          "[conditional]") {
  // A point on the upper moon, far from the lower one: p(x) = p0(x)/2 + p1(x)/2 ≈ p0(x)/2.
  Array<float> x = Array<float>::from_shape({1, 2});
  x(0, 0) = (0.0f - 0.5f) * 1.5f, x(0, 1) = (1.0f - 0.25f) * 1.5f;  // raw (0, 1): the top
  REQUIRE(label_points("moons", x)[0] == 0);
  const double whole = log_density(target_mixture("moons"), x)[0];
  const double upper = log_density(class_mixture("moons", 0), x)[0];
  CHECK(upper - whole == Approx(std::log(2.0)).margin(1e-6));
  // Eight Gaussians: a centre's class holds 1/8 of the weight.
  x(0, 0) = 0.0f, x(0, 1) = 2.0f;
  CHECK(log_density(class_mixture("eight_gaussians", 2), x)[0] -
            log_density(target_mixture("eight_gaussians"), x)[0] ==
        Approx(std::log(8.0)).margin(1e-6));
}

TEST_CASE("a class sampler draws only its class, the same points as class_points",
          "[conditional]") {
  Generator gen(kEvalSeed, "target");
  const Array<float> a = class_sampler("rings", 2)(gen, 300);
  for (std::size_t l : label_points("rings", a))
    CHECK(l == 2);
  const Array<float> b = class_points("rings", 2, 300, kEvalSeed);
  CHECK(std::equal(a.begin(), a.end(), b.begin()));
  CHECK_THROWS_AS(class_sampler("rings", 3), std::invalid_argument);
  CHECK(right_class_share("rings", a, 2) == 1.0);
  CHECK(right_class_share("rings", a, 0) == 0.0);
}
