#include "apps/conditional.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "flow/conditional.hpp"
#include "flow/labels.hpp"
#include "flow/velocity_net.hpp"
#include "plot/conditional.hpp"

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

bool is_conditional(const nn::LoadedMlp& model) {
  const nn::Config& config = model.checkpoint.config;
  return model.model && config.has("conditional") && config.get_string("conditional") == "true";
}

Conditioning conditioning(const Flags& flags, const nn::LoadedMlp& model) {
  Conditioning c;
  c.conditional = is_conditional(model);
  c.guidance = flags.real("guidance");
  const bool asked = flags.given("label") || flags.given("guidance");
  if (!model.model) {
    if (asked) flags.fail("--label and --guidance need a conditional --model");
    return c;
  }
  if (!c.conditional) {
    if (asked) {
      flags.fail(std::string("--") + (flags.given("label") ? "label" : "guidance") +
                 " needs a conditional checkpoint (train --conditional); this one is not");
    }
    return c;
  }
  const nn::Config& config = model.checkpoint.config;
  const std::size_t classes = config.get_size("classes");
  if (flags.given("label")) {
    c.by_class = true;
    c.label = flags.count("label");
    if (c.label >= classes) {
      flags.fail("--label must be a class from 0 to " + std::to_string(classes - 1) + " of " +
                 config.get_string("data") + ", got " + std::to_string(c.label));
    }
    char text[96];
    std::snprintf(text, sizeof text, "class %zu at guidance %g", c.label, c.guidance);
    c.text = text;
  } else if (flags.given("guidance")) {
    flags.fail("--guidance needs --label");
  } else {
    c.guidance = 0.0;
    c.text = "unconditional (no --label: w = 0)";
  }
  return c;
}

flow::VelocityField<float> model_field(const Flags& flags, nn::LoadedMlp& model) {
  const Conditioning c = conditioning(flags, model);
  if (!c.conditional) return flow::velocity_field(*model.model);
  const std::size_t classes = model.checkpoint.config.get_size("classes");
  // No label: the unconditional field (guided_field ignores w for label == classes).
  return flow::guided_field(*model.model, classes, c.by_class ? c.label : classes, c.guidance);
}

plot::PlotResult plot_guidance(const std::filesystem::path& image, const Flags& flags,
                               nn::LoadedMlp& model, const flow::IntegrateOptions& options,
                               const plot::PlotOptions& plot) {
  const std::size_t classes = model.checkpoint.config.get_size("classes");
  const std::size_t per_class = std::max<std::size_t>(1, flags.count("n") / classes);
  const std::vector<double> ws = {0.0, 1.0, 2.0, 4.0};
  std::vector<std::vector<Array<float>>> samples;
  for (double w : ws) {
    Generator gen(flags.seed("seed"), "sample");  // the same noise at every w
    samples.push_back(flow::sample_classes(*model.model, classes, w, per_class, options, gen));
  }
  return plot::plot_guidance_grid(image, ws, samples,
                                  nn::checkpoint_display_name(flags.text("model")) + ", " +
                                      std::to_string(per_class) + " per class: ",
                                  plot);
}

}  // namespace minflow::cli
