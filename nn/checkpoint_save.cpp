// Saving a checkpoint: write a temporary folder, then swap it into place.
#include <fcntl.h>     // AT_FDCWD
#include <stdio.h>     // renameat2, RENAME_EXCHANGE
#include <stdlib.h>    // mkdtemp
#include <sys/stat.h>  // chmod, lstat, umask

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "nn/checkpoint.hpp"
#include "nn/checkpoint_lock.hpp"
#include "nn/npy.hpp"

namespace minflow::nn {

namespace fs = std::filesystem;

namespace {

fs::path without_trailing_separator(fs::path folder) {
  while (folder.has_filename() == false && folder.has_parent_path() && folder != folder.root_path())
    folder = folder.parent_path();
  return folder;
}

// The process's umask (read once: umask() can only be read by setting it).
mode_t process_umask() {
  static const mode_t mask = [] {
    const mode_t m = ::umask(022);
    ::umask(m);
    return m;
  }();
  return mask;
}

// Creates an empty folder "PREFIX-XXXXXX" beside the target and returns its path. mkdtemp
// makes it 0700; a checkpoint gets what mkdir would give it (0777 minus the umask).
fs::path make_unique_folder(const std::string& prefix) {
  std::string pattern = prefix + "-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    throw std::runtime_error("cannot create " + prefix + "-…: " + std::strerror(errno));
  }
  ::chmod(pattern.c_str(), 0777 & ~process_umask());
  return pattern;
}

// Puts the complete folder `temp` at `folder` in one atomic step. Replacing: renameat2
// with RENAME_EXCHANGE swaps the two names, so `folder` is always a whole checkpoint (the
// old one, then the new one) and `temp` then holds the old one, which is removed. A first
// save renames with RENAME_NOREPLACE, so a folder another run created meanwhile is never
// overwritten. File systems without renameat2 flags fall back to moving the old folder
// aside first (a kill between the two renames leaves NAME.old-XXXXXX, which
// recover_checkpoint restores).
void swap_into_place(const fs::path& temp, const fs::path& folder, bool replacing) {
  const unsigned flags = replacing ? RENAME_EXCHANGE : RENAME_NOREPLACE;
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, folder.c_str(), flags) == 0) {
    std::error_code ec;
    if (replacing) fs::remove_all(temp, ec);
    return;
  }
  if (errno == EEXIST || errno == ENOTEMPTY) {
    throw std::runtime_error("another run created it while this one ran; not overwritten");
  }
  if (errno != EINVAL && errno != ENOSYS) {
    throw std::runtime_error(std::string("renaming the new checkpoint into place failed (") +
                             std::strerror(errno) + ")");
  }
  std::error_code ec;
  if (!replacing) {
    fs::rename(temp, folder);
    return;
  }
  const fs::path old = make_unique_folder(folder.string() + ".old");
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

CheckpointIdentity checkpoint_identity(const fs::path& folder) {
  struct stat st {};
  if (::stat(without_trailing_separator(folder).c_str(), &st) != 0) return {};
  return {true, static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

void save_checkpoint(const fs::path& folder_as_given, const Module& model,
                     const Checkpoint& checkpoint, CheckpointIdentity* owner) {
  const fs::path folder = without_trailing_separator(folder_as_given);
  const std::string name = folder.string();
  const auto params = model.named_parameters();
  check_before_saving(name, params, checkpoint);

  std::error_code ec;
  if (fs::is_symlink(folder, ec)) {
    throw std::runtime_error("checkpoint " + name + ": is a symbolic link (give its target)");
  }
  if (fs::exists(folder, ec) && !fs::is_directory(folder, ec)) {
    throw std::runtime_error("checkpoint " + name + ": exists and is not a folder");
  }
  fs::path temp;
  try {
    temp = make_unique_folder(name + ".tmp");
  } catch (const std::exception& e) {
    throw std::runtime_error("checkpoint " + name + ": saving failed: " + e.what());
  }
  const FolderLock lock(temp);  // a recovering run leaves a folder being written alone
  try {
    write_contents(temp, model, params, checkpoint);
    const CheckpointIdentity current = checkpoint_identity(folder);
    // Another run's checkpoint is never overwritten; one that vanished (removed by hand)
    // held nobody's result, so it is created again.
    if (owner && current.exists && !(current == *owner)) {
      throw std::runtime_error(std::string("another run ") +
                               (owner->exists ? "replaced" : "created") +
                               " it while this one ran; not overwritten (this run's result is "
                               "lost)");
    }
    const CheckpointIdentity written = checkpoint_identity(temp);
    swap_into_place(temp, folder, current.exists);
    if (owner) *owner = written;
  } catch (const std::exception& e) {
    fs::remove_all(temp, ec);
    throw std::runtime_error("checkpoint " + name + ": saving failed: " + e.what());
  }
}

}  // namespace minflow::nn
