#include "flow/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "autograd/ops.hpp"
#include "base/interrupt.hpp"
#include "base/thread_pool.hpp"
#include "flow/coupling.hpp"
#include "flow/datasets.hpp"
#include "flow/train_pipeline.hpp"
#include "flow/velocity_net.hpp"
#include "nn/init.hpp"

namespace minflow::flow {

// ---- settings -------------------------------------------------------------------------

void TrainSettings::write_to(nn::Config& config) const {
  config.set("kind", kind);
  net.write_to(config);
  config.set("data", data);
  config.set("source", source);
  config.set("sigma", sigma);
  config.set("coupling", coupling.to_string());
  config.set("time", time.to_string());
  config.set("steps_total", steps);
  config.set("batch", batch);
  config.set("lr", lr);
  config.set("seed", static_cast<std::int64_t>(seed));
  config.set("save_every", save_every);
}

TrainSettings TrainSettings::from_config(const nn::Config& config) {
  TrainSettings s;
  s.kind = config.get_string("kind");
  if (s.kind != "flow" && s.kind != "reflow" && s.kind != "distill") {
    throw std::runtime_error(config.source() + ": kind is \"" + s.kind +
                             "\", expected flow, reflow or distill");
  }
  s.net = nn::MlpSpec::from_config(config);
  s.data = config.get_string("data");
  if (!is_dataset(s.data)) {
    throw std::runtime_error(config.source() + ": unknown data set \"" + s.data + "\"");
  }
  // Checkpoints from before sources, path noise and couplings existed hold none of the three
  // keys: they are Gaussian-source, σ = 0, independent runs.
  if (config.has("source")) s.source = config.get_string("source");
  if (config.has("sigma")) s.sigma = config.get_double("sigma");
  try {
    check_source(s.source);
    if (config.has("coupling")) s.coupling = parse_coupling(config.get_string("coupling"));
    if (!(s.sigma >= 0.0)) throw std::invalid_argument("sigma must be >= 0");
    s.time = parse_time_sampler(config.get_string("time"));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(config.source() + ": " + e.what());
  }
  s.steps = config.get_size("steps_total");
  s.batch = config.get_size("batch");
  s.lr = config.get_double("lr");
  s.seed = static_cast<std::uint64_t>(config.get_int("seed"));
  if (config.has("save_every")) s.save_every = config.get_size("save_every");
  return s;
}

std::string TrainSettings::resume_mismatch(const TrainSettings& other) const {
  auto differs = [](const std::string& key, const std::string& theirs, const std::string& ours) {
    return key + " is " + theirs + " in the checkpoint, " + ours + " here";
  };
  if (kind != other.kind) return differs("kind", other.kind, kind);
  if (data != other.data) return differs("data", other.data, data);
  if (source != other.source) return differs("source", other.source, source);
  if (sigma != other.sigma)
    return differs("sigma", std::to_string(other.sigma), std::to_string(sigma));
  if (coupling.to_string() != other.coupling.to_string())
    return differs("coupling", other.coupling.to_string(), coupling.to_string());
  if (batch != other.batch)
    return differs("batch", std::to_string(other.batch), std::to_string(batch));
  if (lr != other.lr) return differs("lr", std::to_string(other.lr), std::to_string(lr));
  if (net.hidden != other.net.hidden)
    return differs("hidden", std::to_string(other.net.hidden), std::to_string(net.hidden));
  if (net.depth != other.net.depth)
    return differs("depth", std::to_string(other.net.depth), std::to_string(net.depth));
  if (net.activation != other.net.activation)
    return differs("activation", nn::activation_name(other.net.activation),
                   nn::activation_name(net.activation));
  if (time.to_string() != other.time.to_string())
    return differs("time", other.time.to_string(), time.to_string());
  if (seed != other.seed) return differs("seed", std::to_string(other.seed), std::to_string(seed));
  return "";
}

// ---- state ----------------------------------------------------------------------------

namespace {
std::map<std::string, Generator> run_streams(std::uint64_t seed) {
  return {{"pairs", Generator(seed, "pairs")}, {"time", Generator(seed, "time")}};
}
}  // namespace

TrainState new_train_state(const TrainSettings& settings) {
  Generator init(settings.seed, "init");
  TrainState state;
  state.net = std::make_shared<nn::MLP>(settings.net, init);
  state.optimizer =
      std::make_unique<nn::Adam>(state.net->parameters(), nn::AdamOptions{settings.lr});
  state.generators = run_streams(settings.seed);
  return state;
}

TrainState new_train_state_from(const TrainSettings& settings, const nn::Module& weights) {
  TrainState state = new_train_state(settings);
  nn::copy_parameter_values(weights, *state.net);
  return state;
}

void save_train_state(const std::filesystem::path& folder, const TrainState& state,
                      const TrainSettings& settings, nn::CheckpointIdentity* owner) {
  nn::Checkpoint ckpt;
  settings.write_to(ckpt.config);
  ckpt.config.set("steps_done", state.steps_done());
  for (const auto& [key, value] : state.extra.entries())
    ckpt.config.set(key, value);
  ckpt.loss = state.loss;
  if (state.loss_by_t.size() == state.loss.size() * TrainState::kLossBins) {
    ckpt.loss_by_t = state.loss_by_t;  // (a loop of one's own, as chapter 4's, records none)
    ckpt.loss_bins = TrainState::kLossBins;
  }
  ckpt.optimizer = state.optimizer->state();
  ckpt.generators = state.generators;
  nn::save_checkpoint(folder, *state.net, ckpt, owner);
}

TrainState load_train_state(const std::filesystem::path& folder, TrainSettings& settings) {
  nn::LoadedMlp loaded = nn::load_mlp_checkpoint(folder);
  const nn::Config& config = loaded.checkpoint.config;
  settings = TrainSettings::from_config(config);
  TrainState state;
  state.net = loaded.model;
  state.optimizer =
      std::make_unique<nn::Adam>(state.net->parameters(), nn::AdamOptions{settings.lr});
  const std::string name = nn::checkpoint_display_name(folder);
  const std::size_t steps_done = config.get_size("steps_done");
  if (loaded.checkpoint.loss.size() != steps_done) {
    throw std::runtime_error("checkpoint " + name + ": loss.npy has " +
                             std::to_string(loaded.checkpoint.loss.size()) +
                             " entries but steps_done is " + std::to_string(steps_done));
  }
  if (loaded.checkpoint.optimizer.kind.empty()) {
    throw std::runtime_error("checkpoint " + name + ": no optimizer state to resume from");
  }
  state.optimizer->load_state(loaded.checkpoint.optimizer);
  state.generators = run_streams(settings.seed);
  for (auto& [key, gen] : state.generators) {
    auto it = loaded.checkpoint.generators.find(key);
    if (it == loaded.checkpoint.generators.end()) {
      throw std::runtime_error("checkpoint " + name + ": state/state.txt has no generator." + key);
    }
    gen = it->second;
  }
  state.loss = loaded.checkpoint.loss;
  if (loaded.checkpoint.loss_bins == TrainState::kLossBins) {
    state.loss_by_t = loaded.checkpoint.loss_by_t;
  } else {  // a checkpoint without it (or with other bins): unknown for the past steps
    state.loss_by_t.assign(state.loss.size() * TrainState::kLossBins, std::nanf(""));
  }
  // Every key the trainer does not write itself (a reflow's teacher and round, say) is
  // carried through to the next save unchanged, without the trainer knowing its meaning.
  nn::Config own;
  settings.write_to(own);
  const nn::Config architecture = loaded.model->architecture();  // alive through the loop
  for (const auto& [key, value] : architecture.entries())
    own.set(key, value);
  for (const char* key : {"steps_done", "minflow_version"})
    own.set(key, "");
  for (const auto& [key, value] : config.entries())
    if (!own.has(key)) state.extra.set(key, value);
  return state;
}

// ---- the loop -------------------------------------------------------------------------

namespace {
// The step's squared error per coordinate (as the loss), averaged within each bin of t.
void append_loss_by_t(const FlowBatch& batch, const Array<float>& v, std::vector<float>& out) {
  constexpr std::size_t bins = TrainState::kLossBins;
  double sum[bins] = {};
  std::size_t count[bins] = {};
  for (std::size_t i = 0; i < batch.t.shape()[0]; ++i) {
    const double t = batch.t(i, 0);
    const std::size_t b = std::min(bins - 1, static_cast<std::size_t>(std::max(0.0, t * bins)));
    const double dx = double(v(i, 0)) - batch.u(i, 0), dy = double(v(i, 1)) - batch.u(i, 1);
    sum[b] += (dx * dx + dy * dy) / 2.0;
    ++count[b];
  }
  for (std::size_t b = 0; b < bins; ++b)
    out.push_back(count[b] ? static_cast<float>(sum[b] / double(count[b])) : std::nanf(""));
}
}  // namespace

PairSource independent_pairs(const std::string& data, const std::string& source) {
  check_dataset(data);
  check_source(source);
  return [data, source](std::size_t batch, TrainState& state, Array<float>& x0, Array<float>& x1) {
    Generator& gen = state.generators.at("pairs");
    x0 = sample_dataset(source, gen, batch);
    x1 = sample_dataset(data, gen, batch);
  };
}

TrainOutcome train(TrainState& state, const TrainSettings& settings, const PairSource& pairs,
                   const TrainHooks& hooks) {
  // With a coupling and a spare thread, the next batch's coupling is computed while this
  // step trains (train_pipeline.hpp); the results are bitwise the same as below.
  if (settings.coupling.kind != Coupling::Kind::independent && num_threads() > 1)
    return detail::train_pipelined(state, settings, pairs, hooks);
  Array<float> x0, x1;
  return train_batches(
      state, settings,
      [&](std::size_t batch, TrainState& s) {
        pairs(batch, s, x0, x1);
        apply_coupling(settings.coupling, x0, x1, s.generators.at("pairs"));
        return make_flow_batch(x0, x1, settings.time, s.generators.at("time"), settings.sigma);
      },
      hooks);
}

TrainOutcome train_batches(TrainState& state, const TrainSettings& settings,
                           const BatchSource& batches, const TrainHooks& hooks) {
  TrainOutcome outcome;
  while (state.steps_done() < settings.steps) {
    const FlowBatch batch = batches(settings.batch, state);
    state.optimizer->zero_grad();
    // flow_matching_loss, spelled out to keep v for the loss by t.
    const Tensor v = batch.cond.size() == 0
                         ? velocity(*state.net, Tensor(batch.xt), Tensor(batch.t))
                         : state.net->forward(concat<float>(
                               {Tensor(batch.xt), Tensor(batch.t), Tensor(batch.cond)}, 1));
    Tensor loss = mse_loss(v, Tensor(batch.u));
    const double value = loss.item();
    if (!std::isfinite(value)) {
      // The weights are still those of the last good step: leave them unsaved and unchanged.
      if (hooks.progress) hooks.progress->finish();
      outcome.stop = TrainStop::diverged;
      outcome.step = state.steps_done() + 1;
      outcome.bad_loss = value;
      return outcome;
    }
    loss.backward();
    state.optimizer->step();
    state.loss.push_back(static_cast<float>(value));
    append_loss_by_t(batch, v.value(), state.loss_by_t);
    const std::size_t done = state.steps_done();
    if (hooks.progress) hooks.progress->update(done, value);

    if (const int signal = interrupt_signal()) {
      if (hooks.progress) hooks.progress->finish();
      if (hooks.save) hooks.save(state);
      outcome.stop = TrainStop::interrupted;
      outcome.signal = signal;
      return outcome;
    }
    if (hooks.should_stop && done < settings.steps && hooks.should_stop(state)) {
      if (hooks.progress) hooks.progress->finish();
      outcome.stop = TrainStop::stopped;
      return outcome;
    }
    if (settings.save_every && done % settings.save_every == 0 && done < settings.steps &&
        hooks.save) {
      hooks.save(state);
    }
  }
  if (hooks.progress) hooks.progress->finish();
  return outcome;
}

}  // namespace minflow::flow
