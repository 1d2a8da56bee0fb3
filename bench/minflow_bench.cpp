// minflow_bench: every performance figure of minflow in one run, each beside its libtorch
// twin (torch_twin.cpp, run as a child process on one thread) with the ratio
// minflow/libtorch (below 1: minflow is faster).
//
//   scripts/bench                     builds build/release and runs this (the documented way)
//   build/release/bench/minflow_bench [--quick] [--no-demo] [--no-torch]
//
// Sections: the measured FMA peak; the gemm kernel on every layer shape (GFLOP/s, % of that
// peak); GELU forward and backward; a training step, one forward pass, RK4-20, Euler-100
// and one on-the-fly reflow step at batch 2048; time per training step against batch and
// hidden width; the three targets (training step, RK4-20, Euler-100) again in three
// rounds beside a fresh twin each; whole runs of `minflow train --steps 3000` (three rounds);
// `minflow demo` with its stages, wall time and peak memory. Times are medians of repeated
// batches (harness.hpp).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "autograd/grad_mode.hpp"
#include "autograd/kernels/matmul.hpp"
#include "autograd/ops.hpp"
#include "base/allocator.hpp"
#include "base/random.hpp"
#include "base/thread_pool.hpp"
#include "bench/harness.hpp"
#include "flow/datasets.hpp"
#include "flow/integrators.hpp"
#include "flow/reflow.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"

namespace fs = std::filesystem;
using namespace minflow;
using bench::measure;
using bench::MeasureOptions;
using bench::Timing;

namespace {

// ---- the machine ----------------------------------------------------------------------

std::string read_first_line(const char* path, const std::string& prefix = "") {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return prefix.empty() ? line : line.substr(line.find(':') + 2);
  return "?";
}

std::string load_average() {
  std::istringstream is(read_first_line("/proc/loadavg"));
  std::string a, b, c;
  is >> a >> b >> c;
  return a + " " + b + " " + c;
}

// The FP32 FMA peak of `threads` threads: each runs 12 independent FMA chains on 8-float
// vectors (Zen 4: two FMAs a cycle, four cycles of latency, so 8 chains keep it busy).
double fma_peak_gflops(int threads) {
  constexpr int kChains = 12;
  constexpr long kIters = 20'000'000;
  using V = xsimd::batch<float>;
  auto work = [] {
    V acc[kChains];
    for (int c = 0; c < kChains; ++c)
      acc[c] = V(1.0f + 0.001f * float(c));
    const V m(0.999999f), a(1e-7f);
    for (long i = 0; i < kIters; ++i)
      for (int c = 0; c < kChains; ++c)
        acc[c] = xsimd::fma(acc[c], m, a);
    float sum = 0;
    for (int c = 0; c < kChains; ++c)
      sum += xsimd::hadd(acc[c]);
    volatile float sink = sum;
    (void)sink;
  };
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const double start = bench::now_seconds();
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
      pool.emplace_back(work);
    work();
    for (auto& t : pool)
      t.join();
    const double flops = 2.0 * double(V::size) * kChains * double(kIters) * threads;
    best = std::max(best, flops / (bench::now_seconds() - start) / 1e9);
  }
  return best;  // the best of five: a peak, not a typical figure
}

// ---- child processes ------------------------------------------------------------------

struct ProcessResult {
  int status = -1;
  double wall = 0;      // seconds
  long max_rss_kb = 0;  // peak resident memory
  std::string output;   // stdout, when captured
};

ProcessResult run_process(const std::vector<std::string>& args, bool capture) {
  int fds[2] = {-1, -1};
  if (capture && pipe(fds) != 0) return {};
  const double start = bench::now_seconds();
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("OMP_NUM_THREADS", "1", 1);
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    setenv("MKL_NUM_THREADS", "1", 1);
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    if (capture) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
    } else {
      if (std::FILE* null = std::fopen("/dev/null", "w")) dup2(fileno(null), 1);
    }
    if (std::FILE* null = std::fopen("/dev/null", "w")) dup2(fileno(null), 2);
    std::vector<char*> argv;
    for (const auto& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  ProcessResult r;
  if (capture) {
    close(fds[1]);
    char buf[4096];
    ssize_t got;
    while ((got = read(fds[0], buf, sizeof buf)) > 0)
      r.output.append(buf, std::size_t(got));
    close(fds[0]);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  r.wall = bench::now_seconds() - start;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.max_rss_kb = usage.ru_maxrss;
  return r;
}

// ---- the libtorch twin ----------------------------------------------------------------

struct Twin {
  bool available = false;
  std::map<std::string, Timing> results;

  // Runs the twin on all `keys` in one process and keeps its RESULT lines.
  void run(const std::vector<std::string>& keys) {
#ifdef MINFLOW_TORCH_TWIN
    std::vector<std::string> args = {MINFLOW_TORCH_TWIN};
    args.insert(args.end(), keys.begin(), keys.end());
    const ProcessResult r = run_process(args, true);
    std::istringstream is(r.output);
    std::string word, key;
    while (is >> word) {
      if (word != "RESULT") continue;
      Timing t;
      is >> key >> t.median >> t.best >> t.cpu;
      results[key] = t;
    }
    available = r.status == 0 || !results.empty();
#else
    (void)keys;
#endif
  }
  const Timing* find(const std::string& key) const {
    auto it = results.find(key);
    return it == results.end() ? nullptr : &it->second;
  }
};

// ---- formatting -----------------------------------------------------------------------

std::string ms(double seconds) {
  char buf[32];
  const double v = seconds * 1e3;
  std::snprintf(buf, sizeof buf, v < 1 ? "%.3f" : v < 100 ? "%.2f" : "%.1f", v);
  return buf;
}
std::string ratio(double a, const Timing* b) {
  if (!b || b->median <= 0) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", a / b->median);
  return buf;
}
std::string torch_ms(const Timing* t) {
  return t ? ms(t->median) : "–";
}

// ---- minflow workloads ----------------------------------------------------------------

struct Options {
  bool quick = false, demo = true, torch = true;
  std::vector<std::string> only;  // --only a,b: just the workloads whose key contains a or b
  bool wanted(const std::string& key) const {
    if (only.empty()) return true;
    for (const auto& part : only)
      if (key.find(part) != std::string::npos) return true;
    return false;
  }
};

Timing timed(int threads, const std::function<void()>& f, MeasureOptions o = {}) {
  set_num_threads(threads);
  return measure(f, o);
}

flow::TrainSettings train_settings(std::size_t batch, std::size_t hidden) {
  flow::TrainSettings s;
  s.batch = batch;
  s.net.hidden = hidden;
  s.steps = 0;
  return s;
}

// Runs `n` more optimizer steps through the same code as `minflow train`.
void train_steps(flow::TrainState& state, flow::TrainSettings& settings,
                 const flow::PairSource& pairs, std::size_t n) {
  settings.steps = state.steps_done() + n;
  flow::train(state, settings, pairs, {});
}

Timing train_step_time(std::size_t batch, std::size_t hidden, int threads) {
  flow::TrainSettings s = train_settings(batch, hidden);
  flow::TrainState state = flow::new_train_state(s);
  const flow::PairSource pairs = flow::independent_pairs(s.data);
  return timed(threads, [&] { train_steps(state, s, pairs, 1); });
}

// A teacher trained for 300 steps, so that integrations see a realistic field.
nn::MLP& teacher() {
  static flow::TrainState state = [] {
    flow::TrainSettings s = train_settings(2048, 64);
    flow::TrainState st = flow::new_train_state(s);
    train_steps(st, s, flow::independent_pairs(s.data), 300);
    return st;
  }();
  return *state.net;
}

Timing workload(const std::string& key, int threads) {
  const MeasureOptions slow{0.05, 7};
  Generator gen(1, "bench");
  if (key == "forward") {
    const Array<float> x = flow::gaussian(gen, 2048);
    const auto v = flow::velocity_field(teacher());
    Array<float> out;
    return timed(threads, [&] { out = v(x, 0.5); });
  }
  if (key == "rk4_20" || key == "euler_100") {
    const Array<float> x0 = flow::gaussian(gen, 2048);
    flow::IntegrateOptions o;
    o.solver = key == "rk4_20" ? flow::Solver::rk4 : flow::Solver::euler;
    o.steps = key == "rk4_20" ? 20 : 100;
    const auto v = flow::velocity_field(teacher());
    return timed(
        threads, [&] { flow::integrate(v, x0, o); }, slow);
  }
  if (key == "reflow_step") {
    flow::TrainSettings s = train_settings(2048, 64);
    s.kind = "reflow";
    s.time = flow::warped_time(0.5);
    flow::TrainState state = flow::new_train_state_from(s, teacher());
    const flow::PairSource pairs = flow::teacher_pairs(teacher(), {flow::Solver::rk4, 20});
    return timed(
        threads, [&] { train_steps(state, s, pairs, 1); }, slow);
  }
  if (key == "gelu_fwd" || key == "gelu_bwd" || key == "gelu_fwd_bwd") {
    Array<float> xv = flow::gaussian(gen, 2048 * 32);  // [65536, 2] → reshaped [2048, 64]
    const Tensor x = Tensor(xv * 2.0f).set_requires_grad(true);
    const Tensor xr = reshape(x, {2048, 64}).detach().set_requires_grad(true);
    const Array<float> g = reshape(Tensor(flow::gaussian(gen, 2048 * 32)), {2048, 64}).value();
    auto reset = [&] { xr.node_ptr()->grad = Array<float>(); };
    if (key == "gelu_fwd") {
      return timed(threads, [&] {
        NoGradGuard no_grad;
        Tensor y = gelu(xr);
      });
    }
    if (key == "gelu_bwd") {
      Tensor y = gelu(xr);
      auto* fn = const_cast<GradFn<float>*>(y.grad_fn());
      return timed(threads, [&] {
        reset();
        fn->backward(g);
      });
    }
    return timed(threads, [&] {
      reset();
      Tensor y = gelu(xr);
      const_cast<GradFn<float>*>(y.grad_fn())->backward(g);
    });
  }
  for (const auto& s : bench::gemm_shapes()) {
    if (key != s.key) continue;
    Generator g2(2);
    std::vector<float> a(s.m * s.k), b(s.k * s.n), c(s.m * s.n);
    for (float& v : a)
      v = g2.uniform_float();
    for (float& v : b)
      v = g2.uniform_float();
    const std::size_t lda = s.trans_a ? s.m : s.k, ldb = s.trans_b ? s.k : s.n;
    return timed(threads, [&] {
      gemm<float>(s.trans_a, s.trans_b, s.m, s.n, s.k, a.data(), lda, b.data(), ldb, c.data(), s.n,
                  false);
    });
  }
  throw std::invalid_argument("unknown workload " + key);
}

// A workload of the tables by its key: "train_step/bB/hH" or a key of workload().
Timing key_time(const std::string& key, int threads) {
  std::size_t b = 0, h = 0;
  if (std::sscanf(key.c_str(), "train_step/b%zu/h%zu", &b, &h) == 2)
    return train_step_time(b, h, threads);
  return workload(key, threads);
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

// The three workloads again, in rounds: each round runs the twin (a fresh process)
// and then minflow on 1 and 2 threads. This VM's speed drifts by 10–30 % over minutes, and
// one run of each side can land on different sides of a drift; a ratio per round, and the
// median over rounds, is what the targets are judged by.
void target_rounds(const Options& o) {
  constexpr int kRounds = 3;
  const std::vector<std::string> keys = {"train_step/b2048/h64", "rk4_20", "euler_100"};
  std::map<std::string, std::vector<double>> t1, t2, torch, r1, r2;
  for (int round = 0; round < kRounds; ++round) {
    Twin twin;
    if (o.torch) twin.run(keys);
    for (const auto& key : keys) {
      const double a = key_time(key, 1).median, b = key_time(key, 2).median;
      t1[key].push_back(a);
      t2[key].push_back(b);
      if (const Timing* tt = twin.find(key)) {
        torch[key].push_back(tt->median);
        r1[key].push_back(a / tt->median);
        r2[key].push_back(b / tt->median);
      }
    }
  }
  std::printf(
      "\n## The issue's targets, %d rounds (medians; ratios per round, their median and range)\n\n"
      "| workload | 1t ms | 2t ms | libtorch ms | ratio 1t | range | ratio 2t | range |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|\n",
      kRounds);
  for (const auto& key : keys) {
    auto range = [](const std::vector<double>& v) {
      if (v.empty()) return std::string("–");
      char buf[48];
      std::snprintf(buf, sizeof buf, "%.2f–%.2f", *std::min_element(v.begin(), v.end()),
                    *std::max_element(v.begin(), v.end()));
      return std::string(buf);
    };
    auto fixed = [](const std::vector<double>& v) {
      if (v.empty()) return std::string("–");
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", median_of(v));
      return std::string(buf);
    };
    std::printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", key.c_str(),
                ms(median_of(t1[key])).c_str(), ms(median_of(t2[key])).c_str(),
                torch[key].empty() ? "–" : ms(median_of(torch[key])).c_str(),
                fixed(r1[key]).c_str(), range(r1[key]).c_str(), fixed(r2[key]).c_str(),
                range(r2[key]).c_str());
    std::fflush(stdout);
  }
}

// ---- the report -----------------------------------------------------------------------

void header(const Options& o, int argc, char** argv) {
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  std::string command;
  for (int i = 0; i < argc; ++i)
    command += (i ? " " : "") + std::string(argv[i]);
  std::printf("# minflow benchmark\n\n");
  std::printf("- date: %s\n", date);
  std::printf("- machine: %s, %u logical cores\n",
              read_first_line("/proc/cpuinfo", "model name").c_str(),
              std::thread::hardware_concurrency());
  std::printf("- command: `%s`\n", command.c_str());
  std::printf("- load average at start: %s\n", load_average().c_str());
#ifdef MINFLOW_TORCH_TWIN
  const char* twin =
      o.torch ? "yes (1 thread, OMP_NUM_THREADS=1, OMP_WAIT_POLICY=PASSIVE)" : "skipped";
#else
  const char* twin = o.torch ? "not built (find_package(Torch) found nothing)" : "skipped";
#endif
  std::printf("- libtorch twin: %s\n", twin);
  std::printf(
      "- times are medians of repeated batches; ratio = minflow / libtorch (below 1: "
      "minflow faster); 1t, 2t = minflow on 1 or 2 threads\n\n");
}

}  // namespace

int main(int argc, char** argv) {
  minflow::keep_large_blocks_in_heap();  // as the minflow command does
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") {
      o.quick = true;
      o.demo = false;
    } else if (a == "--no-demo") {
      o.demo = false;
    } else if (a == "--no-torch") {
      o.torch = false;
    } else if (a == "--only" && i + 1 < argc) {
      std::istringstream list(argv[++i]);
      for (std::string part; std::getline(list, part, ',');)
        o.only.push_back(part);
      o.demo = false;
    } else {
      std::fprintf(stderr,
                   "usage: minflow_bench [--quick] [--no-demo] [--no-torch] [--only KEY,...]\n");
      return 2;
    }
  }
  header(o, argc, argv);

  const std::vector<std::string> steps = {"train_step/b2048/h64", "forward", "rk4_20", "euler_100",
                                          "reflow_step"};
  std::vector<std::string> torch_keys = steps;
  for (const auto& s : bench::gemm_shapes())
    torch_keys.push_back(s.key);
  for (const char* k : {"gelu_fwd", "gelu_bwd", "gelu_fwd_bwd"})
    torch_keys.push_back(k);
  std::vector<std::string> scaling;
  for (std::size_t b : bench::scaling_batches())
    if (!o.quick || b <= 4096) scaling.push_back("train_step/b" + std::to_string(b) + "/h64");
  for (std::size_t w : bench::scaling_widths())
    if (w != 64) scaling.push_back("train_step/b2048/h" + std::to_string(w));
  torch_keys.insert(torch_keys.end(), scaling.begin(), scaling.end());

  std::vector<std::string> wanted_keys;
  for (const auto& k : torch_keys)
    if (o.wanted(k)) wanted_keys.push_back(k);
  torch_keys = wanted_keys;
  Twin twin;
  if (o.torch && !torch_keys.empty()) {
    std::fprintf(stderr, "minflow_bench: running the libtorch twin…\n");
    twin.run(torch_keys);
  }
  std::fprintf(stderr, "minflow_bench: measuring minflow…\n");

  // ---- FMA peak and gemm
  const double peak1 = fma_peak_gflops(1), peak2 = fma_peak_gflops(2);
  std::printf(
      "## FMA peak (measured)\n\n| threads | GFLOP/s |\n|---|---:|\n| 1 | %.1f |\n"
      "| 2 | %.1f |\n\n",
      peak1, peak2);

  std::printf(
      "## gemm kernel on the layer shapes (batch 2048, hidden 64)\n\n"
      "| product | MFLOP | 1t ms | 1t GFLOP/s | 1t %% peak | 2t ms | 2t GFLOP/s | "
      "libtorch ms | libtorch GFLOP/s | ratio 1t | ratio 2t |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& s : bench::gemm_shapes()) {
    if (!o.wanted(s.key)) continue;
    const double flop = 2.0 * double(s.m) * double(s.n) * double(s.k);
    const Timing t1 = workload(s.key, 1), t2 = workload(s.key, 2);
    const Timing* tt = twin.find(s.key);
    std::printf("| %s | %.2f | %s | %.1f | %.0f%% | %s | %.1f | %s | %s | %s | %s |\n", s.key + 5,
                flop / 1e6, ms(t1.median).c_str(), flop / t1.median / 1e9,
                100.0 * flop / t1.median / 1e9 / peak1, ms(t2.median).c_str(),
                flop / t2.median / 1e9, torch_ms(tt).c_str(),
                tt ? std::to_string(int(flop / tt->median / 1e9)).c_str() : "–",
                ratio(t1.median, tt).c_str(), ratio(t2.median, tt).c_str());
  }

  auto table = [&](const char* title, const std::vector<std::string>& keys) {
    std::printf(
        "\n## %s\n\n| workload | 1t ms | 2t ms | libtorch ms | ratio 1t | ratio 2t | "
        "1t cpu ms | libtorch cpu ms | cpu ratio |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        title);
    for (const auto& key : keys) {
      if (!o.wanted(key)) continue;
      const Timing t1 = key_time(key, 1), t2 = key_time(key, 2);
      const Timing* tt = twin.find(key);
      char cpu_ratio[32] = "–";
      if (tt && tt->cpu > 0) std::snprintf(cpu_ratio, sizeof cpu_ratio, "%.2f", t1.cpu / tt->cpu);
      std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", key.c_str(),
                  ms(t1.median).c_str(), ms(t2.median).c_str(), torch_ms(tt).c_str(),
                  ratio(t1.median, tt).c_str(), ratio(t2.median, tt).c_str(), ms(t1.cpu).c_str(),
                  tt ? ms(tt->cpu).c_str() : "–", cpu_ratio);
      std::fflush(stdout);
    }
  };
  table("GELU on [2048, 64] (exact erf)", {"gelu_fwd", "gelu_bwd", "gelu_fwd_bwd"});
  table("The tutorial's workloads (batch / points 2048, MLP(3, 64, 3, 2, GELU))", steps);
  table("Training step against batch and hidden width", scaling);
  if (!o.quick && o.only.empty()) target_rounds(o);
  std::printf("\nload average after the micro-benchmarks: %s\n", load_average().c_str());

  // ---- whole runs, as a user runs them
  if (!o.quick && o.only.empty()) {
    const fs::path tmp = fs::temp_directory_path() / ("minflow_bench." + std::to_string(getpid()));
    fs::create_directories(tmp);
    // Three rounds, each running the three processes in turn, so that a slow moment of the
    // machine touches one run of each rather than all three runs of one; the median is shown.
    constexpr int kRounds = 3;
    std::printf(
        "\n## Whole runs (wall time of the process: median of %d runs and range, peak RSS)\n\n"
        "| run | wall s | range s | peak RSS MB | ratio to libtorch |\n"
        "|---|---:|---:|---:|---:|\n",
        kRounds);
    std::vector<ProcessResult> torch_runs, minflow_runs[2];
    for (int round = 0; round < kRounds; ++round) {
#ifdef MINFLOW_TORCH_TWIN
      if (o.torch)
        torch_runs.push_back(run_process({MINFLOW_TORCH_TWIN, "train_run", "3000"}, false));
#endif
      for (int threads : {1, 2}) {
        minflow_runs[threads - 1].push_back(run_process(
            {MINFLOW_EXE, "train", "--steps", "3000", "--threads", std::to_string(threads), "--out",
             (tmp / "train.ckpt").string(), "--force"},
            false));
      }
    }
    // Median wall time, range, the largest peak RSS, and whether every run succeeded.
    struct Summary {
      double median = 0, low = 0, high = 0, rss_mb = 0;
      bool ok = false;
    };
    auto summarize = [](std::vector<ProcessResult> runs) {
      Summary r;
      if (runs.empty()) return r;
      std::sort(runs.begin(), runs.end(),
                [](const ProcessResult& a, const ProcessResult& b) { return a.wall < b.wall; });
      r.median = runs[runs.size() / 2].wall;
      r.low = runs.front().wall;
      r.high = runs.back().wall;
      r.ok = true;
      for (const auto& run : runs) {
        r.rss_mb = std::max(r.rss_mb, run.max_rss_kb / 1024.0);
        r.ok = r.ok && run.status == 0;
      }
      return r;
    };
    const Summary torch_run = summarize(torch_runs);
    for (int threads : {1, 2}) {
      const Summary r = summarize(minflow_runs[threads - 1]);
      char rat[32] = "–";
      if (torch_run.ok) std::snprintf(rat, sizeof rat, "%.2f", r.median / torch_run.median);
      std::printf(
          "| `minflow train --steps 3000 --threads %d`%s | %.2f | %.2f–%.2f | %.0f | %s |\n",
          threads, r.ok ? "" : " (FAILED)", r.median, r.low, r.high, r.rss_mb, rat);
    }
    if (torch_run.ok) {
      std::printf(
          "| libtorch twin, the same 3,000 steps, 1 thread | %.2f | %.2f–%.2f | %.0f | 1 |\n",
          torch_run.median, torch_run.low, torch_run.high, torch_run.rss_mb);
    }
    if (o.demo) {
      const ProcessResult r = run_process(
          {MINFLOW_EXE, "demo", "--fresh", "--threads", "2", "--out", (tmp / "demo").string()},
          false);
      std::printf(
          "| `minflow demo --threads 2` (10,000 + 1,000 steps, every figure; one run)%s | %.1f "
          "| | %.0f | |\n",
          r.status ? " (FAILED)" : "", r.wall, r.max_rss_kb / 1024.0);
      std::ifstream report(tmp / "demo" / "report.md");
      std::string line;
      bool in_stages = false;
      std::printf("\n### `minflow demo` stages (from its report.md)\n\n");
      while (std::getline(report, line)) {
        if (line.rfind("| stage", 0) == 0) in_stages = true;
        if (in_stages && line.rfind("|", 0) != 0) break;
        if (in_stages) std::printf("%s\n", line.c_str());
      }
    }
    std::error_code ec;
    fs::remove_all(tmp, ec);
  }
  std::printf("\nload average at the end: %s\n", load_average().c_str());
  return 0;
}
