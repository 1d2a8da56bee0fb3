#include "flow/sinkhorn.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <xsimd/xsimd.hpp>

#include "base/thread_pool.hpp"

namespace minflow::flow {

namespace {

// out_i = ε log w − ε LSE_k((other_k − c(i, k)) / ε) for every i, where c(i, k) reads
// `cost` (rows × cols, row-major) as it is; returns Σ_i |a_i·exp((old_i − out_i)/ε) − a_i|,
// the row-marginal error of the plan before this half-step (its row sums are
// a_i·exp((old_i − new_i)/ε)), which costs nothing extra.
double half_step(const std::vector<double>& cost, std::size_t rows, std::size_t cols,
                 const std::vector<double>& other, double eps, std::vector<double>& out) {
  const double log_w = std::log(1.0 / double(rows));
  std::vector<double> err(rows);
  const double inv_eps = 1.0 / eps;
  parallel_for(rows, 16, [&](std::size_t begin, std::size_t end) {
    using V = xsimd::batch<double>;  // 4 doubles with AVX2
    constexpr std::size_t W = V::size;
    const std::size_t whole = cols - cols % W;
    std::vector<double> z(cols);
    for (std::size_t i = begin; i < end; ++i) {
      const double* c = &cost[i * cols];
      // z_k = (other_k − c_k)/ε, its maximum, then Σ exp(z_k − max): the exps are the cost
      // of Sinkhorn, so they run W at a time (xsimd's exp; the tail in std::exp).
      V top_v(-std::numeric_limits<double>::infinity());
      for (std::size_t k = 0; k < whole; k += W) {
        const V zk = (V::load_unaligned(&other[k]) - V::load_unaligned(&c[k])) * inv_eps;
        zk.store_unaligned(&z[k]);
        top_v = xsimd::max(top_v, zk);
      }
      alignas(64) double lanes[W];
      top_v.store_aligned(lanes);
      double top = lanes[0];
      for (std::size_t l = 1; l < W; ++l)
        top = std::max(top, lanes[l]);
      for (std::size_t k = whole; k < cols; ++k) {
        z[k] = (other[k] - c[k]) * inv_eps;
        top = std::max(top, z[k]);
      }
      V sum_v(0.0);
      for (std::size_t k = 0; k < whole; k += W)
        sum_v += xsimd::exp(V::load_unaligned(&z[k]) - V(top));
      sum_v.store_aligned(lanes);
      double sum = 0.0;
      for (std::size_t l = 0; l < W; ++l)
        sum += lanes[l];
      for (std::size_t k = whole; k < cols; ++k)
        sum += std::exp(z[k] - top);
      const double updated = eps * log_w - eps * (top + std::log(sum));
      err[i] = std::abs(std::exp(log_w + (out[i] - updated) / eps) - std::exp(log_w));
      out[i] = updated;
    }
  });
  double total = 0.0;
  for (double e : err)
    total += e;  // in row order, whatever the thread count
  return total;
}

// The iterations at the asked ε, in the scaling form with absorption (Schmitzer 2019): with
// the kernel K_ij = exp((f_i + g_j − c_ij)/ε) fixed, Sinkhorn's half-steps are
// a = (1/n) ⊘ (K b) and b = (1/m) ⊘ (Kᵀ a), matrix-vector products with no exp in them, and
// the plan is diag(a) K diag(b). When a or b grows far from 1 (|log| > 20), they are
// absorbed into the potentials (f += ε log a, g += ε log b) and K is rebuilt, so nothing
// overflows; a row of K that underflowed to zero gets a log-domain step instead. The row
// error Σ_i |a_i (K b)_i − 1/n| is checked every 10 iterations.
void kernel_iterations(const std::vector<double>& cost, const std::vector<double>& cost_t,
                       std::size_t n, std::size_t m, double eps, const SinkhornOptions& options,
                       SinkhornPlan& p) {
  std::vector<double> k(n * m), kt(m * n), a(n, 1.0), b(m, 1.0), row_err(n);
  auto build = [&] {
    parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i)
        for (std::size_t j = 0; j < m; ++j)
          k[i * m + j] = std::exp((p.f[i] + p.g[j] - cost[i * m + j]) / eps);
    });
    parallel_for(m, 16, [&](std::size_t begin, std::size_t end) {
      for (std::size_t j = begin; j < end; ++j)
        for (std::size_t i = 0; i < n; ++i)
          kt[j * n + i] = k[i * m + j];
    });
  };
  auto absorb = [&] {
    for (std::size_t i = 0; i < n; ++i)
      p.f[i] += eps * std::log(a[i]), a[i] = 1.0;
    for (std::size_t j = 0; j < m; ++j)
      p.g[j] += eps * std::log(b[j]), b[j] = 1.0;
  };
  // out_i = w / Σ_k mat_ik·x_k for every row i (rows split across threads); false when a sum
  // underflowed to zero.
  auto scale = [](const std::vector<double>& mat, std::size_t rows, std::size_t cols,
                  const std::vector<double>& x, std::vector<double>& out) {
    const double w = 1.0 / double(rows);
    std::atomic<bool> ok{true};
    parallel_for(rows, 16, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const double* r = &mat[i * cols];
        double s = 0.0;
        for (std::size_t c = 0; c < cols; ++c)
          s += r[c] * x[c];
        if (!(s > 0.0) || !std::isfinite(w / s)) ok = false;
        out[i] = w / s;
      }
    });
    return bool(ok);
  };
  build();
  std::vector<double> a_old, b_old;
  for (std::size_t it = 0; it < options.max_iterations; ++it) {
    a_old = a, b_old = b;
    ++p.iterations;
    if (!scale(k, n, m, b, a) || !scale(kt, m, n, a, b)) {
      a = a_old, b = b_old;
      absorb();
      half_step(cost, n, m, p.g, eps, p.f);
      half_step(cost_t, m, n, p.f, eps, p.g);
      build();
      continue;
    }
    double worst = 0.0;
    for (double x : a)
      worst = std::max(worst, std::abs(std::log(x)));
    for (double x : b)
      worst = std::max(worst, std::abs(std::log(x)));
    if (worst > 20.0) {
      absorb();
      build();
    }
    if (it % 10 == 9) {
      parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          double s = 0.0;
          for (std::size_t j = 0; j < m; ++j)
            s += k[i * m + j] * b[j];
          row_err[i] = std::abs(a[i] * s - 1.0 / double(n));
        }
      });
      double err = 0.0;
      for (double e : row_err)
        err += e;
      if (err < options.tolerance) break;
    }
  }
  absorb();
}

}  // namespace

SinkhornPlan sinkhorn(const CostMatrix& cost, const SinkhornOptions& options) {
  const std::size_t n = cost.rows, m = cost.cols;
  if (n == 0 || m == 0 || cost.values.size() != n * m) {
    throw std::invalid_argument("sinkhorn: expected a non-empty cost matrix, got " +
                                std::to_string(n) + "x" + std::to_string(m));
  }
  if (!(options.epsilon > 0.0) || !std::isfinite(options.epsilon)) {
    throw std::invalid_argument("sinkhorn: epsilon must be finite and > 0, got " +
                                std::to_string(options.epsilon));
  }
  double cmax = 0.0, cmean = 0.0;
  for (double c : cost.values) {
    if (!std::isfinite(c)) throw std::invalid_argument("sinkhorn: a cost is not finite");
    cmax = std::max(cmax, std::abs(c));
    cmean += c;
  }
  cmean /= double(cost.values.size());
  // ε is relative to the mean cost: the same ε blurs a large and a small data set alike.
  const double target = options.epsilon * (cmean > 0.0 ? cmean : 1.0);
  // The transpose, so that the column half-step also reads memory in order.
  std::vector<double> cost_t(n * m);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < m; ++j)
      cost_t[j * n + i] = cost.values[i * m + j];

  SinkhornPlan p;
  p.rows = n;
  p.cols = m;
  p.f.assign(n, 0.0);
  p.g.assign(m, 0.0);
  p.epsilon = target;
  double eps = std::max(target, cmax);
  // The stages above the asked ε stop at a loose tolerance; the potentials carry over.
  for (;;) {
    const bool last = eps == target;
    SinkhornOptions stage = options;
    if (!last) stage.tolerance = 1e-2, stage.max_iterations = 50;
    kernel_iterations(cost.values, cost_t, n, m, eps, stage, p);
    if (last) break;
    eps = std::max(target, eps / 4.0);
  }
  p.plan.resize(n * m);
  parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      for (std::size_t j = 0; j < m; ++j)
        p.plan[i * m + j] = std::exp((p.f[i] + p.g[j] - cost.values[i * m + j]) / target);
  });
  double error = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double row = 0.0;
    for (std::size_t j = 0; j < m; ++j)
      row += p.plan[i * m + j];
    error += std::abs(row - 1.0 / double(n));
  }
  p.marginal_error = error;
  return p;
}

std::vector<std::pair<std::size_t, std::size_t>> sample_plan(const SinkhornPlan& plan,
                                                             std::size_t count, Generator& gen) {
  if (plan.plan.empty()) throw std::invalid_argument("sample_plan: the plan is empty");
  std::vector<double> cdf(plan.plan.size());
  double run = 0.0;
  for (std::size_t k = 0; k < cdf.size(); ++k)
    cdf[k] = run += plan.plan[k];
  std::vector<std::pair<std::size_t, std::size_t>> pairs(count);
  for (auto& pair : pairs) {
    // u in [0, total): the first k with cdf[k] > u has probability P_k / total.
    const double u = gen.uniform_double() * run;
    std::size_t k = std::size_t(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
    k = std::min(k, cdf.size() - 1);
    while (plan.plan[k] == 0.0 && k > 0)
      --k;  // never a zero-probability cell at the top end
    pair = {k / plan.cols, k % plan.cols};
  }
  return pairs;
}

}  // namespace minflow::flow
