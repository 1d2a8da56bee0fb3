// The binned time sampler (--time bins:W0,W1,…): a piecewise-constant density over equal bins.
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "flow/time_sampler.hpp"

using namespace minflow;
using namespace minflow::flow;

TEST_CASE("bins: the histogram of draws matches K·w_k/Σw (chi-square)", "[time][bins]") {
  // Weights with a zero bin: no draw may land there. Sub-bins of each bin share its mass
  // equally (uniform inside a bin), so 20 histogram bins over 5 weights test both levels.
  const std::vector<double> w = {1.0, 0.0, 3.0, 0.5, 5.5};  // Σw = 10
  const TimeSampler sampler = binned_time(w);
  Generator gen(11, "bins");
  const int n = 20000, hist = 20;
  std::vector<int> count(hist, 0);
  for (int i = 0; i < n; ++i) {
    const double t = sampler.sample(gen);
    REQUIRE(t >= 0.0);
    REQUIRE(t <= 1.0);
    count[std::min(hist - 1, int(t * hist))]++;
  }
  double chi2 = 0;
  int used = 0;
  for (int b = 0; b < hist; ++b) {
    const double expected = n * w[b / 4] / 10.0 / 4.0;
    if (expected == 0.0) {
      CHECK(count[b] == 0);
      continue;
    }
    chi2 += (count[b] - expected) * (count[b] - expected) / expected;
    ++used;
  }
  CHECK(used == 16);
  CHECK(chi2 < 37.7);  // the 99.9% quantile of χ² with 15 degrees of freedom
}

TEST_CASE("bins: density, inverse CDF at the bin edges, round trip", "[time][bins]") {
  const TimeSampler s = parse_time_sampler("bins:1,3");
  REQUIRE(s.kind == TimeSampler::Kind::bins);
  CHECK(s.density(0.25) == Approx(0.5));  // K·w/Σw = 2·1/4
  CHECK(s.density(0.75) == Approx(1.5));
  CHECK(s.density(1.0) == Approx(1.5));  // t = 1 belongs to the last bin
  CHECK(s.density(1.5) == 0.0);
  // The midpoint rule integrates the density to one.
  double mass = 0;
  for (int i = 0; i < 1000; ++i)
    mass += s.density((i + 0.5) / 1000) / 1000;
  CHECK(mass == Approx(1.0).epsilon(1e-12));
  // Equal weights are the uniform sampler, draw for draw: t = u.
  Generator g1(3, "t"), g2(3, "t");
  const TimeSampler even = binned_time({2.0, 2.0, 2.0, 2.0});
  for (int i = 0; i < 100; ++i)
    CHECK(even.sample(g1) == Approx(g2.uniform_double()).margin(1e-15));
  // to_string reads back to the same weights, exactly.
  const TimeSampler odd = binned_time({0.1, 1.0 / 3.0, 2e-7});
  CHECK(parse_time_sampler(odd.to_string()).weights == odd.weights);
  CHECK(parse_time_sampler("bins:1,3").to_string() == "bins:1,3");
}

TEST_CASE("bins: bad weights are refused with the reason", "[time][bins]") {
  CHECK_THROWS_WITH(parse_time_sampler("bins:"), Catch::Contains("bins needs numbers"));
  CHECK_THROWS_WITH(parse_time_sampler("bins:1,,2"), Catch::Contains("bins needs numbers"));
  CHECK_THROWS_WITH(parse_time_sampler("bins:1,-2"),
                    Catch::Contains("weight 1 must be finite and >= 0"));
  CHECK_THROWS_WITH(parse_time_sampler("bins:0,0"), Catch::Contains("sum to 0"));
  CHECK_THROWS_WITH(binned_time(std::vector<double>(101, 1.0)),
                    Catch::Contains("1 to 100 weights, got 101"));
  CHECK_THROWS_WITH(parse_time_sampler("cosine"), Catch::Contains("bins:W0,W1"));
}
