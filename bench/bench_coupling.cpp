// The cost of the minibatch couplings (OT-CFM): one exact OT and one Sinkhorn coupling at
// batch 256 and 2,048 on one and two threads, an OT-CFM training step against an
// independent one, and the exact W2 of two 4,096-point sets. Results: bench/RESULTS.md.
//
//   build/release/bench/bench_coupling [--quick]
#include <cstdio>
#include <cstring>
#include <string>

#include "base/thread_pool.hpp"
#include "bench/harness.hpp"
#include "flow/datasets.hpp"
#include "flow/ot_coupling.hpp"
#include "flow/trainer.hpp"
#include "flow/transport_metrics.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

// One coupling of a fresh batch N(0, I) → eight Gaussians (the batch is drawn outside the
// timed call; the coupling copies it first, which costs microseconds).
double coupling_seconds(const std::string& kind, std::size_t batch, bench::MeasureOptions opt) {
  Generator gen(0, "bench");
  const Array<float> x0 = gaussian(gen, batch), x1 = eight_gaussians(gen, batch);
  const Coupling c = parse_coupling(kind);
  return bench::measure(
             [&] {
               Array<float> a = x0, b = x1;
               apply_coupling(c, a, b, gen);
             },
             opt)
      .median;
}

// One optimizer step of train() (pairs drawn, coupled, regressed, Adam step).
double step_seconds(const std::string& kind, std::size_t batch, bench::MeasureOptions opt) {
  TrainSettings s;
  s.data = "eight_gaussians";
  s.batch = batch;
  s.coupling = parse_coupling(kind);
  TrainState state = new_train_state(s);
  const PairSource pairs = independent_pairs(s.data, s.source);
  return bench::measure(
             [&] {
               s.steps = state.steps_done() + 1;
               train(state, s, pairs, {});
             },
             opt)
      .median;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  bench::MeasureOptions opt{quick ? 0.02 : 0.2, quick ? 3 : 7};
  const std::size_t big = quick ? 512 : 2048;
  std::printf("| what | batch | threads | ms per call |\n|---|---|---|---|\n");
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    for (const char* kind : {"ot", "sinkhorn:0.05", "sinkhorn:0.01"})
      for (std::size_t batch : {std::size_t(256), big})
        std::printf("| coupling %s | %zu | %d | %.2f |\n", kind, batch, threads,
                    1e3 * coupling_seconds(kind, batch, opt));
    for (std::size_t batch : {std::size_t(256), big}) {
      const double ind = step_seconds("independent", batch, opt);
      const double ot = step_seconds("ot", batch, opt);
      std::printf("| training step, independent | %zu | %d | %.2f |\n", batch, threads, 1e3 * ind);
      std::printf("| training step, ot (ratio %.2f) | %zu | %d | %.2f |\n", ot / ind, batch,
                  threads, 1e3 * ot);
    }
  }
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    Generator gen(1, "bench");
    const std::size_t n = quick ? 1024 : 4096;
    const Array<float> x = gaussian(gen, n), y = eight_gaussians(gen, n);
    const double start = bench::now_seconds();
    const double w2 = exact_w2(x, y);
    std::printf("| exact W2 of two %zu-point sets (= %.4f) | %zu | %d | %.0f |\n", n, w2, n,
                threads, 1e3 * (bench::now_seconds() - start));
  }
  return 0;
}
