// How good is a set of generated points? (docs/design.md#metrics)
//
// A flow-matching loss cannot answer this (it stays high even for a perfect model,
// docs/design.md#why-the-loss-stays-high), so minflow compares samples with fresh target points
// directly, in double precision.
#pragma once

#include <cstdint>

#include "autograd/tensor.hpp"
#include "flow/integrators.hpp"

namespace minflow::flow {

// ED(X, Y) = 2·E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖ with each E the mean over all pairs,
// the zero diagonal included (the V-statistic). Zero exactly when X and Y are the same set;
// for two samples of one distribution it shrinks like 1/n. X and Y are [n, 2] and [m, 2].
double energy_distance(const Array<float>& x, const Array<float>& y);

// Sliced Wasserstein-2: project both sets onto `directions` unit vectors at angles drawn
// uniformly from [0, π) (Generator(seed, "sliced_w2")), sort each projection, and take
// √(mean of squared differences over all directions and points together). X and Y must
// have the same number of rows.
double sliced_w2(const Array<float>& x, const Array<float>& y, std::size_t directions = 256,
                 std::uint64_t seed = 0);

// Straightness (Liu et al. 2023) S = ∫₀¹ E‖(x1 − x0) − v(x_t, t)‖² dt, estimated on the
// model's own 100-step Euler path from x0: the mean over steps k and rows of
// ‖(x_N − x_0) − v(x_k, t_k)‖². Zero for straight paths travelled at constant speed.
double straightness(const VelocityField<float>& v, const Array<float>& x0, std::size_t steps = 100);

}  // namespace minflow::flow
