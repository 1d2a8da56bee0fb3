#include "nn/mlp.hpp"

#include <stdexcept>

namespace minflow::nn {

void MlpSpec::write_to(Config& config) const {
  config.set("arch", "mlp");
  config.set("in", in);
  config.set("hidden", hidden);
  config.set("depth", depth);
  config.set("out", out);
  config.set("activation", activation_name(activation));
}

MlpSpec MlpSpec::from_config(const Config& config) {
  const std::string& arch = config.get_string("arch");
  if (arch != "mlp") {
    throw std::runtime_error(config.source() + ": arch is \"" + arch + "\", expected mlp");
  }
  MlpSpec spec;
  spec.in = config.get_size("in");
  spec.hidden = config.get_size("hidden");
  spec.depth = config.get_size("depth");
  spec.out = config.get_size("out");
  // A config may come from anywhere: refuse sizes that would only exhaust memory.
  constexpr std::size_t kMaxWidth = 1u << 20, kMaxDepth = 10000;
  if (spec.in > kMaxWidth || spec.hidden > kMaxWidth || spec.out > kMaxWidth ||
      spec.depth > kMaxDepth ||
      static_cast<double>(spec.hidden) * static_cast<double>(spec.hidden) *
              static_cast<double>(spec.depth) >
          2e9) {
    throw std::runtime_error(
        config.source() + ": implausible MLP size (in=" + std::to_string(spec.in) +
        ", hidden=" + std::to_string(spec.hidden) + ", depth=" + std::to_string(spec.depth) +
        ", out=" + std::to_string(spec.out) + ")");
  }
  try {
    spec.activation = parse_activation(config.get_string("activation"));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(config.source() + ": " + e.what());
  }
  return spec;
}

bool MlpSpec::operator==(const MlpSpec& o) const {
  return in == o.in && hidden == o.hidden && depth == o.depth && out == o.out &&
         activation == o.activation;
}

template <class T>
BasicMLP<T>::BasicMLP(const MlpSpec& spec, Generator& gen, Init init) : spec_(spec) {
  if (spec.in == 0 || spec.out == 0 || (spec.depth > 0 && spec.hidden == 0)) {
    throw std::invalid_argument(
        "MLP: in, hidden and out must be positive, got in=" + std::to_string(spec.in) +
        " hidden=" + std::to_string(spec.hidden) + " out=" + std::to_string(spec.out));
  }
  for (std::size_t i = 0; i <= spec.depth; ++i) {
    const std::size_t fan_in = i == 0 ? spec.in : spec.hidden;
    const std::size_t fan_out = i == spec.depth ? spec.out : spec.hidden;
    layers_.push_back(this->register_module(
        "l" + std::to_string(i), std::make_shared<BasicLinear<T>>(fan_in, fan_out, gen, init)));
  }
}

template <class T>
BasicTensor<T> BasicMLP<T>::forward(const BasicTensor<T>& x) {
  BasicTensor<T> h = x;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    h = layers_[i]->forward(h);
    if (i + 1 < layers_.size()) h = activate(spec_.activation, h);
  }
  return h;
}

template <class T>
std::string BasicMLP<T>::extra_repr() const {
  return "in=" + std::to_string(spec_.in) + ", hidden=" + std::to_string(spec_.hidden) +
         ", depth=" + std::to_string(spec_.depth) + ", out=" + std::to_string(spec_.out) +
         ", activation=" + activation_name(spec_.activation);
}

template <class T>
Config BasicMLP<T>::architecture() const {
  Config config("architecture");
  spec_.write_to(config);
  return config;
}

template class BasicMLP<float>;
template class BasicMLP<double>;

}  // namespace minflow::nn
