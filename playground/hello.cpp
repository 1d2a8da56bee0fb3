// The smallest minflow program: a tensor, an op, a gradient, and a few spiral points.
//   cmake --build build/release --target hello && build/release/playground/hello
#include <iostream>

#include "autograd/autograd.hpp"
#include "flow/datasets.hpp"

using namespace minflow;

int main() {
  // y = Σ x², so dy/dx = 2x.
  DTensor x = DTensor::from_vector({1.0, -2.0, 3.0}, {3}, /*requires_grad=*/true);
  DTensor y = sum(mul(x, x));
  y.backward();
  std::cout << "y = " << y.item() << ", dy/dx = " << DTensor(x.grad()) << "\n";

  // Five points of the spiral the flow learns (chapter 3), from a fixed seed.
  Generator gen(0, "data");
  std::cout << "spiral points:\n" << Tensor(flow::spiral(gen, 5)) << "\n";
  return 0;
}
