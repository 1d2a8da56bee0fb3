// A small timing harness shared by minflow_bench and its libtorch twin (header-only, no
// dependency on either library).
//
// A workload is a callable run repeatedly. `measure` runs it once to warm up, picks how many
// calls make a batch of at least `batch_seconds`, times `batches` such batches and reports
// the median and the fastest time per call. The median is the figure to quote: on a shared
// machine the mean is dragged up by whatever else ran, the median much less.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace minflow::bench {

struct Timing {
  double median = 0.0;  // seconds per call (wall clock)
  double best = 0.0;    // seconds per call, fastest batch
  double cpu = 0.0;     // CPU seconds of the whole process per call, median (all threads)
  std::size_t calls = 0;
};

struct MeasureOptions {
  double batch_seconds = 0.05;
  int batches = 11;
};

inline double now_seconds() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

// CPU time of this process: on a busy machine, a one-thread workload's CPU time stays close
// to what an idle machine's wall clock would show, while its wall time grows with the load.
inline double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

template <class F>
Timing measure(F&& run, MeasureOptions options = {}) {
  double start = now_seconds();
  run();  // warm-up: first-touch allocations, lazy initialisations
  const double first = std::max(now_seconds() - start, 1e-7);
  const auto per_batch =
      std::max<std::size_t>(1, static_cast<std::size_t>(options.batch_seconds / first));
  std::vector<double> per_call, cpu_per_call;
  for (int b = 0; b < options.batches; ++b) {
    start = now_seconds();
    const double cpu_start = cpu_seconds();
    for (std::size_t i = 0; i < per_batch; ++i)
      run();
    per_call.push_back((now_seconds() - start) / static_cast<double>(per_batch));
    cpu_per_call.push_back((cpu_seconds() - cpu_start) / static_cast<double>(per_batch));
  }
  std::sort(per_call.begin(), per_call.end());
  std::sort(cpu_per_call.begin(), cpu_per_call.end());
  Timing t;
  t.median = per_call[per_call.size() / 2];
  t.best = per_call.front();
  t.cpu = cpu_per_call[cpu_per_call.size() / 2];
  t.calls = per_batch * per_call.size();
  return t;
}

// The line format the twin prints and the driver reads: "RESULT key median best cpu".
inline void print_result(const std::string& key, const Timing& t) {
  std::printf("RESULT %s %.9g %.9g %.9g\n", key.c_str(), t.median, t.best, t.cpu);
  std::fflush(stdout);
}

// The workloads both programs know, by key. Layer shapes are those of the tutorial's
// velocity net at batch 2048: each Linear does y = x·Wᵀ (forward), dx = g·W and dW = gᵀ·x.
struct GemmShape {
  const char* key;
  bool trans_a, trans_b;
  std::size_t m, n, k;
};
inline const std::vector<GemmShape>& gemm_shapes() {
  static const std::vector<GemmShape> shapes = {
      {"gemm/l0_fwd_2048x3.64x3T", false, true, 2048, 64, 3},
      {"gemm/l1_fwd_2048x64.64x64T", false, true, 2048, 64, 64},
      {"gemm/l1_dx_2048x64.64x64", false, false, 2048, 64, 64},
      {"gemm/l1_dW_64x2048T.2048x64", true, false, 64, 64, 2048},
      {"gemm/l3_fwd_2048x64.2x64T", false, true, 2048, 2, 64},
      {"gemm/l3_dx_2048x2.2x64", false, false, 2048, 64, 2},
      {"gemm/l3_dW_2x2048T.2048x64", true, false, 2, 64, 2048},
      {"gemm/l0_dW_64x2048T.2048x3", true, false, 64, 3, 2048},
  };
  return shapes;
}

inline const std::vector<std::size_t>& scaling_batches() {
  static const std::vector<std::size_t> b = {256, 512, 1024, 2048, 4096, 8192, 16384};
  return b;
}
inline const std::vector<std::size_t>& scaling_widths() {
  static const std::vector<std::size_t> w = {32, 64, 128, 256};
  return w;
}

}  // namespace minflow::bench
