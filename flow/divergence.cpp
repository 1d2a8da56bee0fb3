#include "flow/divergence.hpp"

#include <stdexcept>
#include <string>

#include "autograd/grad_mode.hpp"
#include "autograd/ops.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::flow {

TensorField<float> tensor_field(nn::Module& net) {
  return [&net](const Tensor& x, double t) {
    const Tensor time = Tensor::full({x.shape()[0], 1}, static_cast<float>(t));
    return velocity(net, x, time);
  };
}

TensorField<double> tensor_field(nn::DModule& net) {
  return [&net](const DTensor& x, double t) {
    const DTensor time = DTensor::full({x.shape()[0], 1}, t);
    return net.forward(concat<double>({x, time}, 1));  // as velocity(): t is a third column
  };
}

template <class T>
BasicFreezeParameters<T>::BasicFreezeParameters(nn::BasicModule<T>& net)
    : parameters_(net.parameters()) {
  for (BasicTensor<T>& p : parameters_) {
    previous_.push_back(p.requires_grad());
    p.set_requires_grad(false);
  }
}

template <class T>
BasicFreezeParameters<T>::~BasicFreezeParameters() {
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    parameters_[i].set_requires_grad(previous_[i]);
}

template class BasicFreezeParameters<float>;
template class BasicFreezeParameters<double>;

namespace {

template <class T>
void check_input(const Array<T>& x, const char* op) {
  if (x.dimension() != 2 || x.shape()[1] != 2 || x.shape()[0] == 0) {
    throw std::invalid_argument(std::string(op) + ": x must be [n,2] with n > 0, got " +
                                shape_to_string(Shape(x.shape().begin(), x.shape().end())));
  }
  if (!grad_enabled()) {
    throw std::logic_error(std::string(op) +
                           ": reverse mode needs the graph, but a NoGradGuard is alive on this "
                           "thread");
  }
}

// x as a leaf that requires a gradient, and v(x, t) with its graph.
template <class T>
std::pair<BasicTensor<T>, BasicTensor<T>> forward_with_graph(const TensorField<T>& field,
                                                             const Array<T>& x, double t,
                                                             const char* op) {
  check_input(x, op);
  BasicTensor<T> leaf(Array<T>(x), /*requires_grad=*/true, "x");
  BasicTensor<T> v = field(leaf, t);
  if (v.shape() != leaf.shape()) {
    throw std::invalid_argument(std::string(op) + ": the field must return x's shape " +
                                shape_to_string(leaf.shape()) + ", got " +
                                shape_to_string(v.shape()));
  }
  return {leaf, v};
}

}  // namespace

// ∇·v = ∂v_x/∂x + ∂v_y/∂y = tr J at every row. One forward pass from the leaf x (with its
// graph, forward_with_graph), then for i = 0, 1 a backward pass seeded with e_i in every row:
// the leaf's gradient is then row r's e_iᵀ·J = ∂v_i/∂(x, y) (rows are independent), and its
// column i is the diagonal entry J_ii. The first pass keeps the graph for the second
// (retain_graph); zero the leaf's gradient before each pass, since backward accumulates.
// When v does not require a gradient it does not depend on x, and ∇·v = 0.
template <class T>
FieldDivergence<T> divergence(const TensorField<T>& field, const Array<T>& x, double t) {
  // EXERCISE 11.1 BEGIN: the divergence as two vector-Jacobian products
  auto [leaf, v] = forward_with_graph(field, x, t, "divergence");
  const std::size_t n = x.shape()[0];
  FieldDivergence<T> out{v.value(), Array<T>(xt::zeros<T>({n}))};
  if (!v.requires_grad()) return out;  // v does not depend on x: ∇·v = 0
  for (std::size_t i = 0; i < 2; ++i) {
    // Seed e_i in every row: the pass gives row r's ∂v_i/∂x at row r, and its column i is
    // the diagonal entry ∂v_i/∂x_i. The first pass keeps the graph for the second.
    Array<T> seed = xt::zeros<T>({n, std::size_t(2)});
    for (std::size_t r = 0; r < n; ++r)
      seed(r, i) = T(1);
    leaf.zero_grad();
    v.backward(seed, /*retain_graph=*/i == 0);
    const Array<T> g = leaf.grad();
    for (std::size_t r = 0; r < n; ++r)
      out.divergence(r) += g(r, i);
  }
  return out;
  // EXERCISE END
}

// Hutchinson: tr J = E[εᵀJε] for ε with independent ±1 entries. For each probe k: draw ε
// [n, 2] from `gen` row by row, coordinate by coordinate (ε = +1 when gen.next_u32() & 1,
// else −1), one backward pass seeded with ε gives row r's εᵀJ at the leaf, and its dot
// product with ε_r is the estimate at (k, r). The mean over the probes is the estimator. One
// forward pass serves every probe (retain_graph until the last). probes = 0 is an error.
template <class T>
HutchinsonEstimate<T> hutchinson_divergence(const TensorField<T>& field, const Array<T>& x,
                                            double t, std::size_t probes, Generator& gen) {
  // EXERCISE 11.2 BEGIN: Hutchinson's estimator
  if (probes == 0) throw std::invalid_argument("hutchinson_divergence: probes must be positive");
  auto [leaf, v] = forward_with_graph(field, x, t, "hutchinson_divergence");
  const std::size_t n = x.shape()[0];
  HutchinsonEstimate<T> out{xt::zeros<T>({probes, n}), xt::zeros<T>({n})};
  if (!v.requires_grad()) return out;
  for (std::size_t k = 0; k < probes; ++k) {
    Array<T> eps = Array<T>::from_shape({n, 2});
    for (std::size_t j = 0; j < eps.size(); ++j)
      eps.data()[j] = (gen.next_u32() & 1u) ? T(1) : T(-1);
    // One vector-Jacobian product εᵀJ per probe; then εᵀJ·ε row by row.
    leaf.zero_grad();
    v.backward(eps, /*retain_graph=*/k + 1 < probes);
    const Array<T> g = leaf.grad();
    for (std::size_t r = 0; r < n; ++r) {
      out.estimates(k, r) = g(r, 0) * eps(r, 0) + g(r, 1) * eps(r, 1);
      out.mean(r) += out.estimates(k, r) / T(probes);
    }
  }
  return out;
  // EXERCISE END
}

FieldDivergence<float> divergence(nn::Module& net, const Array<float>& x, double t) {
  FreezeParameters frozen(net);
  return divergence(tensor_field(net), x, t);
}

HutchinsonEstimate<float> hutchinson_divergence(nn::Module& net, const Array<float>& x, double t,
                                                std::size_t probes, Generator& gen) {
  FreezeParameters frozen(net);
  return hutchinson_divergence(tensor_field(net), x, t, probes, gen);
}

FieldDivergence<double> divergence(nn::DModule& net, const Array<double>& x, double t) {
  DFreezeParameters frozen(net);
  return divergence(tensor_field(net), x, t);
}

HutchinsonEstimate<double> hutchinson_divergence(nn::DModule& net, const Array<double>& x, double t,
                                                 std::size_t probes, Generator& gen) {
  DFreezeParameters frozen(net);
  return hutchinson_divergence(tensor_field(net), x, t, probes, gen);
}

template FieldDivergence<float> divergence(const TensorField<float>&, const Array<float>&, double);
template FieldDivergence<double> divergence(const TensorField<double>&, const Array<double>&,
                                            double);
template HutchinsonEstimate<float> hutchinson_divergence(const TensorField<float>&,
                                                         const Array<float>&, double, std::size_t,
                                                         Generator&);
template HutchinsonEstimate<double> hutchinson_divergence(const TensorField<double>&,
                                                          const Array<double>&, double, std::size_t,
                                                          Generator&);

}  // namespace minflow::flow
