// Checkpoints (docs/design.md#checkpoints): a folder NAME.ckpt/ that NumPy and PyTorch users can
// read.
//
//   flow.ckpt/
//     l0.weight.npy … l3.bias.npy   one float32 C-order array per parameter, named by it
//     config.txt                    key = value: kind, arch, in, hidden, …, steps_done, lr, seed
//     loss.npy                      float32 [steps_done]: the loss at every optimizer step
//     state/loss_by_t.npy           float32 [steps_done, bins]: the same per bin of t (optional)
//     state/state.txt               optimizer kind, step count, generator states, counters
//     state/adam.m.l0.weight.npy …  optimizer buffers, float32, one per slot and parameter
//
// Saving writes everything into a temporary folder beside the target
// (NAME.ckpt.tmp-XXXXXX) and swaps it with the old checkpoint in one atomic step
// (renameat2 RENAME_EXCHANGE), then removes the old one: a kill at any moment leaves a whole
// checkpoint at NAME.ckpt. A reader that sees the folder replaced while it reads starts over
// (load_mlp_checkpoint), so it gets one version, whole.
//
// Loading checks before it changes anything, and says exactly what does not match: the
// architecture (config.txt against the model's architecture()), missing and extra
// parameter files, dtypes (parameters must be float32), shapes, and every file's format.
// Nothing checksums the weights: other float32 arrays of the same shapes (PyTorch's, for
// example) load. loss.npy and state/ are optional (a checkpoint written by another tool
// may have neither).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/random.hpp"
#include "nn/config.hpp"
#include "nn/mlp.hpp"
#include "nn/module.hpp"
#include "nn/optimizer_state.hpp"

namespace minflow::nn {

// Everything a checkpoint holds besides the weights (which live in the model).
struct Checkpoint {
  // Run settings (kind, data, steps_done, …). Saving adds the model's architecture() keys
  // and minflow_version.
  Config config{"config.txt"};
  std::vector<float> loss;                      // loss.npy
  std::vector<float> loss_by_t;                 // state/loss_by_t.npy, row-major [steps, bins]
  std::size_t loss_bins = 0;                    // 0: no loss_by_t.npy
  OptimizerState optimizer;                     // state/: empty kind = none saved
  std::map<std::string, Generator> generators;  // state.txt: generator.NAME = …
  Config counters{"state.txt"};                 // state.txt: any other key = value
};

// Which folder is at a path (device and inode), or that there is none.
struct CheckpointIdentity {
  bool exists = false;
  std::uint64_t device = 0, inode = 0;
  bool operator==(const CheckpointIdentity& o) const {
    return exists == o.exists && device == o.device && inode == o.inode;
  }
};
CheckpointIdentity checkpoint_identity(const std::filesystem::path& folder);

// Writes model's parameters and `checkpoint` to `folder`, replacing an existing checkpoint
// there. The optimizer's state must belong to the model's parameters (same count and shapes).
// With `owner`, the save replaces only the folder *owner names (or creates one when there is
// none) and then records the new one there: a run that saves again after another run wrote
// the same checkpoint fails instead of overwriting it.
void save_checkpoint(const std::filesystem::path& folder, const Module& model,
                     const Checkpoint& checkpoint, CheckpointIdentity* owner = nullptr);

// Cleans up after an interrupted save: puts back NAME.old-XXXXXX when NAME is missing and
// removes leftover NAME.tmp-XXXXXX / NAME.old-XXXXXX folders that no save is writing.
// Returns one sentence per action ("removed c.ckpt.tmp-ab12cd, left by an interrupted save").
std::vector<std::string> recover_checkpoint(const std::filesystem::path& folder);

// Just config.txt (to build the right model before loading the weights).
Config read_checkpoint_config(const std::filesystem::path& folder);

// Checks the checkpoint against `model`, then copies the weights into it and returns the
// rest. Throws std::runtime_error("checkpoint NAME: what does not match") and leaves the
// model untouched on any error. A folder with only parameter files (no config.txt, loss.npy
// or state/) is read as a plain state_dict folder (nn/state_dict.hpp), the model giving the
// architecture; the Checkpoint returned is then empty. Float64 modules: nn/state_dict.hpp.
Checkpoint load_checkpoint(const std::filesystem::path& folder, Module& model);

// An MLP built from the checkpoint's config.txt, with its weights loaded.
struct LoadedMlp {
  std::shared_ptr<MLP> model;
  Checkpoint checkpoint;
};
LoadedMlp load_mlp_checkpoint(const std::filesystem::path& folder);

// "flow.ckpt" for "out/flow.ckpt/": how a checkpoint is named in messages (the path as
// given, without a trailing separator).
std::string checkpoint_display_name(const std::filesystem::path& folder);

}  // namespace minflow::nn
