#include "flow/time_warp.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace minflow::flow {

void check_warp_s(double s) {
  if (!(s >= 0.0 && s <= 1.5)) {
    throw std::invalid_argument("warp_time: s must be in [0, 1.5], got " + std::to_string(s));
  }
}

double warp_time(double t, double s) {
  // w(t; s) = 4(1 − s)t³ + 6(s − 1)t² + (3 − 2s)t: w(0) = 0, w(1) = 1, w'(0) = w'(1) = 3 − 2s;
  // s = 1 is the identity. An s outside [0, 1.5] throws (check_warp_s).
  // EXERCISE 7.1 BEGIN: the warp
  check_warp_s(s);
  return ((4.0 * (1.0 - s) * t + 6.0 * (s - 1.0)) * t + (3.0 - 2.0 * s)) * t;  // Horner
  // EXERCISE END
}

double warp_time_derivative(double t, double s) {
  // w'(t; s) = 12(1 − s)t² + 12(s − 1)t + (3 − 2s). Times drawn as w(U), U uniform, have
  // the density p(w(u)) = 1/w'(u): where the warp is slow (w' < 1) the draws crowd.
  // EXERCISE 7.2 BEGIN: the warp's derivative (its density)
  check_warp_s(s);
  return (12.0 * (1.0 - s) * t + 12.0 * (s - 1.0)) * t + (3.0 - 2.0 * s);
  // EXERCISE END
}

double unwarp_time(double w, double s) {
  check_warp_s(s);
  double lo = 0.0, hi = 1.0;
  for (int i = 0; i < 60; ++i) {  // 2^-60: below double resolution on [0, 1]
    const double mid = 0.5 * (lo + hi);
    (warp_time(mid, s) < w ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace minflow::flow
