#include "nn/optimizer_state.hpp"

#include <stdexcept>
#include <type_traits>

namespace minflow::nn {

template <class T>
void zero_grad(std::vector<BasicTensor<T>>& params) {
  for (auto& p : params)
    p.zero_grad();
}

template <class T>
void check_optimizer_parameters(const std::vector<BasicTensor<T>>& params, const std::string& who) {
  if (params.empty()) throw std::invalid_argument(who + ": got an empty parameter list");
  for (std::size_t i = 0; i < params.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (params[i].same_node(params[j])) {
        throw std::invalid_argument(who + ": parameter " + std::to_string(i) +
                                    " is the same tensor as parameter " + std::to_string(j));
      }
}

template <class T>
std::vector<Array<T>> zeros_like(const std::vector<BasicTensor<T>>& params) {
  std::vector<Array<T>> out;
  out.reserve(params.size());
  for (const auto& p : params) {
    Array<T> z = Array<T>::from_shape(p.shape());
    z.fill(T(0));
    out.push_back(std::move(z));
  }
  return out;
}

template <class T>
void check_state_fits(const OptimizerState& state, const std::string& kind,
                      const std::vector<std::string>& slot_names,
                      const std::vector<BasicTensor<T>>& params) {
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

template <class T>
std::vector<Array<float>> state_buffers(const std::vector<Array<T>>& buffers) {
  if constexpr (std::is_same_v<T, float>) {
    return buffers;
  } else {
    std::vector<Array<float>> out;
    for (const auto& b : buffers)
      out.push_back(xt::cast<float>(b));
    return out;
  }
}

template <class T>
std::vector<Array<T>> buffers_from_state(const std::vector<Array<float>>& state) {
  if constexpr (std::is_same_v<T, float>) {
    return state;
  } else {
    std::vector<Array<T>> out;
    for (const auto& b : state)
      out.push_back(xt::cast<T>(b));
    return out;
  }
}

#define MINFLOW_INSTANTIATE_STATE(T)                                              \
  template void zero_grad(std::vector<BasicTensor<T>>&);                          \
  template void check_optimizer_parameters(const std::vector<BasicTensor<T>>&,    \
                                           const std::string&);                   \
  template std::vector<Array<T>> zeros_like(const std::vector<BasicTensor<T>>&);  \
  template void check_state_fits(const OptimizerState&, const std::string&,       \
                                 const std::vector<std::string>&,                 \
                                 const std::vector<BasicTensor<T>>&);             \
  template std::vector<Array<float>> state_buffers(const std::vector<Array<T>>&); \
  template std::vector<Array<T>> buffers_from_state(const std::vector<Array<float>>&);
MINFLOW_INSTANTIATE_STATE(float)
MINFLOW_INSTANTIATE_STATE(double)
#undef MINFLOW_INSTANTIATE_STATE

}  // namespace minflow::nn
