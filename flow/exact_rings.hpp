// The rings' part of the exact field (used by exact_field.cpp; not a public interface).
//
// A ring of radius R with radial noise only (flow/datasets.cpp: radius R + s·N(0, 1), angle
// uniform) is the mixture over the angle a ~ U[0, 2π) of N(R e_a, s² e_a e_aᵀ): a Gaussian
// along e_a = (cos a, sin a) and a point across it. Per coordinate of the frame (e_a, e_a⊥)
// the derivation of exact_field.hpp holds with s∥ = s and s⊥ = 0:
//   x_t | a ~ N(t R e_a, diag(v∥, v⊥)),  v∥ = (1 − t)² + t² s²,  v⊥ = (1 − t)²,
//   E[x1 − x0 | x_t = x, a] = R e_a + slope∥ d∥ e_a + slope⊥ d⊥ e_a⊥,  d = x − t R e_a,
//   slope∥ = (t s² − (1 − t)) / v∥,  slope⊥ = −(1 − t) / v⊥.
// Late in t the posterior over a is as narrow as (1 − t)/|x|, so a fixed grid of angles
// would need ever more nodes. Instead each point gets its own grid: a = a_x + δ with
// tan(δ/2) = λ tan(u/2), u on an even grid of [−π, π). The map is a smooth bijection of the
// circle that puts half of the nodes within |δ| < 2 atan λ; λ = 3 × the posterior's width
// in a (from the curvature of its log at δ = 0), at most 1 (no concentration). The periodic
// trapezoid rule in u then converges as fast as for a broad integrand.
#pragma once

#include <vector>

#include "flow/exact_field.hpp"

namespace minflow::flow::detail {

// Per-row scratch: one entry per ring node.
struct RingNodes {
  std::vector<double> log_weight, ux, uy;
  std::vector<double> tau, log_1_tau2;  // tan(u_j/2) and log(1 + tan²(u_j/2)), set once
};

// For t < 1: log(weight · density) and E[x1 − x0 | x_t = x, node] of every ring node at
// (x, y); returns the largest log-weight (−∞ without rings).
double ring_nodes(const GaussianMixture& m, double t, double x, double y, RingNodes& out);

// log Σ_rings w N(|x|; R, s²) / (2π|x|): the rings' density at t = 1, in closed form.
double ring_log_density_t1(const GaussianMixture& m, double x, double y);

}  // namespace minflow::flow::detail
