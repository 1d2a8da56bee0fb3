// The subcommands of `minflow`. Each takes the arguments after its name and returns the
// exit status (docs/cli.md#common-to-every-subcommand); usage errors are thrown as UsageError and
// reported by main.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "apps/flags.hpp"
#include "flow/trainer.hpp"

namespace minflow::cli {

int run_train(const std::vector<std::string>& args);
int run_sample(const std::vector<std::string>& args);
int run_eval(const std::vector<std::string>& args);
int run_plot(const std::vector<std::string>& args);
int run_reflow(const std::vector<std::string>& args);
int run_demo(const std::vector<std::string>& args);
int run_benchmark(const std::vector<std::string>& args);
int run_velocity(const std::vector<std::string>& args);
int run_data(const std::vector<std::string>& args);
int run_distill(const std::vector<std::string>& args);

// Each subcommand's flag table, built without running anything (run_X parses with it; the
// flags fuzzer parses arbitrary argument lists with it).
Flags train_flags();
Flags sample_flags();
Flags eval_flags();
Flags reflow_flags();
Flags plot_flags();
Flags demo_flags();
Flags benchmark_flags();
Flags velocity_flags();
Flags data_flags();
Flags distill_flags();

// Shared by train and reflow (cmd_train.cpp).
void add_training_flags(Flags& flags, std::size_t steps, const std::string& time,
                        const std::string& out);
flow::TrainSettings training_settings(const Flags& flags, const std::string& kind);
bool load_for_resume(const Flags& flags, const std::filesystem::path& out,
                     const flow::TrainSettings& settings, flow::TrainState& state);
// A resumed student run must continue the same recipe: each of `keys` in the checkpoint's
// extra settings must equal this run's (`expected`), else a UsageError naming the key.
void check_resume_matches(const Flags& flags, const nn::Config& saved, const nn::Config& expected,
                          std::initializer_list<const char*> keys);
int finish_training(const Flags& flags, const flow::TrainOutcome& outcome,
                    const flow::TrainState& state, const flow::TrainSettings& settings,
                    const std::filesystem::path& out, double seconds,
                    nn::CheckpointIdentity* owner = nullptr);

}  // namespace minflow::cli
