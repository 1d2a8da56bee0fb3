// Shared by the exercise tests (scripts/course check): small helpers that turn a wrong
// answer into a sentence. Each test checks one exercise on small known-answer inputs, with
// its own reference code for anything else it needs, so no test depends on another
// exercise.
#pragma once

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "autograd/tensor.hpp"

namespace course {

// Largest |a_i − b_i|, or infinity when the shapes differ.
template <class A, class B>
double max_diff(const A& a, const B& b) {
  if (a.size() != b.size()) return INFINITY;
  double d = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
    d = std::max(d, std::abs(double(a.data()[i]) - double(b.data()[i])));
  return d;
}

// "[1, 2, 3]": an array's values, for messages.
template <class A>
std::string values(const A& a) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < a.size(); ++i)
    out << (i ? ", " : "") << a.data()[i];
  out << ']';
  return out.str();
}

// Runs an op's backward alone, with `seed` as the upstream gradient: the graph walk of
// backward() is exercise 1.5, and a test of an op must not need it.
template <class T>
void run_op_backward(const minflow::BasicTensor<T>& z, const minflow::Array<T>& seed) {
  const_cast<minflow::GradFn<T>*>(z.grad_fn())->backward(seed);
}

}  // namespace course
