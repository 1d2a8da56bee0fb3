#include <catch2/catch.hpp>

#include <cmath>

#include "flow/datasets.hpp"

using namespace minflow;
using namespace minflow::flow;

TEST_CASE("the Gaussian has mean 0 and variance scale²", "[data]") {
  Generator gen(0, "data");
  Array<float> x = gaussian(gen, 20000, 2.0);
  double mean = 0, var = 0;
  for (float v : x)
    mean += v;
  mean /= double(x.size());
  for (float v : x)
    var += (v - mean) * (v - mean);
  var /= double(x.size());
  CHECK(mean == Approx(0.0).margin(0.05));
  CHECK(var == Approx(4.0).epsilon(0.03));
}

TEST_CASE("the spiral's radius grows with its angle up to 3", "[data]") {
  Generator gen(0, "data");
  Array<float> x = spiral(gen, 5000);
  double max_r = 0;
  for (std::size_t i = 0; i < 5000; ++i)
    max_r = std::max(max_r, std::hypot(double(x(i, 0)), double(x(i, 1))));
  CHECK(max_r > 2.8);
  CHECK(max_r < 3.5);  // radius ≤ 3 plus noise of σ 0.1
}

TEST_CASE("every target set fits the plot window and repeats with its seed", "[data]") {
  for (const std::string& name : dataset_names()) {
    Generator a(5, "data"), b(5, "data");
    Array<float> x = sample_dataset(name, a, 2000), y = sample_dataset(name, b, 2000);
    CHECK(bool(x == y));
    std::size_t outside = 0;
    for (float v : x)
      outside += std::abs(v) > 3.14159f;
    INFO(name);
    CHECK(outside < 20);  // only noise tails may leave [−π, π]²
  }
  Generator gen(0);
  CHECK_THROWS_WITH(sample_dataset("swissroll", gen, 10),
                    Catch::Contains("unknown data set 'swissroll'"));
}
