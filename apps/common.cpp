#include "apps/common.hpp"

#include <iostream>

#include "base/thread_pool.hpp"
#include "flow/datasets.hpp"
#include "flow/time_sampler.hpp"
#include "nn/npy.hpp"

namespace minflow::cli {

void add_common_flags(Flags& flags) {
  flags.add_count("threads", 0, "threads to use (default: MINFLOW_THREADS, else all cores)",
                  kMaxThreads);
  flags.add_seed("seed", 0, "random seed");
}

void apply_threads(const Flags& flags) {
  set_num_threads(resolve_threads(flags));
}

namespace {
fs::path parent_of(const fs::path& path) {
  fs::path parent = path.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}
}  // namespace

void check_output_file(const Flags& flags, const std::string& flag, const fs::path& path) {
  std::error_code ec;
  const fs::path parent = parent_of(path);
  if (!fs::is_directory(parent, ec)) {
    flags.fail("--" + flag + " " + path.string() + ": the folder " + parent.string() +
               (fs::exists(parent, ec) ? " is not a folder" : " does not exist"));
  }
  if (fs::is_directory(path, ec)) flags.fail("--" + flag + " " + path.string() + " is a folder");
}

void check_checkpoint_out(const Flags& flags, const fs::path& path, bool overwrite_ok) {
  std::error_code ec;
  const fs::path parent = parent_of(path);
  if (!fs::is_directory(parent, ec)) {
    flags.fail("--out " + path.string() + ": the folder " + parent.string() +
               (fs::exists(parent, ec) ? " is not a folder" : " does not exist"));
  }
  if (fs::exists(path, ec) && !fs::is_directory(path, ec)) {
    flags.fail("--out " + path.string() + " exists and is not a checkpoint folder");
  }
  if (fs::exists(path, ec) && !overwrite_ok) {
    flags.fail("--out " + path.string() +
               " already exists; use --force to overwrite it or --resume to continue it");
  }
}

Array<float> read_points(const Flags& flags, const std::string& flag, const fs::path& path) {
  Array<float> points;
  try {
    points = nn::read_npy_float32(path, nn::DtypePolicy::convert);
  } catch (const std::exception& e) {
    flags.fail("--" + flag + ": " + e.what());
  }
  if (points.dimension() != 2 || points.shape()[1] != 2 || points.shape()[0] == 0) {
    Shape s(points.shape().begin(), points.shape().end());
    flags.fail("--" + flag + " " + path.string() + ": expected an array of shape [n,2], got " +
               shape_to_string(s));
  }
  for (float v : points)
    if (!std::isfinite(v)) flags.fail("--" + flag + " " + path.string() + ": holds NaN or Inf");
  return points;
}

nn::LoadedMlp load_model(const Flags& flags, const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    flags.fail("--model " + path.string() +
               (fs::exists(path, ec) ? " is not a checkpoint folder" : " does not exist"));
  }
  nn::LoadedMlp loaded;
  try {
    loaded = nn::load_mlp_checkpoint(path);
    const nn::Config& config = loaded.checkpoint.config;
    // A conditional net takes [x, y, t, onehot(classes + 1)] (flow/conditional.hpp).
    const std::size_t in = config.has("conditional") && config.get_string("conditional") == "true"
                               ? 3 + config.get_size("classes") + 1
                               : 3;
    if (config.get_size("in") != in || config.get_size("out") != 2) {
      flags.fail("--model " + path.string() + ": not a velocity net (in must be " +
                 std::to_string(in) + ", out 2)");
    }
    if (config.has("steps_done") && config.has("steps_total") &&
        config.get_size("steps_done") < config.get_size("steps_total")) {
      std::cerr << flags.command() << ": note: " << path.string() << " is partial ("
                << config.get_size("steps_done") << " of " << config.get_size("steps_total")
                << " steps)\n";
    }
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    flags.fail(std::string("--model: ") + e.what());
  }
  return loaded;
}

std::string target_data(const Flags& flags, const nn::LoadedMlp& model) {
  std::string data = "spiral";
  if (flags.given("data")) {
    data = flags.text("data");
  } else if (model.model && model.checkpoint.config.has("data")) {
    data = model.checkpoint.config.get_string("data");
  }
  try {
    flow::check_dataset(data);
  } catch (const std::exception& e) {
    flags.fail(std::string("--data: ") + e.what());
  }
  return data;
}

void add_integrator_flags(Flags& flags) {
  flags.add_text("solver", "euler", "euler, midpoint, heun, rk4 or dopri5");
  flags.add_count("steps", 100, "integrator steps (ignored by dopri5)", kMaxSteps);
  flags.add_real("rtol", 1e-5, "dopri5 relative tolerance");
  flags.add_real("atol", 1e-5, "dopri5 absolute tolerance");
  flags.add_text("grid", "uniform", "uniform or warp:S (t_k = warp(k/steps; S))");
  flags.add_switch("reverse", "integrate from t = 1 to t = 0 (data to noise)");
}

flow::IntegrateOptions integrator_options(const Flags& flags) {
  flow::IntegrateOptions options;
  try {
    options.solver = flow::parse_solver(flags.text("solver"));
  } catch (const std::exception& e) {
    flags.fail(std::string("--solver: ") + e.what());
  }
  options.steps = flags.count("steps");
  options.rtol = flags.real("rtol");
  options.atol = flags.real("atol");
  options.reverse = flags.on("reverse");
  const std::string& grid = flags.text("grid");
  if (grid != "uniform") {
    if (grid.rfind("warp:", 0) != 0) {
      flags.fail("--grid must be uniform or warp:S, got \"" + grid + "\"");
    }
    try {
      options.grid_warp = flow::parse_time_sampler(grid).a;
    } catch (const std::exception& e) {
      flags.fail(std::string("--grid: ") + e.what());
    }
  }
  return options;
}

void write_points(const fs::path& path, const Array<float>& points) {
  nn::write_npy(path, points);
}

}  // namespace minflow::cli
