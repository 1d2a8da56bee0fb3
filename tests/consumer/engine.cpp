// Uses the installed engine alone (minflow::autograd): a gradient, checked by hand.
#include <iostream>

#include "autograd/autograd.hpp"

int main() {
  using minflow::DTensor;
  DTensor a = DTensor::scalar(3.0, true, "a");
  DTensor y = a * a * a;  // dy/da = 3a² = 27
  y.backward();
  std::cout << "engine consumer: dy/da = " << a.grad()() << "\n";
  return a.grad()() == 27.0 ? 0 : 1;
}
