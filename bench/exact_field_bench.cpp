// exact_field_bench: the exact velocity of the spiral (2,049 quadrature nodes) on 2,048
// points, one call per time t, at 1 thread and at every thread of the machine.
//
//   build/rel/bench/exact_field_bench
#include <cstdio>
#include <thread>

#include "base/random.hpp"
#include "base/thread_pool.hpp"
#include "bench/harness.hpp"
#include "flow/datasets.hpp"
#include "flow/exact_field.hpp"

using namespace minflow;

int main() {
  const flow::GaussianMixture spiral = flow::target_mixture("spiral");
  const flow::GaussianMixture rings = flow::target_mixture("rings");
  Generator gen(0, "bench");
  const Array<double> x = xt::cast<double>(flow::gaussian(gen, 2048));
  std::printf("exact velocity, spiral (%zu components), 2048 points\n\n", spiral.size());
  std::printf("| threads | t | median ms | best ms |\n|---:|---:|---:|---:|\n");
  const int all = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int threads : {1, all}) {
    set_num_threads(threads);
    for (double t : {0.1, 0.5, 0.9}) {
      const bench::Timing timing =
          bench::measure([&] { (void)flow::exact_velocity(spiral, x, t); });
      std::printf("| %d | %.1f | %.2f | %.2f |\n", threads, t, 1e3 * timing.median,
                  1e3 * timing.best);
    }
    if (all == 1) break;
  }
  std::printf("\nexact velocity, rings (3 rings x %zu adaptive angles per point), 2048 points\n\n",
              rings.ring_nodes);
  std::printf("| threads | t | median ms | best ms |\n|---:|---:|---:|---:|\n");
  for (int threads : {1, all}) {
    set_num_threads(threads);
    for (double t : {0.1, 0.5, 0.9}) {
      const bench::Timing timing = bench::measure([&] { (void)flow::exact_velocity(rings, x, t); });
      std::printf("| %d | %.1f | %.2f | %.2f |\n", threads, t, 1e3 * timing.median,
                  1e3 * timing.best);
    }
    if (all == 1) break;
  }
  return 0;
}
