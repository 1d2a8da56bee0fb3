// matmul's vector and broadcast-batch forms, against hand-computed values and a triple loop.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "autograd/ops.hpp"
#include "iota.hpp"

using namespace minflow;

using minflow::testing::flat;
using minflow::testing::iota;

namespace {

// C[b] = A[b or 0]·B[b or 0] by the definition, for rank-3 arrays (batch 1 = shared).
Array<double> brute_bmm(const Array<double>& a, const Array<double>& b) {
  const std::size_t batch = std::max(a.shape()[0], b.shape()[0]);
  const std::size_t m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
  Array<double> c = Array<double>::from_shape({batch, m, n});
  for (std::size_t q = 0; q < batch; ++q)
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        double s = 0.0;
        for (std::size_t p = 0; p < k; ++p)
          s += a(a.shape()[0] == 1 ? 0 : q, i, p) * b(b.shape()[0] == 1 ? 0 : q, p, j);
        c(q, i, j) = s;
      }
  return c;
}

// dL/dA and dL/dB of L = Σ C·G by the definition: dA[i,p] = Σ_j G[i,j]B[p,j] and
// dB[p,j] = Σ_i A[i,p]G[i,j], summed over the batches a shared operand took part in.
void brute_bmm_grads(const Array<double>& a, const Array<double>& b, const Array<double>& g,
                     Array<double>& ga, Array<double>& gb) {
  ga = Array<double>::from_shape(a.shape());
  gb = Array<double>::from_shape(b.shape());
  ga.fill(0.0);
  gb.fill(0.0);
  const std::size_t batch = g.shape()[0], m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
  for (std::size_t q = 0; q < batch; ++q) {
    const std::size_t qa = a.shape()[0] == 1 ? 0 : q, qb = b.shape()[0] == 1 ? 0 : q;
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t p = 0; p < k; ++p)
        for (std::size_t j = 0; j < n; ++j) {
          ga(qa, i, p) += g(q, i, j) * b(qb, p, j);
          gb(qb, p, j) += a(qa, i, p) * g(q, i, j);
        }
  }
}

}  // namespace

TEST_CASE("matmul of a matrix by a vector, a vector by a matrix and two vectors", "[matmul]") {
  DTensor a = DTensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3}, true);
  DTensor v = DTensor::from_vector({1, 0, -1}, {3}, true);
  DTensor av = matmul(a, v);
  REQUIRE(av.shape() == Shape{2});
  CHECK(flat(av.value()) == std::vector<double>{-2, -2});
  av.backward(Array<double>{1.0, 2.0});
  CHECK(flat(a.grad()) == std::vector<double>{1, 0, -1, 2, 0, -2});  // g ⊗ v
  CHECK(flat(v.grad()) == std::vector<double>{9, 12, 15});           // Aᵀ·g

  DTensor u = DTensor::from_vector({1, 2, 3}, {3}, true);
  DTensor b = DTensor::from_vector({1, 0, 0, 1, 1, 1}, {3, 2}, true);
  DTensor ub = matmul(u, b);
  REQUIRE(ub.shape() == Shape{2});
  CHECK(flat(ub.value()) == std::vector<double>{4, 5});
  ub.backward(Array<double>{1.0, -1.0});
  CHECK(flat(u.grad()) == std::vector<double>{1, -1, 0});             // B·g
  CHECK(flat(b.grad()) == std::vector<double>{1, -1, 2, -2, 3, -3});  // u ⊗ g

  DTensor p = DTensor::from_vector({1, 2, 3}, {3}, true);
  DTensor q = DTensor::from_vector({4, 5, 6}, {3}, true);
  DTensor pq = matmul(p, q);
  REQUIRE(pq.dim() == 0);
  CHECK(pq.item() == 32.0);
  pq.backward(Array<double>(2.0));
  CHECK(flat(p.grad()) == std::vector<double>{8, 10, 12});
  CHECK(flat(q.grad()) == std::vector<double>{2, 4, 6});
}

TEST_CASE("matmul broadcasts a matrix over the other operand's batch", "[matmul]") {
  // [b,m,k]·[k,n], [m,k]·[b,k,n] and [1,m,k]·[b,k,n], each against the triple loop, with an
  // upstream gradient whose every element differs.
  struct Case {
    Shape a, b, a3;  // a3: a's shape as rank 3 for the brute force
    Shape b3;
  };
  const std::vector<Case> cases = {{{3, 2, 4}, {4, 5}, {3, 2, 4}, {1, 4, 5}},
                                   {{2, 4}, {3, 4, 5}, {1, 2, 4}, {3, 4, 5}},
                                   {{1, 2, 4}, {3, 4, 5}, {1, 2, 4}, {3, 4, 5}}};
  for (const Case& c : cases) {
    DTensor a = iota(c.a, true, -3.0);
    DTensor b = iota(c.b, true, -10.0);
    DTensor y = matmul(a, b);
    REQUIRE(y.shape() == Shape{3, 2, 5});
    const Array<double> a3 = reshape(a, c.a3).value(), b3 = reshape(b, c.b3).value();
    CHECK(flat(y.value()) == flat(brute_bmm(a3, b3)));
    const Array<double> g = iota({3, 2, 5}, false, -14.5).value();
    y.backward(g);
    Array<double> ga, gb;
    brute_bmm_grads(a3, b3, g, ga, gb);
    CHECK(flat(a.grad()) == flat(ga));
    CHECK(flat(b.grad()) == flat(gb));
  }
  // A batch of matrices times one vector: [2,3,4]·[4] → [2,3].
  DTensor m = iota({2, 3, 4});
  DTensor x = DTensor::from_vector({1, -1, 2, 0}, {4}, true);
  DTensor mx = matmul(m, x);
  REQUIRE(mx.shape() == Shape{2, 3});
  CHECK(flat(mx.value()) == std::vector<double>{3, 11, 19, 27, 35, 43});
  mx.backward(iota({2, 3}, false, 1.0).value());
  // dL/dx = Σ_{b,i} g[b,i]·M[b,i,:]
  std::vector<double> gx(4, 0.0);
  for (std::size_t r = 0; r < 6; ++r)
    for (std::size_t p = 0; p < 4; ++p)
      gx[p] += (r + 1.0) * (4.0 * r + p);
  CHECK(flat(x.grad()) == gx);
}
