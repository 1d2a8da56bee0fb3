// minflow plot: one figure family of docs/design.md#figures, drawn by gnuplot, with the .dat and
// .gp files beside every image (docs/cli.md#minflow-plot). Without gnuplot on PATH it says so once
// and writes the .dat and .gp files only.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "apps/conditional.hpp"
#include "apps/oracle.hpp"
#include "apps/plot_exact.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/velocity_net.hpp"
#include "plot/couplings.hpp"
#include "plot/plot.hpp"

namespace minflow::cli {

namespace {

// Each --what and whether it needs --model.
const std::map<std::string, bool>& families() {
  static const std::map<std::string, bool> table = {
      {"data", false},        {"loss", true},      {"samples", true},    {"field", true},
      {"trajectories", true}, {"animation", true}, {"timewarp", false},  {"velocity-error", true},
      {"excess-loss", true},  {"density", true},   {"couplings", false},
  };
  return table;
}

std::string family_names() {
  std::string names;
  for (const auto& [name, needs_model] : families())
    names += (names.empty() ? "" : ", ") + name;
  return names;
}

bool is_reflow(const nn::LoadedMlp& model) {
  const nn::Config& config = model.checkpoint.config;
  return config.has("kind") && config.get_string("kind") == "reflow";
}

// "flow matching (flow.ckpt)" or "reflow (reflow.ckpt)".
std::string model_title(const nn::LoadedMlp& model, const fs::path& path) {
  return std::string(is_reflow(model) ? "reflow" : "flow matching") + " (" +
         nn::checkpoint_display_name(path) + ")";
}

std::string two_decimals(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

void report(const plot::PlotResult& result) {
  if (result.drawn) {
    std::cout << "minflow plot: wrote " << result.image.string()
              << (result.svg.empty() ? "" : " and " + result.svg.string()) << " (with "
              << result.data.filename().string() << ", " << result.script.filename().string()
              << ")\n";
  } else {
    std::cout << "minflow plot: wrote " << result.data.string() << " and " << result.script.string()
              << " (no image)\n";
  }
}

}  // namespace

Flags plot_flags() {
  Flags flags("minflow plot");
  add_common_flags(flags);
  flags.add_text("what", "", "the figure family: " + family_names());
  flags.add_text("model", "", "checkpoint folder (all but data, timewarp and couplings need one)");
  flags.add_text("compare", "", "animation: a second checkpoint, side by side (combined.gif)");
  flags.add_text("oracle", "",
                 "samples, field, trajectories, animation: the exact field of Gaussian → DATA "
                 "instead of --model; velocity-error, excess-loss: the reference (default: the "
                 "checkpoint's data)");
  flags.add_text("out", ".", "folder for the figures (created if missing)");
  flags.add_text("data", "", "target set for --what data (default: the checkpoint's, else spiral)");
  flags.add_count("n", 2048, "points, drawn from the source with --seed", kMaxPoints);
  flags.add_real("t", 0.5, "field: the time at which the velocity is drawn", false);
  add_source_flag(flags);
  add_integrator_flags(flags);
  add_guidance_flags(flags);
  flags.add_switch("svg", "also write each figure as SVG");
  flags.add_switch("show", "also show it (a gnuplot window, else text in the terminal)");
  return flags;
}

int run_plot(const std::vector<std::string>& args) {
  Flags flags = plot_flags();
  if (!flags.parse(args)) {
    std::cout
        << flags.help("--what WHAT [--model CKPT] [--out DIR] [flags]")
        << "\nWrites one figure family (docs/design.md#figures) with its .dat and .gp files:\n"
           "  data          source_target.png, pairing_velocities.png\n"
           "  loss          loss.png (reflow_loss.png for a reflow checkpoint)\n"
           "  samples       samples.png (+ guidance.png for a conditional checkpoint)\n"
           "  field         field.png (the velocity at --t)\n"
           "  trajectories  trajectories.png\n"
           "  animation     flowmatch.gif or reflow.gif (+ combined.gif with --compare)\n"
           "  timewarp      timewarp.gif\n"
           "  velocity-error  velocity_error.png (E|v - u*|^2 by t)\n"
           "  excess-loss   loss_floor.png, excess_loss.png (loss - floor, log axis)\n"
           "  density       density.png (the model's density on a grid over the window)\n"
           "  couplings     couplings.png (one batch paired independently, by OT, by Sinkhorn)\n";
    return 0;
  }
  // Every check first: a refused command writes nothing.
  const std::string what = flags.text("what");
  if (!flags.given("what")) flags.fail("--what is required (choose " + family_names() + ")");
  const auto family = families().find(what);
  if (family == families().end()) {
    flags.fail("--what must be one of " + family_names() + ", got \"" + what + "\"");
  }
  const bool by_oracle =
      flags.given("oracle") && !flags.given("model") &&
      (what == "samples" || what == "field" || what == "trajectories" || what == "animation");
  if (family->second && !flags.given("model") && !by_oracle) {
    flags.fail("--what " + what + " needs --model" +
               (flags.given("oracle")
                    ? ""
                    : " (or --oracle for samples, field, trajectories, animation)"));
  }
  if (flags.given("compare") && what != "animation") {
    flags.fail("--compare is only for --what animation");
  }
  const flow::IntegrateOptions options = integrator_options(flags);
  if (what == "animation" && options.solver == flow::Solver::dopri5) {
    flags.fail("--what animation needs a fixed-step solver (euler, midpoint, heun, rk4)");
  }
  const double t = flags.real("t");
  if (t < 0 || t > 1) flags.fail("--t must be in [0, 1], got " + std::to_string(t));
  const fs::path out = flags.text("out");
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_directory(out, ec)) {
    flags.fail("--out " + out.string() + " exists and is not a folder");
  }
  const fs::path model_path = flags.text("model"), compare_path = flags.text("compare");
  nn::LoadedMlp model, other;
  if (flags.given("model") && (family->second || what == "data"))
    model = load_model(flags, model_path, /*conditional_ok=*/true);
  const Conditioning cond = conditioning(flags, model);  // --label, --guidance
  if (flags.given("compare")) other = load_model(flags, compare_path);
  const std::string data = target_data(flags, model);
  const bool exact_reference = what == "velocity-error" || what == "excess-loss";
  if (cond.conditional && (what == "density" || exact_reference))  // the unconditional truth
    flags.fail("--what " + what + " does not take a conditional checkpoint");
  Oracle oracle;
  if (flags.given("oracle")) {
    oracle = load_oracle(flags, "oracle");
  } else if (exact_reference) {
    if (!flow::has_exact_field(data)) {
      flags.fail("--what " + what + " needs an exact field: " + data +
                 " has none (give --oracle DATA)");
    }
    oracle.mixture = flow::target_mixture(data);
    oracle.target = flow::dataset_sampler(data);
  }
  if (what == "excess-loss" && model.checkpoint.loss.empty()) {
    flags.fail("--model " + model_path.string() + " holds no loss history (loss.npy)");
  }
  // The field drawn: the checkpoint's net (a class's, or unconditional), or the exact field.
  const std::string source_name = by_oracle ? "the exact field (" + flags.text("oracle") + ")"
                                            : nn::checkpoint_display_name(model_path) +
                                                  (cond.conditional ? ", " + cond.text : "");
  auto field = [&] {
    return by_oracle ? flow::exact_field(oracle.mixture) : model_field(flags, model);
  };
  const std::string source = model_source(flags, model);
  if (what == "loss" && model.checkpoint.loss.empty()) {
    flags.fail("--model " + model_path.string() + " holds no loss history (loss.npy)");
  }
  fs::create_directories(out, ec);
  if (ec) flags.fail("--out " + out.string() + ": cannot create the folder (" + ec.message() + ")");
  apply_threads(flags);

  plot::PlotOptions plot;
  plot.svg = flags.on("svg");
  plot.show = flags.on("show");
  const std::size_t n = flags.count("n");
  // The start points: noise, or data when integrating backwards; the same as `minflow sample`.
  auto start_points = [&](std::size_t count) {
    Generator gen(flags.seed("seed"), "sample");
    return flow::sample_dataset(options.reverse ? data : source, gen, count);
  };

  if (what == "data") {
    Generator gen(flags.seed("seed"), "plot");
    const Array<float> x0 = flow::sample_dataset(source, gen, n),
                       x1 = flow::sample_dataset(data, gen, n);
    report(plot::plot_scatter(
        out / "source_target.png",
        {{"source: " + source + ", " + std::to_string(n) + " points", {{x0, "", "#1f77b4"}}},
         {"target: " + data + ", " + std::to_string(n) + " points", {{x1, "", "#ff7f0e"}}}},
        plot));
    report(plot::plot_pairing(out / "pairing_velocities.png", x0, x1,
                              "a random pairing: arrows x1 - x0 at the source points", 256, plot));
  } else if (what == "loss") {
    const bool reflow = is_reflow(model);
    report(plot::plot_loss(out / (reflow ? "reflow_loss.png" : "loss.png"), model.checkpoint.loss,
                           (reflow ? "reflow training loss (" : "flow matching training loss (") +
                               nn::checkpoint_display_name(model_path) + ")",
                           0, plot));
  } else if (what == "samples") {
    const auto result = flow::integrate(field(), start_points(n), options);
    report(
        plot::plot_scatter(out / "samples.png",
                           {{"samples of " + source_name + ": " + solver_text(options, result.nfe),
                             {{result.x, "", options.reverse ? "#1f77b4" : "#ff7f0e"}}}},
                           plot));
    if (cond.conditional) report(plot_guidance(out / "guidance.png", flags, model, options, plot));
  } else if (what == "field") {
    report(plot::plot_velocity_field(out / "field.png", field(), t,
                                     "velocity of " + source_name + " at t = " + two_decimals(t),
                                     25, plot));
  } else if (what == "trajectories") {
    const std::size_t paths = std::min<std::size_t>(n, 300);
    flow::IntegrateOptions recorded = options;
    recorded.record_trajectory = true;
    const auto result = flow::integrate(field(), start_points(paths), recorded);
    report(plot::plot_trajectories(out / "trajectories.png", result.trajectory,
                                   "paths of " + std::to_string(paths) + " particles: " +
                                       source_name + ", " + solver_text(options, result.nfe),
                                   paths, plot));
  } else if (what == "animation") {
    flow::IntegrateOptions recorded = options;
    recorded.record_trajectory = true;
    const Array<float> x0 = start_points(n);
    const std::vector<double> times =
        flow::time_grid(options.steps, options.grid_warp, options.reverse);
    std::vector<plot::AnimatedPanel> panels;
    panels.push_back({by_oracle ? source_name : model_title(model, model_path),
                      flow::integrate(field(), x0, recorded).trajectory, times});
    report(plot::animate_particles(
        out / (!by_oracle && is_reflow(model) ? "reflow.gif" : "flowmatch.gif"), {panels[0]},
        plot));
    if (other.model) {
      panels.push_back(
          {model_title(other, compare_path),
           flow::integrate(flow::velocity_field(*other.model), x0, recorded).trajectory, times});
      report(plot::animate_particles(out / "combined.gif", panels, plot));
    }
  } else if (what == "density") {
    report(draw_model_density(out / "density.png", model, nn::checkpoint_display_name(model_path),
                              data, options, plot));
  } else if (what == "couplings") {  // one batch (--n, default 128) paired three ways
    Generator gen(flags.seed("seed"), "couplings");
    const std::size_t batch = flags.given("n") ? n : 128;
    const Array<float> x0 = flow::sample_dataset(source, gen, batch),
                       x1 = flow::sample_dataset(data, gen, batch);
    report(plot::plot_couplings(out / "couplings.png", plot::three_couplings(x0, x1, 0.05, gen),
                                plot));
  } else if (what == "timewarp") {
    report(plot::animate_time_warp(out / "timewarp.gif", plot));
  } else if (what == "velocity-error") {
    report(draw_velocity_error(out / "velocity_error.png", model, oracle, source_name, plot));
  } else if (what == "excess-loss") {
    for (const plot::PlotResult& result :
         draw_excess_loss(out, model, oracle, nn::checkpoint_display_name(model_path), plot))
      report(result);
  }
  return 0;
}

}  // namespace minflow::cli
