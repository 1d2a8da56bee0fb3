// What the exact field measures on the training path (docs/design.md#exact-velocity):
// the loss floor, a model's loss and excess loss, and its velocity error, overall and per
// bin of t.
//
// Flow matching's loss at time t is E‖u − v(x_t, t)‖² with u = x1 − x0. Splitting u into
// u*(x_t, t) + (u − u*), the cross term has mean zero (u* is the conditional mean of u), so
//   E‖u − v‖² = E‖u − u*‖² + E‖v − u*‖²:
// the first term is the floor that no model can go below; the second the velocity error.
// The trainer reports the MSE per coordinate (the mean over the 2 coordinates), so
//   loss_floor  = E‖u − u*(x_t, t)‖² / 2,   excess_loss = loss − loss_floor,
//   velocity_error = E‖v(x_t, t) − u*(x_t, t)‖²   (a sum over coordinates, not halved);
// in expectation excess_loss = velocity_error / 2, and both are estimated on the same draws.
//
// Estimator: t on a stratified grid (bins equal-width bins of [0, 1], times_per_bin
// midpoints in each), and at each t `rows` fresh pairs x0 ~ N(0, I), x1 ~ the target from
// Generator(seed, "path_x0") / (seed, "path_x1"). The overall value is the mean of the bins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/random.hpp"
#include "flow/exact_field.hpp"

namespace minflow::flow {

// Draws n target points.
using TargetSampler = std::function<Array<float>(Generator& gen, std::size_t n)>;
TargetSampler dataset_sampler(const std::string& data);    // a built-in set (sample_dataset)
TargetSampler points_sampler(const Array<float>& points);  // rows drawn uniformly

struct PathOptions {
  std::size_t bins = 10;
  std::size_t times_per_bin = 8;
  std::size_t rows = 2048;  // pairs per time
  std::uint64_t seed = 0;
};

// A quantity overall and per bin of t (bin b covers [b/bins, (b + 1)/bins)).
struct ByTime {
  double overall = 0.0;
  std::vector<double> by_bin;
};

struct PathErrors {
  ByTime loss_floor;
  ByTime loss;            // the model's; empty without a model
  ByTime excess_loss;     // loss − loss_floor
  ByTime velocity_error;  // E‖v − u*‖²
};

// The floor alone (model == nullptr) or everything for a model's velocity field.
PathErrors path_errors(const GaussianMixture& exact, const TargetSampler& target,
                       const VelocityField<float>* model, const PathOptions& options = {});

}  // namespace minflow::flow
