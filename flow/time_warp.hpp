// Time warping (docs/design.md#time-warping): a cubic that bends [0, 1] onto itself.
//
//   warp(t; s) = 4(1 − s)t³ + 6(s − 1)t² + (3 − 2s)t,   s ∈ [0, 1.5]
//
// It is the cubic with warp(0) = 0, warp(1) = 1, warp'(1/2) = s and symmetry about
// (1/2, 1/2). Its slope is warp'(t) = 12(1 − s)t² + 12(s − 1)t + (3 − 2s), smallest or largest
// at t = 1/2 (where it equals s) and 3 − 2s at both ends. s = 1 is the identity; s < 1
// flattens the middle, so uniform draws U land near t = 1/2 more often (density 1/s there);
// s = 1.5 is close to the cosine schedule (1 − cos πt)/2. Beyond 1.5 the slope at the ends
// turns negative and the map stops being monotone, hence the range.
#pragma once

namespace minflow::flow {

// Both throw std::invalid_argument("warp_time: s must be in [0, 1.5], got …") outside.
double warp_time(double t, double s);
double warp_time_derivative(double t, double s);
// The t with warp_time(t, s) = w, for w in [0, 1] (bisection on the monotone cubic).
double unwarp_time(double w, double s);
void check_warp_s(double s);

}  // namespace minflow::flow
