// Learning-rate schedules, gradient clipping and the loss modules.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/ops.hpp"
#include "nn/clip_grad.hpp"
#include "nn/loss.hpp"
#include "nn/lr_schedule.hpp"

using namespace minflow;
using namespace minflow::nn;

TEST_CASE("constant and step schedules", "[schedule]") {
  const LrSchedule constant = LrSchedule::constant(0.1);
  CHECK(constant.lr_at(0) == 0.1);
  CHECK(constant.lr_at(100000) == 0.1);
  const LrSchedule step = LrSchedule::step(0.1, 10, 0.5);  // halve every 10 steps
  CHECK(step.lr_at(0) == 0.1);
  CHECK(step.lr_at(9) == 0.1);
  CHECK(step.lr_at(10) == Approx(0.05));
  CHECK(step.lr_at(25) == Approx(0.025));
  CHECK_THROWS_AS(LrSchedule::step(0.1, 0, 0.5), std::invalid_argument);
}

TEST_CASE("cosine schedule with linear warm-up", "[schedule]") {
  const LrSchedule s = LrSchedule::cosine(1.0, 10, 110);
  CHECK(s.lr_at(0) == Approx(0.1));  // (t + 1)/w: the first step already moves
  CHECK(s.lr_at(4) == Approx(0.5));
  CHECK(s.lr_at(9) == Approx(1.0));
  CHECK(s.lr_at(10) == Approx(1.0));                                         // cos 0
  CHECK(s.lr_at(35) == Approx(0.5 * (1 + std::cos(3.14159265358979 / 4))));  // a quarter
  CHECK(s.lr_at(60) == Approx(0.5));                                         // halfway
  CHECK(s.lr_at(110) == 0.0);
  CHECK(s.lr_at(1000) == 0.0);
  const LrSchedule floor = LrSchedule::cosine(1.0, 0, 100, 0.1);
  CHECK(floor.lr_at(0) == Approx(1.0));
  CHECK(floor.lr_at(50) == Approx(0.55));
  CHECK(floor.lr_at(100) == Approx(0.1));
  CHECK_THROWS_AS(LrSchedule::cosine(1.0, 10, 10), std::invalid_argument);
}

TEST_CASE("clip_grad_norm scales all gradients to the global norm", "[clip]") {
  Tensor a = Tensor::zeros({2}, true), b = Tensor::zeros({1}, true);
  a.accumulate_grad(Array<float>{3.0f, 4.0f});
  b.accumulate_grad(Array<float>{12.0f});
  std::vector<Tensor> params = {a, b};
  CHECK(grad_norm(params) == Approx(13.0));
  // Under the limit: unchanged, the norm returned.
  CHECK(clip_grad_norm(params, 20.0) == Approx(13.0));
  CHECK(b.grad()(0) == 12.0f);
  // Over it: every gradient × 6.5/13, the direction kept.
  CHECK(clip_grad_norm(params, 6.5) == Approx(13.0));
  CHECK(a.grad()(0) == Approx(1.5));
  CHECK(a.grad()(1) == Approx(2.0));
  CHECK(b.grad()(0) == Approx(6.0));
  CHECK(grad_norm(params) == Approx(6.5));
  CHECK_THROWS_AS(clip_grad_norm(params, 0.0), std::invalid_argument);
}

TEST_CASE("MSELoss and L1Loss", "[loss]") {
  Tensor pred = Tensor::from_vector({1.0f, 2.0f, 4.0f, 0.0f}, {2, 2}, true);
  Tensor target = Tensor::from_vector({0.0f, 2.0f, 1.0f, 2.0f}, {2, 2});
  CHECK(MSELoss()(pred, target).item() == Approx((1.0 + 0 + 9 + 4) / 4));
  Tensor l1 = L1Loss()(pred, target);
  CHECK(l1.item() == Approx((1.0 + 0 + 3 + 2) / 4));
  l1.backward();
  CHECK(pred.grad()(0, 0) == Approx(0.25));   // sign(+1)/4
  CHECK(pred.grad()(1, 1) == Approx(-0.25));  // sign(−2)/4
  CHECK_THROWS_WITH(l1_loss(pred, Tensor::zeros({4})), Catch::Contains("[2,2]"));
}
