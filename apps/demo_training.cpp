// The demo's training stages: reuse a checkpoint made with the same settings, or train (and
// resume) to the end (docs/cli.md#minflow-demo).
#include <chrono>
#include <iostream>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "apps/demo.hpp"

namespace minflow::cli {

// Loads the checkpoint at `path` into `state` when it was made with these settings (and
// these `extra` keys); otherwise says why it is not reused and returns false.
bool reuse_checkpoint(const DemoSettings& demo, const fs::path& path,
                      const flow::TrainSettings& settings, const nn::Config& extra,
                      flow::TrainState& state) {
  std::error_code ec;
  if (demo.fresh || !fs::exists(path, ec)) return false;
  try {
    flow::TrainSettings saved;
    flow::TrainState old = flow::load_train_state(path, saved);
    std::string why = settings.resume_mismatch(saved);
    if (why.empty() && saved.steps != settings.steps) why = "another number of steps";
    for (const auto& [key, value] : extra.entries())
      if (why.empty() && (!old.extra.has(key) || old.extra.get_string(key) != value))
        why = key + " differs";
    if (why.empty()) {
      state = std::move(old);
      return true;
    }
    std::cerr << "minflow demo: " << path.string() << " has other settings (" << why
              << "); training anew\n";
  } catch (const std::exception& e) {
    std::cerr << "minflow demo: not reusing " << path.string() << ": " << e.what() << "\n";
  }
  return false;
}

namespace {
// Trains `state` up to settings.steps with `run` (train or train_batches), saving at the end and
// on Ctrl-C. 0 or an exit status.
template <class Run>
int run_to_end(const Flags& flags, const fs::path& path, const flow::TrainSettings& settings,
               flow::TrainState& state, const char* stage, Run run) {
  if (state.steps_done() >= settings.steps) {
    std::cerr << "minflow demo: reusing " << path.string() << "\n";
    return 0;
  }
  Progress progress(stage, settings.steps, state.steps_done());
  flow::TrainHooks hooks;
  hooks.progress = &progress;
  hooks.save = [&](const flow::TrainState& s) { flow::save_train_state(path, s, settings); };
  const auto start = std::chrono::steady_clock::now();
  const flow::TrainOutcome outcome = run(hooks);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return finish_training(flags, outcome, state, settings, path, seconds);
}
}  // namespace

int train_to_end(const Flags& flags, const fs::path& path, const flow::TrainSettings& settings,
                 flow::TrainState& state, const flow::PairSource& pairs, const char* stage) {
  return run_to_end(flags, path, settings, state, stage, [&](const flow::TrainHooks& hooks) {
    return flow::train(state, settings, pairs, hooks);
  });
}

int train_to_end(const Flags& flags, const fs::path& path, const flow::TrainSettings& settings,
                 flow::TrainState& state, const flow::BatchSource& batches, const char* stage) {
  return run_to_end(flags, path, settings, state, stage, [&](const flow::TrainHooks& hooks) {
    return flow::train_batches(state, settings, batches, hooks);
  });
}

}  // namespace minflow::cli
