#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "base/random.hpp"
#include "flow/time_sampler.hpp"
#include "flow/time_warp.hpp"

using namespace minflow;
using namespace minflow::flow;

TEST_CASE("warp fixes the ends, has slope s at 1/2 and is monotone", "[warp]") {
  for (int tenth = 0; tenth <= 15; ++tenth) {
    const double s = tenth / 10.0;
    INFO("s = " << s);
    CHECK(warp_time(0.0, s) == Approx(0.0).margin(1e-15));
    CHECK(warp_time(1.0, s) == Approx(1.0));
    CHECK(warp_time_derivative(0.5, s) == Approx(s).margin(1e-12));
    double previous = 0.0;
    for (int k = 1; k <= 1000; ++k) {
      const double w = warp_time(k / 1000.0, s);
      CHECK(w >= previous);
      previous = w;
    }
  }
  for (double t : {0.0, 0.13, 0.5, 0.77, 1.0})
    CHECK(warp_time(t, 1.0) == Approx(t));
  CHECK_THROWS_WITH(warp_time(0.5, 1.6), Catch::Contains("s must be in [0, 1.5]"));
  CHECK_THROWS(warp_time(0.5, -0.1));
}

TEST_CASE("the warped sampler's histogram matches 1/warp'(warp^-1(t))", "[warp]") {
  // Chi-square goodness of fit with 20 bins at a fixed seed: the expected count of a bin is
  // n·∫ p(t) dt = n·(warp⁻¹(b) − warp⁻¹(a)), the exact mass under the warped density.
  const double s = 0.5;
  const TimeSampler sampler = warped_time(s);
  Generator gen(7, "chi2");
  const int n = 20000, bins = 20;
  std::vector<int> count(bins, 0);
  for (int i = 0; i < n; ++i)
    count[std::min(bins - 1, int(sampler.sample(gen) * bins))]++;
  double chi2 = 0;
  for (int b = 0; b < bins; ++b) {
    const double expected =
        n * (unwarp_time((b + 1.0) / bins, s) - unwarp_time(double(b) / bins, s));
    chi2 += (count[b] - expected) * (count[b] - expected) / expected;
  }
  CHECK(chi2 < 43.8);  // the 99.9% quantile of χ² with 19 degrees of freedom
  // And the tabulated density integrates to one (midpoint rule).
  double mass = 0;
  for (int k = 0; k < 1000; ++k)
    mass += sampler.density((k + 0.5) / 1000) / 1000;
  CHECK(mass == Approx(1.0).epsilon(1e-3));
  CHECK(sampler.density(0.5) == Approx(2.0));  // twice the uniform density at the middle
}

TEST_CASE("time samplers parse and reject", "[warp]") {
  CHECK(parse_time_sampler("uniform").kind == TimeSampler::Kind::uniform);
  CHECK(parse_time_sampler("warp:0.5").a == 0.5);
  auto ln = parse_time_sampler("logit-normal:0,1");
  CHECK(ln.kind == TimeSampler::Kind::logit_normal);
  CHECK(ln.to_string() == "logit-normal:0,1");
  CHECK_THROWS_WITH(parse_time_sampler("warp:2"), Catch::Contains("[0, 1.5]"));
  CHECK_THROWS_WITH(parse_time_sampler("cosine"), Catch::Contains("unknown time sampler"));
  CHECK_THROWS(parse_time_sampler("logit-normal:0,-1"));
  CHECK_THROWS(parse_time_sampler("warp:nan"));
}
