// Chapter 1's exercises: an op's backward, broadcasting's backward, the graph walk.
#include <catch2/catch.hpp>

#include <set>

#include "autograd/broadcast.hpp"
#include "autograd/graph.hpp"
#include "autograd/ops.hpp"
#include "course_test.hpp"

using namespace minflow;
using course::max_diff;
using course::values;

namespace {
DTensor leaf(std::vector<double> v, Shape s, bool requires_grad = true) {
  return DTensor::from_vector(v, s, requires_grad);
}
Array<double> array(std::vector<double> v, Shape s) {
  return leaf(std::move(v), std::move(s), false).value();
}
}  // namespace

TEST_CASE("exercise 1.1: mul's backward", "[ex1.1]") {
  const DTensor a = leaf({1, 2, 3, 4, 5, 6}, {2, 3});
  const DTensor b = leaf({0.5, -1, 2, 3, 0, -2}, {2, 3});
  const Array<double> g = array({1, -2, 3, 0.5, 1, -1}, {2, 3});
  course::run_op_backward(mul(a, b), g);
  if (!a.has_grad() || !b.has_grad())
    FAIL("an input that requires a gradient received none: call accumulate_grad on it");
  const Array<double> expect_a = g * b.value(), expect_b = g * a.value();
  const Array<double> g_times_a = g * a.value();
  if (max_diff(a.grad(), g) == 0)
    FAIL(
        "dL/da came back as the upstream gradient g itself: the local derivative of a·b with "
        "respect to a is b, so dL/da = g·b");
  if (max_diff(a.grad(), g_times_a) == 0)
    FAIL(
        "dL/da = g·a is the derivative of a²; for z = a·b, dz/da = b, so dL/da = g·b "
        "(and dL/db = g·a)");
  INFO("dL/da should be g·b = " << values(expect_a) << ", got " << values(a.grad()));
  CHECK(max_diff(a.grad(), expect_a) < 1e-12);
  INFO("dL/db should be g·a = " << values(expect_b) << ", got " << values(b.grad()));
  CHECK(max_diff(b.grad(), expect_b) < 1e-12);

  // An input without requires_grad gets nothing (and is not an error).
  const DTensor c = leaf({1, 2}, {2});
  const DTensor k = leaf({3, 4}, {2}, false);
  course::run_op_backward(mul(c, k), array({1, 1}, {2}));
  if (k.has_grad()) FAIL("a constant (requires_grad false) must not receive a gradient");
  CHECK(max_diff(c.grad(), array({3, 4}, {2})) < 1e-12);
}

TEST_CASE("exercise 1.2: reduce_to_shape", "[ex1.2]") {
  // grad [2,3] = 1..6, summed back to the shapes an input could have had.
  const Array<double> g = array({1, 2, 3, 4, 5, 6}, {2, 3});
  struct Case {
    Shape shape;
    std::vector<double> sum;
    const char* why;
  };
  const Case cases[] = {
      {{3}, {5, 7, 9}, "a [3] input was copied along the leading axis: sum over the rows"},
      {{1, 3}, {5, 7, 9}, "a [1,3] input was copied along axis 0: sum it, keeping the axis"},
      {{2, 1}, {6, 15}, "a [2,1] input was copied along axis 1: sum each row"},
      {{1}, {21}, "a [1] input was copied everywhere: sum all"},
      {{}, {21}, "a scalar (shape []) was copied everywhere: sum all"},
  };
  for (const Case& c : cases) {
    const Array<double> out = reduce_to_shape(g, c.shape);
    const Shape got(out.shape().begin(), out.shape().end());
    if (got != c.shape)
      FAIL("reduce_to_shape(grad " << shape_to_string({2, 3}) << ", " << shape_to_string(c.shape)
                                   << ") must return the input's shape; yours has "
                                   << shape_to_string(got));
    INFO(c.why << ": expected " << values(Array<double>(array(c.sum, {c.sum.size()}))) << ", got "
               << values(out));
    CHECK(max_diff(out, array(c.sum, {c.sum.size()})) < 1e-12);
  }
  // A rank-3 case against brute force: grad [2,3,4] → [3,1].
  Array<double> g3 = Array<double>::from_shape({2, 3, 4});
  for (std::size_t i = 0; i < g3.size(); ++i)
    g3.data()[i] = double(i * i % 7) - 3;
  std::vector<double> expect(3, 0.0);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k)
        expect[j] += g3(i, j, k);
  const Array<double> out = reduce_to_shape(g3, Shape{3, 1});
  INFO("grad [2,3,4] → [3,1]: sum over axes 0 and 2; expected " << values(expect) << ", got "
                                                                << values(out));
  CHECK(max_diff(out, array(expect, {3, 1})) < 1e-12);
}

namespace {
// C = A·B by the definition, for the expected gradients.
Array<double> product(const Array<double>& a, bool ta, const Array<double>& b, bool tb) {
  const std::size_t m = ta ? a.shape()[1] : a.shape()[0], k = ta ? a.shape()[0] : a.shape()[1];
  const std::size_t n = tb ? b.shape()[0] : b.shape()[1];
  Array<double> c(Shape{m, n}, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t p = 0; p < k; ++p)
        c(i, j) += (ta ? a(p, i) : a(i, p)) * (tb ? b(j, p) : b(p, j));
  return c;
}
}  // namespace

TEST_CASE("exercise 1.3: matmul's backward", "[ex1.3]") {
  const DTensor a = leaf({1, 2, -1, 0.5, 3, 2}, {2, 3});
  const DTensor b = leaf({2, -1, 0, 1, 4, 0.5}, {3, 2});
  const Array<double> g = array({1, -1, 2, 0.5}, {2, 2});
  course::run_op_backward(matmul(a, b), g);
  if (!a.has_grad() || !b.has_grad()) FAIL("A or B received no gradient");
  const Array<double> da = product(g, false, b.value(), true);  // G·Bᵀ
  const Array<double> db = product(a.value(), true, g, false);  // Aᵀ·G
  INFO("dL/dA should be G·Bᵀ [2,3] = " << values(da) << ", got " << values(a.grad()));
  CHECK(max_diff(a.grad(), da) < 1e-12);
  INFO("dL/dB should be Aᵀ·G [3,2] = " << values(db) << ", got " << values(b.grad()));
  CHECK(max_diff(b.grad(), db) < 1e-12);

  // Batched: each of the 2 products has its own gradient.
  std::vector<double> va(12), vb(12), vg(8);
  for (std::size_t i = 0; i < 12; ++i) {
    va[i] = double(i % 5) - 2;
    vb[i] = double(i % 3) * 0.5 - 0.25 * double(i);
  }
  for (std::size_t i = 0; i < 8; ++i)
    vg[i] = double(i) - 3.5;
  const DTensor ba = leaf(va, {2, 2, 3}), bb = leaf(vb, {2, 3, 2});
  course::run_op_backward(matmul(ba, bb), array(vg, {2, 2, 2}));
  if (!ba.has_grad() || !bb.has_grad()) FAIL("the batched A or B received no gradient");
  const Array<double> bga = ba.grad(), bgb = bb.grad();
  for (std::size_t s = 0; s < 2; ++s) {
    const Array<double> as = array({va.begin() + 6 * s, va.begin() + 6 * s + 6}, {2, 3});
    const Array<double> bs = array({vb.begin() + 6 * s, vb.begin() + 6 * s + 6}, {3, 2});
    const Array<double> gs = array({vg.begin() + 4 * s, vg.begin() + 4 * s + 4}, {2, 2});
    const Array<double> ga = array({bga.begin() + 6 * s, bga.begin() + 6 * s + 6}, {2, 3});
    const Array<double> gb = array({bgb.begin() + 6 * s, bgb.begin() + 6 * s + 6}, {3, 2});
    INFO("batch item " << s << ": each item's gradient uses only its own A_i, B_i and G_i");
    CHECK(max_diff(ga, product(gs, false, bs, true)) < 1e-12);
    CHECK(max_diff(gb, product(as, true, gs, false)) < 1e-12);
  }
}

TEST_CASE("exercise 1.4: linear's backward", "[ex1.4]") {
  const DTensor x = leaf({1, 2, 3, -1, 0, 2, 0.5, -2, 1, 3, 1, -1}, {4, 3});
  const DTensor w = leaf({0.5, -1, 2, 1, 0, -0.5}, {2, 3});
  const DTensor b = leaf({0.25, -0.75}, {2});
  const Array<double> g = array({1, 2, -1, 0.5, 3, -2, 0, 1}, {4, 2});
  course::run_op_backward(linear(x, w, b), g);
  if (!x.has_grad() || !w.has_grad() || !b.has_grad()) FAIL("x, W or b received no gradient");
  const Array<double> dx = product(g, false, w.value(), false);  // G·W
  const Array<double> dw = product(g, true, x.value(), false);   // Gᵀ·x
  const Array<double> db = array({3, 1.5}, {2});                 // column sums of G
  INFO("dL/dx should be G·W = " << values(dx) << ", got " << values(x.grad()));
  CHECK(max_diff(x.grad(), dx) < 1e-12);
  INFO("dL/dW should be Gᵀ·x = " << values(dw) << ", got " << values(w.grad()));
  CHECK(max_diff(w.grad(), dw) < 1e-12);
  if (max_diff(b.grad(), array({1, 2}, {2})) == 0)
    FAIL(
        "dL/db is G's first row: the bias was added to all 4 rows (broadcast), so its "
        "gradient is the sum of G over the rows, [3, 1.5]");
  INFO("dL/db should be the column sums of G, [3, 1.5], got " << values(b.grad()));
  CHECK(max_diff(b.grad(), db) < 1e-12);
}

TEST_CASE("exercise 1.5: the topological order", "[ex1.5]") {
  // c = a + b; d = c·a; e = d + c + k, with k a constant.
  const DTensor a = leaf({1}, {1}), b = leaf({2}, {1}), k = leaf({3}, {1}, false);
  const DTensor c = add(a, b), d = mul(c, a), e = add(add(d, c), k);
  const auto order = topological_order(e.node_ptr(), GraphWalk::requires_grad);
  std::set<const Node<double>*> seen(order.begin(), order.end());
  if (seen.size() != order.size()) FAIL("a node appears twice: each node must come once");
  if (order.empty() || order.back() != e.node_ptr().get()) FAIL("the root must come last");
  // 6 nodes need a gradient: a, b, c, d, d + c, e (k does not).
  if (order.size() != 6)
    FAIL("the walk for backward has 6 nodes (a, b, c, d, d + c, e), yours has "
         << order.size() << (order.size() == 7 ? ": skip inputs that need no gradient" : ""));
  for (std::size_t i = 0; i < order.size(); ++i) {
    const GradFn<double>* fn = order[i]->grad_fn.get();
    if (!fn) continue;
    for (const DTensor& input : fn->inputs) {
      const auto at = std::find(order.begin(), order.end(), input.node_ptr().get());
      if (input.requires_grad() && at >= order.begin() + std::ptrdiff_t(i))
        FAIL("the node of '" << fn->op_name() << "' comes before one of its inputs: every node "
                             << "must come after all of its inputs (post-order)");
    }
  }
  const auto all = topological_order(e.node_ptr(), GraphWalk::all_inputs);
  INFO("GraphWalk::all_inputs also visits the constant k: 7 nodes");
  CHECK(all.size() == 7);
  // The order is deterministic: inputs in argument order, so a comes before b.
  const auto pa = std::find(order.begin(), order.end(), a.node_ptr().get());
  const auto pb = std::find(order.begin(), order.end(), b.node_ptr().get());
  INFO("take inputs in argument order (a before b), so the order never depends on addresses");
  CHECK(pa < pb);
}

TEST_CASE("exercise 1.6: the GELU derivative", "[ex1.6]") {
  // The reference path (double) computes gelu'(x) in the forward; compare it with central
  // differences of gelu(x) = x·Φ(x).
  auto value = [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); };
  const std::vector<double> xs = {-3, -1, -0.5, 0, 0.3, 1, 2.5};
  const DTensor x = leaf(xs, {xs.size()});
  Array<double> ones = Array<double>::from_shape({xs.size()});
  ones.fill(1.0);
  course::run_op_backward(gelu(x), ones);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double h = 1e-5, fd = (value(xs[i] + h) - value(xs[i] - h)) / (2 * h);
    const double got = x.grad()(i);
    const double phi_cdf = 0.5 * (1 + std::erf(xs[i] / std::sqrt(2.0)));
    if (std::abs(got - phi_cdf) < 1e-9 && std::abs(fd - phi_cdf) > 1e-6)
      FAIL("at x = " << xs[i] << " you returned Φ(x) = " << got
                     << ": the product rule on x·Φ(x) adds x·φ(x), φ the normal density");
    INFO("gelu'(" << xs[i] << ") should be " << fd << " (finite differences), got " << got);
    CHECK(std::abs(got - fd) < 1e-8);
  }
}
