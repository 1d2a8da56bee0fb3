// Chapters 10 and 11: the exact field of a finite mixture, precision and recall by k-NN balls,
// the divergence by two vector-Jacobian products, Hutchinson's estimator.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "autograd/ops.hpp"
#include "course_test.hpp"
#include "flow/datasets.hpp"
#include "flow/divergence.hpp"
#include "flow/exact_field.hpp"
#include "flow/exact_reference.hpp"
#include "flow/support_metrics.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

GaussianMixture mixture(std::vector<double> mx, std::vector<double> my, std::vector<double> s2,
                        std::vector<double> w) {
  GaussianMixture m;
  m.mx = mx;
  m.my = my;
  m.s2 = s2;
  for (double wk : w)
    m.log_w.push_back(std::log(wk));
  m.name = "test";
  return m;
}

Array<float> points(std::vector<float> v) {
  return Tensor::from_vector(v, {v.size() / 2, 2}).value();
}

// v(x, y, t) = (x² + tanh(x + y) + t, eˣ + y² + y), written with ops whose backward is no
// exercise (add, square, tanh, exp, slice, concat). J = [[2x + sech², sech²], [eˣ, 2y + 1]].
TensorField<double> test_field() {
  return [](const DTensor& p, double t) {
    const DTensor x = slice(p, 1, 0, 1), y = slice(p, 1, 1, 2);
    return concat<double>({square(x) + tanh(x + y) + t, exp(x) + square(y) + y}, 1);
  };
}
struct Jacobian {
  double j11, j12, j21, j22;
};
Jacobian test_jacobian(double x, double y) {
  const double sech2 = 1.0 / (std::cosh(x + y) * std::cosh(x + y));
  return {2 * x + sech2, sech2, std::exp(x), 2 * y + 1};
}
const Array<double> kRows = {{0.3, -0.8}, {-1.1, 0.4}, {0.9, 1.2}};

}  // namespace

TEST_CASE("exercise 10.1: the exact field of a finite mixture", "[ex10.1]") {
  // One component N((2, −1), 0.25·I): u* = μ + (t s² − (1 − t))/σ² · (x − t μ), σ² = (1 − t)² + t²
  // s².
  const GaussianMixture one = mixture({2.0}, {-1.0}, {0.25}, {1.0});
  const double t = 0.4, var = 0.36 + 0.16 * 0.25, slope = (0.4 * 0.25 - 0.6) / var;
  const auto u = exact_velocity_at(one, 0.5, 0.7, t);
  const double ex = 2.0 + slope * (0.5 - 0.8), ey = -1.0 + slope * (0.7 + 0.4);
  if (std::abs(u[0] - 2.0) < 1e-12 && std::abs(u[1] + 1.0) < 1e-12)
    FAIL(
        "one component gives u* = μ + slope·(x − tμ), not μ alone: the pair's x1 − x0 still "
        "depends on where x_t is (yours returned μ = (2, −1))");
  INFO("one component N((2,-1), 0.25 I) at x = (0.5, 0.7), t = 0.4: u* = ("
       << ex << ", " << ey << "), got (" << u[0] << ", " << u[1] << ")");
  CHECK(std::abs(u[0] - ex) < 1e-12);
  CHECK(std::abs(u[1] - ey) < 1e-12);

  // Two mirrored components of equal weight: at the mirror line the posterior is ½ each.
  const GaussianMixture two = mixture({1.0, -1.0}, {0.0, 0.0}, {0.1, 0.1}, {0.5, 0.5});
  const auto mid = exact_velocity_at(two, 0.0, 0.3, 0.5);
  INFO("(±1, 0) mirrored: at x = (0, 0.3) the x-components cancel, got " << mid[0]);
  CHECK(std::abs(mid[0]) < 1e-12);

  // Far from the data late in t every weight exp(l_k) is 0 in double: only log-sum-exp works.
  const GaussianMixture far = mixture({0.0, 1.0}, {0.0, 0.0}, {1e-4, 1e-4}, {0.5, 0.5});
  const auto f = exact_velocity_at(far, 30.0, 0.0, 0.99);
  if (!std::isfinite(f[0]) || !std::isfinite(f[1]))
    FAIL(
        "at x = (30, 0), t = 0.99 every exp(l_k) underflows to 0 and 0/0 is NaN: subtract the "
        "largest log-weight before exp (log-sum-exp)");
  // There the nearer component (1, 0) holds all the weight.
  const double v99 = 0.0001 + 0.99 * 0.99 * 1e-4, s99 = (0.99 * 1e-4 - 0.01) / v99;
  INFO("at x = (30, 0), t = 0.99 the component at (1, 0) holds all the weight: u*_x = "
       << 1.0 + s99 * (30.0 - 0.99) << ", got " << f[0]);
  CHECK(std::abs(f[0] - (1.0 + s99 * (30.0 - 0.99))) < 1e-9 * std::abs(f[0]));

  // Against the library's vectorised field (no exercise): the eight Gaussians, and two
  // components of different widths, where the −log(2π σ_k²) terms no longer cancel.
  const GaussianMixture eight = target_mixture("eight_gaussians");
  const GaussianMixture uneven = mixture({-1.0, 1.5}, {0.5, -0.3}, {0.04, 0.5}, {0.3, 0.7});
  const Array<double> x = {{0.3, -1.2}, {2.5, 0.1}, {-1.0, 1.9}, {0.0, 0.0}};
  for (double time : {0.0, 0.3, 0.8, 0.97}) {
    const Array<double> expect = exact_velocity(eight, x, time);
    const Array<double> expect_uneven = exact_velocity(uneven, x, time);
    for (std::size_t r = 0; r < 4; ++r) {
      const auto got = exact_velocity_at(uneven, x(r, 0), x(r, 1), time);
      INFO("two components of variances 0.04 and 0.5 at t = "
           << time << ", row " << r << ": expected (" << expect_uneven(r, 0) << ", "
           << expect_uneven(r, 1) << "), got (" << got[0] << ", " << got[1]
           << "): the posterior P(k | x) ∝ w_k N(x; tμ_k, σ_k² I) needs the −log(2π σ_k²) "
              "term when the σ_k differ");
      CHECK(std::abs(got[0] - expect_uneven(r, 0)) < 1e-9);
      CHECK(std::abs(got[1] - expect_uneven(r, 1)) < 1e-9);
    }
    for (std::size_t r = 0; r < 4; ++r) {
      const auto got = exact_velocity_at(eight, x(r, 0), x(r, 1), time);
      INFO("eight Gaussians at t = " << time << ", row " << r << ": expected (" << expect(r, 0)
                                     << ", " << expect(r, 1) << "), got (" << got[0] << ", "
                                     << got[1] << ")");
      CHECK(std::abs(got[0] - expect(r, 0)) < 1e-9);
      CHECK(std::abs(got[1] - expect(r, 1)) < 1e-9);
    }
  }
}

TEST_CASE("exercise 10.2: precision and recall by k-NN balls", "[ex10.2]") {
  // The same set on both sides: every point lies in its own ball.
  const Array<float> set = points({0, 0, 1, 0, 0, 1, 1, 1, 0.5f, 0.5f});
  const PrecisionRecall same = precision_recall(set, knn_balls(set, 1));
  INFO("a set against itself: precision = recall = 1, got " << same.precision << ", "
                                                            << same.recall);
  CHECK(same.precision == 1.0);
  CHECK(same.recall == 1.0);
  // A tight target (balls of radius 0.01) and spread samples (balls of radius about 1), one of
  // them on the target: precision 1/4 (one sample in the target's balls), recall 1 (every
  // target point within 1 of the sample at the origin).
  const Array<float> target = points({0, 0, 0.01f, 0, 0, 0.01f, 0.01f, 0.01f});
  const Array<float> samples = points({0.001f, 0.001f, 1, 0, 0, 1, -1, 0});
  const PrecisionRecall pr = precision_recall(samples, knn_balls(target, 1));
  if (std::abs(pr.precision - 1.0) < 1e-12 && std::abs(pr.recall - 0.25) < 1e-12)
    FAIL(
        "precision and recall are swapped: precision is the share of SAMPLES inside the "
        "target's balls (1 of 4 here), recall the share of TARGET points inside the samples' "
        "balls (all 4)");
  INFO("tight target, spread samples: precision = 0.25, got " << pr.precision);
  CHECK(std::abs(pr.precision - 0.25) < 1e-12);
  if (pr.recall < 0.9)
    FAIL("recall = " << pr.recall
                     << ", expected 1: the samples' balls have the samples' own "
                        "radii (their k-th neighbour among the samples, about 1 here), not the "
                        "target's");
  CHECK(pr.recall == 1.0);

  // Random sets against brute force.
  Generator gen(3, "pr");
  const Array<float> a = gaussian(gen, 60), b = gaussian(gen, 50, 1.5);
  auto radii = [](const Array<float>& s, std::size_t k) {
    std::vector<double> r(s.shape()[0]);
    for (std::size_t i = 0; i < r.size(); ++i) {
      std::vector<double> d;
      for (std::size_t j = 0; j < r.size(); ++j)
        if (j != i)
          d.push_back(std::pow(double(s(i, 0)) - s(j, 0), 2) +
                      std::pow(double(s(i, 1)) - s(j, 1), 2));
      std::sort(d.begin(), d.end());
      r[i] = d[k - 1];
    }
    return r;
  };
  auto share = [](const Array<float>& x, const Array<float>& c, const std::vector<double>& r) {
    double in = 0;
    for (std::size_t i = 0; i < x.shape()[0]; ++i) {
      bool inside = false;
      for (std::size_t j = 0; j < c.shape()[0]; ++j)
        inside =
            inside ||
            std::pow(double(x(i, 0)) - c(j, 0), 2) + std::pow(double(x(i, 1)) - c(j, 1), 2) <= r[j];
      in += inside;
    }
    return in / double(x.shape()[0]);
  };
  const PrecisionRecall got = precision_recall(a, knn_balls(b, 3));
  const double precision = share(a, b, radii(b, 3)), recall = share(b, a, radii(a, 3));
  INFO("60 samples, 50 target points, k = 3: brute force gives precision "
       << precision << ", recall " << recall << "; yours " << got.precision << ", " << got.recall);
  CHECK(got.precision == precision);
  CHECK(got.recall == recall);
}

TEST_CASE("exercise 11.1: the divergence as two vector-Jacobian products", "[ex11.1]") {
  const FieldDivergence<double> d = divergence(test_field(), kRows, 0.25);
  REQUIRE(d.divergence.size() == 3);
  for (std::size_t r = 0; r < 3; ++r) {
    const double x = kRows(r, 0), y = kRows(r, 1);
    const Jacobian j = test_jacobian(x, y);
    const double exact = j.j11 + j.j22;
    const double got = d.divergence(r);
    if (std::abs(got - (j.j11 + j.j12 + j.j21 + j.j22)) < 1e-9)
      FAIL("row " << r << ": " << got
                  << " is the sum of ALL four Jacobian entries: the pass "
                     "seeded with e_i gives ∂v_i/∂(x, y); keep only column i, "
                     "the diagonal entry ∂v_i/∂x_i");
    if (std::abs(got - j.j11) < 1e-9)
      FAIL("row " << r << ": " << got << " is ∂v_x/∂x alone: add the second pass's ∂v_y/∂y");
    if (std::abs(got - 2 * j.j11) < 1e-9 || std::abs(got - (j.j11 + j.j21 + j.j11)) < 1e-9)
      FAIL("row " << r
                  << ": the second pass added the first pass's gradient again: zero the "
                     "leaf's gradient before each backward (backward accumulates)");
    INFO("row " << r << " (" << x << ", " << y << "): ∇·v = ∂v_x/∂x + ∂v_y/∂y = " << exact
                << ", got " << got);
    CHECK(std::abs(got - exact) < 1e-12);
    INFO("v itself comes back beside the divergence");
    CHECK(std::abs(d.v(r, 1) - (std::exp(x) + y * y + y)) < 1e-12);
  }
  // A field that ignores x has no graph to x: ∇·v = 0, and no backward to run.
  const TensorField<double> constant = [](const DTensor& p, double) {
    return DTensor::full({p.shape()[0], 2}, 1.5);
  };
  const FieldDivergence<double> c = divergence(constant, kRows, 0.5);
  INFO("v = (1.5, 1.5) does not depend on x (v.requires_grad() is false): ∇·v = 0");
  CHECK(course::max_diff(c.divergence, Array<double>(xt::zeros<double>({3}))) == 0.0);
}

TEST_CASE("exercise 11.2: Hutchinson's estimator", "[ex11.2]") {
  CHECK_THROWS_AS(
      [] {
        Generator g(1, "probes");
        return hutchinson_divergence(test_field(), kRows, 0.25, 0, g);
      }(),
      std::invalid_argument);
  Generator gen(9, "probes"), replay(9, "probes");
  const std::size_t probes = 4;
  const HutchinsonEstimate<double> h =
      hutchinson_divergence(test_field(), kRows, 0.25, probes, gen);
  REQUIRE(h.estimates.shape()[0] == probes);
  REQUIRE(h.estimates.shape()[1] == 3);
  bool varies = false;
  for (std::size_t k = 0; k < probes; ++k) {
    for (std::size_t r = 0; r < 3; ++r) {
      const double e1 = (replay.next_u32() & 1u) ? 1.0 : -1.0;
      const double e2 = (replay.next_u32() & 1u) ? 1.0 : -1.0;
      const Jacobian j = test_jacobian(kRows(r, 0), kRows(r, 1));
      const double expect = j.j11 + j.j22 + e1 * e2 * (j.j12 + j.j21);
      const double got = h.estimates(k, r);
      if (k == 0 && r == 0 && std::abs(got - (j.j11 + j.j22)) < 1e-9 &&
          std::abs(expect - got) > 1e-9)
        FAIL(
            "the estimate is the exact trace: εᵀJε = J11 + J22 + ε1ε2(J12 + J21) carries the "
            "off-diagonal term; seed the backward pass with ε itself, not with e_1 and e_2");
      INFO("probe " << k << ", row " << r << " with ε = (" << e1 << ", " << e2
                    << ") drawn probe by probe, row by row, coordinate by coordinate: εᵀJε = "
                    << expect << ", got " << got);
      CHECK(std::abs(got - expect) < 1e-12);
      varies = varies || std::abs(got - h.estimates(0, r)) > 1e-6;
    }
  }
  INFO("the probes must differ (a fresh ε for every probe)");
  CHECK(varies);
  for (std::size_t r = 0; r < 3; ++r) {
    double mean = 0;
    for (std::size_t k = 0; k < probes; ++k)
      mean += h.estimates(k, r) / double(probes);
    INFO("the estimator is the mean over the probes: row " << r << " expected " << mean << ", got "
                                                           << h.mean(r));
    CHECK(std::abs(h.mean(r) - mean) < 1e-12);
  }
}
