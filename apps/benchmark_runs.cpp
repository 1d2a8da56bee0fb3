// The four methods of `minflow benchmark` (apps/benchmark_runs.hpp):
//   I-CFM   independent pairs, path noise σ = 0.1 (torchcfm's ConditionalFlowMatcher)
//   OT-CFM  exact minibatch OT pairs, σ = 0.1 (ExactOptimalTransportConditionalFlowMatcher)
//   SB-CFM  Sinkhorn pairs with ε = 2σ² and the Brownian-bridge path, σ = 1 (torchcfm's
//           default for SchrodingerBridgeConditionalFlowMatcher; flow/sb_cfm.hpp)
//   2-RF    an I-CFM teacher with σ = 0, then a student fine-tuned from its weights for as
//           many steps again on the teacher's RK4-20 pairs (x0, Φ(x0))
// Each is scored on n fresh source points: samples by Euler 100, W2 against n fresh target
// points, NPE = |PE − W2²(source, target)| / W2²(source, target) with PE on the same path.
#include "apps/benchmark_runs.hpp"

#include <chrono>
#include <cstdio>

#include "flow/sb_cfm.hpp"
#include "flow/torchcfm_data.hpp"
#include "flow/trainer.hpp"
#include "flow/transport_metrics.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::cli {

namespace {

constexpr std::size_t kPaths = 24;  // paths drawn per panel

flow::PairSource torchcfm_pairs(const std::string& source, const std::string& data) {
  return [source, data](std::size_t b, flow::TrainState& st, Array<float>& x0, Array<float>& x1) {
    Generator& gen = st.generators.at("pairs");
    x0 = flow::sample_torchcfm(source, gen, b);
    x1 = flow::sample_torchcfm(data, gen, b);
  };
}

// Trains `method` and returns its net.
std::shared_ptr<nn::MLP> train_method(const BenchmarkTask& task, const std::string& method,
                                      const BenchmarkSizes& sizes, std::uint64_t seed) {
  flow::TrainSettings s;
  s.data = task.data;
  s.source = task.source;
  s.steps = sizes.steps;
  s.batch = sizes.batch;
  s.seed = seed;
  s.sigma = method == "2-RF" ? 0.0 : 0.1;
  if (method == "OT-CFM") s.coupling = flow::parse_coupling("ot");
  flow::TrainState state = flow::new_train_state(s);
  if (method == "SB-CFM") {
    const double sigma = 1.0;
    const flow::PairSource pairs = torchcfm_pairs(task.source, task.data);
    flow::train_batches(state, s,
                        [&](std::size_t b, flow::TrainState& st) {
                          Array<float> x0, x1;
                          pairs(b, st, x0, x1);
                          flow::schrodinger_bridge_pairs(x0, x1, sigma, st.generators.at("pairs"));
                          return flow::schrodinger_bridge_batch(x0, x1, sigma,
                                                                st.generators.at("time"));
                        },
                        {});
    return state.net;
  }
  flow::train(state, s, torchcfm_pairs(task.source, task.data), {});
  if (method != "2-RF") return state.net;
  // The student: x0 from the source, x1 = the teacher's RK4-20 image of it.
  flow::TrainSettings student = s;
  student.kind = "reflow";
  student.seed = seed + 1000;
  flow::TrainState st = flow::new_train_state_from(student, *state.net);
  const auto teacher = flow::velocity_field(*state.net);
  const std::string source = task.source;
  flow::train(st, student,
              [&teacher, source](std::size_t b, flow::TrainState& state, Array<float>& x0,
                                 Array<float>& x1) {
                x0 = flow::sample_torchcfm(source, state.generators.at("pairs"), b);
                flow::IntegrateOptions rk4;
                rk4.solver = flow::Solver::rk4;
                rk4.steps = 20;
                x1 = flow::integrate(teacher, x0, rk4).x;
              },
              {});
  return st.net;
}

}  // namespace

const std::vector<BenchmarkTask>& benchmark_tasks() {
  static const std::vector<BenchmarkTask> tasks = {
      {"N -> 8gaussians", "n_8gaussians", "gaussian", "8gaussians"},
      {"moons -> 8gaussians", "moons_8gaussians", "moons", "8gaussians"},
      {"N -> moons", "n_moons", "gaussian", "moons"},
      {"N -> scurve", "n_scurve", "gaussian", "scurve"}};
  return tasks;
}

const std::vector<std::string>& benchmark_methods() {
  static const std::vector<std::string> methods = {"I-CFM", "OT-CFM", "SB-CFM", "2-RF"};
  return methods;
}

BenchmarkCell run_benchmark_cell(const BenchmarkTask& task, const std::string& method,
                                 const BenchmarkSizes& sizes, std::uint64_t seed,
                                 bool with_figure) {
  const auto start = std::chrono::steady_clock::now();
  const std::shared_ptr<nn::MLP> net = train_method(task, method, sizes, seed);
  Generator start_gen(seed, "benchmark-eval"), target_gen(seed, "benchmark-target");
  const Array<float> x0 = flow::sample_torchcfm(task.source, start_gen, sizes.n);
  const Array<float> target = flow::sample_torchcfm(task.data, target_gen, sizes.n);
  const auto field = flow::velocity_field(*net);
  flow::IntegrateOptions euler;  // Euler 100: the path W2's samples and the energy come from
  BenchmarkCell cell;
  cell.figure.samples = flow::integrate(field, x0, euler).x;
  const double w2_source = flow::exact_w2(x0, target);
  cell.w2 = flow::exact_w2(cell.figure.samples, target);
  cell.npe = flow::normalized_path_energy(flow::path_energy(field, x0), w2_source * w2_source);
  if (with_figure) {
    Array<float> starts = Array<float>::from_shape({kPaths, 2});
    for (std::size_t i = 0; i < kPaths; ++i)
      for (std::size_t d = 0; d < 2; ++d)
        starts(i, d) = x0(i, d);
    euler.record_trajectory = true;
    const auto paths = flow::integrate(field, starts, euler).trajectory;
    for (std::size_t k = 0; k < paths.size(); k += 5)  // every fifth of the 101 rows
      cell.figure.paths.push_back(paths[k]);
    char title[96];
    std::snprintf(title, sizeof title, "%s: W2 %.3f, NPE %.3f", method.c_str(), cell.w2, cell.npe);
    cell.figure.title = title;
  }
  cell.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return cell;
}

}  // namespace minflow::cli
