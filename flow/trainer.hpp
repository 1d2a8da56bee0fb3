// Training a velocity net by flow matching (docs/design.md#flow-matching-training), shared by
// `minflow train`, `minflow reflow`, the demo and the chapters.
//
// One step: get a batch of pairs (x0, x1), draw t per row, regress v_θ(x_t, t) onto
// x1 − x0 with mean squared error, take one Adam step. The loop stops early on Ctrl-C or
// SIGTERM (after saving the last completed step) and when the loss is no longer finite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/progress.hpp"
#include "base/random.hpp"
#include "flow/coupling.hpp"
#include "flow/ot_coupling.hpp"
#include "flow/time_sampler.hpp"
#include "nn/adam.hpp"
#include "nn/checkpoint.hpp"
#include "nn/mlp.hpp"

namespace minflow::flow {

// What defines a run. Written to config.txt; `--resume` requires the same values.
struct TrainSettings {
  std::string kind = "flow";  // "flow", "reflow" or "distill"
  std::string data = "spiral";
  std::string source = "gaussian";  // x0's distribution: gaussian or any data set
  double sigma = 0.0;               // path noise (coupling.hpp)
  Coupling coupling;                // how a batch pairs x0 and x1 (ot_coupling.hpp)
  std::size_t steps = 10000;        // the total number of optimizer steps to reach
  std::size_t batch = 2048;
  double lr = 1e-3;
  nn::MlpSpec net{3, 64, 3, 2, nn::Activation::gelu};
  TimeSampler time = uniform_time();
  std::uint64_t seed = 0;
  std::size_t save_every = 0;  // 0: save only at the end

  void write_to(nn::Config& config) const;
  static TrainSettings from_config(const nn::Config& config);
  // "" when `other` (the checkpoint's) may be resumed with these settings, otherwise the
  // first difference: "data is moons in the checkpoint, spiral here".
  std::string resume_mismatch(const TrainSettings& other) const;
};

// A run in progress: exactly what a checkpoint must hold to continue bit for bit.
struct TrainState {
  std::shared_ptr<nn::MLP> net;
  std::unique_ptr<nn::Adam> optimizer;
  std::map<std::string, Generator> generators;  // the random streams of the run
  std::vector<float> loss;                      // the loss of every completed step
  // The same per bin of t, kLossBins values a step (bin b: t in [b/10, (b+1)/10)); NaN where
  // a step drew no t in the bin. Saved as state/loss_by_t.npy [steps, bins].
  static constexpr std::size_t kLossBins = 10;
  std::vector<float> loss_by_t;
  nn::Config extra{"config.txt"};  // more config keys (reflow: teacher, round)

  std::size_t steps_done() const { return loss.size(); }
};

// Fresh weights from Generator(seed, "init") and the run's streams "pairs" and "time".
TrainState new_train_state(const TrainSettings& settings);
// A state whose net starts from `weights` (reflow's student: a copy, never shared).
TrainState new_train_state_from(const TrainSettings& settings, const nn::Module& weights);

// `owner`: replace only the checkpoint this run last saw there (nn::save_checkpoint).
void save_train_state(const std::filesystem::path& folder, const TrainState& state,
                      const TrainSettings& settings, nn::CheckpointIdentity* owner = nullptr);
// Loads a checkpoint written by save_train_state; `settings` receives its settings.
TrainState load_train_state(const std::filesystem::path& folder, TrainSettings& settings);

// Fills x0 [batch, 2] and x1 [batch, 2] for one step, drawing from the state's streams.
using PairSource =
    std::function<void(std::size_t batch, TrainState& state, Array<float>& x0, Array<float>& x1)>;
// x0 ~ the source, x1 ~ the data set, drawn independently: a random pairing (the run's
// coupling, applied by train(), may re-pair them).
PairSource independent_pairs(const std::string& data, const std::string& source = "gaussian");

enum class TrainStop { finished, interrupted, diverged, stopped };

struct TrainOutcome {
  TrainStop stop = TrainStop::finished;
  int signal = 0;         // interrupted: the signal received
  std::size_t step = 0;   // diverged: the 1-based step whose loss was not finite
  double bad_loss = 0.0;  // diverged: that loss
};

struct TrainHooks {
  // Called at every save point (save_every, and on interruption) with the state.
  std::function<void(const TrainState&)> save;
  Progress* progress = nullptr;
  // Asked after every step: true ends the run there (TrainStop::stopped), e.g. when the
  // excess loss over the floor is small enough (train --stop-excess).
  std::function<bool(const TrainState&)> should_stop;
};

// Runs steps until state.steps_done() == settings.steps. On interruption, calls hooks.save
// with the last completed step before returning; on divergence, returns without saving
// and without applying the bad step. With a coupling (ot, sinkhorn) and more than one
// thread, the next batch's coupling runs on a helper thread while the current step trains
// (flow/train_pipeline.hpp), with bitwise the same results; `pairs` is then called for the
// next batch before the current step's update, so it must not read state.net.
TrainOutcome train(TrainState& state, const TrainSettings& settings, const PairSource& pairs,
                   const TrainHooks& hooks);

// One step's regression batch (x_t, t, u) made directly, for targets that are not a straight
// line between two points (distillation, flow/distill.hpp). settings.time is not used.
using BatchSource = std::function<FlowBatch(std::size_t batch, TrainState& state)>;
TrainOutcome train_batches(TrainState& state, const TrainSettings& settings,
                           const BatchSource& batches, const TrainHooks& hooks);

}  // namespace minflow::flow
