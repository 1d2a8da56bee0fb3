// minflow train: flow matching from noise to a 2-D data set (docs/cli.md#minflow-train,
// docs/design.md#flow-matching-training).
#include <chrono>
#include <cstdio>
#include <iostream>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "apps/conditional.hpp"
#include "apps/error_time.hpp"
#include "base/interrupt.hpp"
#include "flow/datasets.hpp"
#include "flow/exact_field.hpp"
#include "flow/path_errors.hpp"
#include "flow/trainer.hpp"
#include "nn/activation.hpp"

namespace minflow::cli {

// The flags `train` and `reflow` share (their defaults differ where docs/cli.md says so).
void add_training_flags(Flags& flags, std::size_t steps, const std::string& time,
                        const std::string& out) {
  add_common_flags(flags);
  flags.add_text("data", "spiral",
                 "target set: spiral, moons, eight_gaussians, checkerboard, rings, s_curve");
  flags.add_count("steps", steps, "optimizer steps (with --resume: the total to reach)", kMaxSteps);
  flags.add_count("batch", 2048, "pairs per step", kMaxBatch);
  flags.add_real("lr", 1e-3, "Adam learning rate");
  flags.add_count("hidden", 64, "hidden width", kMaxHidden);
  flags.add_count("depth", 3, "hidden layers (3 = four Linear layers)", kMaxDepth);
  flags.add_text("activation", "gelu", "gelu, gelu-tanh, relu, silu or tanh");
  flags.add_text(
      "time", time,
      "time sampler: uniform, warp:S, logit-normal:M,S, bins:W0,W1,... (train: or error:CKPT)");
  flags.add_count("save-every", 0, "also checkpoint every N steps (0: only at the end)", kMaxSteps,
                  true);
  flags.add_switch("resume", "continue the checkpoint at --out up to --steps in total");
  flags.add_switch("force", "overwrite an existing checkpoint at --out");
  flags.add_text("out", out, "checkpoint folder");
}

flow::TrainSettings training_settings(const Flags& flags, const std::string& kind) {
  flow::TrainSettings s;
  s.kind = kind;
  s.data = flags.text("data");
  if (!flow::is_dataset(s.data)) {
    try {
      flow::check_dataset(s.data);
    } catch (const std::exception& e) {
      flags.fail(std::string("--data: ") + e.what());
    }
  }
  s.steps = flags.count("steps");
  s.batch = flags.count("batch");
  s.lr = flags.real("lr");
  nn::Activation activation{};
  try {
    activation = nn::parse_activation(flags.text("activation"));
  } catch (const std::exception& e) {
    flags.fail(std::string("--activation: ") + e.what());
  }
  s.net = nn::MlpSpec{3, flags.count("hidden"), flags.count("depth"), 2, activation};
  const std::string time = flags.text("time");
  try {
    if (time.rfind("error:", 0) != 0) s.time = flow::parse_time_sampler(time);
  } catch (const std::exception& e) {
    flags.fail(std::string("--time: ") + e.what());
  }
  if (time.rfind("error:", 0) == 0) s.time = error_time_sampler(flags, time.substr(6), s.data);
  s.seed = flags.seed("seed");
  s.save_every = flags.count("save-every");
  return s;
}

// Loads the checkpoint at --out for --resume, or returns false when there is none.
bool load_for_resume(const Flags& flags, const fs::path& out, const flow::TrainSettings& settings,
                     flow::TrainState& state) {
  std::error_code ec;
  if (!fs::exists(out, ec)) {
    std::cerr << flags.command() << ": no checkpoint at " << out.string()
              << " to resume; starting a new run\n";
    return false;
  }
  flow::TrainSettings saved;
  try {
    state = flow::load_train_state(out, saved);
  } catch (const std::exception& e) {
    flags.fail(std::string("--resume: ") + e.what());
  }
  const std::string mismatch = settings.resume_mismatch(saved);
  if (!mismatch.empty()) flags.fail("--resume: " + mismatch);
  return true;
}

void check_resume_matches(const Flags& flags, const nn::Config& saved, const nn::Config& expected,
                          std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (!saved.has(key) || saved.get_string(key) != expected.get_string(key)) {
      flags.fail(std::string("--resume: ") + key + " differs from the checkpoint's");
    }
  }
}

int finish_training(const Flags& flags, const flow::TrainOutcome& outcome,
                    const flow::TrainState& state, const flow::TrainSettings& settings,
                    const fs::path& out, double seconds, nn::CheckpointIdentity* owner) {
  using flow::TrainStop;
  if (outcome.stop == TrainStop::diverged) {
    std::fprintf(stderr,
                 "%s: the loss became %g at step %zu; try a smaller --lr (now %g). "
                 "No checkpoint of the diverged weights was written.\n",
                 flags.command().c_str(), outcome.bad_loss, outcome.step, settings.lr);
    return 1;
  }
  if (outcome.stop == TrainStop::interrupted) {
    std::fprintf(stderr, "%s: interrupted; saved step %zu of %zu to %s (continue with --resume)\n",
                 flags.command().c_str(), state.steps_done(), settings.steps, out.c_str());
    return exit_status_for_signal(outcome.signal);
  }
  flow::save_train_state(out, state, settings, owner);
  std::printf("%s: %zu steps in %.1f s, final loss %.4f, saved %s\n", flags.command().c_str(),
              state.steps_done(), seconds, state.loss.empty() ? 0.0 : state.loss.back(),
              out.c_str());
  return 0;
}

Flags train_flags() {
  Flags flags("minflow train");
  add_training_flags(flags, 10000, "uniform", "flow.ckpt");
  flags.add_real("stop-excess", 0.0,
                 "stop once the mean loss of the last 100 steps is within X of the floor "
                 "(spiral, moons, eight_gaussians, rings)");
  flags.add_text("source", "gaussian", "source set: gaussian or any --data set");
  flags.add_real("sigma", 0.0, "path noise: x_t = (1-t) x0 + t x1 + sigma eps", false);
  flags.add_text("coupling", "independent", "independent, ot or sinkhorn:EPS (EPS x mean cost)");
  add_conditional_train_flags(flags);
  return flags;
}

namespace {
constexpr std::size_t kStopWindow = 100;  // steps in --stop-excess's moving average

// The loss floor under the run's time sampler: the floor of each tenth of t (path_errors,
// uniform t), weighted by the sampler's probability of that tenth.
double training_floor(const flow::TrainSettings& settings) {
  const flow::PathErrors e = flow::path_errors(flow::target_mixture(settings.data),
                                               flow::dataset_sampler(settings.data), nullptr);
  const std::size_t bins = e.loss_floor.by_bin.size();
  double floor = 0.0, total = 0.0;
  for (std::size_t b = 0; b < bins; ++b) {
    double mass = 0.0;  // midpoint rule, 100 points a bin
    for (int j = 0; j < 100; ++j)
      mass += settings.time.density((double(b) + (j + 0.5) / 100.0) / double(bins));
    floor += mass * e.loss_floor.by_bin[b];
    total += mass;
  }
  return floor / total;
}
}  // namespace

// --source, --sigma and --coupling (train only; reflow's pairs come from its teacher).
void read_coupling_flags(const Flags& flags, flow::TrainSettings& s) {
  s.source = flags.text("source");
  try {
    flow::check_source(s.source);
  } catch (const std::exception& e) {
    flags.fail(std::string("--source: ") + e.what());
  }
  s.sigma = flags.real("sigma");
  if (s.sigma < 0.0) flags.fail("--sigma must be >= 0, got " + std::to_string(s.sigma));
  try {
    s.coupling = flow::parse_coupling(flags.text("coupling"));
  } catch (const std::exception& e) {
    flags.fail(std::string("--coupling: ") + e.what());
  }
}

int run_train(const std::vector<std::string>& args) {
  Flags flags = train_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("[flags]") << "\nTrains a velocity net by flow matching.\n";
    return 0;
  }
  flow::TrainSettings settings = training_settings(flags, "flow");
  const bool stop_excess = flags.given("stop-excess");
  if (stop_excess && !flow::has_exact_field(settings.data)) {
    flags.fail(
        "--stop-excess needs a target with an exact field (spiral, moons, "
        "eight_gaussians, rings), not " +
        settings.data);
  }
  read_coupling_flags(flags, settings);
  const std::size_t classes = conditional_classes(flags, settings);
  if (classes && stop_excess) flags.fail("--stop-excess does not apply to --conditional");
  if (classes && (settings.source != "gaussian" || settings.sigma > 0.0 ||
                  settings.coupling.to_string() != "independent")) {
    flags.fail("--conditional trains from the Gaussian with independent pairs and no path noise");
  }
  const bool resume = flags.on("resume");
  const fs::path out = check_checkpoint_out(flags, flags.text("out"), flags.on("force") || resume);
  apply_threads(flags);
  recover_checkpoint_out(flags, out);
  check_checkpoint_out(flags, out, flags.on("force") || resume);  // counts a restored one
  // The folder this run replaces: a save fails if another run wrote it meanwhile.
  nn::CheckpointIdentity owner = nn::checkpoint_identity(out);

  flow::TrainState state;
  if (!(resume && load_for_resume(flags, out, settings, state))) {
    state = flow::new_train_state(settings);
  }
  if (classes) write_conditional_keys(flags, classes, state.extra);
  if (state.steps_done() >= settings.steps) {
    std::printf("%s: %s already has %zu steps; nothing to do\n", flags.command().c_str(),
                out.c_str(), state.steps_done());
    return 0;
  }

  install_interrupt_handlers();
  Progress progress("train", settings.steps, state.steps_done());
  flow::TrainHooks hooks;
  hooks.progress = &progress;
  hooks.save = [&](const flow::TrainState& s) { flow::save_train_state(out, s, settings, &owner); };
  if (stop_excess) {
    const double floor = training_floor(settings), excess = flags.real("stop-excess");
    std::printf(
        "%s: loss floor %.4f; stopping when the mean loss of the last %zu steps is "
        "below %.4f\n",
        flags.command().c_str(), floor, kStopWindow, floor + excess);
    std::fflush(stdout);
    hooks.should_stop = [floor, excess](const flow::TrainState& s) {
      if (s.loss.size() < kStopWindow) return false;
      double sum = 0.0;
      for (std::size_t i = s.loss.size() - kStopWindow; i < s.loss.size(); ++i)
        sum += s.loss[i];
      return sum / double(kStopWindow) - floor < excess;
    };
  }
  const auto start = std::chrono::steady_clock::now();
  flow::TrainOutcome outcome =
      classes ? flow::train_batches(state, settings, conditional_source(flags, settings), hooks)
              : flow::train(state, settings,
                            flow::independent_pairs(settings.data, settings.source), hooks);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (outcome.stop == flow::TrainStop::stopped) {  // a complete run of fewer steps
    std::printf("%s: --stop-excess reached at step %zu\n", flags.command().c_str(),
                state.steps_done());
    settings.steps = state.steps_done();
    outcome.stop = flow::TrainStop::finished;
  }
  return finish_training(flags, outcome, state, settings, out, seconds, &owner);
}

}  // namespace minflow::cli
