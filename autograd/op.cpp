#include "autograd/op.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "autograd/grad_mode.hpp"
#include "autograd/trace.hpp"

namespace minflow {

template <class T>
void check_finite(const Array<T>& values, const char* op, const char* what,
                  const std::string& description) {
  for (T v : values) {
    if (!std::isfinite(v)) {
      throw std::runtime_error(std::string(op) + ": non-finite value (" +
                               (std::isnan(v) ? "NaN" : "Inf") + ") in " + what + " " +
                               description);
    }
  }
}

template <class T>
BasicTensor<T> make_result(Array<T> value, std::unique_ptr<GradFn<T>> fn,
                           std::vector<BasicTensor<T>> inputs) {
  if (trace_enabled()) trace_forward(fn->op_name(), value, inputs);  // op trace (trace.hpp)
  if (anomaly_detection_enabled()) {
    const Shape shape(value.shape().begin(), value.shape().end());
    check_finite(value, fn->op_name(), "the result", shape_to_string(shape));
  }
  BasicTensor<T> result(std::move(value));
  if (!grad_enabled()) return result;
  const bool any = std::any_of(inputs.begin(), inputs.end(),
                               [](const BasicTensor<T>& t) { return t.requires_grad(); });
  if (!any) return result;
  fn->inputs = std::move(inputs);
  result.node_ptr()->grad_fn = std::move(fn);
  result.set_requires_grad(true);
  return result;
}

template void check_finite(const Array<float>&, const char*, const char*, const std::string&);
template void check_finite(const Array<double>&, const char*, const char*, const std::string&);
template BasicTensor<float> make_result(Array<float>, std::unique_ptr<GradFn<float>>,
                                        std::vector<BasicTensor<float>>);
template BasicTensor<double> make_result(Array<double>, std::unique_ptr<GradFn<double>>,
                                         std::vector<BasicTensor<double>>);

}  // namespace minflow
