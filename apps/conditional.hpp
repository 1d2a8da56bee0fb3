// The command line of label-conditional flows (docs/cli.md#label-conditional-flows):
// `train --conditional [--label-dropout P]` and `sample --label K --guidance W`.
#pragma once

#include <cstddef>

#include "apps/flags.hpp"
#include "flow/integrators.hpp"
#include "flow/trainer.hpp"
#include "nn/checkpoint.hpp"

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

}  // namespace minflow::cli
