// GEMM throughput on the shapes of the tutorial's velocity MLP (batch 2048, hidden 64):
// each Linear forward is Y = X·Wᵀ, so gemm(trans_b = true) with W stored [out, in].
//
//   hidden layer  2048×64 · (64×64)ᵀ   16.8 MFLOP, compute-bound: the number to watch
//   first layer   2048×3  · (64×3)ᵀ     0.8 MFLOP, bound by writing the 512 KB result
//   last layer    2048×64 · (2×64)ᵀ     0.5 MFLOP, n = 2 fills 2 of a tile's 16 columns
//
// Counters: GFLOP/s (2·m·n·k per product, over wall time) and peak%, the share of
// 117 GFLOP/s per thread (the FP32 FMA peak of one Zen 4 core,
// docs/building.md#the-architecture-flag-and-xtensor_use_xsimd). Run: build/bench/bench_matmul
// --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <vector>

#include "autograd/kernels/matmul.hpp"
#include "base/random.hpp"
#include "base/thread_pool.hpp"

namespace {

constexpr double kPeakGflopsPerCore = 117.0;

using Kernel = void (*)(bool, bool, std::size_t, std::size_t, std::size_t, const float*,
                        std::size_t, const float*, std::size_t, float*, std::size_t, bool,
                        const float*);

std::vector<float> random_matrix(std::size_t size, std::uint64_t seed) {
  minflow::Generator gen(seed);
  std::vector<float> v(size);
  for (float& x : v)
    x = 2.0f * gen.uniform_float() - 1.0f;
  return v;
}

// Arguments: m (batch), n (out), k (in), threads.
void run(benchmark::State& state, Kernel kernel) {
  const auto m = std::size_t(state.range(0)), n = std::size_t(state.range(1)),
             k = std::size_t(state.range(2));
  const int threads = int(state.range(3));
  const int saved_threads = minflow::num_threads();
  minflow::set_num_threads(threads);
  const std::vector<float> x = random_matrix(m * k, 1), w = random_matrix(n * k, 2);
  std::vector<float> y(m * n);

  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    kernel(false, true, m, n, k, x.data(), k, w.data(), k, y.data(), n, false, nullptr);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  minflow::set_num_threads(saved_threads);

  const double flops = 2.0 * double(m) * double(n) * double(k) * double(state.iterations());
  state.counters["GFLOP/s"] = flops / seconds / 1e9;
  state.counters["peak%"] = 100.0 * flops / seconds / 1e9 / (kPeakGflopsPerCore * threads);
}

void BM_gemm(benchmark::State& state) {
  run(state, &minflow::gemm<float>);
}
void BM_gemm_reference(benchmark::State& state) {
  run(state, &minflow::gemm_reference<float>);
}

BENCHMARK(BM_gemm)
    ->ArgNames({"m", "n", "k", "threads"})
    ->ArgsProduct({{2048}, {64}, {64}, {1, 2}})
    ->ArgsProduct({{2048}, {64}, {3}, {1, 2}})
    ->ArgsProduct({{2048}, {2}, {64}, {1, 2}})
    ->UseRealTime();
BENCHMARK(BM_gemm_reference)
    ->ArgNames({"m", "n", "k", "threads"})
    ->Args({2048, 64, 64, 1})
    ->Args({2048, 64, 3, 1})
    ->Args({2048, 2, 64, 1})
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
