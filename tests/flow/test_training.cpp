// A few hundred steps of the tutorial's recipe at a small batch: the loss must fall and the
// samples must move toward the spiral. (The full recipe is measured by hand, not in CI.)
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "flow/evaluate.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"

using namespace minflow;
using namespace minflow::flow;

TEST_CASE("a short flow-matching run lowers the loss and moves samples to the target",
          "[training]") {
  TrainSettings settings;
  settings.steps = 300;
  settings.batch = 256;
  settings.net = velocity_net_spec(32, 2);
  TrainState state = new_train_state(settings);

  const EvalSettings eval{"spiral", 1000, 0, 7};
  IntegrateOptions euler;
  euler.steps = 20;
  const double before = sample_quality(*state.net, eval, euler).energy_distance;

  TrainHooks hooks;
  const TrainOutcome outcome = train(state, settings, independent_pairs("spiral"), hooks);
  REQUIRE(outcome.stop == TrainStop::finished);
  REQUIRE(state.loss.size() == 300);
  const double first = std::accumulate(state.loss.begin(), state.loss.begin() + 30, 0.0) / 30;
  const double last = std::accumulate(state.loss.end() - 30, state.loss.end(), 0.0) / 30;
  CHECK(last < 0.9 * first);

  const double after = sample_quality(*state.net, eval, euler).energy_distance;
  const double floor = noise_floor(eval).energy_distance;
  INFO("energy distance " << before << " -> " << after << " (floor " << floor << ")");
  CHECK(after < before / 2);
}

TEST_CASE("the trainer records the loss by t, and should_stop ends the run", "[training]") {
  // Uniform t at batch 512: every bin is drawn every step, and the bins' mean is the loss
  // up to the bins' unequal counts.
  TrainSettings settings;
  settings.steps = 50;
  settings.batch = 512;
  settings.net = velocity_net_spec(16, 1);
  TrainState state = new_train_state(settings);
  TrainHooks hooks;
  hooks.should_stop = [](const TrainState& s) { return s.steps_done() == 20; };
  const TrainOutcome outcome = train(state, settings, independent_pairs("spiral"), hooks);
  CHECK(outcome.stop == TrainStop::stopped);
  REQUIRE(state.loss.size() == 20);
  REQUIRE(state.loss_by_t.size() == 20 * TrainState::kLossBins);
  for (std::size_t step = 0; step < 20; ++step) {
    double mean = 0.0;
    for (std::size_t b = 0; b < TrainState::kLossBins; ++b) {
      const float v = state.loss_by_t[step * TrainState::kLossBins + b];
      REQUIRE(std::isfinite(v));
      mean += v / double(TrainState::kLossBins);
    }
    // ~51 rows a bin: the bins' plain mean is the loss up to the unequal bin counts.
    CHECK(mean == Approx(state.loss[step]).epsilon(0.15));
  }
  // The floor is highest mid-path (2.46 at t ≈ 0.45 for the spiral) and lowest near t = 1
  // (0.98): an early net's loss keeps that order.
  double middle = 0.0, last = 0.0;
  for (std::size_t step = 0; step < 20; ++step) {
    middle += state.loss_by_t[step * TrainState::kLossBins + 4];
    last += state.loss_by_t[step * TrainState::kLossBins + 9];
  }
  CHECK(last < middle);
}
