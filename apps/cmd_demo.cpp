// minflow demo: the tutorial's whole pipeline with its defaults, every figure of
// docs/design.md#figures, report.md and the metrics table. A second run reuses the checkpoints in
// the folder (only redrawing), an interrupted stage resumes, and --fresh starts over.
#include <chrono>
#include <cstdio>
#include <future>
#include <iostream>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "apps/demo.hpp"
#include "base/atomic_file.hpp"
#include "base/interrupt.hpp"
#include "flow/datasets.hpp"
#include "flow/reflow.hpp"
#include "flow/velocity_net.hpp"
#include "plot/plot.hpp"

namespace minflow::cli {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

plot::AnimatedPanel particles(nn::Module& net, const char* title, std::size_t n, std::size_t steps,
                              std::uint64_t seed) {
  Generator gen(seed, "animation");
  flow::IntegrateOptions options;
  options.steps = steps;
  options.record_trajectory = true;
  auto result = flow::integrate(flow::velocity_field(net), flow::gaussian(gen, n), options);
  return {title, std::move(result.trajectory), flow::time_grid(steps, 1.0, false)};
}

}  // namespace

Flags demo_flags() {
  Flags flags("minflow demo");
  add_common_flags(flags);
  flags.add_text("out", "out", "folder for everything (created)");
  flags.add_switch("quick", "small settings: the whole pipeline in seconds");
  flags.add_switch("fresh", "start over instead of reusing checkpoints in --out");
  flags.add_switch("extras",
                   "also distil the reflowed net into a one-step student and train a "
                   "label-conditional flow with guidance (about 6 s more CPU)");
  flags.add_count("pool", 0, "reflow from a pool of N pairs (0: new pairs every step)", kMaxPool,
                  true);
  return flags;
}

int run_demo(const std::vector<std::string>& args) {
  Flags flags = demo_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("[flags]") << "\nRuns the whole tutorial and writes every figure.\n";
    return 0;
  }
  DemoSettings demo;
  demo.out = flags.text("out");
  demo.quick = flags.on("quick");
  demo.fresh = flags.on("fresh");
  demo.extras = flags.on("extras");
  demo.pool = flags.count("pool");
  demo.seed = flags.seed("seed");
  demo.threads = resolve_threads(flags);
  std::error_code ec;
  fs::create_directories(demo.out, ec);
  if (ec || !fs::is_directory(demo.out)) {
    flags.fail("cannot create --out " + demo.out.string() + ": " +
               (ec ? ec.message() : "a file is in the way"));
  }
  try {
    AtomicFile probe(demo.out / ".write-test");  // removed again: never committed
  } catch (const std::exception&) {
    flags.fail("--out " + demo.out.string() + " is not writable");
  }
  apply_threads(flags);
  install_interrupt_handlers();

  const bool q = demo.quick;
  const fs::path out = demo.out;
  DemoReport report;
  report.settings = demo;
  flow::TrainSettings fm;
  fm.steps = q ? 300 : 10000;
  fm.batch = q ? 256 : 2048;
  fm.seed = demo.seed;
  flow::TrainSettings rf = fm;
  rf.kind = "reflow";
  rf.steps = q ? 50 : 1000;  // quick: 50 steps of 128 pairs, each pair an RK4-20 solve
  rf.batch = q ? 128 : 2048;
  rf.time = flow::warped_time(0.5);
  const flow::TeacherSettings teacher{flow::Solver::rk4, 20};
  const std::size_t anim_steps = q ? 10 : 100, anim_n = q ? 300 : 1000;
  const flow::EvalSettings eval{"spiral", q ? 1000u : 4096u, demo.seed, flow::kEvalSeed};
  report.eval_n = eval.n;
  report.settings_lines = {
      "flow matching: " + std::to_string(fm.steps) + " Adam steps, batch " +
          std::to_string(fm.batch) + ", lr 1e-3, t ~ uniform, MLP(3, 64, 3, 2, GELU)",
      "reflow: " + std::to_string(rf.steps) + " steps, batch " + std::to_string(rf.batch) +
          ", t ~ warp(U; 0.5), teacher RK4 20, " +
          (demo.pool ? "a pool of " + std::to_string(demo.pool) + " pairs" : "pairs on the fly"),
      "animations: Euler " + std::to_string(anim_steps) + " steps (" +
          std::to_string(anim_steps + 1) + " frames), " + std::to_string(anim_n) + " particles"};
  auto stage = [&](const std::string& name, auto&& body) {
    const auto start = Clock::now();
    const int status = body();
    report.stage_seconds.push_back({name, seconds_since(start)});
    return status;
  };
  auto figure = [&](const char* file, const char* caption) {
    report.figures.push_back({file, caption});
  };

  stage("data figures", [&] {
    Generator gen(demo.seed, "demo");
    const Array<float> x0 = flow::gaussian(gen, 2048), x1 = flow::spiral(gen, 2048);
    plot::plot_scatter(out / "source_target.png", {{"source: Gaussian", {{x0, "x0", ""}}},
                                                   {"target: spiral", {{x1, "x1", ""}}}});
    plot::plot_pairing(out / "pairing_velocities.png", x0, x1, "random pairing: arrows x1 - x0");
    return 0;
  });
  figure("source_target.png", "Source and target");
  figure("pairing_velocities.png", "A random pairing: x1 − x0 at the source points");

  flow::TrainState flow_state;
  if (!reuse_checkpoint(demo, out / "flow.ckpt", fm, nn::Config(), flow_state))
    flow_state = flow::new_train_state(fm);
  if (int s = stage("flow matching", [&] {
        return train_to_end(flags, out / "flow.ckpt", fm, flow_state,
                            flow::independent_pairs(fm.data), "train");
      }))
    return s;

  double flow_straightness = 0;
  SupportReference reference;
  Array<float> euler100_samples, rk4_samples;
  stage("sampling the flow", [&] {
    nn::MLP& net = *flow_state.net;
    flow_straightness = flow::model_straightness(net, eval);
    reference = support_reference(eval);
    report.metrics.push_back(measure(net, eval, reference, "flow", flow::Solver::euler, 1,
                                     flow_straightness, out / "flow_euler1.npy"));
    report.metrics.push_back(measure(net, eval, reference, "flow", flow::Solver::euler, 100,
                                     flow_straightness, out / "flow_euler100.npy",
                                     &euler100_samples));
    report.metrics.push_back(measure(net, eval, reference, "flow", flow::Solver::rk4, 20,
                                     flow_straightness, out / "flow_rk4_20.npy", &rk4_samples));
    report.floor = flow::noise_floor(eval);
    Generator floor_gen(eval.eval_seed, "floor");  // noise_floor's second data sample
    report.data = {"data", "-", {}, 0.0, {}, {}};
    measure_support(reference, flow::sample_dataset(eval.data, floor_gen, eval.n), report.data);
    report.nll.push_back(model_nll(net, "flow", eval));
    return 0;
  });
  const std::size_t grid = q ? 24 : 60;  // the density maps' cells a side (plot's own: 120)
  plot::DensityGrid truth;
  stage("flow figures", [&] {
    // gnuplot draws on one core: the longest figure, the animation, is drawn beside the rest.
    auto animation = std::async(std::launch::async, [&] {
      plot::animate_particles(out / "flowmatch.gif", {particles(*flow_state.net, "flow matching",
                                                                anim_n, anim_steps, demo.seed)});
    });
    // And the figures that integrate or sample first, beside both.
    auto density = std::async(std::launch::async, [&] {
      truth = true_density_grid(eval.data, grid);
      draw_density(*flow_state.net, "density of the flow", truth, out / "density_flow.png");
    });
    auto exact = std::async(std::launch::async, [&] {
      draw_exact_figures(*flow_state.net, flow_state.loss, eval.data, q ? 256 : 512, out);
    });
    plot::plot_loss(out / "loss.png", flow_state.loss, "flow matching loss");
    auto untrained = flow::new_train_state(fm).net;
    flow::IntegrateOptions euler100;
    Array<float> samples;
    flow::sample_quality(*untrained, eval, euler100, &samples);
    plot::plot_scatter(out / "samples_untrained.png",
                       {{"untrained net, Euler 100", {{samples, "samples", ""}}}});
    plot::plot_scatter(out / "samples_trained.png",
                       {{"trained net, Euler 100", {{euler100_samples, "samples", ""}}}});
    plot::plot_scatter(out / "samples_rk4.png",
                       {{"trained net, RK4 20", {{rk4_samples, "samples", ""}}}});
    plot::animate_time_warp(out / "timewarp.gif");
    animation.get();  // rethrows what the animation threw
    density.get();
    exact.get();
    return 0;
  });
  figure("loss.png", "Flow-matching loss (log scale): it stays high");
  figure("samples_untrained.png", "Samples of the untrained net (Euler 100)");
  figure("samples_trained.png", "Samples of the trained net (Euler 100)");
  figure("samples_rk4.png", "Samples of the trained net (RK4 20)");
  figure("flowmatch.gif", "The particles from t = 0 to t = 1");
  figure("timewarp.gif", "warp(t; s) as s sweeps from 0 to 1.5");
  figure("excess_loss.png", "Flow-matching loss minus its floor (log axis): still falling");
  figure("velocity_error.png", "The flow's velocity error E|v - u*|^2 by t, and the loss floor");
  figure("density_flow.png", "The flow's density, the true density and their log-ratio");

  nn::Config extra("config.txt");
  extra.set("teacher", (out / "flow.ckpt").string());
  extra.set("teacher_steps", teacher.steps);
  extra.set("pool", demo.pool);
  flow::TrainState reflow_state;
  if (!reuse_checkpoint(demo, out / "reflow.ckpt", rf, extra, reflow_state)) {
    reflow_state = flow::new_train_state_from(rf, *flow_state.net);
  }
  reflow_state.extra = extra;
  reflow_state.extra.set("round", 1);
  flow::PairPool pool;
  if (int s = stage("reflow", [&] {
        flow::PairSource pairs = flow::teacher_pairs(*flow_state.net, teacher);
        if (demo.pool && reflow_state.steps_done() < rf.steps) {
          Generator pool_gen(demo.seed, "pool.round1");
          Progress progress("pool", demo.pool);
          pool = flow::make_pair_pool(*flow_state.net, teacher, demo.pool, rf.batch, pool_gen,
                                      &progress);
          pairs = flow::pool_pairs(pool);
        }
        return train_to_end(flags, out / "reflow.ckpt", rf, reflow_state, pairs, "reflow");
      }))
    return s;

  Array<float> one_step_samples;
  stage("sampling the reflow", [&] {
    nn::MLP& net = *reflow_state.net;
    const double straightness = flow::model_straightness(net, eval);
    for (std::size_t steps : {1, 2, 4, 100}) {
      report.metrics.push_back(measure(net, eval, reference, "reflow", flow::Solver::euler, steps,
                                       straightness,
                                       out / ("reflow_euler" + std::to_string(steps) + ".npy"),
                                       steps == 1 ? &one_step_samples : nullptr));
    }
    report.nll.push_back(model_nll(net, "reflow", eval));
    return 0;
  });
  stage("reflow figures", [&] {
    plot::plot_loss(out / "reflow_loss.png", reflow_state.loss, "reflow loss");
    plot::plot_scatter(out / "samples_reflow_1step.png",
                       {{"reflowed net, one Euler step", {{one_step_samples, "samples", ""}}}});
    const auto student = particles(*reflow_state.net, "reflow", anim_n, anim_steps, demo.seed);
    // The two animations side by side in time too (gnuplot draws on one core).
    auto combined = std::async(std::launch::async, [&] {
      plot::animate_particles(
          out / "combined.gif",
          {particles(*flow_state.net, "flow matching", anim_n, anim_steps, demo.seed), student});
    });
    auto density = std::async(std::launch::async, [&] {
      draw_density(*reflow_state.net, "density of the reflowed net", truth,
                   out / "density_reflow.png");
    });
    plot::animate_particles(out / "reflow.gif", {student});
    combined.get();
    density.get();
    return 0;
  });
  figure("reflow_loss.png", "Reflow loss");
  figure("samples_reflow_1step.png", "Samples of the reflowed net with one Euler step");
  figure("reflow.gif", "The reflowed net's particles (Euler)");
  figure("combined.gif", "Flow matching and reflow side by side, frame by frame");
  figure("density_reflow.png", "The reflowed net's density, the true density and their log-ratio");

  if (demo.extras) {
    const DemoStage timed = [&](const std::string& name, const std::function<int()>& body) {
      return stage(name, body);
    };
    if (int s = demo_distill(flags, demo, reflow_state, eval, reference, one_step_samples, report,
                             timed))
      return s;
    if (int s = demo_conditional(flags, demo, eval, report, timed)) return s;
  }

  write_report(report);
  std::cout << "\n" << metrics_table(report) << "\nwrote " << (out / "report.md").string() << "\n";
  return 0;
}

}  // namespace minflow::cli
