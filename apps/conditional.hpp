// The command line of label-conditional flows (docs/cli.md#label-conditional-flows):
// `train --conditional [--label-dropout P]` and `sample --label K --guidance W`.
#pragma once

#include <cstddef>
#include <string>

#include "apps/flags.hpp"
#include "flow/integrators.hpp"
#include "flow/trainer.hpp"
#include "nn/checkpoint.hpp"
#include "plot/plot.hpp"

namespace minflow::cli {

void add_conditional_train_flags(Flags& flags);
// 0 without --conditional; else the data set's classes (a usage error when it has none),
// with settings.net.in widened to 3 + K + 1.
std::size_t conditional_classes(const Flags& flags, flow::TrainSettings& settings);
// The config keys of a conditional run: conditional, classes, label_dropout.
void write_conditional_keys(const Flags& flags, std::size_t classes, nn::Config& extra);
flow::BatchSource conditional_source(const Flags& flags, const flow::TrainSettings& settings);

void add_guidance_flags(Flags& flags);
// The field to sample: the plain net, or for a conditional checkpoint the guided field of
// --label with --guidance (no --label: the unconditional field). --label or --guidance on
// an unconditional checkpoint, or a label outside the classes, is a usage error.
flow::VelocityField<float> model_field(const Flags& flags, nn::LoadedMlp& model);

bool is_conditional(const nn::LoadedMlp& model);  // trained with --conditional

// What a command does with --model (eval, plot): for a conditional checkpoint, class --label
// at --guidance, or with no --label the unconditional field (w = 0). The usage errors of
// model_field, checked before anything runs; --label or --guidance without --model too.
struct Conditioning {
  bool conditional = false;  // a label-conditional checkpoint
  bool by_class = false;     // --label given
  std::size_t label = 0;
  double guidance = 1.0;
  std::string text;  // "class 1 at guidance 2, against that class's points" or "unconditional …"
};
Conditioning conditioning(const Flags& flags, const nn::LoadedMlp& model);

// guidance.png of `plot --what samples` on a conditional checkpoint: one panel per w = 0, 1,
// 2, 4, each class's n / K samples (--n, --seed, the integrator flags) in its colour.
plot::PlotResult plot_guidance(const std::filesystem::path& image, const Flags& flags,
                               nn::LoadedMlp& model, const flow::IntegrateOptions& options,
                               const plot::PlotOptions& plot);

}  // namespace minflow::cli
