// Plain state_dict folders, and checkpoints of float64 modules.
//
// A state_dict folder is what PyTorch users write with one line per tensor:
//   for k, v in net.state_dict().items(): np.save(f"weights/{k}.npy", v.numpy())
// one NAME.npy per parameter and nothing else: no config.txt, no loss.npy, no state/. The
// caller gives the architecture by building the model; load_checkpoint(folder, model)
// reads such a folder when it has no config.txt (nn/checkpoint.hpp), and load_state_dict
// reads one directly. A parameter's file is NAME.npy under the model's own name (l0.weight)
// or, for an MLP, under torch.nn.Sequential's (0.weight for l0, 2.weight for l1: l{k} is
// index 2k, docs/pytorch.md); one folder uses one naming throughout. Files may be float32
// or float64 (a float64 state_dict from a .double() PyTorch model); the values are
// converted to the module's scalar type. Everything is checked before the model changes:
// missing and unexpected files, shapes, dtypes, each file's format.
//
// Checkpoints stay float32 on disk. A float64 module (DMLP, …) saves its parameters rounded
// to float32 and loads them widened, with the same checks as a float32 module.
#pragma once

#include <filesystem>
#include <string>

#include "nn/checkpoint.hpp"
#include "nn/module.hpp"

namespace minflow::nn {

// Loads a state_dict folder into `model` (see above). Throws std::runtime_error
// ("state_dict NAME: what does not match") and leaves the model untouched on any error.
template <class T>
void load_state_dict(const std::filesystem::path& folder, BasicModule<T>& model);

// Writes every parameter as NAME.npy (float32, the model's own names) into `folder`,
// created if needed: the reverse of load_state_dict.
template <class T>
void save_state_dict(const std::filesystem::path& folder, const BasicModule<T>& model);

// True when `folder` is a folder holding no config.txt, loss.npy or state/: what
// load_checkpoint reads as a state_dict folder.
bool is_state_dict_folder(const std::filesystem::path& folder);

// Checkpoints of float64 modules, through a float32 copy of the parameters.
void save_checkpoint(const std::filesystem::path& folder, const DModule& model,
                     const Checkpoint& checkpoint);
Checkpoint load_checkpoint(const std::filesystem::path& folder, DModule& model);

}  // namespace minflow::nn
