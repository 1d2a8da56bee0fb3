// Transport metrics of Tong et al. (2024)'s 2-D table: the exact 2-Wasserstein distance
// between two equal-size point sets and the normalised path energy of a flow.
#pragma once

#include <cstddef>

#include "autograd/tensor.hpp"
#include "flow/integrators.hpp"

namespace minflow::flow {

// W2(X, Y) = √( min over one-to-one pairings σ of (1/n) Σ_i ‖x_i − y_σ(i)‖² ), exact, by the
// assignment solver (assignment.hpp). X and Y are [n, 2] with the same n; 4,096 points take
// about two seconds. Throws std::invalid_argument otherwise.
double exact_w2(const Array<float>& x, const Array<float>& y);

// Path energy PE = mean over paths of ∫₀¹ ‖v(x_t, t)‖² dt along the model's own trajectories
// from x0, estimated on the Euler path with `steps` steps: (1/n) Σ_i Σ_k h‖v(x_k,i, t_k)‖²,
// h = 1/steps, t_k = k·h (the same path as straightness). A straight constant-speed path
// from x0 to x1 has energy ‖x1 − x0‖², and no path between them has less, so over a coupling
// PE ≥ W2²(source, target): equality means the flow moves every point straight to its
// optimal-transport partner.
double path_energy(const VelocityField<float>& v, const Array<float>& x0, std::size_t steps = 100);

// NPE = |PE − W2²| / W2² (Tong et al. 2024): 0 for the optimal-transport flow. Throws
// std::invalid_argument when w2_squared is not > 0.
double normalized_path_energy(double path_energy, double w2_squared);

}  // namespace minflow::flow
