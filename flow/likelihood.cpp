#include "flow/likelihood.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace minflow::flow {

double standard_normal_log_density(double x, double y) {
  constexpr double kLog2Pi = 1.8378770664093453;  // log 2π: two coordinates of −½ log 2π
  return -0.5 * (x * x + y * y) - kLog2Pi;
}

namespace {

// (x, y, ℓ) → (v, ∇·v) from a function giving v and ∇·v at the rows (x, y).
template <class T>
VelocityField<T> augment(std::function<FieldDivergence<T>(const Array<T>&, double)> f) {
  return [f](const Array<T>& state, double t) {
    const std::size_t n = state.shape()[0];
    Array<T> x = Array<T>::from_shape({n, 2});
    for (std::size_t r = 0; r < n; ++r) {
      x(r, 0) = state(r, 0);
      x(r, 1) = state(r, 1);
    }
    const FieldDivergence<T> d = f(x, t);
    Array<T> out = Array<T>::from_shape({n, 3});
    for (std::size_t r = 0; r < n; ++r) {
      out(r, 0) = d.v(r, 0);
      out(r, 1) = d.v(r, 1);
      out(r, 2) = d.divergence(r);
    }
    return out;
  };
}

}  // namespace

template <class T>
VelocityField<T> augmented_field(const TensorField<T>& v) {
  return augment<T>([v](const Array<T>& x, double t) { return divergence(v, x, t); });
}

VelocityField<float> augmented_field(nn::Module& net) {
  if (FastDivergence fast = fast_divergence(net)) return augment<float>(fast);
  return augment<float>([&net](const Array<float>& x, double t) { return divergence(net, x, t); });
}

VelocityField<double> augmented_field(nn::DModule& net) {
  return augment<double>(
      [&net](const Array<double>& x, double t) { return divergence(net, x, t); });
}

namespace {

// Integrates the augmented ODE from the points x (ℓ = 0) in the given direction.
template <class T>
DensityResult<T> run(const VelocityField<T>& augmented, const Array<T>& x, IntegrateOptions options,
                     bool reverse, const SourceLogDensity& log_p0, const char* op) {
  if (x.dimension() != 2 || x.shape()[1] != 2 || x.shape()[0] == 0) {
    throw std::invalid_argument(std::string(op) + ": x must be [n,2] with n > 0, got " +
                                shape_to_string(Shape(x.shape().begin(), x.shape().end())));
  }
  const std::size_t n = x.shape()[0];
  Array<T> state = xt::zeros<T>({n, std::size_t(3)});
  for (std::size_t r = 0; r < n; ++r) {
    state(r, 0) = x(r, 0);
    state(r, 1) = x(r, 1);
  }
  options.reverse = reverse;
  IntegrateResult<T> end = integrate(augmented, state, options);

  DensityResult<T> out;
  out.x = Array<T>::from_shape({n, 2});
  out.log_p.resize(n);
  out.log_p0.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    out.x(r, 0) = end.x(r, 0);
    out.x(r, 1) = end.x(r, 1);
    const T x0 = reverse ? end.x(r, 0) : x(r, 0), y0 = reverse ? end.x(r, 1) : x(r, 1);
    out.log_p0[r] = log_p0(x0, y0);
    // Backward, ℓ ends at −∫₀¹ ∇·v dt; forward at +∫₀¹ ∇·v dt.
    const double integral = reverse ? -double(end.x(r, 2)) : double(end.x(r, 2));
    out.log_p[r] = out.log_p0[r] - integral;
  }
  out.nfe = end.nfe;
  out.steps = end.steps;
  out.rejected = end.rejected;
  out.trajectory = std::move(end.trajectory);
  return out;
}

}  // namespace

template <class T>
DensityResult<T> log_likelihood(const TensorField<T>& v, const Array<T>& x,
                                const IntegrateOptions& options, const SourceLogDensity& log_p0) {
  return run(augmented_field(v), x, options, /*reverse=*/true, log_p0, "log_likelihood");
}

template <class T>
DensityResult<T> sample_with_log_density(const TensorField<T>& v, const Array<T>& x0,
                                         const IntegrateOptions& options,
                                         const SourceLogDensity& log_p0) {
  return run(augmented_field(v), x0, options, /*reverse=*/false, log_p0, "sample_with_log_density");
}

DensityResult<float> log_likelihood(nn::Module& net, const Array<float>& x,
                                    const IntegrateOptions& options,
                                    const SourceLogDensity& log_p0) {
  return run(augmented_field(net), x, options, /*reverse=*/true, log_p0, "log_likelihood");
}

DensityResult<float> sample_with_log_density(nn::Module& net, const Array<float>& x0,
                                             const IntegrateOptions& options,
                                             const SourceLogDensity& log_p0) {
  return run(augmented_field(net), x0, options, /*reverse=*/false, log_p0,
             "sample_with_log_density");
}

DensityResult<double> log_likelihood(nn::DModule& net, const Array<double>& x,
                                     const IntegrateOptions& options,
                                     const SourceLogDensity& log_p0) {
  return run(augmented_field(net), x, options, /*reverse=*/true, log_p0, "log_likelihood");
}

DensityResult<double> sample_with_log_density(nn::DModule& net, const Array<double>& x0,
                                              const IntegrateOptions& options,
                                              const SourceLogDensity& log_p0) {
  return run(augmented_field(net), x0, options, /*reverse=*/false, log_p0,
             "sample_with_log_density");
}

template <class T>
double mean_nll(const DensityResult<T>& result) {
  if (result.log_p.empty()) throw std::invalid_argument("mean_nll: no points");
  double sum = 0;
  for (double l : result.log_p)
    sum -= l;
  return sum / double(result.log_p.size());
}

template VelocityField<float> augmented_field(const TensorField<float>&);
template VelocityField<double> augmented_field(const TensorField<double>&);
template DensityResult<float> log_likelihood(const TensorField<float>&, const Array<float>&,
                                             const IntegrateOptions&, const SourceLogDensity&);
template DensityResult<double> log_likelihood(const TensorField<double>&, const Array<double>&,
                                              const IntegrateOptions&, const SourceLogDensity&);
template DensityResult<float> sample_with_log_density(const TensorField<float>&,
                                                      const Array<float>&, const IntegrateOptions&,
                                                      const SourceLogDensity&);
template DensityResult<double> sample_with_log_density(const TensorField<double>&,
                                                       const Array<double>&,
                                                       const IntegrateOptions&,
                                                       const SourceLogDensity&);
template double mean_nll(const DensityResult<float>&);
template double mean_nll(const DensityResult<double>&);

}  // namespace minflow::flow
