#include "apps/conditional.hpp"

#include <string>

#include "flow/conditional.hpp"
#include "flow/labels.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::cli {

void add_conditional_train_flags(Flags& flags) {
  flags.add_switch("conditional",
                   "a label-conditional flow; classes: eight_gaussians 0-7 (the centres "
                   "counter-clockwise from (2, 0)), moons 0 upper / 1 lower, rings 0-2 (radius "
                   "1, 2, 3), spiral 0-2 (its turns, inner to outer)");
  flags.add_real("label-dropout", 0.1,
                 "with --conditional: the rate at which a label is replaced by 'no label'");
}

std::size_t conditional_classes(const Flags& flags, flow::TrainSettings& settings) {
  if (!flags.on("conditional")) {
    if (flags.given("label-dropout")) flags.fail("--label-dropout needs --conditional");
    return 0;
  }
  const std::size_t classes = flow::dataset_classes(settings.data);
  if (classes == 0) {
    flags.fail(
        "--conditional needs a data set with classes (eight_gaussians, moons, rings, "
        "spiral), not " +
        settings.data);
  }
  if (flags.real("label-dropout") >= 1.0) {
    flags.fail("--label-dropout must be below 1, got " +
               std::to_string(flags.real("label-dropout")));
  }
  settings.net.in = 3 + classes + 1;
  return classes;
}

void write_conditional_keys(const Flags& flags, std::size_t classes, nn::Config& extra) {
  extra.set("conditional", "true");
  extra.set("classes", classes);
  extra.set("label_dropout", flags.real("label-dropout"));
}

flow::BatchSource conditional_source(const Flags& flags, const flow::TrainSettings& settings) {
  return flow::conditional_batches(settings.data, flags.real("label-dropout"), settings.time);
}

void add_guidance_flags(Flags& flags) {
  flags.add_count("label", 0, "a conditional checkpoint's class (from 0; default: no label)", 1000,
                  true);
  flags.add_real("guidance", 1.0,
                 "W in v = v_u + W (v_c - v_u): 0 unconditional, 1 conditional, > 1 guided", false);
}

flow::VelocityField<float> model_field(const Flags& flags, nn::LoadedMlp& model) {
  const nn::Config& config = model.checkpoint.config;
  const bool conditional = config.has("conditional") && config.get_string("conditional") == "true";
  if (!conditional) {
    if (flags.given("label") || flags.given("guidance")) {
      flags.fail(std::string("--") + (flags.given("label") ? "label" : "guidance") +
                 " needs a conditional checkpoint (train --conditional); this one is not");
    }
    return flow::velocity_field(*model.model);
  }
  const std::size_t classes = config.get_size("classes");
  std::size_t label = classes;  // no label: the unconditional field
  if (flags.given("label")) {
    label = flags.count("label");
    if (label >= classes) {
      flags.fail("--label must be a class from 0 to " + std::to_string(classes - 1) + " of " +
                 config.get_string("data") + ", got " + std::to_string(label));
    }
  } else if (flags.given("guidance")) {
    flags.fail("--guidance needs --label");
  }
  return flow::guided_field(*model.model, classes, label, flags.real("guidance"));
}

}  // namespace minflow::cli
