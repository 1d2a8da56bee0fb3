// A few hundred steps of the tutorial's recipe at a small batch: the loss must fall and the
// samples must move toward the spiral. (The full recipe is measured by hand, not in CI.)
#include <catch2/catch.hpp>

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
