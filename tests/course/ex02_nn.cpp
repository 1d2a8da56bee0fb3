// Chapter 2's exercises: initialisation, the Adam step, gradient clipping, the schedule.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "course_test.hpp"
#include "nn/adam.hpp"
#include "nn/clip_grad.hpp"
#include "nn/init.hpp"
#include "nn/lr_schedule.hpp"

using namespace minflow;
using course::max_diff;
using course::values;

namespace {
double max_abs(const Array<float>& a) {
  double m = 0;
  for (float v : a)
    m = std::max(m, std::abs(double(v)));
  return m;
}
}  // namespace

TEST_CASE("exercise 2.1: Linear's initialisation", "[ex2.1]") {
  const std::size_t in = 40, out = 24;
  struct Case {
    nn::Init init;
    double bound;
    bool bias_drawn;
    const char* formula;
  };
  const Case cases[] = {
      {nn::Init::torch_default, 1 / std::sqrt(40.0), true, "1/√fan_in for W and b"},
      {nn::Init::xavier, std::sqrt(6.0 / 64), false, "√(6/(fan_in + fan_out)), b = 0"},
      {nn::Init::kaiming, std::sqrt(6.0 / 40), false, "√(6/fan_in), b = 0"},
  };
  for (const Case& c : cases) {
    Generator gen(5, "init"), ref(5, "init");
    const nn::LinearInit got = nn::init_linear(in, out, c.init, gen);
    const Shape ws(got.weight.shape().begin(), got.weight.shape().end());
    if (ws != Shape{out, in})
      FAIL("the weight must be [fan_out, fan_in] = [24,40] (PyTorch's layout), yours is "
           << shape_to_string(ws));
    const Array<float> w = nn::uniform_array({out, in}, c.bound, ref);
    const double seen = max_abs(got.weight);
    if (max_diff(got.weight, w) > 0)
      FAIL(nn::init_name(c.init) << ": the weights differ from uniform_array({fan_out, fan_in}, "
                                 << c.formula << ") drawn first from gen; your largest |w| is "
                                 << seen << ", the bound is " << c.bound);
    Array<float> b = Array<float>::from_shape({out});
    if (c.bias_drawn) {
      b = nn::uniform_array({out}, c.bound, ref);
    } else {
      b.fill(0.0f);
    }
    INFO(nn::init_name(c.init) << ": the bias should be "
                               << (c.bias_drawn ? "drawn after W with the same bound" : "zero"));
    CHECK(max_diff(got.bias, b) == 0);
  }
  Generator gen(1);
  INFO("a zero fan must throw std::invalid_argument naming init_linear");
  CHECK_THROWS_AS(nn::init_linear(0, 3, nn::Init::xavier, gen), std::invalid_argument);
}

namespace {
// PyTorch's Adam, in double, for one parameter vector.
struct ReferenceAdam {
  double lr, b1, b2, eps, wd;
  bool decoupled;
  std::vector<double> m, v;
  int t = 0;
  void step(std::vector<double>& p, std::vector<double> g) {
    ++t;
    m.resize(p.size(), 0.0);
    v.resize(p.size(), 0.0);
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (decoupled)
        p[i] *= 1 - lr * wd;
      else
        g[i] += wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const double mh = m[i] / (1 - std::pow(b1, t)), vh = v[i] / (1 - std::pow(b2, t));
      p[i] -= lr * mh / (std::sqrt(vh) + eps);
    }
  }
};

void run_adam(bool decoupled) {
  const std::vector<std::vector<double>> grads = {{0.5, -1, 2}, {0.1, -0.3, 2}, {-0.2, 0.4, 1}};
  std::vector<double> expect = {1, -2, 3};
  Tensor p = Tensor::from_vector({1, -2, 3}, {3}, true);
  nn::AdamOptions options{0.1, 0.9, 0.999, 1e-8, decoupled ? 0.1 : 0.01};
  std::unique_ptr<nn::Adam> adam =
      decoupled ? std::make_unique<nn::AdamW>(std::vector<Tensor>{p}, options)
                : std::make_unique<nn::Adam>(std::vector<Tensor>{p}, options);
  ReferenceAdam ref{0.1, 0.9, 0.999, 1e-8, options.weight_decay, decoupled, {}, {}};
  for (std::size_t s = 0; s < grads.size(); ++s) {
    const std::vector<double> before = expect;
    p.zero_grad();
    p.accumulate_grad(
        Tensor::from_vector({float(grads[s][0]), float(grads[s][1]), float(grads[s][2])}, {3})
            .value());
    const float p0 = p.value()(0);
    adam->step();
    ref.step(expect, grads[s]);
    if (s == 0 && !decoupled) {
      const double moved = std::abs(double(p.value()(0)) - p0);
      if (moved == 0) FAIL("the first Adam step did not move the parameter");
      if (std::abs(moved - 0.1) > 0.01)
        FAIL(
            "Adam's first step moves each parameter by about lr = 0.1 (bias correction makes "
            "m̂ = g and v̂ = g², so m̂/√v̂ = ±1); yours moved p[0] by "
            << moved
            << (std::abs(moved - 0.1 * 0.1 / std::sqrt(0.001)) < 0.01
                    ? ": m and v were not divided by (1 − β^t)"
                    : ""));
    }
    INFO((decoupled ? "AdamW" : "Adam") << " step " << s + 1 << ": expected p = " << values(expect)
                                        << ", got " << values(p.value()));
    REQUIRE(max_diff(p.value(), expect) < 2e-6);
  }
  INFO("the step counter must count the steps");
  CHECK(adam->step_count() == 3);
}
}  // namespace

TEST_CASE("exercise 2.2: the Adam step", "[ex2.2]") {
  run_adam(false);
  run_adam(true);
  // A parameter without a gradient is skipped.
  Tensor q = Tensor::from_vector({1, 2}, {2}, true);
  nn::Adam adam({q});
  adam.step();
  INFO("a parameter that received no gradient must be left alone");
  CHECK(max_diff(q.value(), std::vector<double>{1, 2}) == 0);
}

TEST_CASE("exercise 2.3: gradient clipping", "[ex2.3]") {
  auto make = [](std::vector<float> ga, std::vector<float> gb) {
    std::vector<Tensor> ps = {Tensor::from_vector({0, 0}, {2}, true),
                              Tensor::from_vector({0}, {1}, true)};
    ps[0].accumulate_grad(Tensor::from_vector(ga, {2}).value());
    ps[1].accumulate_grad(Tensor::from_vector(gb, {1}).value());
    return ps;
  };
  std::vector<Tensor> ps = make({3, 0}, {4});  // ‖g‖ = 5
  const double norm = nn::clip_grad_norm(ps, 1.0);
  if (std::abs(norm - 1.0) < 1e-6)
    FAIL(
        "clip_grad_norm returned 1: it returns the norm BEFORE clipping (5), which is what "
        "a training log wants to show");
  INFO("the norm of all gradients together is √(3² + 4²) = 5, got " << norm);
  CHECK(std::abs(norm - 5.0) < 1e-9);
  const double scale = 1.0 / (5.0 + 1e-6);
  if (std::abs(ps[0].grad()(0) - 3.0) < 1e-6)
    FAIL("the gradients were not scaled: norm 5 > max_norm 1, so multiply each by 1/(5 + 1e-6)");
  if (std::abs(ps[1].grad()(0) - 1.0) < 1e-6 && std::abs(ps[0].grad()(0) - 1.0) < 1e-6)
    FAIL(
        "you clipped each element to ±1: clipping by norm scales the whole gradient vector, "
        "keeping its direction");
  INFO("each gradient times max_norm/(norm + 1e-6): expected [0.6, 0, 0.8]");
  CHECK(std::abs(ps[0].grad()(0) - 3 * scale) < 1e-6);
  CHECK(std::abs(ps[1].grad()(0) - 4 * scale) < 1e-6);

  std::vector<Tensor> small = make({0.3f, 0}, {0.4f});
  nn::clip_grad_norm(small, 1.0);
  INFO("a norm below max_norm leaves the gradients unchanged");
  CHECK(std::abs(small[0].grad()(0) - 0.3f) < 1e-7);
  INFO("max_norm ≤ 0 must throw std::invalid_argument");
  CHECK_THROWS_AS(nn::clip_grad_norm(small, 0.0), std::invalid_argument);
}

TEST_CASE("exercise 2.4: warm-up and cosine decay", "[ex2.4]") {
  const nn::LrSchedule s = nn::LrSchedule::cosine(1.0, 2, 10, 0.1);
  struct Case {
    std::int64_t t;
    double lr;
    const char* why;
  };
  const Case cases[] = {
      {0, 0.5, "warm-up: step 0 of 2 uses base·(0+1)/2"},
      {1, 1.0, "warm-up ends at the base rate"},
      {2, 1.0, "the cosine starts at the base rate (progress 0)"},
      {6, 0.55, "halfway (progress ½): min + (base − min)·½(1 + cos(π/2))"},
      {9, 0.1 + 0.9 * 0.5 * (1 + std::cos(3.14159265358979323846 * 7 / 8)), "progress 7/8"},
      {10, 0.1, "from the total on: min_lr"},
      {50, 0.1, "long after the end: min_lr"},
  };
  for (const Case& c : cases) {
    const double got = s.lr_at(c.t);
    INFO("lr at step " << c.t << " should be " << c.lr << " (" << c.why << "), got " << got);
    CHECK(std::abs(got - c.lr) < 1e-12);
  }
}
