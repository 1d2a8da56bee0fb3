// minflow distill: train a student whose k Euler steps reproduce a teacher's RK4 map
// (docs/design.md#distillation, docs/cli.md#minflow-distill). Usually the teacher is a
// reflowed net (its paths are nearly straight, so the map is easy to learn in one step).
#include <chrono>
#include <cstdio>
#include <iostream>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "base/interrupt.hpp"
#include "flow/datasets.hpp"
#include "flow/distill.hpp"
#include "flow/evaluate.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::cli {

namespace {

constexpr std::size_t kMaxK = 1000;

struct DistillPlan {
  flow::TrainSettings train;
  flow::DistillSettings distill;
  fs::path teacher_path, out;
  std::size_t pool = 0, eval_n = 4096;
  bool from_scratch = false;
};

void write_extra(const DistillPlan& plan, nn::Config& extra) {
  extra.set("teacher", plan.teacher_path.string());
  extra.set("k", plan.distill.k);
  extra.set("teacher_solver", flow::solver_name(plan.distill.teacher.solver));
  extra.set("teacher_steps", plan.distill.teacher.steps);
  extra.set("pool", plan.pool);
  extra.set("from_scratch", plan.from_scratch ? "true" : "false");
}

// Euler-k quality of a field and its map error against the teacher.
void print_row(const char* who, const flow::VelocityField<float>& field,
               const flow::VelocityField<float>& teacher, const DistillPlan& plan) {
  const flow::EvalSettings eval{plan.train.data, plan.eval_n, 0, flow::kEvalSeed};
  flow::IntegrateOptions euler;
  euler.steps = plan.distill.k;
  const flow::SampleQuality q = flow::sample_quality(field, eval, euler);
  Generator gen(flow::kEvalSeed, "distill.map");
  const double err =
      flow::map_error(field, teacher, plan.distill, flow::gaussian(gen, plan.eval_n));
  std::printf("  %-18s %14.5f %12.5f %16.5f\n", who, q.energy_distance, q.sliced_w2, err);
  std::fflush(stdout);
}

// A partial teacher's map is not the one the user means to distill: a usage error (checked
// before loading, so that load_model's note about partial checkpoints is not printed too).
void refuse_partial_teacher(const Flags& flags, const fs::path& path) {
  nn::Config tc;
  try {
    tc = nn::read_checkpoint_config(path);
  } catch (const std::exception&) {
    return;  // load_model reports what is wrong
  }
  if (tc.has("steps_done") && tc.has("steps_total") &&
      tc.get_size("steps_done") < tc.get_size("steps_total")) {
    flags.fail("--teacher " + path.string() + " is partial (" +
               std::to_string(tc.get_size("steps_done")) + " of " +
               std::to_string(tc.get_size("steps_total")) +
               " steps); finish it with --resume first");
  }
}

}  // namespace

Flags distill_flags() {
  Flags flags("minflow distill");
  add_common_flags(flags);
  flags.add_text("teacher", "", "the teacher's checkpoint (usually a reflowed flow; complete)");
  flags.add_count("k", 1, "the student's Euler steps (1: a one-step sampler)", kMaxK);
  flags.add_count("steps", 2000, "optimizer steps (with --resume: the total to reach)", kMaxSteps);
  flags.add_count("batch", 2048, "trajectories per step", kMaxBatch);
  flags.add_real("lr", 1e-3, "Adam learning rate");
  flags.add_text("teacher-solver", "rk4",
                 "how the teacher makes its path: euler, midpoint, heun, rk4");
  flags.add_count("teacher-steps", 20, "the teacher's integrator steps over [0, 1]", kMaxSteps);
  flags.add_count("pool", 0, "0: new teacher paths every step; N: make N paths once", kMaxPool,
                  true);
  add_student_run_flags(flags);
  flags.add_text("out", "distill.ckpt", "checkpoint folder");
  return flags;
}

int run_distill(const std::vector<std::string>& args) {
  Flags flags = distill_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("--teacher CKPT [flags]")
              << "\nDistillation: trains a student whose k Euler steps land where the "
                 "teacher's\nsolution from the same noise lands.\n";
    return 0;
  }
  if (!flags.given("teacher")) flags.fail("--teacher is required");
  DistillPlan plan;
  plan.teacher_path = flags.text("teacher");
  plan.out = flags.text("out");
  try {
    plan.distill.teacher.solver = flow::parse_solver(flags.text("teacher-solver"));
  } catch (const std::exception& e) {
    flags.fail(std::string("--teacher-solver: ") + e.what());
  }
  if (plan.distill.teacher.solver == flow::Solver::dopri5)
    flags.fail("--teacher-solver: a fixed-step solver is needed (euler, midpoint, heun, rk4)");
  plan.distill.k = flags.count("k");
  plan.distill.teacher.steps = flags.count("teacher-steps");
  plan.pool = flags.count("pool");
  plan.from_scratch = flags.on("from-scratch");
  plan.eval_n = flags.count("eval-n");
  const bool resume = flags.on("resume");
  check_checkpoint_out(flags, plan.out, flags.on("force") || resume);
  refuse_partial_teacher(flags, plan.teacher_path);
  const nn::LoadedMlp teacher = load_model(flags, plan.teacher_path);
  const nn::Config& tc = teacher.checkpoint.config;
  plan.train.kind = "distill";
  plan.train.data = tc.has("data") ? tc.get_string("data") : "spiral";
  plan.train.net = teacher.model->spec();
  plan.train.steps = flags.count("steps");
  plan.train.batch = flags.count("batch");
  plan.train.lr = flags.real("lr");
  plan.train.seed = flags.seed("seed");
  plan.train.save_every = flags.count("save-every");

  flow::TrainState state;
  bool have_state = false;
  if (resume && load_for_resume(flags, plan.out, plan.train, state)) {
    nn::Config expected;
    write_extra(plan, expected);
    check_resume_matches(
        flags, state.extra, expected,
        {"teacher", "k", "teacher_solver", "teacher_steps", "pool", "from_scratch"});
    have_state = true;
  }
  apply_threads(flags);
  install_interrupt_handlers();
  if (have_state && state.steps_done() >= plan.train.steps) {
    std::printf("%s: %s already has %zu steps; nothing to do\n", flags.command().c_str(),
                plan.out.c_str(), state.steps_done());
    return 0;
  }
  if (!have_state) {
    state = plan.from_scratch ? flow::new_train_state(plan.train)
                              : flow::new_train_state_from(plan.train, *teacher.model);
  }
  write_extra(plan, state.extra);

  const flow::VelocityField<float> teacher_field = flow::velocity_field(*teacher.model);
  if (plan.eval_n) {
    std::printf("k = %zu Euler step(s)       energy distance    sliced W2   map error (MSE)\n",
                plan.distill.k);
    print_row("teacher", teacher_field, teacher_field, plan);
    if (have_state)
      print_row("student (before)", flow::velocity_field(*state.net), teacher_field, plan);
  }
  flow::DistillPool pool;
  flow::BatchSource batches = flow::distill_batches(teacher_field, plan.distill);
  if (plan.pool) {
    Generator pool_gen(plan.train.seed, "pool");
    Progress progress("pool", plan.pool);
    pool = flow::make_distill_pool(teacher_field, plan.distill, plan.pool, plan.train.batch,
                                   pool_gen, &progress);
    batches = flow::distill_pool_batches(pool, plan.distill.k);
  }
  Progress progress("distill", plan.train.steps, state.steps_done());
  flow::TrainHooks hooks;
  hooks.progress = &progress;
  hooks.save = [&](const flow::TrainState& s) { flow::save_train_state(plan.out, s, plan.train); };
  const auto start = std::chrono::steady_clock::now();
  const flow::TrainOutcome outcome = flow::train_batches(state, plan.train, batches, hooks);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int status = finish_training(flags, outcome, state, plan.train, plan.out, seconds);
  if (status == 0 && plan.eval_n)
    print_row("student (after)", flow::velocity_field(*state.net), teacher_field, plan);
  return status;
}

}  // namespace minflow::cli
