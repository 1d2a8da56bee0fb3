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
  check_warp_s(s);
  return ((4.0 * (1.0 - s) * t + 6.0 * (s - 1.0)) * t + (3.0 - 2.0 * s)) * t;  // Horner
}

double warp_time_derivative(double t, double s) {
  check_warp_s(s);
  return (12.0 * (1.0 - s) * t + 12.0 * (s - 1.0)) * t + (3.0 - 2.0 * s);
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
