// Judging a velocity net by its samples (docs/design.md#metrics), the way `minflow eval`, reflow's
// before/after table and the demo's report all do it: sample n points from noise with a
// given integrator, compare them with n fresh target points drawn with the evaluation seed,
// and put the result beside the noise floor (two target samples compared with each other).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "flow/integrators.hpp"
#include "nn/module.hpp"

namespace minflow::flow {

// The seed of the evaluation's target points: fixed, so that every evaluation of every
// model compares with the same points (docs/design.md#evaluation-settings).
constexpr std::uint64_t kEvalSeed = 20261129;

struct EvalSettings {
  std::string data = "spiral";
  std::size_t n = 4096;
  std::uint64_t seed = 0;               // the noise the samples start from ("sample" stream)
  std::uint64_t eval_seed = kEvalSeed;  // the target points ("target" and "floor" streams)
};

struct SampleQuality {
  std::string solver;
  std::size_t steps = 0, nfe = 0;
  double energy_distance = 0, sliced_w2 = 0;
};

struct NoiseFloor {
  double energy_distance = 0, sliced_w2 = 0;
};

// The target points and the noise floor for these settings.
Array<float> evaluation_targets(const EvalSettings& settings);
NoiseFloor noise_floor(const EvalSettings& settings);

// Samples with `options` and measures them against the targets.
SampleQuality sample_quality(nn::Module& net, const EvalSettings& settings,
                             const IntegrateOptions& options, Array<float>* samples = nullptr);
// The same for any velocity field (the exact one, flow/exact_field.hpp).
SampleQuality sample_quality(const VelocityField<float>& field, const EvalSettings& settings,
                             const IntegrateOptions& options, Array<float>* samples = nullptr);

// Straightness on the 100-step Euler path from the evaluation noise.
double model_straightness(nn::Module& net, const EvalSettings& settings);
double model_straightness(const VelocityField<float>& field, const EvalSettings& settings);

// Straightness and Euler quality at each step count (reflow's before/after table).
struct EulerReport {
  double straightness = 0;
  std::vector<SampleQuality> euler;  // one per step count
};
EulerReport euler_report(nn::Module& net, const EvalSettings& settings,
                         const std::vector<std::size_t>& step_counts = {1, 2, 4, 100});
EulerReport euler_report(const VelocityField<float>& field, const EvalSettings& settings,
                         const std::vector<std::size_t>& step_counts = {1, 2, 4, 100});

}  // namespace minflow::flow
