// The exact answer: the marginal velocity that flow matching regresses onto, in closed form
// (docs/design.md#exact-velocity).
//
// Derivation. The source is x0 ~ N(0, I), the target a mixture x1 ~ Σ_k w_k N(μ_k, s_k² I),
// the path x_t = (1 − t)·x0 + t·x1 and the regression target u = x1 − x0. Flow matching's
// minimiser is the conditional mean u*(x, t) = E[x1 − x0 | x_t = x] (the mean of u over
// all pairs that pass through x at time t). Condition first on the component k:
//   x_t | k ~ N(t μ_k, σ_k² I),  σ_k² = (1 − t)² + t² s_k²   (a sum of two independent
//   Gaussians with variances (1 − t)² and t² s_k²),
// and (x1 − x0, x_t) are jointly Gaussian given k, so the conditional mean is linear:
//   E[x1 − x0 | x_t = x, k] = E[u | k] + Cov(u, x_t | k) / Var(x_t | k) · (x − t μ_k)
//                           = μ_k + (t s_k² − (1 − t)) / σ_k² · (x − t μ_k),
// since Cov(x1 − x0, (1 − t) x0 + t x1) = t s_k² − (1 − t) per coordinate. Then average over
// the posterior of k given x_t = x (Bayes):
//   P(k | x_t = x) ∝ w_k N(x; t μ_k, σ_k² I),
//   u*(x, t) = Σ_k P(k | x) · E[x1 − x0 | x_t = x, k].
// The weights span hundreds of orders of magnitude (σ_k is 0.1 near t = 1), so they are
// computed as log-weights and normalised by log-sum-exp, in double precision.
//
// At t = 1, x_t = x1 and x0 is independent of it, so u*(x, 1) = x − E[x0] = x: the formula's
// limit when s_k > 0, and the value used for zero-width components (a finite data set),
// where the formula itself is 0/0 at t = 1.
//
// Targets: a finite data set is a mixture of n zero-width components (s = 0, w = 1/n); the
// eight Gaussians a mixture of 8; the spiral and the moons mixtures over the curve's
// parameter, replaced by Simpson's rule with `nodes` + 1 nodes evenly spaced in the angle.
// With the defaults below, N and 2N nodes agree to ~4e-6 (relative) on the training path
// and to < 1e-3 at noise points far beyond the curve's ends at t ≥ 0.9, where the posterior
// is a sharp exponential at the last nodes (tests/flow/test_exact_field.cpp). The rings have
// radial noise only: a mixture of Gaussians flat across the ring (flow/exact_rings.hpp).
// The checkerboard (uniform squares) is no mixture of Gaussians: asking for it throws.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "flow/integrators.hpp"

namespace minflow::flow {

// Angles per ring and point (tests/flow/test_exact_field.cpp: N against 2N).
constexpr std::size_t kRingNodes = 48;

// Σ_k w_k N(μ_k, s_k² I) in 2-D, one entry per component, in double; and rings.
struct GaussianMixture {
  std::vector<double> mx, my;  // the centres μ_k
  std::vector<double> s2;      // the variances s_k² (0: a point mass)
  std::vector<double> log_w;   // log w_k, normalised so that Σ w_k = 1 (with the rings')
  // Rings of radius R with radial noise only, angle uniform (flow/exact_rings.hpp): weight,
  // radius, radial variance; integrated per point with ring_nodes adaptive nodes.
  std::vector<double> ring_r, ring_s2, ring_log_w;
  std::size_t ring_nodes = kRingNodes;
  std::string name;  // for messages: "spiral", "data.npy", …

  std::size_t size() const { return mx.size(); }  // point components (rings apart)
  bool empty() const { return mx.empty() && ring_r.empty(); }
  bool has_density() const;  // every s_k > 0 (a finite data set has none)
};

// Quadrature nodes for the curves when none are asked for: enough that u* changes by
// less than 1e-4 relative to 2N nodes (tests/flow/test_exact_field.cpp).
constexpr std::size_t kSpiralNodes = 2048;
constexpr std::size_t kMoonNodes = 1024;  // per moon

// Whether a built-in target has an exact field (spiral, moons, eight_gaussians, rings,
// gaussian).
bool has_exact_field(const std::string& data);
// The built-in target `data` at `scale` as a mixture; nodes = 0 takes the defaults above.
// Throws std::invalid_argument for the checkerboard and unknown names.
GaussianMixture target_mixture(const std::string& data, std::size_t nodes = 0, double scale = 1.0);
// A finite data set [n, 2] (n > 0, finite values): n point masses of weight 1/n.
GaussianMixture points_mixture(const Array<float>& points, const std::string& name = "points");

// u*(x, t) for every row of x [n, 2], t in [0, 1]. Rows are split across the thread pool;
// each row's result is the same whatever the split.
Array<double> exact_velocity(const GaussianMixture& mixture, const Array<double>& x, double t);

// log p_t(x) of the marginal at time t, N(t μ_k, σ_k² I) mixed (t = 1: the target's own
// log-density). Throws when the density does not exist (point masses at t = 1).
std::vector<double> log_density(const GaussianMixture& mixture, const Array<double>& x,
                                double t = 1.0);
std::vector<double> log_density(const GaussianMixture& mixture, const Array<float>& x,
                                double t = 1.0);

// u* as an ODE right-hand side, usable wherever a velocity net is (the integrators,
// straightness, reflow's teacher). The float field computes in double and rounds.
VelocityField<double> exact_field_double(const GaussianMixture& mixture);
VelocityField<float> exact_field(const GaussianMixture& mixture);

}  // namespace minflow::flow
