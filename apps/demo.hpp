// minflow demo: the whole tutorial in one run (docs/cli.md#minflow-demo, docs/design.md#figures):
// data figures, flow matching, sampling, time warping, reflow, one-step sampling, every figure of
// docs/design.md#figures, and a one-page report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "apps/flags.hpp"
#include "flow/class_quality.hpp"
#include "flow/evaluate.hpp"
#include "flow/support_metrics.hpp"
#include "flow/trainer.hpp"
#include "nn/module.hpp"
#include "plot/plot.hpp"

namespace minflow::cli {

struct DemoSettings {
  std::filesystem::path out = "out";
  bool quick = false, fresh = false;
  bool extras = false;  // --extras: distillation and a conditional flow (demo_extras.cpp)
  std::size_t pool = 0;
  std::uint64_t seed = 0;
  int threads = 1;
};

// Loads the checkpoint at `path` into `state` when it was made with these settings (and these
// `extra` keys); otherwise says why it is not reused and returns false (demo_training.cpp).
bool reuse_checkpoint(const DemoSettings& demo, const std::filesystem::path& path,
                      const flow::TrainSettings& settings, const nn::Config& extra,
                      flow::TrainState& state);
// Trains `state` up to settings.steps (saving at the end, and on Ctrl-C). 0 or an exit status.
int train_to_end(const Flags& flags, const std::filesystem::path& path,
                 const flow::TrainSettings& settings, flow::TrainState& state,
                 const flow::PairSource& pairs, const char* stage);
// The same from ready-made regression batches (distillation, a conditional flow).
int train_to_end(const Flags& flags, const std::filesystem::path& path,
                 const flow::TrainSettings& settings, flow::TrainState& state,
                 const flow::BatchSource& batches, const char* stage);

// One row of the metrics table.
struct DemoMetric {
  std::string model;   // "flow", "reflow" (--extras: "distilled 2-RF")
  std::string method;  // "euler 100", "rk4 20"
  flow::SampleQuality quality;
  double straightness = 0;
  flow::PrecisionRecall support;  // k = 3 against the evaluation's target points
  flow::DensityMetrics density;   // under the spiral's true density
};

// What every row is measured against (docs/design.md#support-metrics): the evaluation's target
// points with their k-NN balls and the true density, computed once for the whole table.
struct SupportReference {
  flow::KnnBalls balls;
  flow::DensityReference density;
};
SupportReference support_reference(const flow::EvalSettings& eval);
// Fills m.support and m.density for these samples.
void measure_support(const SupportReference& reference, const Array<float>& samples, DemoMetric& m);
// A row of the metrics table: `net` sampled with `solver` at `steps` from the evaluation's noise,
// measured against the reference; the samples are written to `samples_file` (and *samples_out).
DemoMetric measure(nn::Module& net, const flow::EvalSettings& eval,
                   const SupportReference& reference, const std::string& model, flow::Solver solver,
                   std::size_t steps, double straightness,
                   const std::filesystem::path& samples_file, Array<float>* samples_out = nullptr);

// The density a model defines, measured as `minflow eval --nll` does: the mean −log p₁ of the
// evaluation's target points under the model, integrated back to t = 0 with RK4 at 20 steps
// (docs/design.md#negative-log-likelihood). The same points give the table's entropy, so
// nll − entropy estimates KL(target ‖ model) in nats.
struct ModelNll {
  std::string model;  // "flow" or "reflow"
  double nll = 0;
  std::size_t steps = 0, nfe = 0;
};
ModelNll model_nll(nn::Module& net, const char* model, const flow::EvalSettings& eval);

// The density maps (docs/design.md#negative-log-likelihood): the true density of eval.data on
// a size×size grid over the plot window, computed once, and a model's density on the same grid
// (RK4 20) drawn beside it with the log-ratio.
plot::DensityGrid true_density_grid(const std::string& data, std::size_t size);
void draw_density(nn::Module& net, const std::string& title, const plot::DensityGrid& truth,
                  const std::filesystem::path& image);

// The exact field's figures for the flow-matching net (docs/design.md#exact-velocity): its
// velocity error by t on the training path (velocity_error.png) and its training loss minus the
// floor on a log axis (excess_loss.png); `rows` pairs at each of the 80 times.
void draw_exact_figures(nn::Module& net, const std::vector<float>& loss, const std::string& data,
                        std::size_t rows, const std::filesystem::path& out);

// One guidance weight of the conditional flow: class_quality averaged over the classes.
struct ConditionalRow {
  double w = 0;
  flow::ClassQuality mean;
};

struct DemoReport {
  DemoSettings settings;
  std::vector<std::pair<std::string, double>> stage_seconds;  // in run order
  std::vector<std::string> settings_lines;                    // "flow matching: 10000 steps …"
  std::vector<DemoMetric> metrics;
  flow::NoiseFloor floor;
  DemoMetric data;  // a second sample of the target, measured like a row (the floor's row)
  std::size_t eval_n = 0;
  std::vector<ModelNll> nll;                                 // the flow's and the reflowed net's
  std::vector<std::pair<std::string, std::string>> figures;  // file, caption
  // --extras only (empty otherwise): each one-step map's mean squared distance from the
  // reflowed net's RK4-20 map (model, error), and the conditional flow's rows.
  std::vector<std::pair<std::string, double>> map_errors;
  std::vector<ConditionalRow> conditional;
  std::size_t conditional_n = 0;  // samples a class
};

// Runs one named, timed stage of the demo (its time goes to the report). 0 or an exit status.
using DemoStage = std::function<int(const std::string&, const std::function<int()>&)>;

// --extras (demo_extras.cpp). The reflowed net distilled into a one-step student
// (distill.ckpt, reused and resumed like the other stages): its row in report.metrics, the
// map errors and samples_distilled.png. 0 or an exit status.
int demo_distill(const Flags& flags, const DemoSettings& demo, const flow::TrainState& teacher,
                 const flow::EvalSettings& eval, const SupportReference& reference,
                 const Array<float>& teacher_one_step, DemoReport& report, const DemoStage& stage);
// A label-conditional flow of the spiral's turns (conditional.ckpt), scored at guidance
// w = 0, 1, 2, 4 (report.conditional) and drawn (guidance.png). 0 or an exit status.
int demo_conditional(const Flags& flags, const DemoSettings& demo, const flow::EvalSettings& eval,
                     DemoReport& report, const DemoStage& stage);

// The metrics table as aligned text (stdout) and report.md (written atomically).
std::string metrics_table(const DemoReport& report);
void write_report(const DemoReport& report);

}  // namespace minflow::cli
