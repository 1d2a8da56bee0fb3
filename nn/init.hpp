// Weight initializers for Linear layers, all drawn from a minflow Generator so that the
// same seed gives bitwise identical weights on every machine.
//
// For W of shape [fan_out, fan_in], every scheme draws uniformly in ±bound:
//   torch-default   W, b ~ U(±1/√fan_in)                PyTorch's nn.Linear reset_parameters()
//                   (kaiming_uniform with a = √5 gives √(6/((1+5)·fan_in)) = 1/√fan_in)
//   xavier          W ~ U(±√(6/(fan_in + fan_out))), b = 0      Glorot & Bengio 2010, gain 1
//   kaiming         W ~ U(±√(6/fan_in)), b = 0          He et al. 2015, gain √2 for ReLU
// The weight is drawn first, row by row (C order), then the bias.
#pragma once

#include <cstddef>
#include <string>

#include "autograd/tensor.hpp"
#include "base/random.hpp"

namespace minflow::nn {

enum class Init { torch_default, xavier, kaiming };

// "torch-default", "xavier", "kaiming" (names as in config files and flags).
std::string init_name(Init init);
// The reverse; an unknown name throws std::invalid_argument listing the choices.
Init parse_init(const std::string& name);

// A [rows, cols] (or any shape) array of values uniform in [−bound, bound), drawn in C
// order from `gen` (each value: −bound + 2·bound·u with u = gen.uniform_double(), rounded to
// float).
Array<float> uniform_array(const Shape& shape, double bound, Generator& gen);

// Fresh weight [fan_out, fan_in] and bias [fan_out] for a Linear layer, drawn from `gen`.
struct LinearInit {
  Array<float> weight;
  Array<float> bias;
};
LinearInit init_linear(std::size_t fan_in, std::size_t fan_out, Init init, Generator& gen);

}  // namespace minflow::nn
