// The fast paths of the ops against their plain reference loops (ReferenceKernelsGuard), and
// their results for 1, 2 and 3 threads, which must be bitwise identical.
//
// GELU's kernel (kernels/gelu.hpp) approximates erf, so it is held to the bound: within
// 1e-6 of the double-precision std::erf form, for the value and for the derivative.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "autograd/grad_mode.hpp"
#include "autograd/kernels/gelu.hpp"
#include "autograd/ops.hpp"
#include "base/random.hpp"
#include "base/thread_pool.hpp"

using namespace minflow;

namespace {

double gelu_exact(double x) {
  return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}
double gelu_derivative_exact(double x) {
  return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0))) +
         x * std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
}

struct ThreadCount {
  int saved;
  explicit ThreadCount(int n) : saved(num_threads()) { set_num_threads(n); }
  ~ThreadCount() { set_num_threads(saved); }
};

Tensor random_tensor(Shape shape, std::uint64_t seed, float scale, bool requires_grad) {
  Generator gen(seed);
  Array<float> a = Array<float>::from_shape(shape);
  for (float& v : a)
    v = scale * static_cast<float>(gen.normal());
  return Tensor(std::move(a), requires_grad);
}

bool same_bits(const Array<float>& a, const Array<float>& b) {
  return a.shape() == b.shape() && std::equal(a.begin(), a.end(), b.begin());
}

float max_abs_diff(const Array<float>& a, const Array<float>& b) {
  float worst = 0.0f;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(a.data()[i] - b.data()[i]));
  return worst;
}

}  // namespace

TEST_CASE("gelu kernel: within 1e-6 of the double erf form, value and derivative", "[fast][gelu]") {
  std::vector<float> x;
  for (int i = -100000; i <= 100000; ++i)
    x.push_back(static_cast<float>(i) * 1e-4f);  // every 1e-4 from −10 to 10
  for (float v : {-1000.0f, -30.0f, -9.5f, 6.0f, 30.0f, 1000.0f, 0.0f, -0.0f, 1e-30f})
    x.push_back(v);
  x.push_back(0.5f);  // an odd count: the last elements take the padded path
  std::vector<float> y(x.size()), d(x.size());
  gelu_kernel(x.data(), y.data(), d.data(), x.size());
  double worst_y = 0.0, worst_d = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    INFO("x = " << x[i]);
    REQUIRE(std::isfinite(y[i]));
    REQUIRE(std::isfinite(d[i]));
    worst_y = std::max(worst_y, std::abs(double(y[i]) - gelu_exact(x[i])));
    worst_d = std::max(worst_d, std::abs(double(d[i]) - gelu_derivative_exact(x[i])));
  }
  CHECK(worst_y < 1e-6);
  CHECK(worst_d < 1e-6);
  // Without the derivative, the same values.
  std::vector<float> y2(x.size());
  gelu_kernel(x.data(), y2.data(), nullptr, x.size());
  CHECK(y == y2);
}

TEST_CASE("gelu kernel: infinities and NaN", "[fast][gelu]") {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> x = {inf, -inf, nan, -nan, 3.0f, -3.0f, 0.0f, 1.0f};
  std::vector<float> y(x.size()), d(x.size());
  gelu_kernel(x.data(), y.data(), d.data(), x.size());
  CHECK(y[0] == inf);  // x·Φ(x) → ∞
  CHECK(std::abs(d[0] - 1.0f) < 1e-6f);
  CHECK(std::abs(y[1]) < 1e-6f);  // x·Φ(x) → 0
  CHECK(std::abs(d[1]) < 1e-6f);
  CHECK(std::isnan(y[2]));  // a NaN comes out as NaN, value and derivative
  CHECK(std::isnan(d[2]));
  CHECK(std::isnan(y[3]));
  CHECK(std::isnan(d[3]));
  // The finite neighbours in the same 8-lane group are unaffected.
  CHECK(std::abs(y[4] - gelu_exact(3.0)) < 1e-6);
  CHECK(std::abs(y[5] - gelu_exact(-3.0)) < 1e-6);
}

TEST_CASE("gelu kernel: an element's result does not depend on where the range starts",
          "[fast][gelu]") {
  const Tensor x = random_tensor({1, 103}, 5, 3.0f, false);
  std::vector<float> whole(103), pieces(103);
  gelu_kernel(x.data(), whole.data(), nullptr, 103);
  for (std::size_t begin = 0; begin < 103; begin += 13)
    gelu_kernel(x.data() + begin, pieces.data() + begin, nullptr,
                std::min<std::size_t>(13, 103 - begin));
  CHECK(whole == pieces);
}

TEST_CASE("gelu op: fast path against the reference loops, forward and backward", "[fast][gelu]") {
  for (Shape shape : {Shape{37, 53}, Shape{2048, 64}, Shape{5}}) {
    const Tensor x = random_tensor(shape, 1, 2.5f, true);
    const Tensor g = random_tensor(shape, 2, 1.0f, false);
    Tensor y = gelu(x);
    y.backward(g.value());
    const Array<float> fast_y = y.value(), fast_dx = x.grad();
    x.node_ptr()->grad = Array<float>();
    Array<float> ref_y, ref_dx;
    {
      ReferenceKernelsGuard plain;
      Tensor yr = gelu(x);
      yr.backward(g.value());
      ref_y = yr.value();
      ref_dx = x.grad();
    }
    INFO("shape " << shape_to_string(shape));
    CHECK(max_abs_diff(fast_y, ref_y) < 1e-6f);
    // dx = g·gelu'(x) with |g| up to ~4: the derivative's 1e-6 scaled by g.
    CHECK(max_abs_diff(fast_dx, ref_dx) < 5e-6f);
  }
}

TEST_CASE("gelu op: bitwise identical for 1, 2 and 3 threads", "[fast][gelu][threads]") {
  const Tensor x = random_tensor({2048, 64}, 3, 2.0f, true);
  const Tensor g = random_tensor({2048, 64}, 4, 1.0f, false);
  std::vector<Array<float>> ys, dxs;
  for (int threads : {1, 2, 3}) {
    ThreadCount tc(threads);
    x.node_ptr()->grad = Array<float>();
    Tensor y = gelu(x);
    y.backward(g.value());
    ys.push_back(y.value());
    dxs.push_back(x.grad());
  }
  CHECK(same_bits(ys[0], ys[1]));
  CHECK(same_bits(ys[0], ys[2]));
  CHECK(same_bits(dxs[0], dxs[1]));
  CHECK(same_bits(dxs[0], dxs[2]));
}

TEST_CASE("an MLP step (linear, gelu, mse_loss) against the reference loops, any thread count",
          "[fast][threads]") {
  // x [300,3] → linear(3→64) → gelu → linear(64→64) → gelu → linear(64→2) → mse.
  const Tensor x = random_tensor({300, 3}, 10, 1.0f, false);
  const Tensor target = random_tensor({300, 2}, 11, 1.0f, false);
  std::vector<Tensor> params = {
      random_tensor({64, 3}, 12, 0.5f, true),  random_tensor({64}, 13, 0.1f, true),
      random_tensor({64, 64}, 14, 0.1f, true), random_tensor({64}, 15, 0.1f, true),
      random_tensor({2, 64}, 16, 0.1f, true),  random_tensor({2}, 17, 0.1f, true)};
  auto run = [&] {
    for (Tensor& p : params)
      p.node_ptr()->grad = Array<float>();
    Tensor h = gelu(linear(x, params[0], params[1]));
    h = gelu(linear(h, params[2], params[3]));
    Tensor loss = mse_loss(linear(h, params[4], params[5]), target);
    loss.backward();
    std::vector<Array<float>> out = {loss.value()};
    for (const Tensor& p : params)
      out.push_back(p.grad());
    return out;
  };
  std::vector<std::vector<Array<float>>> runs;
  for (int threads : {1, 2, 3}) {
    ThreadCount tc(threads);
    runs.push_back(run());
  }
  for (std::size_t i = 0; i < runs[0].size(); ++i) {
    INFO("output " << i);
    CHECK(same_bits(runs[0][i], runs[1][i]));
    CHECK(same_bits(runs[0][i], runs[2][i]));
  }
  std::vector<Array<float>> ref;
  {
    ReferenceKernelsGuard plain;
    ref = run();
  }
  for (std::size_t i = 0; i < ref.size(); ++i) {
    INFO("output " << i);
    float scale = 0.0f;
    for (float v : ref[i])
      scale = std::max(scale, std::abs(v));
    CHECK(max_abs_diff(runs[0][i], ref[i]) <= 1e-4f * std::max(scale, 1.0f));
  }
}
