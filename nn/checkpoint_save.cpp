// Saving a checkpoint: write a temporary folder, then swap it into place.
#include <stdlib.h>  // mkdtemp

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "nn/checkpoint.hpp"
#include "nn/npy.hpp"

namespace minflow::nn {

namespace fs = std::filesystem;

namespace {

fs::path without_trailing_separator(fs::path folder) {
  while (folder.has_filename() == false && folder.has_parent_path() && folder != folder.root_path())
    folder = folder.parent_path();
  return folder;
}

// Creates an empty folder "PREFIX-XXXXXX" beside the target and returns its path.
fs::path make_unique_folder(const std::string& prefix) {
  std::string pattern = prefix + "-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    throw std::runtime_error("cannot create " + prefix + "-…: " + std::strerror(errno));
  }
  return pattern;
}

// Refuses what could not be loaded back: a name clash, a loss history that disagrees with
// steps_done, optimizer buffers that do not fit the parameters.
void check_before_saving(const std::string& name, const std::vector<NamedParameter>& params,
                         const Checkpoint& ckpt) {
  auto refuse = [&](const std::string& what) {
    throw std::invalid_argument("checkpoint " + name + ": " + what);
  };
  for (const auto& p : params)
    if (p.name == "loss") refuse("a parameter named \"loss\" would clash with loss.npy");
  if (ckpt.loss_bins && ckpt.loss_by_t.size() != ckpt.loss.size() * ckpt.loss_bins) {
    refuse("the loss by t has " + std::to_string(ckpt.loss_by_t.size()) + " values, not " +
           std::to_string(ckpt.loss.size()) + " steps × " + std::to_string(ckpt.loss_bins) +
           " bins");
  }
  if (ckpt.config.has("steps_done") && ckpt.config.get_size("steps_done") != ckpt.loss.size()) {
    refuse("the loss history has " + std::to_string(ckpt.loss.size()) +
           " entries but config steps_done = " + ckpt.config.get_string("steps_done"));
  }
  for (const auto& [key, value] : ckpt.counters.entries()) {
    (void)value;
    if (key.rfind("optimizer", 0) == 0 || key.rfind("generator.", 0) == 0) {
      refuse("counter key " + key + " is reserved for the optimizer and generator states");
    }
  }
  const OptimizerState& optimizer = ckpt.optimizer;
  if (optimizer.kind.empty()) return;
  for (const auto& slot : optimizer.slots) {
    if (slot.per_parameter.size() != params.size()) {
      refuse("the optimizer's " + slot.name + " buffers cover " +
             std::to_string(slot.per_parameter.size()) + " parameters, the model has " +
             std::to_string(params.size()));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& a = slot.per_parameter[i];
      if (Shape(a.shape().begin(), a.shape().end()) != params[i].tensor.shape()) {
        refuse("the optimizer's " + slot.name + " buffer for " + params[i].name +
               " does not have the parameter's shape " + shape_to_string(params[i].tensor.shape()));
      }
    }
  }
}

void write_contents(const fs::path& dir, const Module& model,
                    const std::vector<NamedParameter>& params, const Checkpoint& ckpt) {
  for (const auto& p : params)
    write_npy(dir / (p.name + ".npy"), p.tensor.value());

  Config config = ckpt.config;
  const Config architecture = model.architecture();  // keep the temporary alive for the loop
  for (const auto& [key, value] : architecture.entries())
    config.set(key, value);
  if (!config.has("minflow_version")) config.set("minflow_version", MINFLOW_VERSION);
  config.write_file(dir / "config.txt");

  write_npy(dir / "loss.npy", ckpt.loss.data(), {ckpt.loss.size()});

  fs::create_directory(dir / "state");
  if (ckpt.loss_bins) {
    write_npy(dir / "state" / "loss_by_t.npy", ckpt.loss_by_t.data(),
              {ckpt.loss_by_t.size() / ckpt.loss_bins, ckpt.loss_bins});
  }
  Config state("state.txt");
  if (!ckpt.optimizer.kind.empty()) {
    state.set("optimizer", ckpt.optimizer.kind);
    state.set("optimizer.step", ckpt.optimizer.step);
    std::string slot_names;
    for (const auto& slot : ckpt.optimizer.slots) {
      slot_names += (slot_names.empty() ? "" : ",") + slot.name;
      for (std::size_t i = 0; i < params.size(); ++i) {
        const std::string file = ckpt.optimizer.kind + "." + slot.name + "." + params[i].name;
        write_npy(dir / "state" / (file + ".npy"), slot.per_parameter[i]);
      }
    }
    state.set("optimizer.slots", slot_names);
  }
  for (const auto& [name, gen] : ckpt.generators)
    state.set("generator." + name, gen.to_string());
  for (const auto& [key, value] : ckpt.counters.entries())
    state.set(key, value);
  state.write_file(dir / "state" / "state.txt");
}

}  // namespace

std::string checkpoint_display_name(const fs::path& folder) {
  return without_trailing_separator(folder).string();
}

void save_checkpoint(const fs::path& folder_as_given, const Module& model,
                     const Checkpoint& checkpoint) {
  const fs::path folder = without_trailing_separator(folder_as_given);
  const std::string name = folder.string();
  const auto params = model.named_parameters();
  check_before_saving(name, params, checkpoint);

  std::error_code ec;
  const bool replacing = fs::exists(folder, ec);
  if (replacing && !fs::is_directory(folder, ec)) {
    throw std::runtime_error("checkpoint " + name + ": exists and is not a folder");
  }
  fs::path temp;
  try {
    temp = make_unique_folder(name + ".tmp");
  } catch (const std::exception& e) {
    throw std::runtime_error("checkpoint " + name + ": saving failed: " + e.what());
  }
  try {
    write_contents(temp, model, params, checkpoint);
    if (replacing) {
      // rename() cannot replace a non-empty folder: move the old one aside first. Renaming
      // onto the empty folder that make_unique_folder reserves is allowed.
      const fs::path old = make_unique_folder(name + ".old");
      fs::rename(folder, old, ec);
      if (ec) {
        const std::string why = ec.message();
        fs::remove(old, ec);
        throw std::runtime_error("cannot move the old checkpoint aside: " + why);
      }
      try {
        fs::rename(temp, folder);
      } catch (...) {
        fs::rename(old, folder, ec);  // put the old checkpoint back
        throw;
      }
      fs::remove_all(old, ec);
    } else {
      fs::rename(temp, folder);
    }
  } catch (const std::exception& e) {
    fs::remove_all(temp, ec);
    throw std::runtime_error("checkpoint " + name + ": saving failed: " + e.what());
  }
}

}  // namespace minflow::nn
