// Chapter 7's exercises: the warp, its derivative, the logit-normal sampler and density.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "course_test.hpp"
#include "flow/time_sampler.hpp"
#include "flow/time_warp.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
double reference_warp(double t, double s) {
  return 4 * (1 - s) * t * t * t + 6 * (s - 1) * t * t + (3 - 2 * s) * t;
}
}  // namespace

TEST_CASE("exercise 7.1: the warp", "[ex7.1]") {
  for (double s : {0.0, 0.5, 1.0, 1.5}) {
    {
      INFO("s = " << s << ": the warp must keep the ends, w(0) = 0 and w(1) = 1");
      CHECK(std::abs(warp_time(0.0, s)) < 1e-12);
      CHECK(std::abs(warp_time(1.0, s) - 1.0) < 1e-12);
    }
    for (double t : {0.1, 0.25, 0.5, 0.8}) {
      const double got = warp_time(t, s), expect = reference_warp(t, s);
      if (s != 1.0 && t != 0.5 && std::abs(got - t) < 1e-12)
        FAIL("w(" << t << "; " << s << ") returned t itself: only s = 1 is the identity");
      INFO("w(" << t << "; s = " << s << ") = 4(1 − s)t³ + 6(s − 1)t² + (3 − 2s)t = " << expect
                << ", got " << got);
      CHECK(std::abs(got - expect) < 1e-12);
    }
  }
  INFO("an s outside [0, 1.5] must throw std::invalid_argument (check_warp_s)");
  CHECK_THROWS_AS(warp_time(0.5, 2.0), std::invalid_argument);
}

TEST_CASE("exercise 7.2: the warp's derivative (its density)", "[ex7.2]") {
  for (double s : {0.0, 0.5, 1.0, 1.5}) {
    {
      INFO("s = " << s << ": w'(0) = w'(1) = 3 − 2s");
      CHECK(std::abs(warp_time_derivative(0.0, s) - (3 - 2 * s)) < 1e-12);
    }
    for (double t : {0.1, 0.3, 0.5, 0.9}) {
      const double h = 1e-6;
      const double fd = (reference_warp(t + h, s) - reference_warp(t - h, s)) / (2 * h);
      const double got = warp_time_derivative(t, s);
      INFO("w'(" << t << "; s = " << s << ") should be " << fd << " (finite differences), got "
                 << got);
      CHECK(std::abs(got - fd) < 1e-7);
    }
  }
  // With s = 0.5 the warp is slow around ½ (w'(½) = 0.5): warped times crowd there at
  // density 1/w' = 2.
  INFO("w'(½; 0.5) = 0.5: times drawn as w(U) have density 1/0.5 = 2 at ½");
  CHECK(std::abs(warp_time_derivative(0.5, 0.5) - 0.5) < 1e-12);
  CHECK_THROWS_AS(warp_time_derivative(0.5, -0.1), std::invalid_argument);
}

TEST_CASE("exercise 7.3: the logit-normal sampler", "[ex7.3]") {
  const double m = 0.5, s = 0.8;
  const TimeSampler sampler = logit_normal_time(m, s);
  Generator gen(9, "time"), ref(9, "time");
  double mean_logit = 0, first = -1;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double t = sampler.sample(gen);
    const double expect = 1 / (1 + std::exp(-(m + s * ref.normal())));
    if (i == 0) first = t;
    if (!(t > 0 && t < 1)) FAIL("draw " << i << " is t = " << t << ", outside (0, 1)");
    if (std::abs(t - expect) > 1e-12)
      FAIL("draw " << i << " is " << t << ", the reference gives " << expect
                   << " (one z = gen.normal() per draw, t = 1/(1 + e^−(m + s·z)))");
    mean_logit += std::log(t / (1 - t)) / n;
  }
  INFO("logit(t) must be N(m, s²): its mean over " << n << " draws is " << mean_logit
                                                   << ", m = " << m << "; first draw " << first);
  CHECK(std::abs(mean_logit - m) < 0.03);
}

TEST_CASE("exercise 7.4: the logit-normal density", "[ex7.4]") {
  const double m = 0.5, s = 0.8, pi = 3.14159265358979323846;
  const TimeSampler sampler = logit_normal_time(m, s);
  for (double t : {0.05, 0.3, 0.5, 0.62, 0.95}) {
    const double y = std::log(t / (1 - t));
    const double normal = std::exp(-0.5 * (y - m) * (y - m) / (s * s)) / (s * std::sqrt(2 * pi));
    const double got = sampler.density(t), expect = normal / (t * (1 - t));
    if (std::abs(got - normal) < 1e-12)
      FAIL("p(" << t << ") = " << got << " is the normal density of logit(t) alone: the change "
                << "of variables multiplies it by |dy/dt| = 1/(t(1 − t))");
    INFO("p(" << t << ") should be N(logit t; m, s²)/(t(1 − t)) = " << expect << ", got " << got);
    CHECK(std::abs(got - expect) < 1e-9 * expect);
  }
  INFO("the density is 0 at t = 0 and t = 1 (logit is infinite there)");
  CHECK(sampler.density(0.0) == 0.0);
  CHECK(sampler.density(1.0) == 0.0);
  double integral = 0;
  for (int i = 0; i < 10000; ++i)
    integral += sampler.density((i + 0.5) / 10000) / 10000;
  INFO("a density integrates to 1 over [0, 1]; yours gives " << integral);
  CHECK(std::abs(integral - 1) < 1e-3);
}
