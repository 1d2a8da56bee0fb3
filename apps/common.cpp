#include "apps/common.hpp"

#include <unistd.h>  // pathconf

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

// An atomic write names its temporary NAME.tmp-XXXXXX (11 more bytes) in the same folder:
// a name that fits alone but not with them would fail only after the work, so refuse it now.
void check_name_length(const Flags& flags, const std::string& flag, const fs::path& path) {
  const long max = ::pathconf(parent_of(path).c_str(), _PC_NAME_MAX);
  const std::size_t length = path.filename().string().size() + 11;
  if (max > 0 && length > static_cast<std::size_t>(max)) {
    flags.fail("--" + flag + ": the name " + path.filename().string().substr(0, 24) + "… has " +
               std::to_string(length - 11) + " bytes; at most " + std::to_string(max - 11) +
               " fit here (the save adds 11 for its temporary name)");
  }
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
  check_name_length(flags, flag, path);
}

fs::path check_checkpoint_out(const Flags& flags, const fs::path& given, bool overwrite_ok) {
  std::error_code ec;
  fs::path path = nn::checkpoint_display_name(given);
  if (fs::is_symlink(path, ec)) {
    const fs::path target = fs::canonical(path, ec);
    if (ec) {
      flags.fail("--out " + path.string() + " is a symbolic link to " +
                 fs::read_symlink(path, ec).string() +
                 ", which does not exist (give the path to create)");
    }
    path = target;
  }
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
  check_name_length(flags, "out", path);
  return path;
}

void check_not_an_input(const Flags& flags, const std::string& flag, const fs::path& out,
                        const std::string& input_flag, const fs::path& input) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(out, ec), b = fs::weakly_canonical(input, ec);
  const bool same = a == b || fs::equivalent(out, input, ec);
  bool inside = false;
  for (fs::path p = a.parent_path(); !same && !p.empty() && p != p.root_path(); p = p.parent_path())
    if (p == b) inside = true;
  if (same || inside) {
    flags.fail("--" + flag + " " + out.string() + (same ? " is the same file as " : " is inside ") +
               input_flag + " " + input.string() + "; an output may not overwrite an input");
  }
}

void recover_checkpoint_out(const Flags& flags, const fs::path& out) {
  for (const std::string& said : nn::recover_checkpoint(out))
    std::cerr << flags.command() << ": note: " << said << "\n";
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

nn::LoadedMlp load_model(const Flags& flags, const fs::path& path, bool conditional_ok) {
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
    const bool conditional =
        config.has("conditional") && config.get_string("conditional") == "true";
    if (conditional && !conditional_ok) {
      flags.fail("--model " + path.string() +
                 " is a label-conditional checkpoint: only `minflow sample` (with --label and "
                 "--guidance) takes one so far");
    }
    const std::size_t in = conditional ? 3 + config.get_size("classes") + 1 : 3;
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

void add_source_flag(Flags& flags) {
  flags.add_text("source", "", "source set (default: the checkpoint's, else gaussian)");
}

std::string model_source(const Flags& flags, const nn::LoadedMlp& model) {
  std::string source = "gaussian";
  if (flags.given("source")) {
    source = flags.text("source");
  } else if (model.model && model.checkpoint.config.has("source")) {
    source = model.checkpoint.config.get_string("source");
  }
  try {
    flow::check_source(source);
  } catch (const std::exception& e) {
    flags.fail(std::string("--source: ") + e.what());
  }
  return source;
}

Array<float> start_points(const std::string& source, const std::string& data, bool reverse,
                          std::uint64_t seed, std::size_t n) {
  Generator gen(seed, "sample");
  return flow::sample_dataset(reverse ? data : source, gen, n);
}

void add_student_run_flags(Flags& flags) {
  flags.add_switch("from-scratch", "start the student from fresh weights, not the teacher's");
  flags.add_count("eval-n", 4096, "points for the before/after table (0: skip it)", kMaxPoints,
                  true);
  flags.add_count("save-every", 0, "also checkpoint every N steps (0: only at the end)", kMaxSteps,
                  true);
  flags.add_switch("resume", "continue the checkpoint at --out");
  flags.add_switch("force", "overwrite an existing checkpoint at --out");
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
