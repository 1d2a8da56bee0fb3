// The gemm kernel against gemm_reference on awkward shapes (every transpose combination,
// sizes that are not multiples of the tile or the SIMD width, padded leading dimensions),
// bitwise reproducibility across thread counts, and the matmul and linear ops built on it.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "autograd/kernels/matmul.hpp"
#include "autograd/ops.hpp"
#include "base/random.hpp"
#include "base/thread_pool.hpp"

using namespace minflow;

namespace {

struct Problem {
  bool ta, tb;
  std::size_t m, n, k;
  bool accumulate;
  std::size_t pad = 3;  // extra columns in every stored matrix (lda > its width)

  // Stored shapes: A is [m,k] or [k,m] (ta), B is [k,n] or [n,k] (tb), C is [m,n].
  std::size_t lda() const { return (ta ? m : k) + pad; }
  std::size_t ldb() const { return (tb ? k : n) + pad; }
  std::size_t ldc() const { return n + pad; }
  std::size_t a_size() const { return (ta ? k : m) * lda(); }
  std::size_t b_size() const { return (tb ? n : k) * ldb(); }
  std::size_t c_size() const { return m * ldc(); }
};

template <class T>
std::vector<T> random_values(std::size_t size, std::uint64_t seed) {
  Generator gen(seed);
  std::vector<T> v(size);
  for (T& x : v)
    x = T(gen.uniform(-1.0, 1.0));
  return v;
}

template <class T>
std::vector<T> run_gemm(const Problem& p, const std::vector<T>& a, const std::vector<T>& b,
                        std::vector<T> c) {
  gemm<T>(p.ta, p.tb, p.m, p.n, p.k, a.data(), p.lda(), b.data(), p.ldb(), c.data(), p.ldc(),
          p.accumulate);
  return c;
}

// gemm<T> against gemm_reference<double> on the same values. Each result is a sum of k
// products (plus C), so its rounding error is at most about (k+1)·ε·Σ|terms|.
template <class T>
void check_against_reference(const Problem& p) {
  INFO("ta=" << p.ta << " tb=" << p.tb << " m=" << p.m << " n=" << p.n << " k=" << p.k
             << " accumulate=" << p.accumulate);
  const auto a = random_values<T>(p.a_size(), 1), b = random_values<T>(p.b_size(), 2);
  const auto c0 = random_values<T>(p.c_size(), 3);
  const std::vector<T> c = run_gemm(p, a, b, c0);

  auto to_double = [](const std::vector<T>& v) { return std::vector<double>(v.begin(), v.end()); };
  std::vector<double> exact = to_double(c0), scale = to_double(c0);
  std::vector<double> abs_a = to_double(a), abs_b = to_double(b);
  for (double& v : abs_a)
    v = std::abs(v);
  for (double& v : abs_b)
    v = std::abs(v);
  for (double& v : scale)
    v = std::abs(v);
  gemm_reference<double>(p.ta, p.tb, p.m, p.n, p.k, to_double(a).data(), p.lda(),
                         to_double(b).data(), p.ldb(), exact.data(), p.ldc(), p.accumulate);
  gemm_reference<double>(p.ta, p.tb, p.m, p.n, p.k, abs_a.data(), p.lda(), abs_b.data(), p.ldb(),
                         scale.data(), p.ldc(), p.accumulate);

  const double eps = std::numeric_limits<T>::epsilon();
  std::size_t bad = 0;
  for (std::size_t i = 0; i < p.m; ++i) {
    for (std::size_t j = 0; j < p.n; ++j) {
      const std::size_t at = i * p.ldc() + j;
      const double tol = double(p.k + 1) * eps * scale[at] + 1e-30;
      if (std::abs(double(c[at]) - exact[at]) > tol && bad++ < 5) {
        FAIL_CHECK("C(" << i << "," << j << ") = " << c[at] << ", expected " << exact[at]);
      }
    }
  }
  CHECK(bad == 0);
  // The padding columns of C are never written.
  for (std::size_t i = 0; i < p.m; ++i)
    for (std::size_t j = p.n; j < p.ldc(); ++j)
      REQUIRE(c[i * p.ldc() + j] == c0[i * p.ldc() + j]);
}

// The values of an array, flattened (Catch prints vectors when a comparison fails).
template <class T>
std::vector<T> flat(const Array<T>& a) {
  return std::vector<T>(a.begin(), a.end());
}

}  // namespace

TEST_CASE("gemm matches the reference on odd shapes, all transposes", "[gemm]") {
  // {m, n, k}: tiny, not multiples of 6 rows or 8/16 columns, k = 3 (the first layer),
  // narrow C (n < 6: the dot-product and transposed paths), and a k longer than one block.
  const std::vector<std::array<std::size_t, 3>> shapes = {
      {1, 1, 1},    {7, 5, 13},   {33, 31, 17}, {2048, 64, 3}, {13, 2, 64}, {100, 3, 37},
      {64, 3, 300}, {5, 40, 600}, {6, 16, 8},   {17, 9, 1},    {3, 100, 7}};
  for (const auto& s : shapes)
    for (bool ta : {false, true})
      for (bool tb : {false, true})
        for (bool acc : {false, true}) {
          check_against_reference<float>({ta, tb, s[0], s[1], s[2], acc});
          check_against_reference<double>({ta, tb, s[0], s[1], s[2], acc});
        }
}

TEST_CASE("gemm matches the reference on the tutorial MLP's products", "[gemm]") {
  // Forward y = x·Wᵀ, and backward dx = g·W, dW = gᵀ·x, for the 64-wide layers and the
  // narrow first and last layers (batch 2048).
  using InOut = std::pair<std::size_t, std::size_t>;
  for (const auto& [in, out] : std::vector<InOut>{{64, 64}, {3, 64}, {64, 2}}) {
    check_against_reference<float>({false, true, 2048, out, in, false, 0});   // y = x·Wᵀ
    check_against_reference<float>({false, false, 2048, in, out, false, 0});  // dx = g·W
    check_against_reference<float>({true, false, out, in, 2048, true, 0});    // dW += gᵀ·x
  }
}

TEST_CASE("gemm handles empty sizes", "[gemm]") {
  std::vector<float> a(4, 1.0f), b(4, 1.0f), c(4, 7.0f);
  gemm<float>(false, false, 2, 2, 0, a.data(), 1, b.data(), 2, c.data(), 2, true);
  CHECK(c == std::vector<float>(4, 7.0f));  // adds an empty sum
  gemm<float>(false, false, 2, 2, 0, a.data(), 1, b.data(), 2, c.data(), 2, false);
  CHECK(c == std::vector<float>(4, 0.0f));  // C = empty sum = 0
  gemm<float>(false, false, 0, 2, 2, a.data(), 2, b.data(), 2, c.data(), 2, false);
}

TEST_CASE("gemm results are bitwise identical for 1, 2 and 3 threads", "[gemm]") {
  const int saved = num_threads();
  const std::vector<Problem> problems = {{false, true, 2048, 64, 64, false, 0},
                                         {true, false, 64, 64, 2048, false, 0},
                                         {false, true, 2048, 2, 64, false, 0},
                                         {true, false, 64, 3, 2048, true, 0},
                                         {false, false, 999, 33, 17, true, 1}};
  for (const Problem& p : problems) {
    const auto a = random_values<float>(p.a_size(), 4), b = random_values<float>(p.b_size(), 5);
    const auto c0 = random_values<float>(p.c_size(), 6);
    set_num_threads(1);
    const std::vector<float> one = run_gemm(p, a, b, c0);
    for (int threads : {2, 3}) {
      set_num_threads(threads);
      const std::vector<float> many = run_gemm(p, a, b, c0);
      INFO("m=" << p.m << " n=" << p.n << " k=" << p.k << ", " << threads << " threads");
      CHECK(std::memcmp(one.data(), many.data(), one.size() * sizeof(float)) == 0);
    }
  }
  set_num_threads(saved);
}

// ---- the ops ----------------------------------------------------------------------------

TEST_CASE("matmul multiplies matrices and batches of matrices", "[matmul]") {
  Tensor a = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = Tensor::from_vector({7, 8, 9, 10, 11, 12}, {3, 2});
  Tensor c = matmul(a, b);
  CHECK(c.shape() == Shape{2, 2});
  CHECK(flat(c.value()) == std::vector<float>{58, 64, 139, 154});

  // Batch 0 is the product above; batch 1 is the identity times b's first 2 rows.
  DTensor ba = DTensor::from_vector({1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0}, {2, 2, 3});
  DTensor bb = DTensor::from_vector({7, 8, 9, 10, 11, 12, 7, 8, 9, 10, 11, 12}, {2, 3, 2});
  DTensor bc = matmul(ba, bb);
  CHECK(bc.shape() == Shape{2, 2, 2});
  CHECK(flat(bc.value()) == std::vector<double>{58, 64, 139, 154, 7, 8, 9, 10});
}

TEST_CASE("matmul gradients: dA = G·Bᵀ, dB = Aᵀ·G", "[matmul]") {
  DTensor a = DTensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3}, true);
  DTensor b = DTensor::from_vector({7, 8, 9, 10, 11, 12}, {3, 2}, true);
  matmul(a, b).backward(Array<double>{{1, 0}, {0, 2}});
  CHECK(flat(a.grad()) == std::vector<double>{7, 9, 11, 16, 20, 24});
  CHECK(flat(b.grad()) == std::vector<double>{1, 8, 2, 10, 3, 12});
}

TEST_CASE("linear computes x·Wᵀ + b and its gradients", "[linear]") {
  Tensor x = Tensor::from_vector({1, 2, 3, -1}, {2, 2}, true);
  Tensor w = Tensor::from_vector({1, 0, 0, 1, 1, 1}, {3, 2}, true);
  Tensor b = Tensor::from_vector({0.5f, -1, 2}, {3}, true);
  Tensor y = linear(x, w, b);
  CHECK(y.shape() == Shape{2, 3});
  CHECK(flat(y.value()) == std::vector<float>{1.5f, 1, 5, 3.5f, -2, 4});
  y.backward(Array<float>{{1, 2, 3}, {-1, 0, 1}});
  CHECK(flat(x.grad()) == std::vector<float>{4, 5, 0, 1});         // G·W
  CHECK(flat(w.grad()) == std::vector<float>{-2, 3, 2, 4, 6, 5});  // Gᵀ·x
  CHECK(flat(b.grad()) == std::vector<float>{0, 2, 4});            // column sums of G
}

TEST_CASE("matmul and linear name the shapes they cannot use", "[matmul][linear]") {
  CHECK_THROWS_WITH(matmul(Tensor::zeros({2048, 3}), Tensor::zeros({2, 64})),
                    "matmul: cannot multiply [2048,3] by [2,64]");
  CHECK_THROWS_WITH(matmul(Tensor::zeros({2, 3, 4}), Tensor::zeros({3, 4, 5})),
                    "matmul: cannot multiply [2,3,4] by [3,4,5]");
  CHECK_THROWS_WITH(matmul(Tensor::zeros({3}), Tensor::zeros({4, 1})),
                    "matmul: cannot multiply [3] by [4,1]");
  CHECK_THROWS_WITH(matmul(Tensor::zeros({2, 3}), Tensor::zeros({2, 4, 5})),
                    "matmul: cannot multiply [2,3] by [2,4,5]");
  CHECK_THROWS_WITH(matmul(Tensor::zeros({2, 3, 4}), Tensor::zeros({2, 2, 4, 5})),
                    "matmul: cannot multiply [2,3,4] by [2,2,4,5]");
  CHECK_THROWS_AS(matmul(Tensor::zeros({}), Tensor::zeros({3})), std::invalid_argument);
  CHECK_THROWS_WITH(linear(Tensor::zeros({5, 4}), Tensor::zeros({64, 3}), Tensor::zeros({64})),
                    "linear: weight [64,3] expects input [n,3], got [5,4]");
  CHECK_THROWS_WITH(linear(Tensor::zeros({5, 3}), Tensor::zeros({64, 3}), Tensor::zeros({3})),
                    "linear: weight [64,3] expects bias [64], got [3]");
  CHECK_THROWS_WITH(linear(Tensor::zeros({5, 3}), Tensor::zeros({3}), Tensor::zeros({3})),
                    "linear: weight must be [out,in], got [3]");
}
