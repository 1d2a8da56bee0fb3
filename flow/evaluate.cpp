#include "flow/evaluate.hpp"

#include "base/interrupt.hpp"
#include "base/random.hpp"
#include "flow/datasets.hpp"
#include "flow/metrics.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::flow {

namespace {
Array<float> evaluation_noise(const EvalSettings& settings) {
  Generator gen(settings.seed, "sample");
  return gaussian(gen, settings.n);
}
}  // namespace

Array<float> evaluation_targets(const EvalSettings& settings) {
  Generator gen(settings.eval_seed, "target");
  return sample_dataset(settings.data, gen, settings.n);
}

NoiseFloor noise_floor(const EvalSettings& settings) {
  Generator gen(settings.eval_seed, "floor");
  const Array<float> other = sample_dataset(settings.data, gen, settings.n);
  const Array<float> target = evaluation_targets(settings);
  return {energy_distance(other, target), sliced_w2(other, target)};
}

SampleQuality sample_quality(nn::Module& net, const EvalSettings& settings,
                             const IntegrateOptions& options, Array<float>* samples) {
  return sample_quality(velocity_field(net), settings, options, samples);
}

SampleQuality sample_quality(const VelocityField<float>& field, const EvalSettings& settings,
                             const IntegrateOptions& options, Array<float>* samples) {
  const auto result = integrate(field, evaluation_noise(settings), options);
  const Array<float> target = evaluation_targets(settings);
  SampleQuality q;
  q.solver = solver_name(options.solver);
  q.steps = result.steps;
  q.nfe = result.nfe;
  q.energy_distance = energy_distance(result.x, target);
  q.sliced_w2 = sliced_w2(result.x, target);
  if (samples) *samples = result.x;
  return q;
}

double model_straightness(nn::Module& net, const EvalSettings& settings) {
  return model_straightness(velocity_field(net), settings);
}

double model_straightness(const VelocityField<float>& field, const EvalSettings& settings) {
  return straightness(field, evaluation_noise(settings));
}

EulerReport euler_report(nn::Module& net, const EvalSettings& settings,
                         const std::vector<std::size_t>& step_counts) {
  return euler_report(velocity_field(net), settings, step_counts);
}

EulerReport euler_report(const VelocityField<float>& field, const EvalSettings& settings,
                         const std::vector<std::size_t>& step_counts) {
  EulerReport report;
  report.straightness = model_straightness(field, settings);
  for (std::size_t steps : step_counts) {
    if (interrupt_signal()) break;  // Ctrl-C: a shorter report; the caller sees the signal
    IntegrateOptions options;
    options.solver = Solver::euler;
    options.steps = steps;
    report.euler.push_back(sample_quality(field, settings, options));
  }
  return report;
}

}  // namespace minflow::flow
