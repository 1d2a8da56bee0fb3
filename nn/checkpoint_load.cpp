// Loading a checkpoint: validate everything against the model, then copy the weights in.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "nn/checkpoint.hpp"
#include "nn/npy.hpp"
#include "nn/state_dict.hpp"

namespace minflow::nn {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSuffix = ".npy";

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw std::runtime_error("checkpoint " + name + ": " + what);
}

// Reads a float32 .npy of the expected shape; every error names the checkpoint and the file.
Array<float> read_float32_of_shape(const std::string& name, const fs::path& file,
                                   const std::string& label, const std::string& what,
                                   const Shape* expected) {
  std::string bytes;
  try {
    bytes = read_binary_file(file);
  } catch (const std::runtime_error&) {
    fail(name, label + " cannot be read");
  }
  const std::string source = "checkpoint " + name + ": " + label;
  const NpyHeader header = parse_npy_header(bytes, source);
  if (header.dtype != NpyDtype::float32) {
    fail(name, label + " is " + npy_dtype_name(header.dtype) + ", " + what +
                   " must be float32 (convert with numpy: a.astype(np.float32))");
  }
  if (expected && header.shape != *expected) {
    // "l1.weight has shape [32,64], the model expects [64,64]"
    const std::string stem = label.substr(0, label.size() - 4);  // without ".npy"
    fail(name, stem + " has shape " + shape_to_string(header.shape) + ", the model expects " +
                   shape_to_string(*expected));
  }
  return parse_npy_float32(bytes, source);
}

void check_architecture(const std::string& name, const Config& config, const Module& model) {
  std::string mismatches;
  const Config architecture = model.architecture();  // keep the temporary alive for the loop
  for (const auto& [key, value] : architecture.entries()) {
    std::string found;
    if (!config.has(key)) {
      found = key + " is missing";
    } else if (config.get_string(key) != value) {
      found = key + " = " + config.get_string(key);
    } else {
      continue;
    }
    mismatches +=
        (mismatches.empty() ? "" : ", ") + found + " (the model has " + key + " = " + value + ")";
  }
  if (!mismatches.empty()) {
    fail(name, "another architecture: config.txt has " + mismatches);
  }
}

// The top-level .npy files other than loss.npy: the parameter files.
std::set<std::string> parameter_files(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string file = entry.path().filename().string();
    if (!entry.is_regular_file() || file == "loss.npy" || file.size() <= 4) continue;
    if (file.compare(file.size() - 4, 4, kSuffix) == 0)
      names.insert(file.substr(0, file.size() - 4));
  }
  return names;
}

void check_parameter_names(const std::string& name, const fs::path& folder,
                           const std::vector<NamedParameter>& params) {
  std::set<std::string> files = parameter_files(folder);
  std::string missing, extra;
  for (const auto& p : params) {
    if (!files.erase(p.name)) missing += (missing.empty() ? "" : ", ") + p.name;
  }
  for (const auto& f : files)
    extra += (extra.empty() ? "" : ", ") + f + ".npy";
  if (!missing.empty()) {
    fail(name, "missing parameter " + missing + " (no " +
                   (missing.find(',') == std::string::npos ? missing + ".npy" : "file") + ")");
  }
  if (!extra.empty()) {
    fail(name, "unexpected parameter file " + extra + " (the model has no such parameter)");
  }
}

void load_state(const std::string& name, const fs::path& folder,
                const std::vector<NamedParameter>& params, Checkpoint& ckpt) {
  const fs::path state_file = folder / "state" / "state.txt";
  std::error_code ec;
  if (!fs::exists(state_file, ec)) return;
  const Config state = Config::read_file(state_file, "checkpoint " + name + ": state/state.txt");
  for (const auto& [key, value] : state.entries()) {
    if (key == "optimizer" || key == "optimizer.step" || key == "optimizer.slots") continue;
    if (key.rfind("generator.", 0) == 0) {
      try {
        ckpt.generators.emplace(key.substr(10), Generator::from_string(value));
      } catch (const std::exception& e) {
        fail(name, "state/state.txt: " + key + " is not a generator state (" + e.what() + ")");
      }
    } else {
      ckpt.counters.set(key, value);
    }
  }
  if (!state.has("optimizer")) return;
  ckpt.optimizer.kind = state.get_string("optimizer");
  ckpt.optimizer.step = state.get_int("optimizer.step");
  std::string slots = state.has("optimizer.slots") ? state.get_string("optimizer.slots") : "";
  std::size_t start = 0;
  while (start < slots.size()) {
    std::size_t end = slots.find(',', start);
    if (end == std::string::npos) end = slots.size();
    StateSlot slot{slots.substr(start, end - start), {}};
    for (const auto& p : params) {
      const std::string file = ckpt.optimizer.kind + "." + slot.name + "." + p.name + kSuffix;
      const Shape shape = p.tensor.shape();
      slot.per_parameter.push_back(read_float32_of_shape(
          name, folder / "state" / file, "state/" + file, "optimizer state", &shape));
    }
    ckpt.optimizer.slots.push_back(std::move(slot));
    start = end + 1;
  }
}

}  // namespace

Config read_checkpoint_config(const fs::path& folder) {
  const std::string name = checkpoint_display_name(folder);
  std::error_code ec;
  if (!fs::exists(folder, ec)) fail(name, "no such folder");
  if (!fs::is_directory(folder, ec)) fail(name, "is not a folder (a checkpoint is a folder)");
  if (!fs::exists(folder / "config.txt", ec)) fail(name, "config.txt is missing");
  return Config::read_file(folder / "config.txt", "checkpoint " + name + ": config.txt");
}

Checkpoint load_checkpoint(const fs::path& folder, Module& model) {
  if (is_state_dict_folder(folder)) {  // no config.txt: the model is the architecture
    load_state_dict(folder, model);
    return {};
  }
  const std::string name = checkpoint_display_name(folder);
  Checkpoint ckpt;
  ckpt.config = read_checkpoint_config(folder);
  check_architecture(name, ckpt.config, model);

  const auto params = model.named_parameters();
  check_parameter_names(name, folder, params);
  std::vector<Array<float>> values;
  for (const auto& p : params) {
    const Shape shape = p.tensor.shape();
    values.push_back(read_float32_of_shape(name, folder / (p.name + kSuffix), p.name + kSuffix,
                                           "parameters", &shape));
  }

  std::error_code ec;
  if (fs::exists(folder / "loss.npy", ec)) {
    const Array<float> loss =
        read_float32_of_shape(name, folder / "loss.npy", "loss.npy", "the loss history", nullptr);
    if (loss.dimension() != 1) {
      fail(name, "loss.npy has shape " +
                     shape_to_string(Shape(loss.shape().begin(), loss.shape().end())) +
                     ", expected one dimension [steps_done]");
    }
    if (ckpt.config.has("steps_done") && ckpt.config.get_size("steps_done") != loss.size()) {
      fail(name,
           "loss.npy has " + std::to_string(loss.size()) +
               " entries, config.txt says steps_done = " + ckpt.config.get_string("steps_done"));
    }
    ckpt.loss.assign(loss.begin(), loss.end());
  }
  if (fs::exists(folder / "state" / "loss_by_t.npy", ec)) {
    const Array<float> by_t = read_float32_of_shape(
        name, folder / "state" / "loss_by_t.npy", "state/loss_by_t.npy", "the loss by t", nullptr);
    if (by_t.dimension() != 2 || by_t.shape()[0] != ckpt.loss.size() || by_t.shape()[1] == 0) {
      fail(name, "state/loss_by_t.npy has shape " +
                     shape_to_string(Shape(by_t.shape().begin(), by_t.shape().end())) +
                     ", expected [" + std::to_string(ckpt.loss.size()) + ", bins]");
    }
    ckpt.loss_bins = by_t.shape()[1];
    ckpt.loss_by_t.assign(by_t.begin(), by_t.end());
  }
  load_state(name, folder, params, ckpt);

  // Non-finite weights would give NaN samples and metrics without a word: refuse them here.
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto bad =
        std::find_if(values[i].begin(), values[i].end(), [](float v) { return !std::isfinite(v); });
    if (bad != values[i].end()) {
      fail(name, params[i].name + ".npy holds NaN or Inf (entry " +
                     std::to_string(bad - values[i].begin()) + " is " + std::to_string(*bad) +
                     "): the weights are unusable");
    }
  }

  // Everything checked: only now touch the model.
  for (std::size_t i = 0; i < params.size(); ++i) {
    Tensor t = params[i].tensor;
    t.mutable_value() = std::move(values[i]);
  }
  return ckpt;
}

namespace {

// The parameter files' headers against the shapes config.txt implies, before an MLP of that
// size is built: a wrong `hidden = 31622` is refused at once, not after allocating gigabytes.
void check_headers_against_config(const std::string& name, const fs::path& folder,
                                  const MlpSpec& spec) {
  for (std::size_t i = 0; i <= spec.depth; ++i) {
    const std::size_t fan_in = i == 0 ? spec.in : spec.hidden;
    const std::size_t fan_out = i == spec.depth ? spec.out : spec.hidden;
    const std::string layer = "l" + std::to_string(i);
    for (const auto& [param, shape] :
         {std::pair<std::string, Shape>{layer + ".weight", {fan_out, fan_in}},
          std::pair<std::string, Shape>{layer + ".bias", {fan_out}}}) {
      const fs::path file = folder / (param + kSuffix);
      std::error_code ec;
      if (!fs::is_regular_file(file, ec)) {
        fail(name, "missing parameter " + param + " (no " + param + kSuffix + ")");
      }
      std::string bytes;
      try {
        bytes = read_binary_file(file);
      } catch (const std::runtime_error&) {
        fail(name, param + kSuffix + " cannot be read");
      }
      const NpyHeader header =
          parse_npy_header(bytes, "checkpoint " + name + ": " + param + kSuffix);
      if (header.shape != shape) {
        fail(name, param + " has shape " + shape_to_string(header.shape) + ", config.txt (in = " +
                       std::to_string(spec.in) + ", hidden = " + std::to_string(spec.hidden) +
                       ", depth = " + std::to_string(spec.depth) + ", out = " +
                       std::to_string(spec.out) + ") implies " + shape_to_string(shape));
      }
    }
  }
}

LoadedMlp load_mlp_once(const fs::path& folder) {
  const Config config = read_checkpoint_config(folder);
  const MlpSpec spec = MlpSpec::from_config(config);
  check_headers_against_config(checkpoint_display_name(folder), folder, spec);
  Generator unused_init(0, "init");  // the weights come from the checkpoint
  LoadedMlp loaded{std::make_shared<MLP>(spec, unused_init), {}};
  loaded.checkpoint = load_checkpoint(folder, *loaded.model);
  return loaded;
}

}  // namespace

// A save may swap a new version in while this reads (one file from each version, or a file
// removed under the reader). The folder's identity before and after tells: when it changed,
// read again, so the caller gets one version, whole.
LoadedMlp load_mlp_checkpoint(const fs::path& folder) {
  constexpr int kAttempts = 50;
  for (int attempt = 1;; ++attempt) {
    const CheckpointIdentity before = checkpoint_identity(folder);
    try {
      LoadedMlp loaded = load_mlp_once(folder);
      if (checkpoint_identity(folder) == before || attempt == kAttempts) return loaded;
    } catch (const std::exception&) {
      if (checkpoint_identity(folder) == before || attempt == kAttempts) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace minflow::nn
