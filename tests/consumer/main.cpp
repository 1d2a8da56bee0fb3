// Uses minflow as an installed library: the spiral, a velocity net, one training step.
#include <iostream>

#include "flow/datasets.hpp"
#include "flow/trainer.hpp"

int main() {
  minflow::flow::TrainSettings settings;
  settings.steps = 2;
  settings.batch = 16;
  minflow::flow::TrainState state = minflow::flow::new_train_state(settings);
  minflow::flow::TrainHooks hooks;
  minflow::flow::train(state, settings, minflow::flow::independent_pairs("spiral"), hooks);
  std::cout << "consumer: " << state.net->num_parameters() << " parameters, loss "
            << state.loss.back() << "\n";
  return state.net->num_parameters() == 8706 ? 0 : 1;
}
