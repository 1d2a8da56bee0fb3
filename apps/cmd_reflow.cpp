// minflow reflow: straighten a trained flow by training a student on its teacher's pairs
// (docs/design.md#reflow). With --rounds k, each round's student teaches the next (k-rectified
// flow); the last round's student is saved at --out, earlier ones beside it as NAME.roundR.ckpt.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "apps/oracle.hpp"
#include "base/interrupt.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/reflow.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::cli {

namespace {

constexpr std::size_t kMaxRounds = 100;

struct ReflowPlan {
  flow::TrainSettings train;
  flow::TeacherSettings teacher;
  fs::path teacher_path, out;
  nn::CheckpointIdentity* owner = nullptr;  // the folder at `out` this run last saw
  std::size_t pool = 0, rounds = 1, eval_n = 4096;
  bool from_scratch = false;
};

// reflow.ckpt → reflow.round2.ckpt: where round 2's student is kept for round 3.
fs::path round_path(const fs::path& out, std::size_t round) {
  return out.parent_path() /
         (out.stem().string() + ".round" + std::to_string(round) + out.extension().string());
}

void write_extra(const ReflowPlan& plan, std::size_t round, nn::Config& extra) {
  extra.set("teacher", plan.teacher_path.string());
  extra.set("round", round);
  extra.set("rounds", plan.rounds);
  extra.set("teacher_solver", flow::solver_name(plan.teacher.solver));
  extra.set("teacher_steps", plan.teacher.steps);
  extra.set("pool", plan.pool);
  extra.set("from_scratch", plan.from_scratch ? "true" : "false");
}

void print_report(const char* who, const flow::EulerReport& r) {
  std::printf("  %-18s %12.5f", who, r.straightness);
  for (const auto& q : r.euler)
    std::printf("  %10.5f", q.energy_distance);
  std::printf("\n");
}

// After Ctrl-C during the before-table or the pair pool: stop, nothing of this round saved.
int stopped_before_training(const Flags& flags, std::size_t round) {
  const int signal = interrupt_signal();
  if (signal == 0) return 0;
  std::fprintf(stderr, "%s: interrupted before round %zu's training; nothing saved for it\n",
               flags.command().c_str(), round);
  return exit_status_for_signal(signal);
}

// One round: train a student on `teacher`'s pairs. Returns an exit status (0 to go on).
int run_round(const Flags& flags, const ReflowPlan& plan, std::size_t round,
              const flow::VelocityField<float>& teacher, flow::TrainState& state) {
  const flow::EvalSettings eval{plan.train.data, plan.eval_n, 0, flow::kEvalSeed};
  if (plan.eval_n) {
    std::printf(
        "round %zu of %zu                straightness  energy distance, Euler 1 / 2 / 4 / 100 "
        "steps\n",
        round, plan.rounds);
    const flow::EulerReport before = flow::euler_report(teacher, eval);
    if (const int status = stopped_before_training(flags, round)) return status;
    print_report("teacher (before)", before);
    std::fflush(stdout);
  }
  flow::PairPool pool;
  flow::PairSource pairs = flow::teacher_pairs(teacher, plan.teacher);
  if (plan.pool) {
    Generator pool_gen(plan.train.seed, "pool.round" + std::to_string(round));
    Progress progress("pool", plan.pool);
    pool = flow::make_pair_pool(teacher, plan.teacher, plan.pool, plan.train.batch, pool_gen,
                                &progress);
    if (const int status = stopped_before_training(flags, round)) return status;
    pairs = flow::pool_pairs(pool);
  }
  Progress progress("reflow", plan.train.steps, state.steps_done());
  flow::TrainHooks hooks;
  hooks.progress = &progress;
  hooks.save = [&](const flow::TrainState& s) {
    flow::save_train_state(plan.out, s, plan.train, plan.owner);
  };
  const auto start = std::chrono::steady_clock::now();
  const flow::TrainOutcome outcome = flow::train(state, plan.train, pairs, hooks);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The round's copy first: --out saying "round R done" then always has NAME.roundR.ckpt
  // beside it, wherever a kill falls.
  if (round < plan.rounds && outcome.stop == flow::TrainStop::finished) {
    flow::save_train_state(round_path(plan.out, round), state, plan.train);
  }
  const int status =
      finish_training(flags, outcome, state, plan.train, plan.out, seconds, plan.owner);
  if (status != 0) return status;
  if (plan.eval_n) {
    const flow::EulerReport after = flow::euler_report(*state.net, eval);
    if (const int signal = interrupt_signal()) return exit_status_for_signal(signal);
    print_report("student (after)", after);
  }
  return 0;
}

// --coupling and --source for the student (docs/cli.md#minflow-reflow). The student's pairs
// are (x0, Φ(x0)) with Φ the teacher's map: already a coupling, the teacher's, and the one
// reflow straightens. Re-pairing a batch of them by OT or Sinkhorn would throw it away and
// train OT-CFM on the teacher's samples instead, so only `independent` (x0 drawn alone,
// x1 its image) is accepted. x0 must come from the teacher's own source: anywhere else the
// teacher's map is untrained.
void check_student_pairing(const Flags& flags, bool oracle_teacher, const std::string& source) {
  flow::Coupling coupling;
  try {
    coupling = flow::parse_coupling(flags.text("coupling"));
  } catch (const std::exception& e) {
    flags.fail(std::string("--coupling: ") + e.what());
  }
  if (coupling.kind != flow::Coupling::Kind::independent) {
    flags.fail("--coupling " + coupling.to_string() +
               ": reflow's pairs (x0, teacher(x0)) are already coupled by the teacher and "
               "re-pairing them would undo it; train the teacher with --coupling instead");
  }
  if (!flags.given("source")) return;
  const std::string wanted = flags.text("source");
  try {
    flow::check_source(wanted);
  } catch (const std::exception& e) {
    flags.fail(std::string("--source: ") + e.what());
  }
  if (wanted != source) {
    flags.fail("--source " + wanted + ": the teacher starts from " + source +
               (oracle_teacher ? " (the exact field is Gaussian -> DATA)" : "") +
               ", and the student's x0 must too");
  }
}

}  // namespace

Flags reflow_flags() {
  Flags flags("minflow reflow");
  add_common_flags(flags);
  flags.add_text("teacher", "", "the trained flow's checkpoint (or --teacher-oracle)");
  flags.add_text("teacher-oracle", "",
                 "the exact field of Gaussian → DATA as the teacher (spiral, moons, "
                 "eight_gaussians, rings; the student starts from fresh weights)");
  flags.add_count("steps", 1000, "optimizer steps per round", kMaxSteps);
  flags.add_count("batch", 2048, "pairs per step", kMaxBatch);
  flags.add_real("lr", 1e-3, "Adam learning rate");
  flags.add_text("time", "warp:0.5", "time sampler: uniform, warp:S or logit-normal:M,S");
  flags.add_text("teacher-solver", "rk4",
                 "how the teacher makes x1: euler, midpoint, heun, rk4, dopri5");
  flags.add_count("teacher-steps", 20, "the teacher's integrator steps", kMaxSteps);
  flags.add_count("pool", 0, "0: new pairs every step; N: make N pairs once", kMaxPool, true);
  flags.add_count("rounds", 1, "k-rectified flow: each round's student teaches the next",
                  kMaxRounds);
  flags.add_text("source", "",
                 "x0's distribution; must be the teacher's (default: the teacher's, gaussian "
                 "for --teacher-oracle)");
  flags.add_text("coupling", "independent",
                 "independent only: the teacher's (x0, x1) pairs are already coupled");
  add_student_run_flags(flags);
  flags.add_text("out", "reflow.ckpt", "checkpoint folder (the last round's student)");
  return flags;
}

int run_reflow(const std::vector<std::string>& args) {
  Flags flags = reflow_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("--teacher CKPT [flags]")
              << "\nRectified flow: trains a student on "
                 "the teacher's (x0, x1) pairs.\n";
    return 0;
  }
  if (flags.given("teacher") == flags.given("teacher-oracle")) {
    flags.fail("give exactly one of --teacher and --teacher-oracle");
  }
  ReflowPlan plan;
  const bool oracle_teacher = flags.given("teacher-oracle");
  plan.teacher_path =
      oracle_teacher ? "oracle:" + flags.text("teacher-oracle") : flags.text("teacher");
  try {
    plan.teacher.solver = flow::parse_solver(flags.text("teacher-solver"));
    plan.train.time = flow::parse_time_sampler(flags.text("time"));
  } catch (const std::exception& e) {
    flags.fail(e.what());
  }
  plan.teacher.steps = flags.count("teacher-steps");
  plan.pool = flags.count("pool");
  plan.rounds = flags.count("rounds");
  plan.from_scratch = flags.on("from-scratch") || oracle_teacher;
  plan.eval_n = flags.count("eval-n");
  const bool resume = flags.on("resume");
  plan.out = check_checkpoint_out(flags, flags.text("out"), flags.on("force") || resume);
  if (!oracle_teacher) check_not_an_input(flags, "out", plan.out, "--teacher", plan.teacher_path);
  if (plan.rounds > 1) check_checkpoint_out(flags, round_path(plan.out, plan.rounds - 1), true);
  nn::LoadedMlp teacher;
  Oracle oracle;
  plan.train.kind = "reflow";
  if (oracle_teacher) {
    oracle = load_oracle(flags, "teacher-oracle");
    if (oracle.data.empty()) {
      flags.fail(
          "--teacher-oracle takes a built-in set (spiral, moons, eight_gaussians, rings), not a "
          "file");
    }
    plan.train.data = oracle.data;
    plan.train.net = flow::velocity_net_spec();
  } else {
    teacher = load_model(flags, plan.teacher_path);
    const nn::Config& tc = teacher.checkpoint.config;
    plan.train.data = tc.has("data") ? tc.get_string("data") : "spiral";
    if (!flow::is_dataset(plan.train.data)) {
      flags.fail("--teacher " + plan.teacher_path.string() +
                 ": its config.txt names data = " + plan.train.data + ", not a known data set");
    }
    // The student starts where the teacher does: the teacher's source (gaussian if
    // unrecorded).
    plan.train.source = tc.has("source") ? tc.get_string("source") : "gaussian";
    plan.teacher.source = plan.train.source;
    plan.train.net = teacher.model->spec();
  }
  check_student_pairing(flags, oracle_teacher, plan.train.source);
  plan.train.steps = flags.count("steps");
  plan.train.batch = flags.count("batch");
  plan.train.lr = flags.real("lr");
  plan.train.seed = flags.seed("seed");
  plan.train.save_every = flags.count("save-every");

  // Where to start: round 1 from the teacher, or where a checkpoint at --out stopped.
  recover_checkpoint_out(flags, plan.out);
  for (std::size_t r = 1; r < plan.rounds; ++r)
    recover_checkpoint_out(flags, round_path(plan.out, r));
  check_checkpoint_out(flags, plan.out, flags.on("force") || resume);  // counts a restored one
  nn::CheckpointIdentity owner = nn::checkpoint_identity(plan.out);
  plan.owner = &owner;
  std::size_t round = 1;
  flow::TrainState state;
  bool have_state = false;
  if (resume && load_for_resume(flags, plan.out, plan.train, state)) {
    nn::Config expected;
    write_extra(plan, 1, expected);
    check_resume_matches(flags, state.extra, expected,
                         {"teacher", "teacher_solver", "teacher_steps", "pool", "from_scratch"});
    round = state.extra.get_size("round");
    have_state = true;
  }
  apply_threads(flags);
  install_interrupt_handlers();

  std::shared_ptr<nn::MLP> teacher_net = teacher.model;
  if (round > 1) {  // the previous round's student teaches this round
    flow::TrainSettings ignored;
    teacher_net = flow::load_train_state(round_path(plan.out, round - 1), ignored).net;
  }
  if (have_state && round == plan.rounds && state.steps_done() >= plan.train.steps) {
    std::printf("%s: %s already finished round %zu of %zu; nothing to do\n",
                flags.command().c_str(), plan.out.c_str(), round, plan.rounds);
    return 0;
  }
  for (; round <= plan.rounds; ++round) {
    if (have_state && state.steps_done() >= plan.train.steps) {  // this round is complete
      have_state = false;
      std::error_code ec;  // a run before the round's copy was saved first may lack it
      if (round < plan.rounds && !fs::exists(round_path(plan.out, round), ec)) {
        flow::save_train_state(round_path(plan.out, round), state, plan.train);
      }
      teacher_net = state.net;
      continue;
    }
    if (!have_state) {
      state = plan.from_scratch ? flow::new_train_state(plan.train)
                                : flow::new_train_state_from(plan.train, *teacher_net);
      if (round > 1) {  // fresh random streams for every round
        const std::string r = ".round" + std::to_string(round);
        state.generators["pairs"] = Generator(plan.train.seed, "pairs" + r);
        state.generators["time"] = Generator(plan.train.seed, "time" + r);
      }
    }
    write_extra(plan, round, state.extra);
    have_state = false;
    // Round 1 learns from the exact field (--teacher-oracle) or the checkpoint; later
    // rounds from the previous round's student.
    const flow::VelocityField<float> teacher_field =
        teacher_net ? flow::velocity_field(*teacher_net) : flow::exact_field(oracle.mixture);
    const int status = run_round(flags, plan, round, teacher_field, state);
    if (status != 0) return status;
    teacher_net = state.net;
  }
  return 0;
}

}  // namespace minflow::cli
