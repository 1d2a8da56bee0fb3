// Exact W2 and path energy against known answers.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "base/random.hpp"
#include "flow/datasets.hpp"
#include "flow/transport_metrics.hpp"

using namespace minflow;
using namespace minflow::flow;

TEST_CASE("W2 between a set and its translate is the shift's length", "[transport]") {
  Generator gen(1, "w2");
  const Array<float> x = spiral(gen, 400);
  Array<float> y = x;
  for (std::size_t i = 0; i < 400; ++i) {
    y(i, 0) += 0.75f;
    y(i, 1) -= 1.0f;
  }
  CHECK(exact_w2(x, y) == Approx(1.25).epsilon(1e-5));
  CHECK(exact_w2(x, x) == 0.0);
}

TEST_CASE("W2 of points on a line is the sorted matching", "[transport]") {
  // In 1-D the optimal pairing matches the i-th smallest with the i-th smallest.
  Generator gen(2, "w2");
  const std::size_t n = 300;
  Array<float> x = Array<float>::from_shape({n, 2}), y = Array<float>::from_shape({n, 2});
  std::vector<double> a(n), b(n);
  for (std::size_t i = 0; i < n; ++i) {
    x(i, 0) = float(gen.normal()), x(i, 1) = 0.0f;
    y(i, 0) = float(3.0 * gen.uniform_double()), y(i, 1) = 0.0f;
    a[i] = x(i, 0), b[i] = y(i, 0);
  }
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  double s = 0;
  for (std::size_t i = 0; i < n; ++i)
    s += (a[i] - b[i]) * (a[i] - b[i]);
  CHECK(exact_w2(x, y) == Approx(std::sqrt(s / n)).epsilon(1e-12));
}

TEST_CASE("path energy of known fields", "[transport]") {
  Generator gen(3, "pe");
  const Array<float> x0 = gaussian(gen, 200);
  // A constant velocity c moves every point straight by c: PE = ‖c‖², which is also W2²
  // between x0 and its image, so NPE = 0.
  VelocityField<float> constant = [](const Array<float>& x, double) {
    Array<float> v = Array<float>::from_shape(x.shape());
    for (std::size_t i = 0; i < x.shape()[0]; ++i)
      v(i, 0) = 0.6f, v(i, 1) = -0.8f;
    return v;
  };
  const double pe = path_energy(constant, x0);
  CHECK(pe == Approx(1.0).epsilon(1e-6));
  Array<float> x1 = x0;
  for (std::size_t i = 0; i < 200; ++i)
    x1(i, 0) += 0.6f, x1(i, 1) -= 0.8f;
  const double w2 = exact_w2(x0, x1);
  CHECK(normalized_path_energy(pe, w2 * w2) == Approx(0.0).margin(1e-5));
  // v = t·c: ∫ t²‖c‖² dt = ‖c‖²/3, Euler's left sum Σ h (kh)² = (1 − h)(2 − h)/6 exactly.
  VelocityField<float> growing = [](const Array<float>& x, double t) {
    Array<float> v = Array<float>::from_shape(x.shape());
    for (std::size_t i = 0; i < x.shape()[0]; ++i)
      v(i, 0) = float(t), v(i, 1) = 0.0f;
    return v;
  };
  const double h = 0.01;
  CHECK(path_energy(growing, x0) == Approx((1 - h) * (2 - h) / 6).epsilon(1e-6));
  CHECK_THROWS_WITH(normalized_path_energy(1.0, 0.0), Catch::Contains("W2"));
  CHECK_THROWS_WITH(exact_w2(x0, gaussian(gen, 10)), Catch::Contains("same n"));
}

#include "flow/ot_coupling.hpp"

TEST_CASE("couplings parse, print and re-pair a batch", "[coupling]") {
  CHECK(parse_coupling("independent").to_string() == "independent");
  CHECK(parse_coupling("ot").to_string() == "ot");
  CHECK(parse_coupling("sinkhorn:0.05").epsilon == 0.05);
  CHECK(parse_coupling(parse_coupling("sinkhorn:0.05").to_string()).epsilon == 0.05);
  for (const char* bad :
       {"OT", "sinkhorn", "sinkhorn:", "sinkhorn:-1", "sinkhorn:0", "sinkhorn:nan", "sinkhorn:1x"})
    CHECK_THROWS_AS(parse_coupling(bad), std::invalid_argument);

  Generator gen(5, "coupling");
  Array<float> x0 = gaussian(gen, 128), x1 = eight_gaussians(gen, 128);
  auto mean_sq = [](const Array<float>& a, const Array<float>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.shape()[0]; ++i)
      s += std::pow(a(i, 0) - b(i, 0), 2) + std::pow(a(i, 1) - b(i, 1), 2);
    return s / double(a.shape()[0]);
  };
  const double w2 = exact_w2(x0, x1);
  const double random_pairs = mean_sq(x0, x1);
  Array<float> a0 = x0, a1 = x1;
  apply_coupling(parse_coupling("ot"), a0, a1, gen);
  CHECK(bool(a0 == x0));                                    // sources stay in place
  CHECK(mean_sq(a0, a1) == Approx(w2 * w2).epsilon(1e-6));  // pairs are the optimal ones
  CHECK(mean_sq(a0, a1) < 0.5 * random_pairs);
  Array<float> s0 = x0, s1 = x1;
  apply_coupling(parse_coupling("sinkhorn:0.001"), s0, s1, gen);
  CHECK(mean_sq(s0, s1) < 1.2 * w2 * w2);  // nearly optimal pairs, drawn with replacement
}

#include "flow/coupling.hpp"
#include "flow/trainer.hpp"

TEST_CASE("source, sigma and coupling go to config.txt; old configs load defaults", "[coupling]") {
  TrainSettings s;
  s.source = "moons";
  s.sigma = 0.1;
  s.coupling = parse_coupling("sinkhorn:0.02");
  nn::Config config;
  s.write_to(config);
  config.set("steps_done", std::size_t(0));
  const TrainSettings back = TrainSettings::from_config(config);
  CHECK(back.source == "moons");
  CHECK(back.sigma == 0.1);
  CHECK(back.coupling.to_string() == "sinkhorn:0.02");
  CHECK(back.resume_mismatch(s).empty());
  TrainSettings other = s;
  other.coupling = parse_coupling("ot");
  CHECK(other.resume_mismatch(s).find("coupling") != std::string::npos);

  // A checkpoint written before these keys existed: rebuild its config without them.
  nn::Config old;
  for (const auto& [key, value] : config.entries())
    if (key != "source" && key != "sigma" && key != "coupling") old.set(key, value);
  const TrainSettings legacy = TrainSettings::from_config(old);
  CHECK(legacy.source == "gaussian");
  CHECK(legacy.sigma == 0.0);
  CHECK(legacy.coupling.kind == Coupling::Kind::independent);
  nn::Config bad = config;
  bad.set("source", "nowhere");
  CHECK_THROWS_WITH(TrainSettings::from_config(bad), Catch::Contains("unknown source"));
}

TEST_CASE("path noise sigma spreads x_t around the line, the target stays x1 - x0", "[coupling]") {
  Generator gen(8, "sigma");
  const std::size_t n = 20000;
  const Array<float> x0 = gaussian(gen, n), x1 = moons(gen, n);
  Generator time_a(1, "t"), time_b(1, "t");
  const FlowBatch plain = make_flow_batch(x0, x1, uniform_time(), time_a);
  const FlowBatch noisy = make_flow_batch(x0, x1, uniform_time(), time_b, 0.3);
  double sum = 0, sum_sq = 0;
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(noisy.t(i, 0) == plain.t(i, 0));  // t is drawn first, from the same stream
    for (std::size_t d = 0; d < 2; ++d) {
      REQUIRE(noisy.u(i, d) == plain.u(i, d));
      const double e = double(noisy.xt(i, d)) - plain.xt(i, d);
      sum += e;
      sum_sq += e * e;
    }
  }
  CHECK(sum / (2 * n) == Approx(0.0).margin(0.01));
  CHECK(std::sqrt(sum_sq / (2 * n)) == Approx(0.3).epsilon(0.02));
}
