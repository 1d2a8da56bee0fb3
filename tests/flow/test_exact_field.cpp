// The exact velocity against brute force, the continuity equation, its own samples, and
// the spiral's floor and straightness.
#include <catch2/catch.hpp>

#include <cmath>

#include <xtensor/xbuilder.hpp>

#include "base/random.hpp"
#include "base/thread_pool.hpp"
#include "continuity_residual.hpp"
#include "flow/datasets.hpp"
#include "flow/exact_field.hpp"
#include "flow/metrics.hpp"
#include "flow/path_errors.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"

using namespace minflow;
using namespace minflow::flow;
using minflow::flow::test::one_row;

namespace {
constexpr double kPi = 3.14159265358979323846;

GaussianMixture two_components() {
  GaussianMixture m;
  m.mx = {1.0, -1.5};
  m.my = {0.5, -0.25};
  m.s2 = {0.25, 0.64};
  m.log_w = {std::log(0.3), std::log(0.7)};
  m.name = "two";
  return m;
}

double normal_pdf(double x, double y, double mx, double my, double var) {
  const double d2 = (x - mx) * (x - mx) + (y - my) * (y - my);
  return std::exp(-d2 / (2.0 * var)) / (2.0 * kPi * var);
}

}  // namespace

TEST_CASE("exact velocity equals E[x1 - x0 | x_t] integrated by brute force", "[exact]") {
  // u*(x, t) = ∫ (x1 − x0) p0(x0) p1(x1) dx1 / ∫ p0(x0) p1(x1) dx1 with x0 = (x − t x1)/(1 − t)
  // (the Jacobian of x1 ↦ x0 is a constant and cancels); a 600² grid over x1 ∈ [−6, 6]².
  const GaussianMixture m = two_components();
  for (double t : {0.2, 0.5, 0.8}) {
    for (auto [x, y] : {std::pair{0.3, -0.2}, std::pair{-1.0, 0.7}, std::pair{1.5, 1.0}}) {
      double z = 0.0, ux = 0.0, uy = 0.0;
      const int g = 600;
      for (int a = 0; a < g; ++a) {
        for (int b = 0; b < g; ++b) {
          const double x1 = -6.0 + 12.0 * (a + 0.5) / g, y1 = -6.0 + 12.0 * (b + 0.5) / g;
          const double x0 = (x - t * x1) / (1.0 - t), y0 = (y - t * y1) / (1.0 - t);
          const double p1 = 0.3 * normal_pdf(x1, y1, 1.0, 0.5, 0.25) +
                            0.7 * normal_pdf(x1, y1, -1.5, -0.25, 0.64);
          const double w = normal_pdf(x0, y0, 0.0, 0.0, 1.0) * p1;
          z += w;
          ux += w * (x1 - x0);
          uy += w * (y1 - y0);
        }
      }
      const Array<double> u = exact_velocity(m, one_row(x, y), t);
      CHECK(u(0, 0) == Approx(ux / z).margin(1e-7));
      CHECK(u(0, 1) == Approx(uy / z).margin(1e-7));
    }
  }
}

TEST_CASE("the exact field satisfies the continuity equation on a grid", "[exact]") {
  // ∂p_t/∂t + ∇·(p_t u*) = 0 with p_t the mixture of N(t μ_k, σ_k² I), by central
  // differences (continuity_residual.hpp).
  for (const GaussianMixture& m :
       {two_components(), target_mixture("eight_gaussians"), target_mixture("spiral", 256)}) {
    for (double t : {0.25, 0.6, 0.9}) {
      const auto [worst, scale] = test::continuity_residual(m, t, -3.0, 0.75, -3.0, 0.75);
      INFO(m.name << " t = " << t << " residual " << worst << " of " << scale);
      CHECK(scale > 1e-3);
      CHECK(worst < 1e-6 * std::max(1.0, scale / 1e-3));
    }
  }
}

TEST_CASE("the spiral's and the moons' quadrature agree with twice the nodes", "[exact]") {
  // On the training path (x_t of fresh pairs) the default node counts change u* far below
  // the fourth digit. Plain noise points at late t lie far off the curve; beyond its ends
  // the posterior is a sharp exponential at the last nodes, and the change is larger there
  // (still below 1e-3).
  Generator gen(5, "test");
  auto worst_change = [](const Array<double>& a, const Array<double>& b) {
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
      worst = std::max(worst,
                       std::abs(a.data()[i] - b.data()[i]) / std::max(1.0, std::abs(b.data()[i])));
    return worst;
  };
  for (const std::string data : {"spiral", "moons"}) {
    const std::size_t nodes = data == "spiral" ? kSpiralNodes : kMoonNodes;
    const GaussianMixture n1 = target_mixture(data), n2 = target_mixture(data, 2 * nodes);
    for (double t : {0.05, 0.5, 0.9, 0.99, 0.999}) {
      const Array<float> x0 = gaussian(gen, 256), x1 = sample_dataset(data, gen, 256);
      const Array<double> on = (1.0 - t) * xt::cast<double>(x0) + t * xt::cast<double>(x1);
      const Array<double> off = xt::cast<double>(gaussian(gen, 256));
      const double path = worst_change(exact_velocity(n1, on, t), exact_velocity(n2, on, t));
      const double noise = worst_change(exact_velocity(n1, off, t), exact_velocity(n2, off, t));
      INFO(data << " N = " << nodes << " t = " << t << ": max relative change " << path
                << " on the path, " << noise << " at noise points");
      CHECK(path < 2e-5);
      CHECK(noise < 1e-3);
    }
  }
}

TEST_CASE("the spiral's quadrature has the spiral's moments", "[exact]") {
  // θ ~ U[0, 6π], c = (θ cos θ, θ sin θ)/2π: E c = (0, −1/2π) and E|c|² = E(θ/2π)² = 3.
  for (std::size_t nodes : {std::size_t(64), kSpiralNodes}) {
    const GaussianMixture m = target_mixture("spiral", nodes);
    double mx = 0.0, my = 0.0, r2 = 0.0, total = 0.0;
    for (std::size_t k = 0; k < m.size(); ++k) {
      const double w = std::exp(m.log_w[k]);
      total += w;
      mx += w * m.mx[k];
      my += w * m.my[k];
      r2 += w * (m.mx[k] * m.mx[k] + m.my[k] * m.my[k]);
    }
    INFO(nodes << " nodes");
    CHECK(total == Approx(1.0).margin(1e-12));
    const double tol = nodes == 64 ? 1e-2 : 1e-6;
    CHECK(mx == Approx(0.0).margin(tol));
    CHECK(my == Approx(-1.0 / (2.0 * kPi)).margin(tol));
    CHECK(r2 == Approx(3.0).margin(3 * tol));
  }
}

TEST_CASE("the exact field is the same for any thread count", "[exact]") {
  const GaussianMixture m = target_mixture("spiral", 512);
  Generator gen(6, "test");
  const Array<double> x = xt::cast<double>(gaussian(gen, 300));
  set_num_threads(1);
  const Array<double> one = exact_velocity(m, x, 0.7);
  set_num_threads(2);
  const Array<double> two = exact_velocity(m, x, 0.7);
  CHECK(one == two);
}

TEST_CASE("Euler and RK4 on the exact field reproduce the spiral", "[exact]") {
  const GaussianMixture m = target_mixture("spiral", 1024);
  Generator gen(7, "test"), target_gen(8, "test"), other_gen(9, "test");
  const Array<float> x0 = gaussian(gen, 1024);
  const Array<float> target = spiral(target_gen, 1024), other = spiral(other_gen, 1024);
  const double floor = energy_distance(other, target);
  IntegrateOptions euler;
  const double e = energy_distance(integrate(exact_field(m), x0, euler).x, target);
  IntegrateOptions rk4;
  rk4.solver = Solver::rk4;
  rk4.steps = 20;
  const double r = energy_distance(integrate(exact_field(m), x0, rk4).x, target);
  INFO("noise floor " << floor << ", Euler-100 " << e << ", RK4-20 " << r);
  CHECK(e < 2.0 * floor);
  CHECK(r < 2.0 * floor);
  // and a wrong field does not: the source itself is far away
  CHECK(energy_distance(x0, target) > 5.0 * floor);
}

TEST_CASE("the spiral's loss floor is 1.83 and its exact straightness 1.15", "[exact]") {
  const GaussianMixture m = target_mixture("spiral", 1024);
  PathOptions options;
  options.rows = 1024;
  options.times_per_bin = 4;
  const PathErrors floor = path_errors(m, dataset_sampler("spiral"), nullptr, options);
  CHECK(floor.loss_floor.overall == Approx(1.83).margin(0.02));
  REQUIRE(floor.loss_floor.by_bin.size() == 10);
  // At t near 0 x_t says little about x1, so the floor is highest there.
  CHECK(floor.loss_floor.by_bin.front() > floor.loss_floor.by_bin.back());
  Generator gen(10, "test");
  CHECK(straightness(exact_field(m), gaussian(gen, 1024)) == Approx(1.15).margin(0.05));
}

TEST_CASE("velocity error and excess loss see a known perturbation", "[exact]") {
  // v = u* + (0.1, −0.2): velocity error exactly 0.05, excess loss 0.025 in expectation.
  const GaussianMixture m = target_mixture("eight_gaussians");
  const VelocityField<float> exact = exact_field(m);
  const VelocityField<float> shifted = [&](const Array<float>& x, double t) {
    Array<float> v = exact(x, t);
    for (std::size_t i = 0; i < v.shape()[0]; ++i) {
      v(i, 0) += 0.1f;
      v(i, 1) -= 0.2f;
    }
    return v;
  };
  PathOptions options;
  options.rows = 512;
  options.times_per_bin = 2;
  const PathErrors same = path_errors(m, dataset_sampler("eight_gaussians"), &exact, options);
  CHECK(same.velocity_error.overall == Approx(0.0).margin(1e-10));
  CHECK(same.excess_loss.overall == Approx(0.0).margin(1e-6));
  const PathErrors off = path_errors(m, dataset_sampler("eight_gaussians"), &shifted, options);
  CHECK(off.velocity_error.overall == Approx(0.05).margin(1e-5));
  CHECK(off.excess_loss.overall == Approx(0.025).margin(0.01));
}

TEST_CASE("a finite data set is a mixture of point masses", "[exact]") {
  Array<float> pts = Array<float>::from_shape({3, 2});
  pts(0, 0) = 1, pts(0, 1) = 0, pts(1, 0) = -1, pts(1, 1) = 2, pts(2, 0) = 0, pts(2, 1) = -2;
  const GaussianMixture m = points_mixture(pts, "three");
  // t = 1: u* = x; near a point mass μ, u* ≈ (μ − x)/(1 − t).
  CHECK(exact_velocity(m, one_row(0.3, 0.4), 1.0)(0, 1) == 0.4);
  const Array<double> u = exact_velocity(m, one_row(0.99, 0.01), 0.99);
  CHECK(u(0, 0) == Approx((1.0 - 0.99) / 0.01).margin(1e-9));
  // Euler-100 carries noise onto the data points.
  Generator gen(11, "test");
  const Array<float> end = integrate(exact_field(m), gaussian(gen, 200), IntegrateOptions{}).x;
  for (std::size_t i = 0; i < 200; ++i) {
    double nearest = 1e9;
    for (std::size_t k = 0; k < 3; ++k)
      nearest = std::min(nearest, double(std::hypot(end(i, 0) - pts(k, 0), end(i, 1) - pts(k, 1))));
    CHECK(nearest < 0.05);
  }
  CHECK_THROWS_WITH(log_density(m, one_row(0, 0), 1.0), Catch::Contains("no density"));
}

TEST_CASE("targets without a closed form and bad data are refused", "[exact]") {
  CHECK_THROWS_WITH(target_mixture("checkerboard"), Catch::Contains("no closed-form velocity"));
  CHECK_THROWS_WITH(target_mixture("spirl"), Catch::Contains("unknown data set"));
  CHECK_THROWS_WITH(points_mixture(Array<float>::from_shape({4, 3}), "bad.npy"),
                    Catch::Contains("[n,2]"));
  CHECK_THROWS_WITH(exact_velocity(two_components(), one_row(0, 0), 1.5),
                    Catch::Contains("t must lie in [0, 1]"));
}

TEST_CASE("a net trained longer moves its velocity error toward zero", "[exact]") {
  // The same run at 50, 300 and 1,200 steps (resumed, so each is a prefix of the next): the
  // error against the exact field must fall at each stage, and by a clear factor overall.
  TrainSettings settings;
  settings.data = "eight_gaussians";
  settings.batch = 256;
  settings.lr = 3e-3;
  settings.net = velocity_net_spec(32, 2);
  TrainState state = new_train_state(settings);
  const GaussianMixture m = target_mixture(settings.data);
  PathOptions options;
  options.rows = 512;
  options.times_per_bin = 2;
  options.seed = 5;
  std::vector<double> errors;
  for (std::size_t steps : {50, 300, 1200}) {
    settings.steps = steps;
    train(state, settings, independent_pairs(settings.data), TrainHooks{});
    const VelocityField<float> net = velocity_field(*state.net);
    errors.push_back(
        path_errors(m, dataset_sampler(settings.data), &net, options).velocity_error.overall);
  }
  INFO("velocity error after 50, 300, 1200 steps: " << errors[0] << ", " << errors[1] << ", "
                                                    << errors[2]);
  CHECK(errors[1] < errors[0]);
  CHECK(errors[2] < errors[1]);
  CHECK(errors[2] < 0.5 * errors[0]);
}
