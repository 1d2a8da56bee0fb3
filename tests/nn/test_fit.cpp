// Small networks that must actually learn: y = sin(x) and XOR, from fixed seeds.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/ops.hpp"
#include "nn/adam.hpp"
#include "nn/loss.hpp"
#include "nn/lr_schedule.hpp"
#include "nn/mlp.hpp"

using namespace minflow;
using namespace minflow::nn;

TEST_CASE("an MLP fits sin(x) on [-pi, pi] to MSE < 1e-3", "[fit]") {
  // Full batch: 128 evenly spaced points.
  const std::size_t n = 128;
  const double pi = 3.14159265358979323846;
  std::vector<float> xs(n), ys(n);
  for (std::size_t i = 0; i < n; ++i) {
    xs[i] = static_cast<float>(-pi + 2 * pi * static_cast<double>(i) / (n - 1));
    ys[i] = std::sin(xs[i]);
  }
  const Tensor x = Tensor::from_vector(xs, {n, 1});
  const Tensor y = Tensor::from_vector(ys, {n, 1});

  Generator gen(0, "init");
  MLP net(1, 32, 2, 1, Activation::gelu, gen);
  Adam adam(net.parameters(), AdamOptions{1e-2});
  const int steps = 500;
  const LrSchedule schedule = LrSchedule::cosine(1e-2, 20, steps);
  MSELoss mse;
  float loss = 0.0f;
  for (int step = 0; step < steps; ++step) {
    adam.set_lr(schedule.lr_at(step));
    adam.zero_grad();
    Tensor l = mse(net.forward(x), y);
    l.backward();
    adam.step();
    loss = l.item();
  }
  INFO("final MSE " << loss);
  CHECK(loss < 1e-3f);
}

TEST_CASE("an MLP learns XOR with zero errors", "[fit]") {
  const Tensor x = Tensor::from_vector({0, 0, 0, 1, 1, 0, 1, 1}, {4, 2});
  const Tensor y = Tensor::from_vector({0, 1, 1, 0}, {4, 1});
  Generator gen(0, "init");
  MLP net(2, 8, 1, 1, Activation::tanh, gen);
  Adam adam(net.parameters(), AdamOptions{0.05});
  for (int step = 0; step < 300; ++step) {
    adam.zero_grad();
    Tensor loss = mse_loss(net.forward(x), y);
    loss.backward();
    adam.step();
  }
  const Tensor out = net.forward(x);
  int errors = 0;
  for (std::size_t i = 0; i < 4; ++i)
    errors += (out.value()(i, 0) > 0.5f) != (y.value()(i, 0) > 0.5f);
  INFO("outputs " << out);
  CHECK(errors == 0);
}
