// The divergence by reverse mode against central finite differences of the field and a
// closed form, Hutchinson's estimator against the exact value, and the net's parameters
// left alone.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/grad_mode.hpp"
#include "autograd/ops.hpp"
#include "flow/divergence.hpp"
#include "flow/velocity_net.hpp"
#include "nn/mlp.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

// A nonlinear, time-dependent field with a full Jacobian: v = tanh(x·A + t·b)·B + x∘c.
template <class T>
TensorField<T> tanh_field() {
  auto A = BasicTensor<T>::from_vector({0.7, -1.1, 0.3, 0.9, 0.4, 1.3, -0.8, 0.2}, {2, 4});
  auto b = BasicTensor<T>::from_vector({0.1, -0.5, 0.8, 0.3}, {4});
  auto B = BasicTensor<T>::from_vector({1.2, -0.4, 0.6, 0.9, -1.0, 0.5, 0.3, 0.7}, {4, 2});
  auto c = BasicTensor<T>::from_vector({0.25, -0.6}, {2});
  return [=](const BasicTensor<T>& x, double t) {
    return matmul(tanh(matmul(x, A) + b * static_cast<T>(t)), B) + x * c;
  };
}

Array<double> test_points() {
  return Array<double>{{0.3, -0.2}, {1.5, 0.7}, {-2.0, 1.1}, {0.0, 0.0}, {-0.4, -1.9}};
}

// Σ_i (v_i(x + h e_i) − v_i(x − h e_i)) / 2h for every row, forward passes only.
template <class T>
Array<T> finite_difference_divergence(const TensorField<T>& field, const Array<T>& x, double t,
                                      double h) {
  NoGradGuard no_grad;
  Array<T> out = xt::zeros<T>({x.shape()[0]});
  for (std::size_t i = 0; i < 2; ++i) {
    Array<T> plus = x, minus = x;
    for (std::size_t r = 0; r < x.shape()[0]; ++r) {
      plus(r, i) += static_cast<T>(h);
      minus(r, i) -= static_cast<T>(h);
    }
    const Array<T> vp = field(BasicTensor<T>(plus), t).value();
    const Array<T> vm = field(BasicTensor<T>(minus), t).value();
    for (std::size_t r = 0; r < x.shape()[0]; ++r)
      out(r) += static_cast<T>((vp(r, i) - vm(r, i)) / (2 * h));
  }
  return out;
}

}  // namespace

TEST_CASE("divergence by reverse mode matches central differences (double)", "[divergence]") {
  const auto field = tanh_field<double>();
  const Array<double> x = test_points();
  for (double t : {0.0, 0.4, 1.0}) {
    const FieldDivergence<double> d = divergence(field, x, t);
    const Array<double> fd = finite_difference_divergence(field, x, t, 1e-5);
    NoGradGuard no_grad;
    const Array<double> v = field(DTensor(x), t).value();
    for (std::size_t r = 0; r < x.shape()[0]; ++r) {
      CHECK(d.divergence(r) == Approx(fd(r)).margin(1e-8));
      CHECK(d.v(r, 0) == v(r, 0));
      CHECK(d.v(r, 1) == v(r, 1));
    }
  }
}

TEST_CASE("divergence of fields with closed forms", "[divergence]") {
  const Array<double> x = test_points();
  // Linear: v = m + c·(x − t m) has ∇·v = 2c.
  const double c = -0.7;
  const TensorField<double> linear = [c](const DTensor& x, double t) {
    return (x - DTensor::from_vector({t * 1.5, t * -0.5}, {2})) * c +
           DTensor::from_vector({1.5, -0.5}, {2});
  };
  // A rotation v = (−y, x): ∇·v = 0 exactly.
  const TensorField<double> rotation = [](const DTensor& x, double) {
    return concat<double>({-slice(x, 1, 1, 2), slice(x, 1, 0, 1)}, 1);
  };
  // Identity v = x (no op between the leaf and the result): ∇·v = 2.
  const TensorField<double> identity = [](const DTensor& x, double) { return x; };
  // A constant field has no graph at all: ∇·v = 0.
  const TensorField<double> constant = [](const DTensor& x, double) {
    return DTensor::full(x.shape(), 3.0);
  };
  const auto dl = divergence(linear, x, 0.3), dr = divergence(rotation, x, 0.3);
  const auto di = divergence(identity, x, 0.3), dc = divergence(constant, x, 0.3);
  for (std::size_t r = 0; r < x.shape()[0]; ++r) {
    CHECK(dl.divergence(r) == Approx(2 * c).epsilon(1e-14));
    CHECK(dr.divergence(r) == 0.0);
    CHECK(di.divergence(r) == 2.0);
    CHECK(dc.divergence(r) == 0.0);
  }
}

TEST_CASE("divergence in float32 agrees with the double computation", "[divergence]") {
  const Array<double> x = test_points();
  const Array<float> xf = xt::cast<float>(x);
  const auto d64 = divergence(tanh_field<double>(), x, 0.6);
  const auto d32 = divergence(tanh_field<float>(), xf, 0.6);
  for (std::size_t r = 0; r < x.shape()[0]; ++r)
    CHECK(d32.divergence(r) == Approx(d64.divergence(r)).margin(1e-5));
}

TEST_CASE("the net's divergence: finite differences, and its parameters left alone",
          "[divergence]") {
  Generator gen(3, "init");
  nn::MLP net(velocity_net_spec(16, 2), gen);
  const Array<float> x = xt::cast<float>(test_points());
  // The parameters already hold gradients (a training step in progress): untouched.
  sum(velocity(net, Tensor(x), Tensor::full({x.shape()[0], 1}, 0.5f))).backward();
  const Array<float> before = net.parameters()[0].grad();
  const auto d = divergence(net, x, 0.5);
  CHECK(bool(net.parameters()[0].grad() == before));
  for (const Tensor& p : net.parameters())
    CHECK(p.requires_grad());  // restored
  const Array<float> fd = finite_difference_divergence(tensor_field(net), x, 0.5, 1e-2);
  for (std::size_t r = 0; r < x.shape()[0]; ++r)
    CHECK(d.divergence(r) == Approx(fd(r)).margin(2e-3));
  // The values are the field's, as the integrators see them.
  const Array<float> v = velocity_field(net)(x, 0.5);
  for (std::size_t i = 0; i < v.size(); ++i)
    CHECK(d.v.data()[i] == Approx(v.data()[i]).margin(1e-6));
}

TEST_CASE("Hutchinson's estimate: exact ± (J12 + J21) per probe, mean within its error",
          "[divergence][hutchinson]") {
  const auto field = tanh_field<double>();
  const Array<double> x = test_points();
  const std::size_t probes = 400;
  Generator gen(11, "probes");
  const auto h = hutchinson_divergence(field, x, 0.4, probes, gen);
  const auto exact = divergence(field, x, 0.4);
  for (std::size_t r = 0; r < x.shape()[0]; ++r) {
    // In 2-D every probe gives the trace plus or minus the same off-diagonal sum.
    const double spread = std::abs(h.estimates(0, r) - exact.divergence(r));
    CHECK(spread > 1e-3);  // this field's Jacobian is not antisymmetric: probes do vary
    double mean = 0, var = 0;
    for (std::size_t k = 0; k < probes; ++k) {
      CHECK(std::abs(h.estimates(k, r) - exact.divergence(r)) == Approx(spread).epsilon(1e-9));
      mean += h.estimates(k, r) / probes;
    }
    for (std::size_t k = 0; k < probes; ++k)
      var += std::pow(h.estimates(k, r) - mean, 2) / (probes - 1);
    CHECK(h.mean(r) == Approx(mean).epsilon(1e-12));
    const double standard_error = std::sqrt(var / probes);
    CHECK(std::abs(mean - exact.divergence(r)) < 3 * standard_error);
  }
  // Same generator state, same probes.
  Generator again(11, "probes");
  CHECK(bool(hutchinson_divergence(field, x, 0.4, probes, again).estimates == h.estimates));
}

TEST_CASE("divergence refuses bad input", "[divergence][errors]") {
  const auto field = tanh_field<double>();
  CHECK_THROWS_WITH(divergence(field, Array<double>(xt::zeros<double>({3, 3})), 0.0),
                    Catch::Contains("divergence: x must be [n,2]") && Catch::Contains("[3,3]"));
  Generator gen(1);
  CHECK_THROWS_WITH(hutchinson_divergence(field, test_points(), 0.0, 0, gen),
                    Catch::Contains("probes must be positive"));
  NoGradGuard no_grad;
  CHECK_THROWS_WITH(divergence(field, test_points(), 0.0), Catch::Contains("NoGradGuard"));
}

TEST_CASE("the fast path without a graph equals reverse mode", "[divergence][fast]") {
  Generator gen(7, "init");
  nn::MLP net(velocity_net_spec(), gen);  // the tutorial's net: GELU, 64 wide, 3 hidden layers
  Generator data(8, "data");
  Array<float> x = Array<float>::from_shape({1000, 2});  // several strips and thread chunks
  for (std::size_t i = 0; i < x.size(); ++i)
    x.data()[i] = static_cast<float>(2 * data.normal());
  const FastDivergence fast = fast_divergence(net);
  REQUIRE(fast);
  for (double t : {0.0, 0.35, 1.0}) {
    const auto a = fast(x, t);
    const auto b = divergence(net, x, t);
    double worst = 0;
    for (std::size_t r = 0; r < 1000; ++r) {
      worst = std::max(worst, double(std::abs(a.divergence(r) - b.divergence(r))) /
                                  (1 + std::abs(b.divergence(r))));
      CHECK(a.v(r, 0) == b.v(r, 0));  // the same kernels in the same order: the same bits
      CHECK(a.v(r, 1) == b.v(r, 1));
    }
    CAPTURE(t);
    CHECK(worst < 2e-6);
  }
  // Other modules take reverse mode.
  nn::MLP relu(velocity_net_spec(16, 2, nn::Activation::relu), gen);
  CHECK_FALSE(fast_divergence(relu));
}
