// The program the debugger tests run under gdb (tests/debugger/*.sh; docs/debugging.md).
// Compiled at -O0 -g whatever the build type, so that every local is visible.
//
// It builds loss = sum(x·y) for two named [2,3] tensors and runs backward, so a breakpoint
// in minflow::ops::MulOp<double>::backward sees a [2,3] upstream gradient of ones and the
// saved inputs x and y; w = tanh(x) has an op struct that saves an array (its output).
// Then `look_at` receives the tensors a printer finds hardest: empty, rank 0, large (a
// million values) and a float one, so the printer test can break there.
#include <iostream>

#include "autograd/ops.hpp"

using namespace minflow;

// Memory that is no tensor: the printer test views it as one (`print *(DTensor*)&garbage`).
unsigned long garbage[64] = {0x5a5a5a5a5a5a5a5a, 0x5a5a5a5a5a5a5a5a, 0x5a5a5a5a5a5a5a5a,
                             0x5a5a5a5a5a5a5a5a, 0x5a5a5a5a5a5a5a5a, 0x5a5a5a5a5a5a5a5a};

// A stop for the printer test (`break look_at`): its arguments are the odd tensors.
// noinline, and the result printed, so that neither the call nor the arguments vanish.
__attribute__((noinline)) double look_at(const DTensor& empty, const DTensor& rank0,
                                         const Tensor& large, const Tensor& single) {
  return double(empty.size()) + rank0.item() + double(large.size()) + double(single.item()) +
         double(garbage[0] & 1);
}

int main() {
  DTensor x = DTensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3}, true, "x");
  DTensor y = DTensor::from_vector({0.5, -1, 2, 0, 3, -2}, {2, 3}, true, "y");
  DTensor z = (x * y).set_name("z");
  DTensor loss = sum(z).set_name("loss");
  loss.backward();  // dloss/dx = y, dloss/dy = x
  std::cout << "loss = " << loss.item() << "\n";
  DTensor w = tanh(x).set_name("w");  // TanhOp saves its output, tanh(x), for backward

  DTensor empty(Array<double>::from_shape({0}), false, "empty");
  DTensor rank0 = DTensor::scalar(2.5, false, "rank0");
  Tensor large = Tensor::full({1000, 1000}, 0.25f).set_name("large");
  Tensor single = Tensor::scalar(7.0f, true, "single");
  std::cout << "look_at = " << look_at(empty, rank0, large, single) << "\n";
  return 0;
}
