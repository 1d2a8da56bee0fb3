// The libtorch twin of minflow_bench: the same workloads written the way a libtorch user
// would write them, on one thread. minflow_bench runs it and prints every figure beside
// minflow's with the ratio; it can also be run alone:
//
//   build/release/bench/minflow_bench_torch train_step/b2048/h64 rk4_20 gelu_fwd
//   build/release/bench/minflow_bench_torch train_run 3000
//
// Each workload prints "RESULT key median best" (seconds per call, harness.hpp).
// Built only when CMake's find_package(Torch) finds libtorch; never a dependency of minflow.
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/harness.hpp"

namespace {

using minflow::bench::measure;
using minflow::bench::MeasureOptions;
using minflow::bench::print_result;

constexpr double kPi = 3.14159265358979323846;

// MLP(3, hidden, 3, 2, GELU): the tutorial's velocity net.
torch::nn::Sequential make_net(int64_t hidden) {
  return torch::nn::Sequential(torch::nn::Linear(3, hidden), torch::nn::GELU(),
                               torch::nn::Linear(hidden, hidden), torch::nn::GELU(),
                               torch::nn::Linear(hidden, hidden), torch::nn::GELU(),
                               torch::nn::Linear(hidden, 2));
}

torch::Tensor spiral(int64_t n) {
  const torch::Tensor theta = torch::rand({n, 1}) * (6.0 * kPi);
  const torch::Tensor r = theta / (2.0 * kPi);
  return torch::cat({r * torch::cos(theta), r * torch::sin(theta)}, 1) + 0.1 * torch::randn({n, 2});
}

// warp(t; s) = 4(1 − s)t³ + 6(s − 1)t² + (3 − 2s)t (docs/design.md#time-warping).
torch::Tensor warp(const torch::Tensor& t, double s) {
  return 4.0 * (1.0 - s) * t.pow(3) + 6.0 * (s - 1.0) * t.pow(2) + (3.0 - 2.0 * s) * t;
}

torch::Tensor velocity(torch::nn::Sequential& net, const torch::Tensor& x, double t) {
  return net->forward(torch::cat({x, torch::full({x.size(0), 1}, t)}, 1));
}

torch::Tensor euler(torch::nn::Sequential& net, torch::Tensor x, int steps) {
  const double h = 1.0 / steps;
  for (int k = 0; k < steps; ++k)
    x = x + h * velocity(net, x, k * h);
  return x;
}

torch::Tensor rk4(torch::nn::Sequential& net, torch::Tensor x, int steps) {
  const double h = 1.0 / steps;
  for (int k = 0; k < steps; ++k) {
    const double t = k * h;
    const torch::Tensor k1 = velocity(net, x, t);
    const torch::Tensor k2 = velocity(net, x + (h / 2) * k1, t + h / 2);
    const torch::Tensor k3 = velocity(net, x + (h / 2) * k2, t + h / 2);
    const torch::Tensor k4 = velocity(net, x + h * k3, t + h);
    x = x + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return x;
}

// One flow-matching step on pairs (x0, x1): t per row, regress onto x1 − x0, one Adam step.
double train_on(torch::nn::Sequential& net, torch::optim::Adam& opt, const torch::Tensor& x0,
                const torch::Tensor& x1, const torch::Tensor& t) {
  const torch::Tensor xt = (1 - t) * x0 + t * x1;
  const torch::Tensor u = x1 - x0;
  opt.zero_grad();
  const torch::Tensor loss = torch::mse_loss(net->forward(torch::cat({xt, t}, 1)), u);
  const double value = loss.item<double>();
  loss.backward();
  opt.step();
  return value;
}

struct Trainer {
  torch::nn::Sequential net;
  torch::optim::Adam opt;
  explicit Trainer(int64_t hidden)
      : net(make_net(hidden)), opt(net->parameters(), torch::optim::AdamOptions(1e-3)) {}
  double step(int64_t batch) {
    const torch::Tensor x0 = torch::randn({batch, 2});
    const torch::Tensor x1 = spiral(batch);
    return train_on(net, opt, x0, x1, torch::rand({batch, 1}));
  }
};

// A teacher trained for a few hundred steps, so that the integrations see a realistic field.
torch::nn::Sequential& teacher() {
  static Trainer trained = [] {
    Trainer t(64);
    for (int i = 0; i < 300; ++i)
      t.step(2048);
    return t;
  }();
  return trained.net;
}

void run(const std::string& key) {
  MeasureOptions slow{0.05, 7};
  int64_t batch = 0, hidden = 0;
  if (std::sscanf(key.c_str(), "train_step/b%ld/h%ld", &batch, &hidden) == 2) {
    Trainer t(hidden);
    print_result(key, measure([&] { t.step(batch); }));
  } else if (key == "forward") {
    teacher();  // trained before the guard below
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::randn({2048, 2});
    torch::Tensor v;
    print_result(key, measure([&] { v = velocity(teacher(), x, 0.5); }));
  } else if (key == "rk4_20" || key == "euler_100") {
    auto& net = teacher();
    torch::NoGradGuard no_grad;
    const torch::Tensor x0 = torch::randn({2048, 2});
    torch::Tensor x;
    if (key == "rk4_20") print_result(key, measure([&] { x = rk4(net, x0, 20); }, slow));
    if (key == "euler_100") print_result(key, measure([&] { x = euler(net, x0, 100); }, slow));
  } else if (key == "reflow_step") {
    Trainer student(64);  // from fresh weights (minflow copies the teacher's): the same cost
    auto& net = teacher();
    print_result(
        key, measure(
                 [&] {
                   torch::Tensor x0 = torch::randn({2048, 2}), x1;
                   {
                     torch::NoGradGuard no_grad;
                     x1 = rk4(net, x0, 20);
                   }
                   torch::AutoGradMode grad(true);
                   train_on(student.net, student.opt, x0, x1, warp(torch::rand({2048, 1}), 0.5));
                 },
                 slow));
  } else if (key.rfind("gemm/", 0) == 0) {
    for (const auto& s : minflow::bench::gemm_shapes()) {
      if (key != s.key) continue;
      const auto m = int64_t(s.m), n = int64_t(s.n), k = int64_t(s.k);
      const torch::Tensor a = s.trans_a ? torch::rand({k, m}).t() : torch::rand({m, k});
      const torch::Tensor b = s.trans_b ? torch::rand({n, k}).t() : torch::rand({k, n});
      torch::Tensor c = torch::empty({m, n});
      print_result(key, measure([&] { torch::mm_out(c, a, b); }));
    }
  } else if (key == "gelu_fwd" || key == "gelu_bwd" || key == "gelu_fwd_bwd") {
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::randn({2048, 64}) * 2, g = torch::randn({2048, 64});
    torch::Tensor y, dx;
    if (key == "gelu_fwd") print_result(key, measure([&] { y = torch::gelu(x); }));
    if (key == "gelu_bwd") print_result(key, measure([&] { dx = torch::gelu_backward(g, x); }));
    if (key == "gelu_fwd_bwd") {
      print_result(key, measure([&] {
                     y = torch::gelu(x);
                     dx = torch::gelu_backward(g, x);
                   }));
    }
  } else {
    throw std::invalid_argument("unknown workload " + key);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // One thread, and no spinning OpenMP workers (docs/building.md#benchmarks): before torch starts
  // its pools.
  setenv("OMP_NUM_THREADS", "1", 1);
  setenv("OPENBLAS_NUM_THREADS", "1", 1);
  setenv("MKL_NUM_THREADS", "1", 1);
  setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  torch::set_num_threads(1);
  torch::manual_seed(0);
  try {
    if (argc == 3 && std::string(argv[1]) == "train_run") {
      // The whole-run twin of `minflow train --steps N`: N steps, timed by the caller.
      Trainer t(64);
      const int steps = std::atoi(argv[2]);
      double loss = 0;
      for (int i = 0; i < steps; ++i)
        loss = t.step(2048);
      std::printf("train_run %d steps, final loss %.4f\n", steps, loss);
      return 0;
    }
    for (int i = 1; i < argc; ++i)
      run(argv[i]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "minflow_bench_torch: %s\n", e.what());
    return 1;
  }
  return 0;
}
