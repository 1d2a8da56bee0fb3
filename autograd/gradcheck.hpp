// Gradient checking: does an op's backward agree with its forward?
//
// gradcheck compares the analytic gradient (one backward pass) with central differences
//   ∂L/∂xᵢ ≈ (L(x + ε·eᵢ) − L(x − ε·eᵢ)) / 2ε
// for every element of every input that requires a gradient, in double precision. A
// non-scalar output y = f(x) is reduced to L = Σ y·w with a fixed random w, so that the
// upstream gradient reaching the op is not all ones (which would hide, for example, a
// transposed or mis-broadcast gradient).
//
//   auto report = gradcheck([](const std::vector<DTensor>& in) { return gelu(in[0]); }, {x});
//   if (!report.ok) std::cerr << report << "\n";  // the worst element, analytic vs numeric
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace minflow {

struct GradcheckOptions {
  double eps = 1e-6;   // finite-difference step
  double atol = 1e-5;  // pass iff |analytic − numeric| ≤ atol + rtol·|numeric|
  double rtol = 1e-3;
  std::uint64_t seed = 0;  // of the upstream weights w (stream "gradcheck")
};

struct GradcheckReport {
  bool ok = true;
  std::size_t checked = 0;  // elements compared, over all inputs
  // The element that came closest to (or went furthest past) the tolerance.
  bool has_worst = false;   // false when no element was checked
  std::size_t input = 0;    // index into the inputs
  std::size_t element = 0;  // flat (row-major) index within that input
  double analytic = 0.0;
  double numeric = 0.0;
  double abs_error = 0.0;  // |analytic − numeric|
  double rel_error = 0.0;  // abs_error / |numeric| (abs_error itself when numeric is 0)

  // "gradcheck ok: 15 elements, worst input 0 element 7: analytic … numeric … (abs …, rel …)"
  std::string to_string() const;
};

std::ostream& operator<<(std::ostream& os, const GradcheckReport& report);

// Checks f's gradients at `inputs`. f is called on copies of the inputs (fresh leaves with the
// same values and requires_grad flags), so the caller's tensors keep their values and receive
// no gradient. Inputs that do not require a gradient are held constant and not checked.
// Throws std::invalid_argument when called with gradients disabled (under a NoGradGuard).
GradcheckReport gradcheck(const std::function<DTensor(const std::vector<DTensor>&)>& f,
                          const std::vector<DTensor>& inputs, const GradcheckOptions& options = {});

}  // namespace minflow
