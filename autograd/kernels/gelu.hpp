// The exact-erf GELU on float buffers, vectorized: the fast path of minflow::gelu
// (ops_activation.cpp, where the plain per-element definition it is tested against lives).
//
//   y = x·Φ(x),   dy/dx = Φ(x) + x·φ(x),   Φ(x) = ½(1 + erf(x/√2)),  φ(x) = e^(−x²/2)/√(2π)
//
// No erf, no exponential, no division: with u = |x| and q(u) = Φ(−u) = ½·erfc(u/√2),
//   gelu(x)  = max(x, 0) − u·q(u),
//   gelu'(x) = k(u) for x < 0 and 1 − k(u) for x > 0,   k(u) = q(u) + u·q'(u),
// and q is smooth, so on [0, 5.6] it is tabulated as 8 polynomials of degree 7, one per
// piece of width 0.7 (beyond 5.6 the last piece's end value keeps the result within 1e-6),
// fitted at first use from the double-precision std::erfc (Chebyshev interpolation,
// gelu.cpp); q' is the polynomial's own derivative. An element costs a few operations to
// find its piece, 8 table lookups (one AVX2 permute each: a table of 8 floats is one
// register) and 8 FMAs, and 8 more FMAs for the
// derivative. The results stay within 1e-6 of the double-precision std::erf form
// (tests/autograd/test_fast_paths.cpp checks every 1e-4 from −10 to 10; measured: 2.4e-7
// for the value, 3.6e-7 for the derivative) at less than half the cost of the erf built on
// an exponential it replaced (forward: 9 instead of 20 cycles per 8 values on this machine).
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
