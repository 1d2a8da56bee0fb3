// The float64 net's divergence and density (nn::DMLP overloads of divergence.hpp and
// likelihood.hpp): equal to the float net's within float rounding, and in double against the
// closed form of an affine field, far below what float can resolve.
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>

#include "flow/likelihood.hpp"
#include "flow/velocity_net.hpp"
#include "nn/mlp.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

IntegrateOptions rk4(std::size_t steps) {
  IntegrateOptions o;
  o.solver = Solver::rk4;
  o.steps = steps;
  return o;
}

const Array<double> kPoints = {{0.3, -1.1}, {-1.4, 0.2}, {0.0, 2.0}, {0.9, 0.9}, {-0.6, -0.7}};

}  // namespace

TEST_CASE("the float64 net's divergence and density equal the float net's", "[likelihood]") {
  Generator gen(5, "init");
  nn::MLP net(velocity_net_spec(16, 2), gen);
  Generator other(6, "init");
  nn::DMLP dnet(velocity_net_spec(16, 2), other);
  nn::copy_parameter_values(net, dnet);  // the float weights, widened exactly
  const Array<float> xf = xt::cast<float>(kPoints);
  const std::size_t n = kPoints.shape()[0];

  const auto f = divergence(net, xf, 0.4);
  const auto d = divergence(dnet, kPoints, 0.4);
  double largest = 0;
  for (std::size_t r = 0; r < n; ++r) {
    CHECK(d.v(r, 0) == Approx(f.v(r, 0)).margin(1e-5));
    CHECK(d.v(r, 1) == Approx(f.v(r, 1)).margin(1e-5));
    CHECK(d.divergence(r) == Approx(f.divergence(r)).margin(1e-5));
    largest = std::max(largest, std::abs(d.divergence(r)));
  }
  CHECK(largest > 1e-2);  // a real divergence, not zeros on both sides

  // The same probes (the same generator state) give the same estimates.
  Generator probes_f(7, "probes"), probes_d(7, "probes");
  const auto hf = hutchinson_divergence(net, xf, 0.4, 6, probes_f);
  const auto hd = hutchinson_divergence(dnet, kPoints, 0.4, 6, probes_d);
  for (std::size_t i = 0; i < hf.estimates.size(); ++i)
    CHECK(hd.estimates.data()[i] == Approx(hf.estimates.data()[i]).margin(1e-5));

  const auto lf = log_likelihood(net, xf, rk4(20));
  const auto ld = log_likelihood(dnet, kPoints, rk4(20));
  const auto sf = sample_with_log_density(net, xf, rk4(20));
  const auto sd = sample_with_log_density(dnet, kPoints, rk4(20));
  for (std::size_t r = 0; r < n; ++r) {
    CHECK(ld.log_p[r] == Approx(lf.log_p[r]).margin(1e-4));
    CHECK(sd.log_p[r] == Approx(sf.log_p[r]).margin(1e-4));
    CHECK(ld.x(r, 0) == Approx(lf.x(r, 0)).margin(1e-5));
  }
  CHECK(ld.nfe == 80);
  CHECK(mean_nll(ld) == Approx(mean_nll(lf)).margin(1e-4));
  // The parameters are frozen only during each call.
  for (const DTensor& p : dnet.parameters())
    CHECK(p.requires_grad());
}

// v(x, y, t) = A·(x, y) + b with A = [[a, −w], [w, a]] (a Linear(3 → 2) whose t column is zero):
// ∇·v = 2a everywhere. In complex form z = x + iy, dz/dt = λz + β with λ = a + iw, so the flow
// map is z₁ = e^λ z₀ + β(e^λ − 1)/λ and log p₁(z₁) = log p₀(z₀) − 2a.
TEST_CASE("the float64 net against the closed form of an affine field", "[likelihood]") {
  const double a = 0.35, w = 1.2, bx = 0.5, by = -0.25;
  Generator gen(1, "init");
  nn::DMLP net(nn::MlpSpec{3, 8, 0, 2, nn::Activation::gelu}, gen);  // depth 0: one Linear
  for (auto& [name, tensor] : net.named_parameters()) {
    if (name == "l0.weight") tensor.mutable_value() = Array<double>{{a, -w, 0.0}, {w, a, 0.0}};
    if (name == "l0.bias") tensor.mutable_value() = Array<double>{bx, by};
  }
  REQUIRE(net.parameters().size() == 2);

  const auto d = divergence(net, kPoints, 0.7);
  for (std::size_t r = 0; r < kPoints.shape()[0]; ++r)
    CHECK(d.divergence(r) == Approx(2 * a).margin(1e-14));

  const std::complex<double> lambda(a, w), beta(bx, by);
  const auto l = log_likelihood(net, kPoints, rk4(200));
  for (std::size_t r = 0; r < kPoints.shape()[0]; ++r) {
    const std::complex<double> z1(kPoints(r, 0), kPoints(r, 1));
    const std::complex<double> z0 =
        (z1 - beta * (std::exp(lambda) - 1.0) / lambda) / std::exp(lambda);
    const double exact = standard_normal_log_density(z0.real(), z0.imag()) - 2 * a;
    CHECK(l.x(r, 0) == Approx(z0.real()).margin(1e-10));
    CHECK(l.x(r, 1) == Approx(z0.imag()).margin(1e-10));
    CHECK(l.log_p[r] == Approx(exact).margin(1e-10));  // float would resolve 1e-6 at best
  }
}
