// --time error:CKPT (train, reflow): training times drawn in proportion to a checkpoint's
// measured velocity error by t (docs/cli.md#minflow-train, docs/design.md#time-samplers).
#pragma once

#include <string>

#include "apps/flags.hpp"
#include "flow/time_sampler.hpp"

namespace minflow::cli {

// The sampler bins:E_0,…,E_9 with E_k the velocity error E‖v − u*‖² of the checkpoint at
// `path` in the k-th tenth of t, measured as `minflow eval --oracle` does (the exact field of
// the checkpoint's target as the reference, the evaluation seed): the same weights a user
// would copy from eval's velocity_error_bin0…9 into --time bins:…. `data` is the run's target,
// which must be the checkpoint's. A missing or unreadable checkpoint, or one whose target has
// no exact field, is a UsageError naming --time.
flow::TimeSampler error_time_sampler(const Flags& flags, const std::string& path,
                                     const std::string& data);

}  // namespace minflow::cli
