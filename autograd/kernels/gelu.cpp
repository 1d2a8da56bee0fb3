#include "autograd/kernels/gelu.hpp"

#include <algorithm>
#include <cstdint>

#include <xsimd/xsimd.hpp>

namespace minflow {
namespace {

using Vec = xsimd::batch<float>;  // 8 floats with AVX2

// e^v for v ≤ 0, Cephes' expf (relative error ~10⁻⁷): v = n·ln 2 + r with |r| ≤ ½ln 2,
// e^r from a degree-7 polynomial, 2^n written straight into the exponent bits. Leaner than
// xsimd::exp, which also handles overflow and NaN; here v = −x²/2 only needs the clamp.
inline Vec exp_nonpositive(Vec v) {
  v = xsimd::max(v, Vec(-87.0f));  // e^−87 ≈ 1.6·10⁻³⁸ is still a normal float
  const Vec n = xsimd::floor(xsimd::fma(v, Vec(1.44269504088896341f), Vec(0.5f)));  // round(v/ln 2)
  Vec r = xsimd::fnma(n, Vec(0.693359375f), v);  // v − n·ln 2, ln 2 in two parts
  r = xsimd::fnma(n, Vec(-2.12194440e-4f), r);
  Vec p = xsimd::fma(Vec(1.9875691500e-4f), r, Vec(1.3981999507e-3f));
  p = xsimd::fma(p, r, Vec(8.3334519073e-3f));
  p = xsimd::fma(p, r, Vec(4.1665795894e-2f));
  p = xsimd::fma(p, r, Vec(1.6666665459e-1f));
  p = xsimd::fma(p, r, Vec(5.0000001201e-1f));
  const Vec e_r = xsimd::fma(p, r * r, r) + Vec(1.0f);
  using IVec = xsimd::batch<int32_t>;
  const IVec bits = (xsimd::to_int(n) + IVec(127)) << 23;  // 2^n as a float's bits
  return e_r * xsimd::bitwise_cast<Vec>(bits);
}

// Eight elements: y and gelu'(x).
inline void gelu8(const Vec& x, Vec& y, Vec& dydx) {
  const Vec u = xsimd::abs(x) * Vec(0.70710678118654752440f);  // |x|/√2
  const Vec t = Vec(1.0f) / xsimd::fma(Vec(0.3275911f), u, Vec(1.0f));
  Vec r = xsimd::fma(Vec(1.061405429f), t, Vec(-1.453152027f));
  r = xsimd::fma(r, t, Vec(1.421413741f));
  r = xsimd::fma(r, t, Vec(-0.284496736f));
  r = xsimd::fma(r, t, Vec(0.254829592f));
  const Vec e = exp_nonpositive(-(u * u));        // e^(−x²/2)
  const Vec half_erfc = Vec(0.5f) * (r * t * e);  // ½·erfc(|x|/√2) = Φ(−|x|)
  // Φ(x) = 1 − Φ(−x) for x ≥ 0 and Φ(−|x|) itself for x < 0 (no cancellation in the left tail).
  const Vec cdf = xsimd::select(x >= Vec(0.0f), Vec(1.0f) - half_erfc, half_erfc);
  y = x * cdf;
  dydx = xsimd::fma(x * e, Vec(0.39894228040143267794f), cdf);  // Φ(x) + x·φ(x)
}

}  // namespace

void gelu_kernel(const float* x, float* y, float* dydx, std::size_t n) {
  constexpr std::size_t W = Vec::size;
  std::size_t i = 0;
  Vec vy, vd;
  for (; i + W <= n; i += W) {
    gelu8(Vec::load_unaligned(x + i), vy, vd);
    vy.store_unaligned(y + i);
    if (dydx) vd.store_unaligned(dydx + i);
  }
  if (i == n) return;
  // The last n mod 8 elements through the same vector code, padded with zeros.
  alignas(64) float in[W] = {}, out_y[W], out_d[W];
  std::copy(x + i, x + n, in);
  gelu8(Vec::load_aligned(in), vy, vd);
  vy.store_aligned(out_y);
  vd.store_aligned(out_d);
  std::copy(out_y, out_y + (n - i), y + i);
  if (dydx) std::copy(out_d, out_d + (n - i), dydx + i);
}

}  // namespace minflow
