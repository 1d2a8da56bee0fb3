// The density a flow defines (docs/design.md#negative-log-likelihood).
//
// The flow's map x₀ ↦ x₁ is invertible, so it carries the source density p₀ to a density
// p₁: by the change of variables, and along each path by the continuity equation
// ∂p/∂t + ∇·(p v) = 0, the log-density of a moving particle changes at the rate
//   d/dt log p_t(x_t) = −∇·v(x_t, t),   so   log p₁(x₁) = log p₀(x₀) − ∫₀¹ ∇·v(x_t, t) dt.
// Both are computed by one ODE on the augmented state (x, y, ℓ) with
//   dx/dt = v(x, t),   dℓ/dt = ∇·v(x, t),   ℓ = 0 where the integration starts,
// using any of the integrators (integrators.hpp) on rows [n, 3]; Dopri5's error control
// then watches ℓ as well as x. The divergence is exact (divergence.hpp).
//
//   likelihood: start at the data point x = x₁, integrate from t = 1 back to 0; ℓ ends at
//               −∫₀¹ ∇·v dt, so log p₁(x) = log p₀(x₀) + ℓ.
//   sampling:   start at x₀ ~ p₀, integrate from 0 to 1; ℓ ends at +∫₀¹ ∇·v dt, so each
//               sample's log-density is log p₁(x₁) = log p₀(x₀) − ℓ.
// The NLL of a set is the mean of −log p₁ over its points, in nats per point.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "flow/divergence.hpp"
#include "flow/integrators.hpp"
#include "nn/module.hpp"

namespace minflow::flow {

// log p₀ of a source point; the default is the tutorial's source N(0, I) in 2-D.
using SourceLogDensity = std::function<double(double x, double y)>;
double standard_normal_log_density(double x, double y);  // −(x² + y²)/2 − log 2π

template <class T>
struct DensityResult {
  Array<T> x;                  // the other end of each path: x₀ (likelihood) or x₁ (sampling)
  std::vector<double> log_p;   // log p₁ at the data end of each path
  std::vector<double> log_p0;  // log p₀ at the source end
  std::size_t nfe = 0;         // evaluations of v, each with its divergence
  std::size_t steps = 0, rejected = 0;
  std::vector<Array<T>> trajectory;  // augmented states [n, 3] (x, y, ℓ) when recorded
};

// The augmented right-hand side on rows (x, y, ℓ): (v, ∇·v) by reverse mode; for the net,
// by fast_divergence when it applies (the tutorial's GELU MLP), else by reverse mode with
// the parameters frozen during each evaluation. The net must outlive the field.
template <class T>
VelocityField<T> augmented_field(const TensorField<T>& v);
VelocityField<float> augmented_field(nn::Module& net);
VelocityField<double> augmented_field(nn::DModule& net);  // reverse mode, parameters frozen

// log p₁(x) for every row of x [n, 2] (n > 0), integrating from t = 1 back to t = 0 with
// `options` (its `reverse` is ignored: the direction is fixed).
template <class T>
DensityResult<T> log_likelihood(const TensorField<T>& v, const Array<T>& x,
                                const IntegrateOptions& options,
                                const SourceLogDensity& log_p0 = standard_normal_log_density);
// The net's flow (augmented_field(net)); the parameters' gradients are untouched. The float64
// net's (nn::DMLP) agrees with the float one's to float rounding.
DensityResult<float> log_likelihood(nn::Module& net, const Array<float>& x,
                                    const IntegrateOptions& options,
                                    const SourceLogDensity& log_p0 = standard_normal_log_density);
DensityResult<double> log_likelihood(nn::DModule& net, const Array<double>& x,
                                     const IntegrateOptions& options,
                                     const SourceLogDensity& log_p0 = standard_normal_log_density);

// Samples from x0 [n, 2] (t: 0 → 1) and returns each sample's log-density with it.
template <class T>
DensityResult<T> sample_with_log_density(
    const TensorField<T>& v, const Array<T>& x0, const IntegrateOptions& options,
    const SourceLogDensity& log_p0 = standard_normal_log_density);
DensityResult<float> sample_with_log_density(
    nn::Module& net, const Array<float>& x0, const IntegrateOptions& options,
    const SourceLogDensity& log_p0 = standard_normal_log_density);
DensityResult<double> sample_with_log_density(
    nn::DModule& net, const Array<double>& x0, const IntegrateOptions& options,
    const SourceLogDensity& log_p0 = standard_normal_log_density);

// −mean(log p₁): the negative log-likelihood in nats per point.
template <class T>
double mean_nll(const DensityResult<T>& result);

}  // namespace minflow::flow
