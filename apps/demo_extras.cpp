// minflow demo --extras (docs/cli.md#minflow-demo): after reflow, two more stages.
//
// Distillation (docs/design.md#distillation): the reflowed net is the teacher, and a student
// (a copy of it) learns its RK4-20 map in one Euler step, v(x0, 0) ≈ x1 − x0, from a pool of
// teacher trajectories; its row in the metrics table sits beside the reflowed net's Euler 1.
// The settings are those of `minflow distill --teacher out/reflow.ckpt --pool 20000 --batch 512
// --steps 1000` (the same streams, so the same student).
//
// A label-conditional flow (docs/design.md#labelled-data-sets, docs/design.md#guidance): the
// spiral's three turns as classes, `minflow train --conditional`'s settings with 1,000 steps
// instead of 10,000, then each class sampled at guidance w ∈ {0, 1, 2, 4} and scored against
// that class's own points: the share that landed in the right turn, precision and recall
// (and energy distance, sliced W2), averaged over the classes.
#include <cstdio>
#include <iostream>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "apps/demo.hpp"
#include "flow/class_quality.hpp"
#include "flow/conditional.hpp"
#include "flow/datasets.hpp"
#include "flow/distill.hpp"
#include "flow/labels.hpp"
#include "flow/velocity_net.hpp"
#include "plot/conditional.hpp"

namespace minflow::cli {

namespace {
constexpr double kLabelDropout = 0.1;  // train --label-dropout's default
const std::vector<double> kGuidance = {0.0, 1.0, 2.0, 4.0};

// The teacher's identity in the student's config: its path and its final loss, so that a
// student of another reflowed net (a new --pool, a checkpoint replaced by hand) is not reused.
void teacher_keys(const DemoSettings& demo, const flow::TrainState& teacher,
                  const flow::DistillSettings& distill, std::size_t pool, nn::Config& extra) {
  extra.set("teacher", (demo.out / "reflow.ckpt").string());
  extra.set("k", distill.k);
  extra.set("teacher_solver", flow::solver_name(distill.teacher.solver));
  extra.set("teacher_steps", distill.teacher.steps);
  extra.set("pool", pool);
  extra.set("from_scratch", "false");
  extra.set("teacher_final_loss", teacher.loss.empty() ? 0.0 : double(teacher.loss.back()));
}
}  // namespace

int demo_distill(const Flags& flags, const DemoSettings& demo, const flow::TrainState& teacher,
                 const flow::EvalSettings& eval, const SupportReference& reference,
                 const Array<float>& teacher_one_step, DemoReport& report, const DemoStage& stage) {
  const bool q = demo.quick;
  flow::TrainSettings ds;
  ds.kind = "distill";
  ds.data = eval.data;
  ds.net = teacher.net->spec();
  ds.steps = q ? 100 : 1000;
  ds.batch = q ? 128 : 512;
  ds.seed = demo.seed;
  const flow::DistillSettings distill{1, flow::TeacherSettings{flow::Solver::rk4, 20}};
  const std::size_t pool_size = q ? 2000 : 20000;
  report.settings_lines.push_back(
      "distillation (--extras): the reflowed net's RK4-20 map in one Euler step, " +
      std::to_string(ds.steps) + " steps, batch " + std::to_string(ds.batch) + ", a pool of " +
      std::to_string(pool_size) +
      " teacher trajectories, the student starting as a copy of its "
      "teacher");
  const fs::path path = demo.out / "distill.ckpt";
  nn::Config extra("config.txt");
  teacher_keys(demo, teacher, distill, pool_size, extra);
  flow::TrainState state;
  if (!reuse_checkpoint(demo, path, ds, extra, state))
    state = flow::new_train_state_from(ds, *teacher.net);
  state.extra = extra;
  const flow::VelocityField<float> teacher_field = flow::velocity_field(*teacher.net);
  if (int s = stage("distillation", [&] {
        flow::DistillPool pool;
        flow::BatchSource batches = flow::distill_batches(teacher_field, distill);
        if (state.steps_done() < ds.steps) {
          Generator pool_gen(ds.seed, "pool");  // as `minflow distill --pool`
          Progress progress("pool", pool_size);
          pool = flow::make_distill_pool(teacher_field, distill, pool_size, ds.batch, pool_gen,
                                         &progress);
          batches = flow::distill_pool_batches(pool, distill.k);
        }
        return train_to_end(flags, path, ds, state, batches, "distill");
      }))
    return s;

  Array<float> student_one_step;
  stage("sampling the student", [&] {
    nn::MLP& net = *state.net;
    report.metrics.push_back(measure(net, eval, reference, "distilled 2-RF", flow::Solver::euler, 1,
                                     flow::model_straightness(net, eval),
                                     demo.out / "distill_euler1.npy", &student_one_step));
    // The distance of each one-step map from the teacher's RK4-20 map, from the same noise.
    Generator gen(flow::kEvalSeed, "distill.map");  // as `minflow distill`'s table
    const Array<float> x0 = flow::gaussian(gen, eval.n);
    report.map_errors.push_back(
        {"reflow", flow::map_error(teacher_field, teacher_field, distill, x0)});
    report.map_errors.push_back(
        {"distilled 2-RF", flow::map_error(flow::velocity_field(net), teacher_field, distill, x0)});
    plot::plot_scatter(
        demo.out / "samples_distilled.png",
        {{"reflowed net, one Euler step", {{teacher_one_step, "samples", ""}}},
         {"distilled student, one Euler step", {{student_one_step, "samples", ""}}}});
    return 0;
  });
  report.figures.push_back(
      {"samples_distilled.png", "One Euler step: the reflowed net and its distilled student"});
  return 0;
}

int demo_conditional(const Flags& flags, const DemoSettings& demo, const flow::EvalSettings& eval,
                     DemoReport& report, const DemoStage& stage) {
  const bool q = demo.quick;
  const std::size_t classes = flow::dataset_classes(eval.data);
  flow::TrainSettings cs;  // train --conditional's defaults but for the steps
  cs.data = eval.data;
  cs.steps = q ? 100 : 1000;
  cs.batch = q ? 256 : 2048;
  cs.seed = demo.seed;
  cs.net.in = 3 + classes + 1;
  report.conditional_n = eval.n / classes;
  report.settings_lines.push_back(
      "conditional flow (--extras): the spiral's " + std::to_string(classes) +
      " turns as classes, " + std::to_string(cs.steps) + " Adam steps, batch " +
      std::to_string(cs.batch) + ", label dropout 0.1, MLP(3 + " + std::to_string(classes + 1) +
      ", 64, 3, 2, GELU); " + std::to_string(report.conditional_n) +
      " samples a class at each guidance weight (Euler 100)");
  const fs::path path = demo.out / "conditional.ckpt";
  nn::Config extra("config.txt");  // the keys of train --conditional
  extra.set("conditional", "true");
  extra.set("classes", classes);
  extra.set("label_dropout", kLabelDropout);
  flow::TrainState state;
  if (!reuse_checkpoint(demo, path, cs, extra, state)) state = flow::new_train_state(cs);
  state.extra = extra;
  if (int s = stage("conditional flow", [&] {
        return train_to_end(flags, path, cs, state,
                            flow::conditional_batches(cs.data, kLabelDropout, cs.time),
                            "conditional");
      }))
    return s;

  stage("guidance", [&] {
    std::vector<std::vector<Array<float>>> samples;
    for (double w : kGuidance) {
      ConditionalRow row;
      row.w = w;
      samples.emplace_back(classes);
      for (std::size_t c = 0; c < classes; ++c) {
        // Class c's noise: seed + c at every w (`minflow eval --label c --guidance w --seed`).
        const flow::ClassQuality cq =
            flow::class_quality(*state.net, cs.data, classes, c, w, report.conditional_n, {},
                                demo.seed + c, &samples.back()[c]);
        row.mean.right_class += cq.right_class / double(classes);
        row.mean.precision += cq.precision / double(classes);
        row.mean.recall += cq.recall / double(classes);
        row.mean.energy_distance += cq.energy_distance / double(classes);
        row.mean.sliced_w2 += cq.sliced_w2 / double(classes);
      }
      report.conditional.push_back(row);
    }
    plot::plot_guidance_grid(
        demo.out / "guidance.png", kGuidance, samples,
        "conditional flow, " + std::to_string(report.conditional_n) + " per class: ");
    return 0;
  });
  report.figures.push_back(
      {"guidance.png", "The conditional flow's classes at guidance w = 0, 1, 2, 4"});
  return 0;
}

}  // namespace minflow::cli
