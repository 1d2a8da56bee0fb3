#include "nn/init.hpp"

#include <cmath>
#include <stdexcept>

namespace minflow::nn {

std::string init_name(Init init) {
  switch (init) {
    case Init::torch_default:
      return "torch-default";
    case Init::xavier:
      return "xavier";
    case Init::kaiming:
      return "kaiming";
  }
  throw std::invalid_argument("init_name: unknown Init value");
}

Init parse_init(const std::string& name) {
  for (Init init : {Init::torch_default, Init::xavier, Init::kaiming})
    if (init_name(init) == name) return init;
  throw std::invalid_argument("unknown initializer \"" + name +
                              "\" (choices: torch-default, xavier, kaiming)");
}

Array<float> uniform_array(const Shape& shape, double bound, Generator& gen) {
  Array<float> a = Array<float>::from_shape(shape);
  for (float& v : a)
    v = static_cast<float>(-bound + 2.0 * bound * gen.uniform_double());
  return a;
}

LinearInit init_linear(std::size_t fan_in, std::size_t fan_out, Init init, Generator& gen) {
  // W [fan_out, fan_in] then b [fan_out], each uniform_array(shape, bound, gen):
  //   torch-default  W, b ~ U(±1/√fan_in)
  //   xavier         W ~ U(±√(6/(fan_in + fan_out))), b = 0
  //   kaiming        W ~ U(±√(6/fan_in)), b = 0
  // and a zero fan throws std::invalid_argument naming init_linear and both fans.
  // EXERCISE 2.1 BEGIN: Linear's initialisation
  if (fan_in == 0 || fan_out == 0) {
    throw std::invalid_argument("init_linear: fan_in and fan_out must be positive, got " +
                                std::to_string(fan_in) + " and " + std::to_string(fan_out));
  }
  const double in = static_cast<double>(fan_in), out = static_cast<double>(fan_out);
  LinearInit result;
  switch (init) {
    case Init::torch_default: {
      const double bound = 1.0 / std::sqrt(in);
      result.weight = uniform_array({fan_out, fan_in}, bound, gen);
      result.bias = uniform_array({fan_out}, bound, gen);
      return result;
    }
    case Init::xavier:
      result.weight = uniform_array({fan_out, fan_in}, std::sqrt(6.0 / (in + out)), gen);
      break;
    case Init::kaiming:
      result.weight = uniform_array({fan_out, fan_in}, std::sqrt(6.0 / in), gen);
      break;
  }
  result.bias = Array<float>::from_shape({fan_out});
  result.bias.fill(0.0f);
  return result;
  // EXERCISE END
}

}  // namespace minflow::nn
