// What the subcommands share: the common flags, checks of input and output paths, loading
// a model, and the sampling flags of `sample`, `eval` and `plot`.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "apps/flags.hpp"
#include "autograd/tensor.hpp"
#include "flow/integrators.hpp"
#include "nn/checkpoint.hpp"

namespace minflow::cli {

namespace fs = std::filesystem;

void add_common_flags(Flags& flags);  // --threads, --seed
// Applies --threads / MINFLOW_THREADS to the thread pool.
void apply_threads(const Flags& flags);

// The parent folder of an output path must exist (a typo is not silently created), and the
// path itself must not be a folder.
void check_output_file(const Flags& flags, const std::string& flag, const fs::path& path);
// The same for a checkpoint folder; an existing one is refused unless overwrite is allowed.
// A symbolic link is resolved to its target (a dangling one is refused), and a name too long
// for the save's temporary folder (NAME.tmp-XXXXXX) is refused. Returns the path to save to.
fs::path check_checkpoint_out(const Flags& flags, const fs::path& path, bool overwrite_ok);
// An output may not destroy an input: refuses (usage error) when `out` is the same file as
// `input`, or lies inside it (a file of an input checkpoint). Also for two outputs.
void check_not_an_input(const Flags& flags, const std::string& flag, const fs::path& out,
                        const std::string& input_flag, const fs::path& input);
// Recovers from an interrupted save at `out` (nn::recover_checkpoint), with a note on stderr
// for each action.
void recover_checkpoint_out(const Flags& flags, const fs::path& out);

// A [n, 2] .npy of float32 or float64 (converted), or a UsageError naming the flag.
Array<float> read_points(const Flags& flags, const std::string& flag, const fs::path& path);

// A trained velocity net from a checkpoint, or a UsageError saying what is wrong. A partial
// checkpoint (steps_done < steps_total) is used, with a note on stderr.
// A label-conditional checkpoint is a usage error unless `conditional_ok` (sample only).
nn::LoadedMlp load_model(const Flags& flags, const fs::path& path, bool conditional_ok = false);

// The target set: --data if given, else the model's (when loaded), else spiral; an unknown
// name is a UsageError.
std::string target_data(const Flags& flags, const nn::LoadedMlp& model);

// --source: the distribution the flow starts from. model_source gives --source if given,
// else the checkpoint's `source` (gaussian for checkpoints without one); an unknown name is
// a UsageError. start_points draws n points from it (or, under --reverse, from the target
// set `data`, so that integrating back maps data to the source).
void add_source_flag(Flags& flags);
std::string model_source(const Flags& flags, const nn::LoadedMlp& model);
Array<float> start_points(const std::string& source, const std::string& data, bool reverse,
                          std::uint64_t seed, std::size_t n);

// --solver, --steps, --rtol, --atol, --grid, --reverse.
void add_integrator_flags(Flags& flags);
// The flags of a run that trains a student from a teacher (reflow, distill):
// --from-scratch, --eval-n, --save-every, --resume, --force.
void add_student_run_flags(Flags& flags);
flow::IntegrateOptions integrator_options(const Flags& flags);

// Writes [n, 2] or [rows, n, 2] float32 arrays atomically; failures become runtime errors
// naming the file.
void write_points(const fs::path& path, const Array<float>& points);

}  // namespace minflow::cli
