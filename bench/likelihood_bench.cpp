// likelihood_bench: what the density costs. The negative log-likelihood of 4,096 spiral points
// under the tutorial's net (MLP(3, 64, 3, 2, GELU), untrained: the cost does not depend on the
// weights) with RK4 at 20 steps (80 evaluations of v and its divergence, the fast path), the
// density map's grid (60×60 and 120×120 points, the same integration) and the velocity error
// by t on the training path (path_errors: 80 times × 2,048 pairs against the exact field), at
// 1 thread and at every thread of the machine. Wall time and CPU time per call (medians): on a
// shared machine the CPU time is the figure that does not move with the load.
//
//   build/rel/bench/likelihood_bench
#include <cstdio>
#include <thread>

#include "base/random.hpp"
#include "base/thread_pool.hpp"
#include "bench/harness.hpp"
#include "flow/evaluate.hpp"
#include "flow/likelihood.hpp"
#include "flow/path_errors.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"
#include "plot/plot.hpp"

using namespace minflow;

int main() {
  flow::TrainSettings settings;
  flow::TrainState state = flow::new_train_state(settings);
  nn::Module& net = *state.net;
  const Array<float> target = flow::evaluation_targets(flow::EvalSettings{});
  flow::IntegrateOptions rk4;
  rk4.solver = flow::Solver::rk4;
  rk4.steps = 20;
  const flow::GaussianMixture spiral = flow::target_mixture("spiral");
  const flow::TargetSampler sampler = flow::dataset_sampler("spiral");
  const flow::VelocityField<float> field = flow::velocity_field(net);

  std::printf("| workload | threads | median s | CPU s |\n|---|---:|---:|---:|\n");
  const int all = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bench::MeasureOptions few;
  few.batches = 5;
  auto row = [&](const char* name, int threads, const bench::Timing& t) {
    std::printf("| %s | %d | %.3f | %.3f |\n", name, threads, t.median, t.cpu);
  };
  for (int threads : {1, all}) {
    set_num_threads(threads);
    row("NLL, 4,096 points, RK4 20", threads,
        bench::measure([&] { (void)flow::log_likelihood(net, target, rk4); }, few));
    for (std::size_t size : {60, 120}) {
      const Array<float> grid = plot::density_grid_points(size);
      const std::string name =
          "density grid " + std::to_string(size) + "x" + std::to_string(size) + ", RK4 20";
      row(name.c_str(), threads,
          bench::measure([&] { (void)flow::log_likelihood(net, grid, rk4); }, few));
    }
    flow::PathOptions path;
    path.seed = flow::kEvalSeed;
    row("velocity error by t (path_errors)", threads,
        bench::measure([&] { (void)flow::path_errors(spiral, sampler, &field, path); }, few));
    if (all == 1) break;
  }
  return 0;
}
