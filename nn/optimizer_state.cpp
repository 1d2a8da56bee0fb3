#include "nn/optimizer_state.hpp"

#include <stdexcept>

namespace minflow::nn {

void zero_grad(std::vector<Tensor>& params) {
  for (auto& p : params)
    p.zero_grad();
}

void check_optimizer_parameters(const std::vector<Tensor>& params, const std::string& who) {
  if (params.empty()) throw std::invalid_argument(who + ": got an empty parameter list");
  for (std::size_t i = 0; i < params.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (params[i].same_node(params[j])) {
        throw std::invalid_argument(who + ": parameter " + std::to_string(i) +
                                    " is the same tensor as parameter " + std::to_string(j));
      }
}

std::vector<Array<float>> zeros_like(const std::vector<Tensor>& params) {
  std::vector<Array<float>> out;
  out.reserve(params.size());
  for (const auto& p : params) {
    Array<float> z = Array<float>::from_shape(p.shape());
    z.fill(0.0f);
    out.push_back(std::move(z));
  }
  return out;
}

void check_state_fits(const OptimizerState& state, const std::string& kind,
                      const std::vector<std::string>& slot_names,
                      const std::vector<Tensor>& params) {
  const std::string who = kind + " load_state: ";
  if (state.kind != kind) {
    throw std::invalid_argument(who + "the state is for optimizer \"" + state.kind + "\", not \"" +
                                kind + "\"");
  }
  if (state.step < 0) throw std::invalid_argument(who + "negative step count");
  if (state.slots.size() != slot_names.size()) {
    throw std::invalid_argument(who + "expected " + std::to_string(slot_names.size()) +
                                " state buffers per parameter, got " +
                                std::to_string(state.slots.size()));
  }
  for (std::size_t s = 0; s < slot_names.size(); ++s) {
    const StateSlot& slot = state.slots[s];
    if (slot.name != slot_names[s]) {
      throw std::invalid_argument(who + "expected buffer " + slot_names[s] + ", got " + slot.name);
    }
    if (slot.per_parameter.size() != params.size()) {
      throw std::invalid_argument(who + "buffer " + slot.name + " has " +
                                  std::to_string(slot.per_parameter.size()) + " entries for " +
                                  std::to_string(params.size()) + " parameters");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& a = slot.per_parameter[i];
      const Shape shape(a.shape().begin(), a.shape().end());
      if (shape != params[i].shape()) {
        throw std::invalid_argument(who + "buffer " + slot.name + " of parameter " +
                                    std::to_string(i) + " has shape " + shape_to_string(shape) +
                                    ", the parameter " + shape_to_string(params[i].shape()));
      }
    }
  }
}

}  // namespace minflow::nn
