// Optimizers against numbers computed by hand from PyTorch's documented updates, and the
// proof that a step builds no graph.
#include <catch2/catch.hpp>

#include <vector>

#include "autograd/ops.hpp"
#include "nn/adam.hpp"
#include "nn/mlp.hpp"
#include "nn/sgd.hpp"

using namespace minflow;
using namespace minflow::nn;

namespace {

// Gradients of three steps for a parameter p = [1, −2, 0.5].
const std::vector<std::vector<float>> kGrads = {
    {0.5f, -0.1f, 2.0f}, {0.3f, 0.2f, -1.0f}, {-0.4f, 0.05f, 0.5f}};

Tensor make_parameter() {
  return Tensor::from_vector({1.0f, -2.0f, 0.5f}, {3}, true, "p");
}

void set_grad(Tensor& p, const std::vector<float>& g) {
  p.zero_grad();
  Array<float> a = Array<float>::from_shape({g.size()});
  std::copy(g.begin(), g.end(), a.begin());
  p.accumulate_grad(a);
}

void check_values(const Array<float>& got, const std::vector<double>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    CHECK(got(i) == Approx(expected[i]).margin(1e-6).epsilon(0));
}

}  // namespace

TEST_CASE("one Adam step matches PyTorch's update", "[optim]") {
  // At t = 1 the bias corrections undo the (1 − β) factors: m̂ = g, v̂ = g², so the step is
  // lr·g/(|g| + ε) ≈ lr·sign(g):  p = 1 − 0.01·0.5/(0.5 + 1e-8) = 0.9900000002, …
  Tensor p = make_parameter();
  Adam adam({p}, AdamOptions{0.01});
  set_grad(p, kGrads[0]);
  adam.step();
  check_values(p.value(), {0.9900000002, -1.990000001, 0.49000000005});
  // m = (1 − β1)·g, v = (1 − β2)·g²
  check_values(adam.exp_avg()[0], {0.05, -0.01, 0.2});
  check_values(adam.exp_avg_sq()[0], {0.00025, 0.00001, 0.004});
  CHECK(adam.step_count() == 1);
}

TEST_CASE("three AdamW steps match PyTorch's update", "[optim]") {
  // lr = 0.01, λ = 0.1: each step first p ← p·(1 − lr·λ) = 0.999·p, then the Adam step.
  // Step 1: 0.999·1 − 0.01 = 0.989. The rest computed in double from the formulas in adam.hpp.
  Tensor p = make_parameter();
  AdamW adamw({p}, AdamOptions{0.01, 0.9, 0.999, 1e-8, 0.1});
  const std::vector<std::vector<double>> expected = {
      {0.9890000002, -1.988000001, 0.48950000005},
      {0.9784360986706877, -1.989673036037849, 0.48634712967019317},
      {0.9749717943052446, -1.9918398746864783, 0.48245649108417404}};
  for (std::size_t t = 0; t < 3; ++t) {
    set_grad(p, kGrads[t]);
    adamw.step();
    check_values(p.value(), expected[t]);
  }
  check_values(adamw.exp_avg()[0], {0.0275, 0.0149, 0.122});
  check_values(adamw.exp_avg_sq()[0], {0.00049941025, 0.00005244001, 0.005241004});
  CHECK(adamw.state().kind == "adamw");
  CHECK(adamw.state().step == 3);
}

TEST_CASE("SGD with momentum follows PyTorch's buf = μ·buf + g, p −= lr·buf", "[optim]") {
  Tensor p = make_parameter();
  SGD sgd({p}, SGDOptions{0.1, 0.9});
  const std::vector<std::vector<double>> expected = {
      {0.95, -1.99, 0.3}, {0.875, -2.001, 0.22}, {0.8475, -2.0159, 0.098}};
  for (std::size_t t = 0; t < 3; ++t) {
    set_grad(p, kGrads[t]);
    sgd.step();
    check_values(p.value(), expected[t]);
  }
  check_values(sgd.momentum_buffers()[0], {0.275, 0.149, 1.22});
}

TEST_CASE("plain SGD is p −= lr·g", "[optim]") {
  Tensor p = make_parameter();
  SGD sgd({p}, SGDOptions{0.5});
  set_grad(p, kGrads[0]);
  sgd.step();
  check_values(p.value(), {0.75, -1.95, -0.5});
  CHECK(sgd.state().slots.empty());
}

TEST_CASE("an optimizer step builds no graph and allocates no nodes", "[optim]") {
  Generator gen(0, "init");
  MLP net(2, 16, 2, 1, Activation::gelu, gen);
  Adam adam(net.parameters(), AdamOptions{1e-3});
  SGD sgd(net.parameters(), SGDOptions{1e-3, 0.9});
  Tensor x = Tensor::ones({8, 2});
  {
    Tensor loss = mean(square(net.forward(x)));
    loss.backward();
  }
  const long before = live_node_count();
  adam.step();
  sgd.step();
  CHECK(live_node_count() == before);
  for (const auto& p : net.parameters())
    CHECK(p.is_leaf());
}

TEST_CASE("optimizers zero gradients, skip parameters without one, and update lr", "[optim]") {
  Tensor a = make_parameter(), b = make_parameter();
  Adam adam({a, b}, AdamOptions{0.1});
  set_grad(a, kGrads[0]);
  adam.step();
  CHECK(b.value()(0) == 1.0f);  // no gradient: untouched
  CHECK(a.value()(0) != 1.0f);
  adam.zero_grad();
  CHECK(a.grad()(0) == 0.0f);
  adam.set_lr(0.5);
  CHECK(adam.lr() == 0.5);
  CHECK_THROWS_AS(adam.set_lr(-1.0), std::invalid_argument);
  CHECK_THROWS_WITH(Adam({a, a}), Catch::Contains("same tensor"));
  CHECK_THROWS_WITH(SGD({}), Catch::Contains("empty"));
}

TEST_CASE("optimizer state round-trips through state()/load_state()", "[optim]") {
  Tensor p = make_parameter(), q = make_parameter();
  Adam first({p}, AdamOptions{0.01});
  Adam second({q}, AdamOptions{0.01});
  for (int t = 0; t < 2; ++t) {
    set_grad(p, kGrads[t]);
    first.step();
  }
  second.load_state(first.state());
  q.mutable_value() = p.value();
  set_grad(p, kGrads[2]);
  set_grad(q, kGrads[2]);
  first.step();
  second.step();
  CHECK(p.value() == q.value());
  OptimizerState wrong = first.state();
  wrong.kind = "sgd";
  CHECK_THROWS_WITH(second.load_state(wrong), Catch::Contains("sgd"));
  wrong = first.state();
  wrong.slots[0].per_parameter[0] = Array<float>::from_shape({2});
  CHECK_THROWS_WITH(second.load_state(wrong), Catch::Contains("[2]") && Catch::Contains("[3]"));
}
