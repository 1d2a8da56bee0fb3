// The op registry: one entry per differentiable op (and per interesting shape case),
// each with a generator of valid random inputs and the tolerance of its gradient check.
// tests/autograd/test_gradcheck.cpp runs gradcheck on every entry, in double precision,
// so adding an op and its entry adds its gradient check, and a failure names the entry.
//
// Entries are registered next to their ops: each ops_*.cpp file defines one
// `register_*_ops` function below, and `op_registry()` calls them all.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "base/random.hpp"

namespace minflow {

struct OpCase {
  std::string name;  // "add (3,1)+(1,4)": the op and what this case covers
  // Valid inputs for the op, drawn from `gen`, kept away from kinks and poles
  // (|x| > 0.1 for abs and relu, x > 0.5 for log and sqrt, |b| > 0.5 for div, …).
  std::function<std::vector<DTensor>(Generator& gen)> make_inputs;
  // Applies the op to the inputs; the output may have any shape.
  std::function<DTensor(const std::vector<DTensor>&)> apply;
  double atol = 1e-5;
  double rtol = 1e-3;
};

// Every registered case, in a fixed order.
const std::vector<OpCase>& op_registry();

// A random double tensor of `shape`, uniform in [lo, hi), requiring grad; when
// `away_from_zero` is set, values are pushed to |v| ≥ 0.1 (for kinks at 0).
DTensor random_input(Generator& gen, const Shape& shape, double lo, double hi,
                     bool away_from_zero = false);

// One function per ops file, each appending the cases of the ops it defines.
void register_arithmetic_ops(std::vector<OpCase>& cases);  // ops_arithmetic.cpp
void register_unary_ops(std::vector<OpCase>& cases);       // ops_unary.cpp
void register_activation_ops(std::vector<OpCase>& cases);  // ops_activation.cpp
void register_matmul_ops(std::vector<OpCase>& cases);      // ops_matmul.cpp
void register_shape_ops(std::vector<OpCase>& cases);       // ops_shape.cpp
void register_reduce_ops(std::vector<OpCase>& cases);      // ops_reduce.cpp
void register_permute_ops(std::vector<OpCase>& cases);     // ops_permute.cpp
void register_select_ops(std::vector<OpCase>& cases);      // ops_select.cpp
void register_softmax_ops(std::vector<OpCase>& cases);     // ops_softmax.cpp
void register_pow_ops(std::vector<OpCase>& cases);         // ops_pow.cpp

}  // namespace minflow
