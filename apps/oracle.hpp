// --oracle DATA (sample, eval) and --teacher-oracle DATA (reflow): the exact velocity of
// Gaussian → DATA in place of a trained net (flow/exact_field.hpp).
#pragma once

#include <string>

#include "apps/flags.hpp"
#include "flow/exact_field.hpp"
#include "flow/path_errors.hpp"

namespace minflow::cli {

struct Oracle {
  flow::GaussianMixture mixture;  // the target as a Gaussian mixture
  flow::TargetSampler target;     // fresh target points: the set, or rows of the file
  std::string data;               // the built-in set's name; "" for a file
};

// DATA is a built-in set with an exact field (spiral, moons, eight_gaussians, rings) or an
// [n,2] float32/float64 .npy (a finite data set). Anything else is a UsageError naming `flag`.
Oracle load_oracle(const Flags& flags, const std::string& flag);

// Whether a built-in set has a known density (for nll_true_density, entropy, off-support).
bool has_known_density(const std::string& data);

}  // namespace minflow::cli
