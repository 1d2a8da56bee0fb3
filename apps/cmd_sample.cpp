// minflow sample: integrate a trained velocity net from noise (or from given points).
#include <iostream>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "apps/conditional.hpp"
#include "apps/oracle.hpp"
#include "flow/datasets.hpp"
#include "flow/velocity_net.hpp"
#include "nn/npy.hpp"

namespace minflow::cli {

namespace {
// traj.npy → traj.times.npy: float64 [rows], the time of each trajectory row.
fs::path times_file(const fs::path& trajectory) {
  fs::path times = trajectory;
  if (times.extension() == ".npy") times.replace_extension();
  return times.string() + ".times.npy";
}
}  // namespace

Flags sample_flags() {
  Flags flags("minflow sample");
  add_common_flags(flags);
  flags.add_text("model", "", "checkpoint folder (or --oracle)");
  flags.add_text("oracle", "",
                 "use the exact velocity of Gaussian → DATA (a set or an [n,2] .npy)");
  flags.add_count("n", 2048, "points, drawn from the source with --seed", kMaxPoints);
  flags.add_text("from", "", "start from the points of this [n,2] .npy instead");
  add_source_flag(flags);
  flags.add_text("data", "", "target set, the start under --reverse (default: the checkpoint's)");
  add_integrator_flags(flags);
  add_guidance_flags(flags);
  flags.add_text("out", "samples.npy", "float32 [n,2]: the end points");
  flags.add_text("trajectory", "",
                 "also write float32 [rows,n,2]: the start and every step (times: NAME.times.npy)");
  return flags;
}

int run_sample(const std::vector<std::string>& args) {
  Flags flags = sample_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("(--model CKPT | --oracle DATA) [flags]")
              << "\nIntegrates dx/dt = v(x, t).\n";
    return 0;
  }
  if (flags.given("model") == flags.given("oracle")) {
    flags.fail("give exactly one of --model and --oracle");
  }
  const flow::IntegrateOptions base = integrator_options(flags);
  const fs::path out = flags.text("out");
  check_output_file(flags, "out", out);
  const bool want_trajectory = flags.given("trajectory");
  const fs::path trajectory_path = flags.text("trajectory");
  const fs::path times_path = times_file(trajectory_path);
  if (want_trajectory) {
    check_output_file(flags, "trajectory", trajectory_path);
    check_not_an_input(flags, "trajectory", trajectory_path, "--out", out);
    check_output_file(flags, "trajectory", times_path);
    check_not_an_input(flags, "out", out, "--trajectory's times", times_path);
  }
  for (const char* input : {"model", "from"}) {
    if (!flags.given(input)) continue;
    check_not_an_input(flags, "out", out, std::string("--") + input, flags.text(input));
    if (want_trajectory)
      check_not_an_input(flags, "trajectory", trajectory_path, std::string("--") + input,
                         flags.text(input));
  }
  Array<float> x0;
  if (flags.given("from")) {
    x0 = read_points(flags, "from", flags.text("from"));
  }
  nn::LoadedMlp model;
  flow::VelocityField<float> field;
  std::string oracle_data;  // the oracle's built-in set ("" for a file or a model)
  if (flags.given("model")) {
    model = load_model(flags, flags.text("model"), /*conditional_ok=*/true);
    field = model_field(flags, model);
  } else {
    if (flags.given("label") || flags.given("guidance"))
      flags.fail("--label and --guidance need a conditional --model");
    const Oracle oracle = load_oracle(flags, "oracle");
    oracle_data = oracle.data;
    field = flow::exact_field(oracle.mixture);
  }
  const std::string source = model_source(flags, model);
  const std::string data =
      oracle_data.empty() || flags.given("data") ? target_data(flags, model) : oracle_data;
  apply_threads(flags);

  if (!flags.given("from")) {
    x0 = start_points(source, data, base.reverse, flags.seed("seed"), flags.count("n"));
  }
  flow::IntegrateOptions options = base;
  options.record_trajectory = want_trajectory;
  const auto result = flow::integrate(field, x0, options);

  write_points(out, result.x);
  if (want_trajectory) {
    const std::size_t rows = result.trajectory.size(), n = x0.shape()[0];
    Array<float> all = Array<float>::from_shape({rows, n, 2});
    for (std::size_t r = 0; r < rows; ++r)
      std::copy(result.trajectory[r].begin(), result.trajectory[r].end(), all.data() + r * n * 2);
    write_points(trajectory_path, all);
    nn::write_npy(times_path, result.times.data(), {result.times.size()});
  }
  std::cout << "minflow sample: " << x0.shape()[0] << " points, "
            << flow::solver_name(options.solver) << ", " << result.steps << " steps";
  if (options.solver == flow::Solver::dopri5)
    std::cout << " accepted, " << result.rejected << " rejected";
  std::cout << ", nfe " << result.nfe << ", wrote " << out.string() << "\n";
  return 0;
}

}  // namespace minflow::cli
