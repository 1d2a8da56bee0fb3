// The exact velocity u*(x, t) and the log-density of p_t (derivation in exact_field.hpp).
//
// Cost: for every row, two passes over the components (log-weights and their maximum;
// then the exponentials and the weighted means), 4 components at a time with xsimd. The
// spiral's 2,048 nodes on 2,048 rows take a few milliseconds (bench/exact_field_bench.cpp).
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "base/thread_pool.hpp"
#include "flow/exact_field.hpp"
#include "flow/exact_rings.hpp"

namespace minflow::flow {

namespace {
using Vec = xsimd::batch<double>;
constexpr std::size_t W = Vec::size;
constexpr double kPi = 3.14159265358979323846;
constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
// Components whose posterior weight is below e^-40 ≈ 4e-18 of the largest are skipped, four
// at a time: even 10^4 of them change u* by less than 1e-13 (relative), far below the
// quadrature's error, and late in t (narrow kernels) most of the spiral's nodes are such.
constexpr double kNegligible = 40.0;

// The mixture seen at time t: components N(t μ_k, σ_k² I), padded with empty components
// (log-weight −∞) to a multiple of the vector width.
struct AtTime {
  std::size_t padded = 0;
  std::vector<double> cx, cy;          // t μ_k
  std::vector<double> mx, my;          // μ_k
  std::vector<double> half_precision;  // 1 / (2 σ_k²)
  std::vector<double> log_norm;        // log w_k − log(2π σ_k²)
  std::vector<double> slope;           // (t s_k² − (1 − t)) / σ_k²
};

AtTime at_time(const GaussianMixture& m, double t, const char* op) {
  if (!(t >= 0.0 && t <= 1.0)) {
    throw std::invalid_argument(std::string(op) + ": t must lie in [0, 1], got " +
                                std::to_string(t));
  }
  if (m.empty()) throw std::invalid_argument(std::string(op) + ": the mixture is empty");
  AtTime a;
  a.padded = (m.size() + W - 1) / W * W;
  for (auto* v : {&a.cx, &a.cy, &a.mx, &a.my, &a.half_precision, &a.slope})
    v->assign(a.padded, 0.0);
  a.log_norm.assign(a.padded, kMinusInf);
  for (std::size_t k = 0; k < m.size(); ++k) {
    const double var = (1.0 - t) * (1.0 - t) + t * t * m.s2[k];
    a.cx[k] = t * m.mx[k];
    a.cy[k] = t * m.my[k];
    a.mx[k] = m.mx[k];
    a.my[k] = m.my[k];
    a.half_precision[k] = 0.5 / var;
    a.log_norm[k] = m.log_w[k] - std::log(2.0 * kPi * var);
    a.slope[k] = (t * m.s2[k] - (1.0 - t)) / var;
  }
  return a;
}

// log(w_k N(x; t μ_k, σ_k² I)) for every component into lw; returns their maximum.
double log_weights(const AtTime& a, double x, double y, double* lw) {
  const Vec vx(x), vy(y);
  Vec best(kMinusInf);
  for (std::size_t k = 0; k < a.padded; k += W) {
    const Vec dx = vx - Vec::load_unaligned(&a.cx[k]);
    const Vec dy = vy - Vec::load_unaligned(&a.cy[k]);
    const Vec l = Vec::load_unaligned(&a.log_norm[k]) -
                  Vec::load_unaligned(&a.half_precision[k]) * (dx * dx + dy * dy);
    l.store_unaligned(lw + k);
    best = xsimd::max(best, l);
  }
  alignas(64) double lanes[W];
  best.store_aligned(lanes);
  return *std::max_element(lanes, lanes + W);
}

// Scratch of one thread: the point components' and the ring nodes' log-weights.
struct Row {
  std::vector<double> lw;
  detail::RingNodes rings;
};

// Σ_k P(k | x) (μ_k + slope_k (x − t μ_k)) with P(k | x) = exp(lw_k − max) / Σ exp(…), over
// the point components and the ring nodes together.
void velocity_row(const GaussianMixture& m, const AtTime& a, double t, double x, double y, Row& row,
                  double& ux, double& uy) {
  const double top_points = log_weights(a, x, y, row.lw.data());
  const double top_rings = m.ring_r.empty() ? kMinusInf : detail::ring_nodes(m, t, x, y, row.rings);
  const Vec top(std::max(top_points, top_rings));
  const Vec vx(x), vy(y);
  Vec se(0.0), sx(0.0), sy(0.0);
  const Vec cutoff = top - Vec(kNegligible);
  const double* lw = row.lw.data();
  for (std::size_t k = 0; k < a.padded; k += W) {
    const Vec l = Vec::load_unaligned(lw + k);
    if (xsimd::all(l < cutoff)) continue;  // 4 components with weight < e^-40 of the largest
    const Vec e = xsimd::exp(l - top);
    const Vec slope = Vec::load_unaligned(&a.slope[k]);
    const Vec dx = vx - Vec::load_unaligned(&a.cx[k]);
    const Vec dy = vy - Vec::load_unaligned(&a.cy[k]);
    se += e;
    sx += e * (Vec::load_unaligned(&a.mx[k]) + slope * dx);
    sy += e * (Vec::load_unaligned(&a.my[k]) + slope * dy);
  }
  double total = xsimd::hadd(se), sum_x = xsimd::hadd(sx), sum_y = xsimd::hadd(sy);
  const double top_all = std::max(top_points, top_rings);
  for (std::size_t k = 0; k < row.rings.log_weight.size() && !m.ring_r.empty(); ++k) {
    const double e = std::exp(row.rings.log_weight[k] - top_all);
    total += e;
    sum_x += e * row.rings.ux[k];
    sum_y += e * row.rings.uy[k];
  }
  ux = sum_x / total;
  uy = sum_y / total;
}

void check_rows(const Array<double>& x, const char* op) {
  if (x.dimension() != 2 || x.shape()[1] != 2) {
    Shape s(x.shape().begin(), x.shape().end());
    throw std::invalid_argument(std::string(op) + ": x must be [n,2], got " + shape_to_string(s));
  }
}
}  // namespace

Array<double> exact_velocity(const GaussianMixture& mixture, const Array<double>& x, double t) {
  check_rows(x, "exact_velocity");
  const std::size_t n = x.shape()[0];
  Array<double> u = Array<double>::from_shape({n, 2});
  if (t == 1.0) {  // u*(x, 1) = x (see the header): also the limit for point masses
    if (mixture.empty()) throw std::invalid_argument("exact_velocity: the mixture is empty");
    u = x;
    return u;
  }
  const AtTime a = at_time(mixture, t, "exact_velocity");
  parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
    Row row;
    row.lw.resize(a.padded);
    for (std::size_t i = begin; i < end; ++i)
      velocity_row(mixture, a, t, x(i, 0), x(i, 1), row, u(i, 0), u(i, 1));
  });
  return u;
}

std::vector<double> log_density(const GaussianMixture& mixture, const Array<double>& x, double t) {
  check_rows(x, "log_density");
  if (t == 1.0 && !mixture.has_density()) {
    throw std::invalid_argument("log_density: " + mixture.name +
                                " is a set of point masses and has no density at t = 1");
  }
  const AtTime a = at_time(mixture, t, "log_density");
  const std::size_t n = x.shape()[0];
  std::vector<double> out(n);
  parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
    Row row;
    row.lw.resize(a.padded);
    for (std::size_t i = begin; i < end; ++i) {
      const double px = x(i, 0), py = x(i, 1);
      const double top_points = log_weights(a, px, py, row.lw.data());
      // the rings: in closed form at t = 1, else their nodes (as for the velocity)
      const bool closed = t == 1.0;
      const double top_rings = mixture.ring_r.empty()
                                   ? kMinusInf
                                   : (closed ? detail::ring_log_density_t1(mixture, px, py)
                                             : detail::ring_nodes(mixture, t, px, py, row.rings));
      const double top = std::max(top_points, top_rings);
      Vec se(0.0);
      for (std::size_t k = 0; k < a.padded; k += W)
        se += xsimd::exp(Vec::load_unaligned(&row.lw[k]) - Vec(top));
      double total = xsimd::hadd(se);
      if (closed && !mixture.ring_r.empty()) total += std::exp(top_rings - top);
      if (!closed)
        for (std::size_t k = 0; k < row.rings.log_weight.size() && !mixture.ring_r.empty(); ++k)
          total += std::exp(row.rings.log_weight[k] - top);
      out[i] = top + std::log(total);
    }
  });
  return out;
}

std::vector<double> log_density(const GaussianMixture& mixture, const Array<float>& x, double t) {
  return log_density(mixture, Array<double>(xt::cast<double>(x)), t);
}

VelocityField<double> exact_field_double(const GaussianMixture& mixture) {
  return [mixture](const Array<double>& x, double t) { return exact_velocity(mixture, x, t); };
}

VelocityField<float> exact_field(const GaussianMixture& mixture) {
  return [mixture](const Array<float>& x, double t) {
    const Array<double> u = exact_velocity(mixture, Array<double>(xt::cast<double>(x)), t);
    return Array<float>(xt::cast<float>(u));
  };
}

}  // namespace minflow::flow
