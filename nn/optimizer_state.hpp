// What an optimizer keeps between steps, as plain values, so that a checkpoint can save it
// and a resumed run can continue bitwise identically; and the helpers all optimizers share.
//
// Every optimizer (SGD, Adam, AdamW) is a small class of its own with the same verbs as
// PyTorch — zero_grad(), step(), lr()/set_lr(), state()/load_state() — and no common base:
// the training loops that use them are templates or name one optimizer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace minflow::nn {

// One kind of per-parameter buffer ("m", "v", "momentum"), one array per parameter, in the
// optimizer's parameter order.
struct StateSlot {
  std::string name;
  std::vector<Array<float>> per_parameter;
};

struct OptimizerState {
  std::string kind;       // "sgd", "adam", "adamw"
  std::int64_t step = 0;  // optimizer steps taken
  std::vector<StateSlot> slots;
};

// Sets every parameter's gradient to zero.
void zero_grad(std::vector<Tensor>& params);

// Throws std::invalid_argument when `params` is empty or holds one node twice (`who` names
// the optimizer in the message).
void check_optimizer_parameters(const std::vector<Tensor>& params, const std::string& who);

// Zero arrays shaped like the parameters (fresh moment buffers).
std::vector<Array<float>> zeros_like(const std::vector<Tensor>& params);

// Checks that `state` fits an optimizer of kind `kind` with these slots and parameters
// (same kind, slot names, parameter count and shapes); throws std::invalid_argument saying
// what differs.
void check_state_fits(const OptimizerState& state, const std::string& kind,
                      const std::vector<std::string>& slot_names,
                      const std::vector<Tensor>& params);

}  // namespace minflow::nn
