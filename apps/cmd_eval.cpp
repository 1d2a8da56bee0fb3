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
#include "flow/metrics.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::cli {

Flags eval_flags() {
  Flags flags("minflow eval");
  add_common_flags(flags);
  flags.add_text("model", "", "a checkpoint to sample here (or --samples)");
  flags.add_text("samples", "", "an existing [n,2] .npy to evaluate (or --model)");
  flags.add_text("target", "", "compare with the points of this [m,2] .npy instead of drawing");
  flags.add_text("data", "", "target set (default: the checkpoint's, else spiral)");
  flags.add_count("n", 4096, "points generated and target points drawn", kMaxPoints);
  flags.add_seed("eval-seed", flow::kEvalSeed, "seed of the target points");
  flags.add_switch("json", "print one JSON object instead of name = value lines");
  add_integrator_flags(flags);
  return flags;
}

int run_eval(const std::vector<std::string>& args) {
  Flags flags = eval_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("(--model CKPT | --samples FILE) [flags]")
              << "\nPrints energy distance, sliced W2, the noise floor, and for a model its "
                 "straightness and NFE.\n";
    return 0;
  }
  if (flags.given("model") == flags.given("samples")) {
    flags.fail("give exactly one of --model and --samples");
  }
  const flow::IntegrateOptions options = integrator_options(flags);
  if (options.reverse) {
    flags.fail(
        "--reverse is not supported: eval scores samples against the target data "
        "(sample --reverse writes encodings)");
  }
  Array<float> generated, target_file;
  nn::LoadedMlp model;
  if (flags.given("samples")) generated = read_points(flags, "samples", flags.text("samples"));
  // --samples fixes n (the target gets as many points): a different --n would be ignored.
  if (flags.given("samples") && flags.given("n") && flags.count("n") != generated.shape()[0]) {
    flags.fail("--n " + std::to_string(flags.count("n")) + " conflicts with --samples, which has " +
               std::to_string(generated.shape()[0]) + " rows (the target gets as many points)");
  }
  if (flags.given("target")) {
    if (flags.given("data")) flags.fail("give at most one of --target and --data");
    target_file = read_points(flags, "target", flags.text("target"));
    const std::size_t rows = flags.given("samples") ? generated.shape()[0] : flags.count("n");
    if (target_file.shape()[0] != rows && (flags.given("samples") || flags.given("n"))) {
      flags.fail("--target has " + std::to_string(target_file.shape()[0]) + " rows, the samples " +
                 std::to_string(rows) + " (sliced W2 compares equal counts)");
    }
  }
  if (flags.given("model")) model = load_model(flags, flags.text("model"));
  const std::string data = target_data(flags, model);
  apply_threads(flags);

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> results;
  if (model.model) {
    Generator gen(flags.seed("seed"), "sample");
    const std::size_t count = flags.given("target") ? target_file.shape()[0] : flags.count("n");
    const Array<float> x0 = flow::gaussian(gen, count);
    const auto field = flow::velocity_field(*model.model);
    const auto sampled = flow::integrate(field, x0, options);
    generated = sampled.x;
    results.push_back({"straightness", flow::straightness(field, x0)});
    results.push_back({"nfe", double(sampled.nfe)});
  }
  const std::size_t n = generated.shape()[0];
  Generator target_gen(flags.seed("eval-seed"), "target"),
      floor_gen(flags.seed("eval-seed"), "floor");
  const bool drawn = !flags.given("target");  // a given target has no second draw: no floor
  const Array<float> target = drawn ? flow::sample_dataset(data, target_gen, n) : target_file;
  std::vector<std::pair<std::string, double>> metrics = {
      {"energy_distance", flow::energy_distance(generated, target)},
      {"sliced_w2", flow::sliced_w2(generated, target)}};
  if (drawn) {
    const Array<float> other = flow::sample_dataset(data, floor_gen, n);
    metrics.push_back({"noise_floor_energy", flow::energy_distance(other, target)});
    metrics.push_back({"noise_floor_sw2", flow::sliced_w2(other, target)});
  }
  metrics.push_back({"target_n", double(target.shape()[0])});
  metrics.insert(metrics.end(), results.begin(), results.end());
  metrics.push_back(
      {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});

  if (flags.on("json")) {
    std::printf("{");
    for (std::size_t i = 0; i < metrics.size(); ++i)
      std::printf("%s\"%s\": %.9g", i ? ", " : "", metrics[i].first.c_str(), metrics[i].second);
    std::printf("}\n");
  } else {
    for (const auto& [name, value] : metrics)
      std::printf("%s = %.6g\n", name.c_str(), value);
  }
  return 0;
}

}  // namespace minflow::cli
