// The cost of the minibatch couplings (OT-CFM): one exact OT and one Sinkhorn coupling at
// batch 256 and 2,048 on one and two threads, an OT-CFM training step against an
// independent one, and the exact W2 of two 4,096-point sets. Results: bench/RESULTS.md.
// Each row gives the median wall time per call and the median CPU time per call (all
// threads of the process: on a loaded machine the CPU time is the steadier figure). A
// training step is timed inside runs of many steps, as train() runs them: with two threads
// the next batch's coupling then overlaps the current step (flow/train_pipeline.hpp).
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
bench::Timing coupling_time(const std::string& kind, std::size_t batch, bench::MeasureOptions opt) {
  Generator gen(0, "bench");
  const Array<float> x0 = gaussian(gen, batch), x1 = eight_gaussians(gen, batch);
  const Coupling c = parse_coupling(kind);
  return bench::measure(
      [&] {
        Array<float> a = x0, b = x1;
        apply_coupling(c, a, b, gen);
      },
      opt);
}

// One optimizer step of train() (pairs drawn, coupled, regressed, Adam step), timed as a
// run of `run` steps in one train() call divided by `run`. (A run starts the helper thread
// and plans its first batch with nothing to overlap: runs of 200 steps at 256 make that a
// small part of the figure, as it is of a real run.)
bench::Timing step_time(const std::string& kind, std::size_t batch, bench::MeasureOptions opt) {
  TrainSettings s;
  s.data = "eight_gaussians";
  s.batch = batch;
  s.coupling = parse_coupling(kind);
  TrainState state = new_train_state(s);
  const PairSource pairs = independent_pairs(s.data, s.source);
  const std::size_t run = batch <= 256 ? 200 : 8;
  bench::Timing t = bench::measure(
      [&] {
        s.steps = state.steps_done() + run;
        train(state, s, pairs, {});
      },
      opt);
  t.median /= double(run), t.best /= double(run), t.cpu /= double(run);
  return t;
}

void row(const std::string& what, std::size_t batch, int threads, const bench::Timing& t) {
  std::printf("| %s | %zu | %d | %.3f | %.3f |\n", what.c_str(), batch, threads, 1e3 * t.median,
              1e3 * t.cpu);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  bench::MeasureOptions opt{quick ? 0.02 : 0.2, quick ? 3 : 7};
  const std::size_t big = quick ? 512 : 2048;
  std::printf(
      "| what | batch | threads | wall ms per call | CPU ms per call |\n"
      "|---|---|---|---|---|\n");
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    for (const char* kind : {"ot", "sinkhorn:0.05", "sinkhorn:0.01"})
      for (std::size_t batch : {std::size_t(256), big})
        row(std::string("coupling ") + kind, batch, threads, coupling_time(kind, batch, opt));
    for (std::size_t batch : {std::size_t(256), big}) {
      const bench::Timing ind = step_time("independent", batch, opt);
      const bench::Timing ot = step_time("ot", batch, opt);
      const bench::Timing sk = step_time("sinkhorn:0.05", batch, opt);
      row("training step, independent", batch, threads, ind);
      char what[160];
      std::snprintf(what, sizeof what, "training step, ot (wall ratio %.2f, CPU ratio %.2f)",
                    ot.median / ind.median, ot.cpu / ind.cpu);
      row(what, batch, threads, ot);
      std::snprintf(what, sizeof what,
                    "training step, sinkhorn:0.05 (wall ratio %.2f, CPU ratio %.2f)",
                    sk.median / ind.median, sk.cpu / ind.cpu);
      row(what, batch, threads, sk);
    }
  }
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    Generator gen(1, "bench");
    const std::size_t n = quick ? 1024 : 4096;
    const Array<float> x = gaussian(gen, n), y = eight_gaussians(gen, n);
    const double start = bench::now_seconds(), cpu = bench::cpu_seconds();
    const double w2 = exact_w2(x, y);
    std::printf("| exact W2 of two %zu-point sets (= %.4f) | %zu | %d | %.0f | %.0f |\n", n, w2, n,
                threads, 1e3 * (bench::now_seconds() - start), 1e3 * (bench::cpu_seconds() - cpu));
  }
  return 0;
}
