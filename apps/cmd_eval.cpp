// minflow eval: how close are generated points to the target? (docs/design.md#metrics)
#include <chrono>
#include <cstdio>
#include <iostream>
#include <utility>
#include <vector>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "apps/conditional.hpp"
#include "apps/oracle.hpp"
#include "flow/class_quality.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/likelihood.hpp"
#include "flow/metrics.hpp"
#include "flow/support_metrics.hpp"
#include "flow/transport_metrics.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::cli {

Flags eval_flags() {
  Flags flags("minflow eval");
  add_common_flags(flags);
  flags.add_text("model", "", "a checkpoint to sample here (or --samples)");
  flags.add_text("samples", "", "an existing [n,2] .npy to evaluate (or --model)");
  flags.add_text("oracle", "",
                 "the exact field of Gaussian → DATA: sampled alone, or with "
                 "--model the reference for loss_floor, excess_loss, velocity_error");
  flags.add_text("target", "", "compare with the points of this [m,2] .npy instead of drawing");
  flags.add_text("data", "", "target set (default: the checkpoint's, else spiral)");
  add_source_flag(flags);
  flags.add_count("n", 4096, "points generated and target points drawn", kMaxPoints);
  flags.add_seed("eval-seed", flow::kEvalSeed, "seed of the target points");
  flags.add_switch("json", "print one JSON object instead of name = value lines");
  flags.add_switch("nll", "also the model's negative log-likelihood of the target points");
  add_integrator_flags(flags);
  add_guidance_flags(flags);
  return flags;
}

namespace {
using Metrics = std::vector<std::pair<std::string, double>>;

// A value overall and per bin of t: NAME, NAME_bin0, …, NAME_bin9.
void add_by_time(const std::string& name, const flow::ByTime& q, Metrics& out) {
  out.push_back({name, q.overall});
  for (std::size_t b = 0; b < q.by_bin.size(); ++b)
    out.push_back({name + "_bin" + std::to_string(b), q.by_bin[b]});
}

void add_path_errors(const Oracle& oracle, const flow::VelocityField<float>& model,
                     std::uint64_t seed, Metrics& out) {
  flow::PathOptions options;
  options.seed = seed;
  const flow::PathErrors e = flow::path_errors(oracle.mixture, oracle.target, &model, options);
  add_by_time("loss_floor", e.loss_floor, out);
  add_by_time("excess_loss", e.excess_loss, out);
  add_by_time("velocity_error", e.velocity_error, out);
}

// precision, recall; and where the target's density is known, the true-density metrics
// (`density`: the whole target's, or one class's).
void add_support_metrics(const Array<float>& generated, const Array<float>& target,
                         const std::string& data, const flow::GaussianMixture* density,
                         Metrics& out) {
  if (generated.shape()[0] > 3) {
    const flow::PrecisionRecall pr = flow::precision_recall(generated, target);
    out.push_back({"precision", pr.precision});
    out.push_back({"recall", pr.recall});
  }
  if (!has_known_density(data)) return;
  const flow::DensityMetrics d =
      flow::density_metrics(density ? *density : flow::target_mixture(data), generated, target);
  out.push_back({"nll_true_density", d.nll_true_density});
  out.push_back({"entropy", d.entropy});
  out.push_back({"off_support_fraction", d.off_support_fraction});
}
}  // namespace

int run_eval(const std::vector<std::string>& args) {
  Flags flags = eval_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("(--model CKPT | --samples FILE | --oracle DATA) [flags]")
              << "\nPrints energy distance, sliced W2, the noise floor, exact W2, precision and "
                 "recall, the true-density metrics where the density is known, and for a model "
                 "its straightness, NFE, path energy and NPE (with --nll also its negative "
                 "log-likelihood of the target points). A label-conditional checkpoint: "
                 "--label K [--guidance W] scores class K against its own points (and "
                 "right_class); without --label, the unconditional field against the whole "
                 "target.\n";
    return 0;
  }
  const bool oracle_given = flags.given("oracle");
  if (flags.given("model") == flags.given("samples") && !(oracle_given && !flags.given("model"))) {
    flags.fail("give exactly one of --model and --samples");
  }
  if (oracle_given && flags.given("samples")) {
    flags.fail("--oracle goes with --model or alone, not with --samples");
  }
  if (flags.on("nll") && !flags.given("model")) flags.fail("--nll needs --model");
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
  if (flags.given("model")) model = load_model(flags, flags.text("model"), true);
  const Conditioning cond = conditioning(flags, model);
  if (cond.conditional && oracle_given) {
    flags.fail(
        "--oracle does not take a conditional checkpoint (the exact field is the "
        "unconditional one)");
  }
  if (cond.conditional && flags.on("nll"))
    flags.fail("--nll does not take a conditional checkpoint");
  if (cond.by_class && flags.given("data") &&
      flags.text("data") != model.checkpoint.config.get_string("data")) {
    flags.fail("--label is a class of the checkpoint's data (" +
               model.checkpoint.config.get_string("data") + "): --data " + flags.text("data") +
               " has other classes");
  }
  Oracle oracle;
  if (oracle_given) oracle = load_oracle(flags, "oracle");
  // The target: --data, else the oracle's (a set, or rows of its file), else the model's.
  const bool file_target = oracle_given && oracle.data.empty() && !flags.given("data");
  const bool set_oracle = oracle_given && !oracle.data.empty() && !flags.given("data");
  const std::string data = set_oracle ? oracle.data : target_data(flags, model);
  // A class asked for (--label): scored against that class's own points.
  const flow::TargetSampler target_of = file_target     ? oracle.target
                                        : cond.by_class ? flow::class_sampler(data, cond.label)
                                                        : flow::dataset_sampler(data);
  const std::string source = model_source(flags, model);
  apply_threads(flags);

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> results;
  Array<float> x0;
  double path_energy = 0.0;
  if (model.model || oracle_given) {
    const std::size_t count = flags.given("target") ? target_file.shape()[0] : flags.count("n");
    x0 = start_points(source, data, false, flags.seed("seed"), count);
    const auto field = model.model ? model_field(flags, model) : flow::exact_field(oracle.mixture);
    const auto sampled = flow::integrate(field, x0, options);
    generated = sampled.x;
    results.push_back({"straightness", flow::straightness(field, x0)});
    results.push_back({"nfe", double(sampled.nfe)});
    if (model.model && oracle_given)
      add_path_errors(oracle, field, flags.seed("eval-seed"), results);
    path_energy = flow::path_energy(field, x0);
  }
  const std::size_t n = generated.shape()[0];
  Generator target_gen(flags.seed("eval-seed"), "target"),
      floor_gen(flags.seed("eval-seed"), "floor");
  const bool drawn = !flags.given("target");  // a given target has no second draw: no floor
  const Array<float> target = drawn ? target_of(target_gen, n) : target_file;
  // Exact W2 of the samples; NPE against W2²(source points, target points) (Tong et al.).
  results.push_back({"w2", flow::exact_w2(generated, target)});
  if (model.model || oracle_given) {
    const double w2_source = flow::exact_w2(x0, target);
    results.push_back({"path_energy", path_energy});
    results.push_back({"npe", flow::normalized_path_energy(path_energy, w2_source * w2_source)});
  }
  std::vector<std::pair<std::string, double>> metrics = {
      {"energy_distance", flow::energy_distance(generated, target)},
      {"sliced_w2", flow::sliced_w2(generated, target)}};
  if (drawn) {
    const Array<float> other = target_of(floor_gen, n);
    metrics.push_back({"noise_floor_energy", flow::energy_distance(other, target)});
    metrics.push_back({"noise_floor_sw2", flow::sliced_w2(other, target)});
  }
  metrics.push_back({"target_n", double(target.shape()[0])});
  std::vector<std::pair<std::string, std::string>> labels;  // text-valued keys
  flow::GaussianMixture class_density;
  if (cond.by_class) {
    metrics.push_back({"label", double(cond.label)});
    metrics.push_back({"guidance", cond.guidance});
    metrics.push_back({"right_class", flow::right_class_share(data, generated, cond.label)});
    if (has_known_density(data)) class_density = flow::class_mixture(data, cond.label);
  }
  if (cond.conditional) labels.push_back({"conditioning", cond.text});
  add_support_metrics(
      generated, target, file_target ? "" : data,
      cond.by_class && !file_target && !class_density.empty() ? &class_density : nullptr, metrics);
  metrics.insert(metrics.end(), results.begin(), results.end());
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
