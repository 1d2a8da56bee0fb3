// What an optimizer keeps between steps, as plain values, so that a checkpoint can save it
// and a resumed run can continue bitwise identically; and the helpers all optimizers share.
//
// The optimizers (SGD, Adam, AdamW) share the base class of nn/optimizer.hpp. The state is
// held in float32, the checkpoint's form, whatever the optimizer's scalar type: a float64
// optimizer's state() rounds its buffers and load_state() widens them.
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
template <class T>
void zero_grad(std::vector<BasicTensor<T>>& params);

// Throws std::invalid_argument when `params` is empty or holds one node twice (`who` names
// the optimizer in the message).
template <class T>
void check_optimizer_parameters(const std::vector<BasicTensor<T>>& params, const std::string& who);

// Zero arrays shaped like the parameters (fresh moment buffers).
template <class T>
std::vector<Array<T>> zeros_like(const std::vector<BasicTensor<T>>& params);

// Checks that `state` fits an optimizer of kind `kind` with these slots and parameters
// (same kind, slot names, parameter count and shapes); throws std::invalid_argument saying
// what differs.
template <class T>
void check_state_fits(const OptimizerState& state, const std::string& kind,
                      const std::vector<std::string>& slot_names,
                      const std::vector<BasicTensor<T>>& params);

// Buffers between the optimizer's scalar type and the state's float32 (a copy either way).
template <class T>
std::vector<Array<float>> state_buffers(const std::vector<Array<T>>& buffers);
template <class T>
std::vector<Array<T>> buffers_from_state(const std::vector<Array<float>>& state);

}  // namespace minflow::nn
