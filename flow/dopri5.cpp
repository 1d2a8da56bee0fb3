// Dormand–Prince 5(4) (Dormand & Prince 1980; Hairer, Nørsett & Wanner, Solving ODEs I,
// §II.4–5). Seven stages give two solutions from the same slopes: a fifth-order one that
// is kept and a fourth-order one whose difference estimates the local error. The seventh
// slope is evaluated at the new point, so an accepted step hands it to the next as its
// first ("first same as last"): six new evaluations per step.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "flow/dopri5.hpp"

namespace minflow::flow {

namespace {

// The Butcher tableau: c (nodes), a (stage weights), b (5th order), e = b − b̂ (error).
constexpr double c[7] = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
constexpr double a[7][6] = {
    {},
    {1.0 / 5},
    {3.0 / 40, 9.0 / 40},
    {44.0 / 45, -56.0 / 15, 32.0 / 9},
    {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
    {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
    {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
constexpr double e[7] = {71.0 / 57600,      0,          -71.0 / 16695, 71.0 / 1920,
                         -17253.0 / 339200, 22.0 / 525, -1.0 / 40};

// RMS over all elements of d_i / (atol + rtol·scale_i): the error norm of Hairer et al.
template <class T>
double scaled_rms(const Array<T>& d, const Array<T>& x, const Array<T>& y, double rtol,
                  double atol) {
  double sum = 0.0;
  for (std::size_t i = 0, n = d.size(); i < n; ++i) {
    const double sc =
        atol + rtol * std::max(std::abs(double(x.data()[i])), std::abs(double(y.data()[i])));
    const double r = double(d.data()[i]) / sc;
    sum += r * r;
  }
  return d.size() ? std::sqrt(sum / double(d.size())) : 0.0;
}

}  // namespace

double dopri5_step_factor(double error_norm) {
  // The local error of a step of size h scales as h⁵, so the h that would give error norm 1
  // is h·norm^(−1/5). Aim a little lower (safety factor 0.9) and change h by at most ×5 up
  // and ×0.2 down per step: factor = clamp(0.9·norm^(−1/5), 0.2, 5); a zero norm gives 5.
  // EXERCISE 6.3 BEGIN: Dopri5's step-size update
  if (error_norm == 0.0) return 5.0;
  return std::clamp(0.9 * std::pow(error_norm, -0.2), 0.2, 5.0);
  // EXERCISE END
}

template <class T>
IntegrateResult<T> integrate_dopri5(const VelocityField<T>& v, const Array<T>& x0,
                                    const IntegrateOptions& options) {
  if (!(options.rtol > 0) || !(options.atol > 0)) {
    throw std::invalid_argument("dopri5: rtol and atol must be positive");
  }
  IntegrateResult<T> result;
  result.x = x0;
  const double t_end = options.reverse ? 0.0 : 1.0;
  const double dir = options.reverse ? -1.0 : 1.0;
  double t = options.reverse ? 1.0 : 0.0;
  if (options.record_trajectory) {
    result.trajectory.push_back(x0);
    result.times.push_back(t);
  }

  // A first step size from the scales of x and v (Hairer's heuristic, one extra evaluation).
  Array<T> k[7];
  k[0] = v(result.x, t);
  result.nfe += 1;
  double d0 = scaled_rms(result.x, result.x, result.x, options.rtol, options.atol);
  double d1 = scaled_rms(k[0], result.x, result.x, options.rtol, options.atol);
  double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
  Array<T> x1 = axpy(result.x, dir * h0, k[0]);
  Array<T> f1 = v(x1, t + dir * h0);
  result.nfe += 1;
  Array<T> df = f1;
  for (std::size_t i = 0; i < df.size(); ++i)
    df.data()[i] -= k[0].data()[i];
  double d2 = scaled_rms(df, result.x, result.x, options.rtol, options.atol) / h0;
  double h1 = std::max(d1, d2) <= 1e-15 ? std::max(1e-6, h0 * 1e-3)
                                        : std::pow(0.01 / std::max(d1, d2), 1.0 / 5);
  double h = std::min({100 * h0, h1, 1.0});

  std::size_t attempts = 0;
  while (dir * (t_end - t) > 1e-12) {
    if (++attempts > options.max_steps) {
      throw std::runtime_error("dopri5: gave up after " + std::to_string(options.max_steps) +
                               " steps at t = " + std::to_string(t));
    }
    h = std::min(h, dir * (t_end - t));  // land exactly on the end
    if (h < options.min_step && dir * (t_end - t) > options.min_step) {
      throw std::runtime_error("dopri5: step size " + std::to_string(h) +
                               " fell below the minimum " + std::to_string(options.min_step) +
                               " at t = " + std::to_string(t) + " (the field is too stiff?)");
    }
    const double hs = dir * h;  // signed step
    for (int s = 1; s < 7; ++s) {
      Array<T> xs = result.x;
      for (int j = 0; j < s; ++j)
        if (a[s][j] != 0.0) xs = axpy(xs, hs * a[s][j], k[j]);
      k[s] = v(xs, t + c[s] * hs);
    }
    result.nfe += 6;
    // The fifth-order solution is exactly the last stage's point (a[6] = b).
    Array<T> x_new = result.x;
    for (int j = 0; j < 6; ++j)
      if (a[6][j] != 0.0) x_new = axpy(x_new, hs * a[6][j], k[j]);
    Array<T> err = Array<T>::from_shape(result.x.shape());
    std::fill(err.begin(), err.end(), T(0));
    for (int j = 0; j < 7; ++j)
      if (e[j] != 0.0) err = axpy(err, hs * e[j], k[j]);
    const double norm = scaled_rms(err, result.x, x_new, options.rtol, options.atol);

    // Step-size controller: the error scales as h⁵, so aim at norm 1 with a safety factor
    // 0.9, changing h by at most ×5 up and ×0.2 down per step.
    const double factor = dopri5_step_factor(norm);
    if (norm <= 1.0) {
      t += hs;
      result.x = std::move(x_new);
      k[0] = k[6];  // first same as last
      ++result.steps;
      if (options.record_trajectory) {
        result.trajectory.push_back(result.x);
        result.times.push_back(t);
      }
      h *= factor;
    } else {
      ++result.rejected;
      h *= std::min(1.0, factor);  // a rejected step never grows h
    }
  }
  return result;
}

template IntegrateResult<float> integrate_dopri5(const VelocityField<float>&, const Array<float>&,
                                                 const IntegrateOptions&);
template IntegrateResult<double> integrate_dopri5(const VelocityField<double>&,
                                                  const Array<double>&, const IntegrateOptions&);

}  // namespace minflow::flow
