#include "flow/sinkhorn.hpp"

#include <algorithm>
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

using V = xsimd::batch<double>;  // 4 doubles with AVX2
constexpr std::size_t W = V::size;

// The fewest rows (or columns) per thread for a pass over a matrix with `per_row` entries
// a row: about 2¹⁶ entries, below which waking a second thread costs more than it saves
// (a 256 × 256 product is a few microseconds).
std::size_t grain(std::size_t per_row) {
  return std::max<std::size_t>(16, (std::size_t(1) << 16) / std::max<std::size_t>(per_row, 1));
}

// out_ij = exp((f_i + g_j − c_ij) / ε) for a block of rows, W at a time with xsimd's exp
// (the tail with std::exp). Rows are split across threads; each row's values depend only on
// its inputs, whatever the split.
void exp_kernel(const std::vector<double>& cost, std::size_t n, std::size_t m,
                const std::vector<double>& f, const std::vector<double>& g, double eps,
                std::vector<double>& out) {
  const double inv = 1.0 / eps;
  const std::size_t whole = m - m % W;
  parallel_for(n, grain(m), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const double* c = &cost[i * m];
      double* o = &out[i * m];
      const V fi(f[i]);
      for (std::size_t j = 0; j < whole; j += W)
        xsimd::exp(((fi + V::load_unaligned(&g[j])) - V::load_unaligned(c + j)) * V(inv))
            .store_unaligned(o + j);
      for (std::size_t j = whole; j < m; ++j)
        o[j] = std::exp(((f[i] + g[j]) - c[j]) * inv);
    }
  });
}

// s_i = Σ_j K_ij x_j for every row (rows split across threads; each row summed by one thread
// in a fixed order: 2W lanes, then the lanes, then the tail).
void times(const std::vector<double>& k, std::size_t n, std::size_t m, const std::vector<double>& x,
           std::vector<double>& s) {
  const std::size_t whole = m - m % (4 * W);
  parallel_for(n, grain(m), [&](std::size_t begin, std::size_t end) {
    alignas(64) double lanes[W];
    for (std::size_t i = begin; i < end; ++i) {
      const double* r = &k[i * m];
      V acc0(0.0), acc1(0.0), acc2(0.0), acc3(0.0);
      for (std::size_t j = 0; j < whole; j += 4 * W) {
        acc0 = xsimd::fma(V::load_unaligned(r + j), V::load_unaligned(&x[j]), acc0);
        acc1 = xsimd::fma(V::load_unaligned(r + j + W), V::load_unaligned(&x[j + W]), acc1);
        acc2 = xsimd::fma(V::load_unaligned(r + j + 2 * W), V::load_unaligned(&x[j + 2 * W]), acc2);
        acc3 = xsimd::fma(V::load_unaligned(r + j + 3 * W), V::load_unaligned(&x[j + 3 * W]), acc3);
      }
      ((acc0 + acc1) + (acc2 + acc3)).store_aligned(lanes);
      double sum = 0.0;
      for (std::size_t l = 0; l < W; ++l)
        sum += lanes[l];
      for (std::size_t j = whole; j < m; ++j)
        sum = std::fma(r[j], x[j], sum);
      s[i] = sum;
    }
  });
}

// t_j = Σ_i K_ij y_i for every column, reading K by rows (no transpose): blocks of W columns
// are split across threads, and each t_j is summed over i in order. Whether a column is
// summed in a vector lane or in the scalar tail depends only on m (the last, partial block),
// never on the thread count.
void times_transposed(const std::vector<double>& k, std::size_t n, std::size_t m,
                      const std::vector<double>& y, std::vector<double>& t) {
  const std::size_t blocks = (m + W - 1) / W, whole = m - m % W;
  parallel_for(blocks, grain(n * W), [&](std::size_t first, std::size_t last) {
    const std::size_t begin = first * W, end = std::min(m, last * W);
    const std::size_t vend = std::min(end, whole);
    std::fill(t.begin() + std::ptrdiff_t(begin), t.begin() + std::ptrdiff_t(end), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double* r = &k[i * m];
      const V yi(y[i]);
      for (std::size_t j = begin; j < vend; j += W)
        xsimd::fma(V::load_unaligned(r + j), yi, V::load_unaligned(&t[j])).store_unaligned(&t[j]);
      for (std::size_t j = std::max(begin, whole); j < end; ++j)
        t[j] = std::fma(r[j], y[i], t[j]);
    }
  });
}

// The iterations at one ε, in the scaling form with absorption (Schmitzer 2019): with the
// kernel K_ij = exp((f_i + g_j − c_ij)/ε) fixed, Sinkhorn's half-steps are
// a = (1/n) ⊘ (K b) and b = (1/m) ⊘ (Kᵀ a), matrix-vector products with no exp in them (the
// exps were the cost of the log-domain form), and the plan is diag(a) K diag(b). When a or b
// leaves [e⁻²⁰, e²⁰] they are absorbed into the potentials (f += ε log a, g += ε log b) and K
// is rebuilt, so nothing overflows; a sum of K that underflowed to zero gets log-domain
// half-steps instead. The row error Σ_i |a_i (K b)_i − 1/n| comes free with each a-update's
// product, so convergence is checked at every iteration. `cost_t`, the transposed cost for
// the log-domain column step, is made on first need. With `plan`, the plan diag(a) K diag(b)
// is written there at the end (no second round of exps).
void kernel_iterations(const std::vector<double>& cost, std::vector<double>& cost_t, std::size_t n,
                       std::size_t m, double eps, const SinkhornOptions& options, SinkhornPlan& p,
                       std::vector<double>* plan) {
  std::vector<double> k(n * m), a(n, 1.0), b(m, 1.0), s(n), t(m);
  const double lo = std::exp(-20.0), hi = std::exp(20.0);
  const double wa = 1.0 / double(n), wb = 1.0 / double(m);
  auto absorb = [&] {
    for (std::size_t i = 0; i < n; ++i)
      p.f[i] += eps * std::log(a[i]), a[i] = 1.0;
    for (std::size_t j = 0; j < m; ++j)
      p.g[j] += eps * std::log(b[j]), b[j] = 1.0;
  };
  auto usable = [lo, hi](const std::vector<double>& x) {
    for (double v : x)
      if (!(v >= lo && v <= hi)) return false;
    return true;
  };
  exp_kernel(cost, n, m, p.f, p.g, eps, k);
  for (std::size_t it = 0; it < options.max_iterations; ++it) {
    times(k, n, m, b, s);
    double err = 0.0;
    bool zero = false;
    for (std::size_t i = 0; i < n; ++i) {
      err += std::abs(a[i] * s[i] - wa);  // in row order, whatever the thread count
      zero = zero || !(s[i] > 0.0);
    }
    if (it > 0 && err < options.tolerance) break;
    ++p.iterations;
    if (!zero) {
      for (std::size_t i = 0; i < n; ++i)
        a[i] = wa / s[i];
      times_transposed(k, n, m, a, t);
      for (std::size_t j = 0; j < m; ++j)
        zero = zero || !(t[j] > 0.0);
      if (!zero)
        for (std::size_t j = 0; j < m; ++j)
          b[j] = wb / t[j];
    }
    if (zero) {  // a row or column of K underflowed: exact log-domain half-steps
      absorb();  // (a and b still hold the last usable scalings)
      if (cost_t.empty()) {
        cost_t.resize(n * m);
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = 0; j < m; ++j)
            cost_t[j * n + i] = cost[i * m + j];
      }
      half_step(cost, n, m, p.g, eps, p.f);
      half_step(cost_t, m, n, p.f, eps, p.g);
      exp_kernel(cost, n, m, p.f, p.g, eps, k);
    } else if (!usable(a) || !usable(b)) {
      absorb();
      exp_kernel(cost, n, m, p.f, p.g, eps, k);
    }
  }
  if (plan) {
    plan->resize(n * m);
    parallel_for(n, grain(m), [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i)
        for (std::size_t j = 0; j < m; ++j)
          (*plan)[i * m + j] = (a[i] * k[i * m + j]) * b[j];
    });
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
  std::vector<double> cost_t;  // made if a log-domain step needs it

  SinkhornPlan p;
  p.rows = n;
  p.cols = m;
  p.f.assign(n, 0.0);
  p.g.assign(m, 0.0);
  p.epsilon = target;
  // From ε = the mean cost (K has no entry below e^(−max/mean) there) down by 4 per stage;
  // the stages above the asked ε stop at a loose tolerance; the potentials carry over.
  double eps = std::max(target, std::min(cmax, cmean));
  for (;;) {
    const bool last = eps == target;
    SinkhornOptions stage = options;
    if (!last) stage.tolerance = 1e-2, stage.max_iterations = 50;
    kernel_iterations(cost.values, cost_t, n, m, eps, stage, p, last ? &p.plan : nullptr);
    if (last) break;
    eps = std::max(target, eps / 4.0);
  }
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
