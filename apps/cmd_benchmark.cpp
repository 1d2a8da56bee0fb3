// minflow benchmark: the 2-D table of Tong et al. (2024): tasks × methods × seeds, each run
// trained here and scored by exact W2 (samples against as many target points) and NPE.
//
// Tasks: N → 8 Gaussians, moons → 8 Gaussians, N → moons, N → S-curve (minflow's data sets).
// Methods: I-CFM (independent pairs, σ = 0.1), OT-CFM (exact minibatch OT, σ = 0.1),
// 2-rectified flow (an I-CFM teacher with σ = 0, then a student trained on the teacher's
// RK4-20 pairs, fine-tuned from its weights for as many steps again).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "flow/datasets.hpp"
#include "flow/transport_metrics.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::cli {

namespace {

struct Task {
  std::string name, source, data;
};
const std::vector<Task> kTasks = {{"N -> 8gaussians", "gaussian", "eight_gaussians"},
                                  {"moons -> 8gaussians", "moons", "eight_gaussians"},
                                  {"N -> moons", "gaussian", "moons"},
                                  {"N -> scurve", "gaussian", "s_curve"}};
const std::vector<std::string> kMethods = {"I-CFM", "OT-CFM", "2-RF"};

struct Scores {
  double w2 = 0, npe = 0;
};

flow::TrainSettings run_settings(const Task& task, std::size_t steps, std::size_t batch,
                                 std::uint64_t seed) {
  flow::TrainSettings s;
  s.data = task.data;
  s.source = task.source;
  s.steps = steps;
  s.batch = batch;
  s.seed = seed;
  return s;
}

// Trains one method on one task with one seed and scores it on n fresh points.
Scores run_one(const Task& task, const std::string& method, std::size_t steps, std::size_t batch,
               std::size_t n, std::uint64_t seed) {
  flow::TrainSettings s = run_settings(task, steps, batch, seed);
  s.sigma = method == "2-RF" ? 0.0 : 0.1;
  if (method == "OT-CFM") s.coupling = flow::parse_coupling("ot");
  flow::TrainState state = flow::new_train_state(s);
  flow::train(state, s, flow::independent_pairs(s.data, s.source), {});
  if (method == "2-RF") {
    // The student: x0 from the source, x1 = the teacher's RK4-20 image of it.
    nn::MLP& teacher = *state.net;
    flow::TrainSettings student = s;
    student.kind = "reflow";
    student.seed = seed + 1000;
    flow::TrainState st = flow::new_train_state_from(student, teacher);
    const auto field = flow::velocity_field(teacher);
    const std::string source = s.source;
    flow::PairSource pairs = [&field, source](std::size_t b, flow::TrainState& state,
                                              Array<float>& x0, Array<float>& x1) {
      x0 = flow::sample_dataset(source, state.generators.at("pairs"), b);
      flow::IntegrateOptions rk4;
      rk4.solver = flow::Solver::rk4;
      rk4.steps = 20;
      x1 = flow::integrate(field, x0, rk4).x;
    };
    flow::train(st, student, pairs, {});
    state.net = st.net;
  }
  Generator start(seed, "benchmark-eval"), target_gen(seed, "benchmark-target");
  const Array<float> x0 = flow::sample_dataset(task.source, start, n);
  const Array<float> target = flow::sample_dataset(task.data, target_gen, n);
  const auto field = flow::velocity_field(*state.net);
  flow::IntegrateOptions euler;  // Euler 100, the path the energy is measured on
  const Array<float> samples = flow::integrate(field, x0, euler).x;
  const double w2_source = flow::exact_w2(x0, target);
  return {flow::exact_w2(samples, target),
          flow::normalized_path_energy(flow::path_energy(field, x0), w2_source * w2_source)};
}

std::string mean_sd(const std::vector<double>& v) {
  double mean = 0, var = 0;
  for (double x : v)
    mean += x / double(v.size());
  for (double x : v)
    var += (x - mean) * (x - mean) / double(v.size() > 1 ? v.size() - 1 : 1);
  char text[64];
  std::snprintf(text, sizeof text, "%.3f ± %.3f", mean, std::sqrt(var));
  return text;
}

}  // namespace

Flags benchmark_flags() {
  Flags flags("minflow benchmark");
  add_common_flags(flags);
  flags.add_switch("quick", "small settings: the whole table in minutes");
  flags.add_count("seeds", 5, "seeds per task and method", 1000);
  flags.add_text("out", "benchmark", "folder for table.md and table.csv (created)");
  return flags;
}

int run_benchmark(const std::vector<std::string>& args) {
  Flags flags = benchmark_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("[flags]")
              << "\nTrains I-CFM, OT-CFM and 2-rectified flow on four 2-D tasks and tabulates "
                 "W2 and NPE (mean ± sd over seeds).\n";
    return 0;
  }
  const fs::path out = flags.text("out");
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec || !fs::is_directory(out)) flags.fail("cannot create --out " + out.string());
  apply_threads(flags);
  const bool quick = flags.on("quick");
  const std::size_t steps = quick ? 300 : 20000, batch = 256, n = quick ? 512 : 2048;
  const std::size_t seeds = flags.count("seeds");

  std::ostringstream csv, md;
  csv << "task,method,seed,w2,npe\n";
  md << "| task | method | W2 | NPE |\n|---|---|---|---|\n";
  const auto start = std::chrono::steady_clock::now();
  for (const Task& task : kTasks) {
    for (const std::string& method : kMethods) {
      std::vector<double> w2, npe;
      for (std::size_t k = 0; k < seeds; ++k) {
        const Scores s = run_one(task, method, steps, batch, n, flags.seed("seed") + k);
        w2.push_back(s.w2);
        npe.push_back(s.npe);
        csv << task.name << "," << method << "," << k << "," << s.w2 << "," << s.npe << "\n";
      }
      md << "| " << task.name << " | " << method << " | " << mean_sd(w2) << " | " << mean_sd(npe)
         << " |\n";
      std::cerr << "benchmark: " << task.name << ", " << method << " done\n";
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  md << "\n"
     << seeds << " seeds, " << steps << " optimizer steps at batch " << batch << ", W2 and NPE on "
     << n << " points (Euler 100); " << seconds << " s in all.\n";
  std::ofstream(out / "table.md") << md.str();
  std::ofstream(out / "table.csv") << csv.str();
  std::cout << md.str();
  return 0;
}

}  // namespace minflow::cli
