// The exact velocity at one point, written plainly (docs/design.md#exact-velocity): one pass
// over the components for the log-weights, log-sum-exp, then the weighted mean. The
// vectorised exact_velocity (exact_field.hpp) computes the same numbers four components at a
// time and skips negligible ones; this is the version to read, and the reference it is
// checked against (exercise 10.1, tests/course).
#pragma once

#include <array>

#include "flow/exact_field.hpp"

namespace minflow::flow {

// u*(x, t) at the point (x, y) for the mixture's point components (rings are refused), t in
// [0, 1]; u*(x, 1) = x.
std::array<double, 2> exact_velocity_at(const GaussianMixture& mixture, double x, double y,
                                        double t);

}  // namespace minflow::flow
