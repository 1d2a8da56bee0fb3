#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "flow/class_quality.hpp"
#include "flow/conditional.hpp"
#include "flow/datasets.hpp"
#include "flow/labels.hpp"
#include "flow/trainer.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
Array<float> at(std::vector<std::pair<float, float>> pts) {
  Array<float> x = Array<float>::from_shape({pts.size(), 2});
  for (std::size_t i = 0; i < pts.size(); ++i)
    x(i, 0) = pts[i].first, x(i, 1) = pts[i].second;
  return x;
}

std::vector<double> shares(const std::string& data, std::size_t n) {
  Generator gen(5, "labels");
  const LabelledPoints p = sample_labelled(data, gen, n);
  std::vector<double> s(dataset_classes(data), 0.0);
  for (std::size_t l : p.labels)
    s.at(l) += 1.0 / double(n);
  return s;
}
}  // namespace

TEST_CASE("points on a component get that component's class", "[conditional]") {
  CHECK(label_points("eight_gaussians", at({{2, 0}, {0, 2}, {-1.4f, -1.4f}, {1.9f, -0.3f}})) ==
        std::vector<std::size_t>{0, 2, 5, 0});
  CHECK(label_points("rings", at({{0.9f, 0}, {0, -2.1f}, {2.1f, 2.1f}})) ==
        std::vector<std::size_t>{0, 1, 2});
  // Moons: the top of the upper moon is raw (0, 1) → (−0.75, 1.125); the bottom of the
  // lower moon raw (1, −0.5) → (0.75, −1.125).
  CHECK(label_points("moons", at({{-0.75f, 1.125f}, {0.75f, -1.125f}})) ==
        std::vector<std::size_t>{0, 1});
  // Spiral: θ = π/2 + 2πj is at radius 1/4 + j, straight up.
  CHECK(label_points("spiral", at({{0, 0.25f}, {0, 1.25f}, {0, 2.25f}})) ==
        std::vector<std::size_t>{0, 1, 2});
  CHECK_THROWS_WITH(label_points("checkerboard", at({{0, 0}})), Catch::Contains("no classes"));
}

TEST_CASE("class shares match each set's mixture weights", "[conditional]") {
  const std::size_t n = 40000;  // standard error of a share ≤ 0.0025
  for (double s : shares("eight_gaussians", n))
    CHECK(s == Approx(1.0 / 8).margin(0.01));
  const auto rings = shares("rings", n);  // ∝ circumference: 1/6, 2/6, 3/6
  for (std::size_t k = 0; k < 3; ++k)
    CHECK(rings[k] == Approx((k + 1) / 6.0).margin(0.01));
  for (double s : shares("moons", n))
    CHECK(s == Approx(0.5).margin(0.01));
  for (double s : shares("spiral", n))  // θ uniform: a third per turn
    CHECK(s == Approx(1.0 / 3).margin(0.015));
}

TEST_CASE("one-hot labels with a no-label slot", "[conditional]") {
  const Array<float> h = one_hot({0, 2, 3}, 3);
  REQUIRE(h.shape()[1] == 4);
  CHECK(h(0, 0) == 1.0f);
  CHECK(h(1, 2) == 1.0f);
  CHECK(h(2, 3) == 1.0f);  // "no label"
  float sum = 0;
  for (float v : h)
    sum += v;
  CHECK(sum == 3.0f);
  CHECK_THROWS_WITH(one_hot({4}, 3), Catch::Contains("outside 0..3"));
}

TEST_CASE("both guidance spellings give the same samples", "[conditional]") {
  TrainSettings s;
  s.net = conditional_net_spec(8, 16, 2);
  s.steps = 30;
  s.batch = 128;
  s.data = "eight_gaussians";
  TrainState state = new_train_state(s);
  train_batches(state, s, conditional_batches("eight_gaussians", 0.1, s.time), {});
  Generator gen(1, "x0");
  const Array<float> x0 = gaussian(gen, 300);
  IntegrateOptions euler;
  euler.steps = 20;
  for (double w : {0.0, 1.0, 2.0, 4.0}) {
    const Array<float> a = integrate(guided_field(*state.net, 8, 3, w), x0, euler).x;
    const Array<float> b = integrate(guided_field_prime(*state.net, 8, 3, w - 1.0), x0, euler).x;
    for (std::size_t i = 0; i < a.size(); ++i)
      REQUIRE(a.data()[i] == Approx(b.data()[i]).margin(1e-5));
  }
  // w = 0 is the unconditional field: the label does not matter.
  const Array<float> u3 = integrate(guided_field(*state.net, 8, 3, 0.0), x0, euler).x;
  const Array<float> u5 = integrate(guided_field(*state.net, 8, 5, 0.0), x0, euler).x;
  CHECK(bool(u3 == u5));
}

TEST_CASE("a conditional flow puts most samples in the asked class", "[conditional]") {
  TrainSettings s;
  s.net = conditional_net_spec(8, 32, 2);
  s.steps = 600;
  s.batch = 256;
  s.lr = 3e-3;
  s.data = "eight_gaussians";
  TrainState state = new_train_state(s);
  train_batches(state, s, conditional_batches("eight_gaussians", 0.1, s.time), {});
  Generator gen(2, "x0");
  const Array<float> x0 = gaussian(gen, 400);
  IntegrateOptions euler;
  euler.steps = 20;
  std::vector<double> right;
  for (double w : {0.0, 1.0}) {
    const Array<float> x = integrate(guided_field(*state.net, 8, 6, w), x0, euler).x;
    double share = 0;
    for (std::size_t l : label_points("eight_gaussians", x))
      share += (l == 6) / 400.0;
    right.push_back(share);
  }
  INFO("right class: w = 0 " << right[0] << ", w = 1 " << right[1]);
  CHECK(right[0] < 0.3);  // unconditional: about 1/8
  CHECK(right[1] > 0.8);
}

TEST_CASE("class points all carry their class", "[conditional]") {
  const Array<float> p = class_points("rings", 1, 300, 9);
  for (std::size_t l : label_points("rings", p))
    CHECK(l == 1);
}
