// tanh, sigmoid, relu, gelu, gelu_tanh and silu: values and derivatives against formulas
// evaluated element by element with <cmath>, and GELU against a double-precision erf.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <vector>

#include "autograd/ops.hpp"

using namespace minflow;

namespace {

const std::vector<double> kX{-3.0, -1.0, -0.2, 0.3, 1.0, 2.5};  // 2x3
const Array<double> kSeed = {{1.0, -2.0, 0.5}, {3.0, 0.25, -1.0}};

double phi_cdf(double x) {
  return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0)));
}
double phi_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
}
double sigmoid_ref(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// Checks op on kX (2x3) against f and, through backward(kSeed), against f'.
void check_op(const std::function<DTensor(const DTensor&)>& op, double (*f)(double),
              double (*df)(double)) {
  DTensor x = DTensor::from_vector(kX, {2, 3}, true, "x");
  DTensor y = op(x);
  y.backward(kSeed);
  const Array<double> g = x.grad();
  for (std::size_t i = 0; i < kX.size(); ++i) {
    INFO("x = " << kX[i]);
    CHECK(y.value().data()[i] == Approx(f(kX[i])).epsilon(1e-12).margin(1e-15));
    CHECK(g.data()[i] == Approx(kSeed.data()[i] * df(kX[i])).epsilon(1e-12).margin(1e-15));
  }
}

}  // namespace

TEST_CASE("tanh, sigmoid and relu", "[ops][activation]") {
  check_op([](const DTensor& x) { return tanh(x); }, [](double x) { return std::tanh(x); },
           [](double x) { return 1.0 - std::tanh(x) * std::tanh(x); });
  check_op([](const DTensor& x) { return sigmoid(x); }, sigmoid_ref,
           [](double x) { return sigmoid_ref(x) * (1.0 - sigmoid_ref(x)); });
  check_op([](const DTensor& x) { return relu(x); }, [](double x) { return x > 0 ? x : 0.0; },
           [](double x) { return x > 0 ? 1.0 : 0.0; });
  DTensor at_kink = DTensor::from_vector({0.0}, {1}, true);
  relu(at_kink).backward(Array<double>{1.0});
  CHECK(at_kink.grad()(0) == 0.0);
}

TEST_CASE("silu", "[ops][activation]") {
  check_op([](const DTensor& x) { return silu(x); }, [](double x) { return x * sigmoid_ref(x); },
           [](double x) { return sigmoid_ref(x) * (1.0 + x * (1.0 - sigmoid_ref(x))); });
}

TEST_CASE("gelu is x*Phi(x) with derivative Phi(x) + x*phi(x)", "[ops][activation][gelu]") {
  check_op([](const DTensor& x) { return gelu(x); }, [](double x) { return x * phi_cdf(x); },
           [](double x) { return phi_cdf(x) + x * phi_pdf(x); });
  // Known values: Φ(1) = 0.8413447460685429.
  DTensor x = DTensor::from_vector({-1.0, 0.0, 1.0}, {3});
  const Array<double> y = gelu(x).value();
  CHECK(y(0) == Approx(-0.15865525393145707).epsilon(1e-14));
  CHECK(y(1) == 0.0);
  CHECK(y(2) == Approx(0.8413447460685429).epsilon(1e-14));
}

TEST_CASE("gelu matches a std::erf reference from -8 to 8 in double and float",
          "[ops][activation][gelu]") {
  std::vector<double> xs;
  for (int i = -800; i <= 800; ++i)
    xs.push_back(i * 0.01);
  const Array<double> yd = gelu(DTensor::from_vector(xs, {xs.size()})).value();
  std::vector<float> xf(xs.begin(), xs.end());
  const Array<float> yf = gelu(Tensor::from_vector(xf, {xf.size()})).value();
  double worst_d = 0.0, worst_f = 0.0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double ref = xs[i] * phi_cdf(xs[i]);
    worst_d = std::max(worst_d, std::abs(yd(i) - ref));
    worst_f = std::max(worst_f, std::abs(double(yf(i)) - double(xf[i]) * phi_cdf(xf[i])));
  }
  CHECK(worst_d < 1e-13);
  CHECK(worst_f < 2e-6);
}

TEST_CASE("gelu_tanh is PyTorch's tanh approximation, with its own exact derivative",
          "[ops][activation][gelu]") {
  auto f = [](double x) {
    return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
  };
  auto df = [](double x) {
    const double k = std::sqrt(2.0 / M_PI);
    const double t = std::tanh(k * (x + 0.044715 * x * x * x));
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * k * (1.0 + 3 * 0.044715 * x * x);
  };
  check_op([](const DTensor& x) { return gelu_tanh(x); }, f, df);
  // Close to the exact GELU, but not equal to it.
  DTensor x = DTensor::from_vector(kX, {6});
  const Array<double> diff = gelu_tanh(x).value() - gelu(x).value();
  CHECK(std::abs(diff(4)) > 1e-6);
  for (double d : diff)
    CHECK(std::abs(d) < 1e-3);
}

TEST_CASE("activations saturate without NaN at extreme inputs", "[ops][activation]") {
  Tensor x = Tensor::from_vector({-1000.0f, 1000.0f}, {2}, true);
  for (auto op : {&sigmoid<float>, &tanh<float>, &silu<float>, &gelu<float>, &gelu_tanh<float>}) {
    Tensor y = op(x);
    y.backward(Array<float>{1.0f, 1.0f});
    for (float v : y.value())
      CHECK(std::isfinite(v));
    for (float v : x.grad())
      CHECK(std::isfinite(v));
    x.zero_grad();
  }
  CHECK(sigmoid(x).value()(0) == 0.0f);
  CHECK(sigmoid(x).value()(1) == 1.0f);
}
