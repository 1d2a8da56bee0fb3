// Chapter 13: the guided velocity, label dropout, the distillation target for k steps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <vector>

#include "course_test.hpp"
#include "flow/conditional.hpp"
#include "flow/distill.hpp"

using namespace minflow;
using namespace minflow::flow;
using course::max_diff;

namespace {
Array<float> rows(std::vector<float> v) {
  return Tensor::from_vector(v, {v.size() / 2, 2}).value();
}
}  // namespace

TEST_CASE("exercise 13.1: the guided velocity", "[ex13.1]") {
  const Array<float> vu = rows({1, 0, 0, 2, -1, 1}), vc = rows({3, 0, 0, -2, -1, 3});
  const Array<float> at0 = guide(vu, vc, 0.0), at1 = guide(vu, vc, 1.0);
  if (max_diff(at0, vc) == 0 && max_diff(at1, vu) == 0)
    FAIL(
        "w = 0 gave v_c and w = 1 gave v_u: v = v_u + w·(v_c − v_u), so w = 0 is the "
        "unconditional velocity v_u and w = 1 the class's v_c");
  INFO("w = 0 must give the unconditional velocity v_u " << course::values(vu) << ", got "
                                                         << course::values(at0));
  CHECK(max_diff(at0, vu) < 1e-6);
  INFO("w = 1 must give the class's velocity v_c " << course::values(vc) << ", got "
                                                   << course::values(at1));
  CHECK(max_diff(at1, vc) < 1e-6);
  // w = 3: v_u + 3(v_c − v_u) = 3·v_c − 2·v_u, past v_c, away from v_u.
  const Array<float> expect = rows({7, 0, 0, -10, -1, 7});
  const Array<float> at3 = guide(vu, vc, 3.0);
  if (max_diff(at3, rows({9, 0, 0, -6, -3, 9})) < 1e-6)
    FAIL("w = 3 gave w·v_c: guidance moves from v_u towards and past v_c, v_u + w·(v_c − v_u)");
  INFO("w = 3: v_u + 3·(v_c − v_u) = " << course::values(expect) << ", got " << course::values(at3)
                                       << " (the spelling (1 + w')·v_c − w'·v_u is w = 1 + w')");
  CHECK(max_diff(at3, expect) < 1e-5);
}

TEST_CASE("exercise 13.2: label dropout in a batch", "[ex13.2]") {
  const std::size_t classes = 3, n = 4000;
  std::vector<std::size_t> labels(n);
  for (std::size_t i = 0; i < n; ++i)
    labels[i] = i % classes;
  const std::vector<std::size_t> original = labels;
  Generator gen(13, "pairs"), ref(13, "pairs");
  drop_labels(labels, classes, 0.25, gen);
  std::size_t dropped = 0, to_zero = 0;
  for (std::size_t i = 0; i < n; ++i) {
    dropped += labels[i] == classes;
    to_zero += labels[i] == 0 && original[i] != 0;
  }
  if (dropped == 0 && to_zero > 0)
    FAIL(
        "dropped labels became 0, which is class 0: 'no label' is the value `classes` (3 "
        "here), the last one-hot slot");
  if (dropped == 0) FAIL("no label was dropped at p = 0.25: about a quarter of the rows should be");
  const double rate = double(dropped) / double(n);
  if (rate > 0.6)
    FAIL("a share " << rate << " was dropped at p = 0.25: drop when the uniform is below p "
                    << "(u < p has probability p), not above it");
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t expect = ref.uniform_double() < 0.25 ? classes : original[i];
    if (labels[i] != expect)
      FAIL("row " << i << ": label " << labels[i] << ", expected " << expect
                  << ": draw one uniform from gen for every row, in order, whether or not "
                     "it is dropped, and drop it when the draw is below p");
  }
  std::vector<std::size_t> none = original, all = original;
  Generator g0(1, "pairs"), g1(1, "pairs");
  drop_labels(none, classes, 0.0, g0);
  drop_labels(all, classes, 1.0, g1);
  INFO("p = 0 keeps every label; p = 1 drops every one");
  CHECK(none == original);
  CHECK(std::count(all.begin(), all.end(), classes) == std::ptrdiff_t(n));
}

TEST_CASE("exercise 13.3: the distillation target for k steps", "[ex13.3]") {
  const Array<float> from = rows({0, 0, 1, -1, 2, 0.5f}), to = rows({1, 2, 0, -1, 2.5f, 0.5f});
  const Array<float> one = segment_velocity(from, to, 1);
  INFO("k = 1: the slope is X1 − X0 = " << course::values(rows({1, 2, -1, 0, 0.5f, 0})) << ", got "
                                        << course::values(one));
  CHECK(max_diff(one, rows({1, 2, -1, 0, 0.5f, 0})) < 1e-6);
  const std::size_t k = 4;
  const Array<float> u = segment_velocity(from, to, k);
  // One Euler step of size h = 1/k from X_j must land on X_{j+1}.
  Array<float> landed = Array<float>::from_shape(from.shape());
  for (std::size_t i = 0; i < landed.size(); ++i)
    landed.data()[i] = from.data()[i] + u.data()[i] / float(k);
  if (max_diff(u, one) == 0)
    FAIL(
        "k = 4 gave X_{j+1} − X_j: one Euler step of size 1/4 from X_j then moves only a "
        "quarter of the way; the slope is (X_{j+1} − X_j)·k");
  if (max_diff(u, rows({0.25f, 0.5f, -0.25f, 0, 0.125f, 0})) < 1e-6)
    FAIL("k = 4 gave (X_{j+1} − X_j)/k: the step size is 1/k, so the slope is multiplied by k");
  INFO("one Euler step of size 1/" << k << " from X_j, X_j + u/k, must land on X_{j+1} "
                                   << course::values(to) << ", got " << course::values(landed));
  CHECK(max_diff(landed, to) < 1e-6);
}
