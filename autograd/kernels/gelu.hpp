// The exact-erf GELU on float buffers, vectorized: the fast path of minflow::gelu
// (ops_activation.cpp, where the plain per-element definition it is tested against lives).
//
//   y = x·Φ(x),   dy/dx = Φ(x) + x·φ(x),   Φ(x) = ½(1 + erf(x/√2)),  φ(x) = e^(−x²/2)/√(2π)
//
// erf comes from Abramowitz & Stegun 7.1.26 (the form PyTorch's own vectorized erf uses):
// with u = |x|/√2 and t = 1/(1 + p·u),
//   erfc(u) ≈ t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^(−u²),   |error| ≤ 1.5·10⁻⁷,
// and e^(−u²) = e^(−x²/2) is the very exponential that φ needs, so the derivative costs
// three more operations. The result stays within 5·10⁻⁷ of the double-precision std::erf form
// (tests/autograd/test_gelu_kernel.cpp checks every float from −10 to 10 at a fine step).
//
// Every element, the last few included, goes through the same 8-lane code, so an element's
// result never depends on where a chunk of work begins: bitwise identical for any split.
#pragma once

#include <cstddef>

namespace minflow {

// y[i] = gelu(x[i]) for i < n; when dydx is not null, also dydx[i] = gelu'(x[i]).
// One thread; callers split the range (ops_activation.cpp does, over the thread pool).
void gelu_kernel(const float* x, float* y, float* dydx, std::size_t n);

}  // namespace minflow
