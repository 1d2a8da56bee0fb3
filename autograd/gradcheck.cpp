#include "autograd/gradcheck.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <stdexcept>

#include "autograd/grad_mode.hpp"
#include "base/random.hpp"

namespace minflow {

namespace {

// L = Σ y·w, summed in the arrays' row-major order.
double contract(const DTensor& y, const Array<double>& w) {
  if (y.size() != w.size()) {
    throw std::logic_error("gradcheck: the output changed shape from " +
                           shape_to_string(Shape(w.shape().begin(), w.shape().end())) + " to " +
                           shape_to_string(y.shape()) + " between calls");
  }
  double total = 0.0;
  for (std::size_t i = 0, n = w.size(); i < n; ++i)
    total += y.data()[i] * w.data()[i];
  return total;
}

}  // namespace

std::string GradcheckReport::to_string() const {
  std::string s = std::string("gradcheck ") + (ok ? "ok" : "FAILED") + ": " +
                  std::to_string(checked) + " elements checked";
  if (!has_worst) return s;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                ", worst: input %zu element %zu: analytic %.10g, numeric %.10g "
                "(abs error %.3g, rel error %.3g)",
                input, element, analytic, numeric, abs_error, rel_error);
  return s + buf;
}

std::ostream& operator<<(std::ostream& os, const GradcheckReport& report) {
  return os << report.to_string();
}

GradcheckReport gradcheck(const std::function<DTensor(const std::vector<DTensor>&)>& f,
                          const std::vector<DTensor>& inputs, const GradcheckOptions& options) {
  if (!grad_enabled()) {
    throw std::invalid_argument("gradcheck: gradients are disabled (a NoGradGuard is alive)");
  }
  // Fresh leaves: the caller's tensors are never perturbed and never receive a gradient.
  std::vector<DTensor> x;
  for (const DTensor& t : inputs)
    x.emplace_back(Array<double>(t.value()), t.requires_grad(), t.name());

  // Analytic: one backward pass with upstream gradient w, giving ∂(Σ y·w)/∂x.
  Array<double> w;
  {
    DTensor y = f(x);
    w = Array<double>::from_shape(y.value().shape());
    Generator gen(options.seed, "gradcheck");
    for (double& v : w)
      v = gen.normal();
    if (y.requires_grad()) y.backward(w);
  }

  // Numeric: central differences, without building graphs. Each element is restored to its
  // exact original value after its two evaluations.
  GradcheckReport report;
  double worst_ratio = -1.0;  // |a − n| / (atol + rtol·|n|): ≤ 1 passes
  NoGradGuard no_grad;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!x[k].requires_grad()) continue;
    const Array<double> analytic = x[k].grad();
    double* values = x[k].data();
    for (std::size_t i = 0, n = x[k].size(); i < n; ++i) {
      const double saved = values[i];
      values[i] = saved + options.eps;
      const double plus = contract(f(x), w);
      values[i] = saved - options.eps;
      const double minus = contract(f(x), w);
      values[i] = saved;
      const double num = (plus - minus) / (2.0 * options.eps);
      const double ana = analytic.data()[i];
      const double err = std::abs(ana - num);
      const double allowed = options.atol + options.rtol * std::abs(num);
      // NaN compares false everywhere: count it as a failure, and as the worst element.
      const double ratio = std::isnan(err) ? INFINITY
                           : allowed > 0.0 ? err / allowed
                           : err > 0.0     ? INFINITY
                                           : 0.0;
      if (!(err <= allowed)) report.ok = false;
      ++report.checked;
      if (ratio > worst_ratio) {
        worst_ratio = ratio;
        report.has_worst = true;
        report.input = k;
        report.element = i;
        report.analytic = ana;
        report.numeric = num;
        report.abs_error = err;
        report.rel_error = num != 0.0 ? err / std::abs(num) : err;
      }
    }
  }
  return report;
}

}  // namespace minflow
