// minflow eval: how close are generated points to the target? (docs/design.md#metrics)
#include <chrono>
#include <cstdio>
#include <iostream>
#include <utility>
#include <vector>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/likelihood.hpp"
#include "flow/metrics.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::cli {

Flags eval_flags() {
  Flags flags("minflow eval");
  add_common_flags(flags);
  flags.add_text("model", "", "a checkpoint to sample here (or --samples)");
  flags.add_text("samples", "", "an existing [n,2] .npy to evaluate (or --model)");
  flags.add_text("data", "", "target set (default: the checkpoint's, else spiral)");
  flags.add_count("n", 4096, "points generated and target points drawn", kMaxPoints);
  flags.add_seed("eval-seed", flow::kEvalSeed, "seed of the target points");
  flags.add_switch("json", "print one JSON object instead of name = value lines");
  flags.add_switch("nll", "also the model's negative log-likelihood of the target points");
  add_integrator_flags(flags);
  return flags;
}

int run_eval(const std::vector<std::string>& args) {
  Flags flags = eval_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("(--model CKPT | --samples FILE) [flags]")
              << "\nPrints energy distance, sliced W2, the noise floor, and for a model its "
                 "straightness and NFE (with --nll also its negative log-likelihood of the target "
                 "points).\n";
    return 0;
  }
  if (flags.given("model") == flags.given("samples")) {
    flags.fail("give exactly one of --model and --samples");
  }
  if (flags.on("nll") && !flags.given("model")) flags.fail("--nll needs --model");
  const flow::IntegrateOptions options = integrator_options(flags);
  Array<float> generated;
  nn::LoadedMlp model;
  if (flags.given("samples")) generated = read_points(flags, "samples", flags.text("samples"));
  if (flags.given("model")) model = load_model(flags, flags.text("model"));
  const std::string data = target_data(flags, model);
  apply_threads(flags);

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> results;
  if (model.model) {
    Generator gen(flags.seed("seed"), "sample");
    const Array<float> x0 = flow::gaussian(gen, flags.count("n"));
    const auto field = flow::velocity_field(*model.model);
    const auto sampled = flow::integrate(field, x0, options);
    generated = sampled.x;
    results.push_back({"straightness", flow::straightness(field, x0)});
    results.push_back({"nfe", double(sampled.nfe)});
  }
  const std::size_t n = generated.shape()[0];
  Generator target_gen(flags.seed("eval-seed"), "target"),
      floor_gen(flags.seed("eval-seed"), "floor");
  const Array<float> target = flow::sample_dataset(data, target_gen, n);
  const Array<float> other = flow::sample_dataset(data, floor_gen, n);
  std::vector<std::pair<std::string, double>> metrics = {
      {"energy_distance", flow::energy_distance(generated, target)},
      {"sliced_w2", flow::sliced_w2(generated, target)},
      {"noise_floor_energy", flow::energy_distance(other, target)},
      {"noise_floor_sw2", flow::sliced_w2(other, target)}};
  metrics.insert(metrics.end(), results.begin(), results.end());
  std::vector<std::pair<std::string, std::string>> labels;  // text-valued keys
  if (flags.on("nll")) {
    // −log p₁ of the target points, integrating the density back to t = 0 with the same
    // integrator flags as the samples (docs/design.md#negative-log-likelihood).
    const auto density = flow::log_likelihood(*model.model, target, options);
    metrics.push_back({"nll", flow::mean_nll(density)});
    metrics.push_back({"nll_steps", double(density.steps)});
    metrics.push_back({"nll_nfe", double(density.nfe)});
    labels.push_back({"nll_solver", flow::solver_name(options.solver)});
  }
  metrics.push_back(
      {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});

  if (flags.on("json")) {
    std::printf("{");
    for (std::size_t i = 0; i < metrics.size(); ++i)
      std::printf("%s\"%s\": %.9g", i ? ", " : "", metrics[i].first.c_str(), metrics[i].second);
    for (const auto& [name, text] : labels)
      std::printf(", \"%s\": \"%s\"", name.c_str(), text.c_str());
    std::printf("}\n");
  } else {
    for (const auto& [name, value] : metrics)
      std::printf("%s = %.6g\n", name.c_str(), value);
    for (const auto& [name, text] : labels)
      std::printf("%s = %s\n", name.c_str(), text.c_str());
  }
  return 0;
}

}  // namespace minflow::cli
