// --time error:CKPT: the time sampler of issue 18 §6, t ∝ the measured velocity error by t.
//
// Where the net is furthest from the exact field u*, more training draws land: p(t) is
// piecewise constant on the ten tenths of [0, 1], p(t) ∝ E‖v_θ(x_t, t) − u*(x_t, t)‖² on
// tenth k (path_errors' estimate at its 8 stratified times × 2,048 pairs a tenth).
#include "apps/error_time.hpp"

#include <iostream>
#include <system_error>

#include "apps/common.hpp"
#include "flow/evaluate.hpp"
#include "flow/exact_field.hpp"
#include "flow/path_errors.hpp"
#include "flow/velocity_net.hpp"
#include "nn/checkpoint.hpp"

namespace minflow::cli {

flow::TimeSampler error_time_sampler(const Flags& flags, const std::string& path,
                                     const std::string& data) {
  const std::string flag = "--time error:" + path;
  std::error_code ec;
  if (path.empty()) flags.fail(flag + ": give the checkpoint to measure (error:CKPT)");
  if (!fs::is_directory(path, ec)) {
    flags.fail(flag + ": " + path +
               (fs::exists(path, ec) ? " is not a checkpoint folder" : " does not exist"));
  }
  nn::LoadedMlp loaded;
  try {
    loaded = nn::load_mlp_checkpoint(path);
  } catch (const std::exception& e) {
    flags.fail(flag + ": " + e.what());
  }
  const nn::Config& config = loaded.checkpoint.config;
  if (config.has("conditional") && config.get_string("conditional") == "true") {
    flags.fail(flag + ": a label-conditional checkpoint has no single velocity error");
  }
  if (config.get_size("in") != 3 || config.get_size("out") != 2) {
    flags.fail(flag + ": not a velocity net (in must be 3, out 2)");
  }
  const std::string trained_on = config.has("data") ? config.get_string("data") : "spiral";
  if (!flow::has_exact_field(trained_on)) {
    flags.fail(flag + ": " + path + " was trained on " + trained_on +
               ", which has no exact field to measure its error against (spiral, moons, "
               "eight_gaussians, rings)");
  }
  if (trained_on != data) {
    flags.fail(flag + ": " + path + " was trained on " + trained_on + ", this run on " + data);
  }
  flow::PathOptions options;
  options.seed = flow::kEvalSeed;  // eval --oracle's default --eval-seed
  const auto field = flow::velocity_field(*loaded.model);
  const flow::PathErrors e =
      flow::path_errors(flow::target_mixture(data), flow::dataset_sampler(data), &field, options);
  try {
    const flow::TimeSampler sampler = flow::binned_time(e.velocity_error.by_bin);
    std::cerr << flags.command() << ": --time " << sampler.to_string() << " (the velocity error of "
              << path << " by tenth of t)\n";
    return sampler;
  } catch (const std::exception& error) {  // an error of 0 everywhere: nothing to follow
    flags.fail(flag + ": " + error.what());
  }
}

}  // namespace minflow::cli
