#include <catch2/catch.hpp>

#include <cmath>

#include "base/thread_pool.hpp"
#include "flow/datasets.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
constexpr double kPi = 3.14159265358979323846;

struct ThreadCount {
  int saved;
  explicit ThreadCount(int n) : saved(num_threads()) { set_num_threads(n); }
  ~ThreadCount() { set_num_threads(saved); }
};
}  // namespace

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

TEST_CASE("gaussian and spiral drawn by threads are the numbers of one serial loop",
          "[data][threads]") {
  const std::size_t n = 2049;
  // The definitions, drawn one row after another from one stream.
  Generator serial(3, "pairs");
  Array<float> x0 = Array<float>::from_shape({n, 2}), x1 = Array<float>::from_shape({n, 2});
  for (std::size_t i = 0; i < n; ++i) {
    x0(i, 0) = static_cast<float>(serial.normal());
    x0(i, 1) = static_cast<float>(serial.normal());
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double theta = serial.uniform(0.0, 6.0 * kPi);
    const double r = theta / (2.0 * kPi);
    const double nx = serial.normal(), ny = serial.normal();
    x1(i, 0) = static_cast<float>(r * std::cos(theta) + 0.1 * nx);
    x1(i, 1) = static_cast<float>(r * std::sin(theta) + 0.1 * ny);
  }
  for (int threads : {1, 2, 3}) {
    INFO("threads = " << threads);
    ThreadCount use(threads);
    Generator gen(3, "pairs");
    const Array<float> y0 = gaussian(gen, n), y1 = spiral(gen, n);
    CHECK((y0 == x0));
    CHECK((y1 == x1));
    CHECK(gen == serial);  // and the stream continues where the loop's does
  }
  // A stream that holds a spare normal is drawn serially, with the same result.
  Generator odd(4), odd_serial(4);
  odd.normal();
  odd_serial.normal();
  const Array<float> with_spare = gaussian(odd, 300);
  bool same = true;
  for (std::size_t i = 0; i < 300; ++i) {
    const float px = static_cast<float>(odd_serial.normal());
    const float py = static_cast<float>(odd_serial.normal());
    same = same && with_spare(i, 0) == px && with_spare(i, 1) == py;
  }
  CHECK(same);
}
