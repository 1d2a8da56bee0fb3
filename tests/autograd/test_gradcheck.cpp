// gradcheck itself, and gradcheck over every entry of the op registry.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>

#include "autograd/grad_mode.hpp"
#include "autograd/gradcheck.hpp"
#include "autograd/op.hpp"
#include "autograd/op_registry.hpp"
#include "autograd/ops.hpp"

using namespace minflow;

namespace {

using In = std::vector<DTensor>;

// y = 3x with a backward that claims dy/dx = 3.3: wrong by a factor of 1.1.
struct WrongScaleOp final : GradFn<double> {
  const char* op_name() const override { return "wrong_scale"; }
  void backward(const Array<double>& g) override {
    this->inputs[0].accumulate_grad(Array<double>(g * 3.3));
  }
};

DTensor wrong_scale(const DTensor& x) {
  return make_result<double>(Array<double>(x.value() * 3.0), std::make_unique<WrongScaleOp>(), {x});
}

// y = x reversed (a permutation), with a backward that forgets to reverse the gradient back.
// With an all-ones upstream gradient the mistake is invisible (every element gets 1 either
// way); gradcheck's random upstream weights expose it.
struct ForgetfulReverseOp final : GradFn<double> {
  const char* op_name() const override { return "forgetful_reverse"; }
  void backward(const Array<double>& g) override { this->inputs[0].accumulate_grad(g); }
};

DTensor forgetful_reverse(const DTensor& x) {
  Array<double> y = x.value();
  std::reverse(y.begin(), y.end());
  return make_result<double>(std::move(y), std::make_unique<ForgetfulReverseOp>(), {x});
}

DTensor input(std::vector<double> values, Shape shape, bool requires_grad = true) {
  return DTensor::from_vector(values, shape, requires_grad);
}

}  // namespace

TEST_CASE("every registered op passes gradcheck", "[gradcheck][registry]") {
  const std::vector<OpCase>& cases = op_registry();
  REQUIRE(cases.size() >= 50);
  for (const OpCase& c : cases) {
    DYNAMIC_SECTION(c.name) {
      Generator gen(2024, c.name);
      const In inputs = c.make_inputs(gen);
      GradcheckOptions options;
      options.atol = c.atol;
      options.rtol = c.rtol;
      const GradcheckReport report = gradcheck(c.apply, inputs, options);
      INFO(c.name << ": " << report);
      CHECK(report.ok);
      CHECK(report.checked > 0);
    }
  }
}

TEST_CASE("registry entries have unique names and cover every op file", "[registry]") {
  std::set<std::string> names;
  for (const OpCase& c : op_registry())
    CHECK(names.insert(c.name).second);
  for (const char* op :
       {"add",      "sub",    "mul",          "div",          "neg",     "pow",
        "exp",      "log",    "sqrt",         "square",       "abs",     "tanh",
        "sigmoid",  "relu",   "gelu",         "gelu_tanh",    "silu",    "transpose",
        "reshape",  "concat", "slice",        "broadcast_to", "sum",     "mean",
        "mse_loss", "matmul", "linear",       "permute",      "max",     "min",
        "clamp",    "where",  "index_select", "logsumexp",    "softmax", "log_softmax"}) {
    INFO(op);
    CHECK(std::any_of(names.begin(), names.end(), [&](const std::string& n) {
      return n.rfind(std::string(op) + " ", 0) == 0;
    }));
  }
}

TEST_CASE("random_input draws in range and away from zero on request", "[registry]") {
  Generator gen(1);
  DTensor x = random_input(gen, {50, 4}, -1.0, 1.0, true);
  CHECK(x.shape() == Shape{50, 4});
  CHECK(x.requires_grad());
  for (double v : x.value()) {
    CHECK(v >= -1.0);
    CHECK(v < 1.0);
    CHECK(std::abs(v) >= 0.1);
  }
  CHECK_THROWS_AS(random_input(gen, {2}, -0.05, 0.05, true), std::invalid_argument);
}

TEST_CASE("gradcheck fails a backward that is wrong by a factor", "[gradcheck]") {
  DTensor x = input({0.5, -1.0, 2.0, 1.5, -0.3, 0.8}, {2, 3});
  const GradcheckReport report = gradcheck([](const In& in) { return wrong_scale(in[0]); }, {x});
  INFO(report);
  CHECK_FALSE(report.ok);
  CHECK(report.has_worst);
  CHECK(report.input == 0);
  CHECK(report.element < 6);
  CHECK(report.analytic == Approx(1.1 * report.numeric).epsilon(1e-6));
  CHECK(report.rel_error == Approx(0.1).epsilon(1e-4));
  CHECK_THAT(report.to_string(), Catch::StartsWith("gradcheck FAILED") &&
                                     Catch::Contains("analytic") && Catch::Contains("numeric"));
}

TEST_CASE("gradcheck's random upstream gradient catches a permuted gradient", "[gradcheck]") {
  DTensor x = input({0.1, 0.2, 0.3, 0.4, 0.5}, {5});
  auto f = [](const In& in) { return forgetful_reverse(in[0]); };
  // Summing the output (upstream gradient all ones) cannot see the bug ...
  auto summed = [&](const In& in) { return sum(f(in)); };
  CHECK(gradcheck(summed, {x}).ok);
  // ... but the contraction with random weights can.
  CHECK_FALSE(gradcheck(f, {x}).ok);
}

TEST_CASE("gradcheck passes a correct composite and counts the checked elements", "[gradcheck]") {
  DTensor x = input({0.5, -1.0, 2.0, 1.5, -0.3, 0.8}, {2, 3});
  DTensor w = input({0.2, -0.4, 0.9}, {3});
  const GradcheckReport report =
      gradcheck([](const In& in) { return mean(gelu(in[0] * in[1]) + tanh(in[0]), {1}); }, {x, w});
  INFO(report);
  CHECK(report.ok);
  CHECK(report.checked == 9);
  CHECK_THAT(report.to_string(), Catch::StartsWith("gradcheck ok: 9 elements checked, worst"));
  std::ostringstream os;
  os << report;
  CHECK(os.str() == report.to_string());
}

TEST_CASE("gradcheck skips inputs without requires_grad and leaves the caller's tensors alone",
          "[gradcheck]") {
  DTensor x = input({1.0, 2.0, 3.0}, {3});
  DTensor c = input({4.0, 5.0, 6.0}, {3}, /*requires_grad=*/false);
  const GradcheckReport report = gradcheck([](const In& in) { return in[0] * in[1]; }, {x, c});
  CHECK(report.ok);
  CHECK(report.checked == 3);
  CHECK(report.input == 0);
  CHECK(x.value() == Array<double>{1.0, 2.0, 3.0});
  CHECK(c.value() == Array<double>{4.0, 5.0, 6.0});
  CHECK_FALSE(x.has_grad());
}

TEST_CASE("gradcheck is deterministic for a seed", "[gradcheck]") {
  DTensor x = input({0.5, -1.0, 2.0}, {3});
  auto f = [](const In& in) { return wrong_scale(in[0]); };
  GradcheckOptions a, b;
  b.seed = 1;
  CHECK(gradcheck(f, {x}, a).to_string() == gradcheck(f, {x}, a).to_string());
  CHECK(gradcheck(f, {x}, a).to_string() != gradcheck(f, {x}, b).to_string());
}

TEST_CASE("gradcheck refuses to run under NoGradGuard", "[gradcheck]") {
  DTensor x = input({1.0}, {1});
  NoGradGuard no_grad;
  CHECK_THROWS_WITH(gradcheck([](const In& in) { return in[0] * 2.0; }, {x}),
                    Catch::Contains("gradcheck") && Catch::Contains("NoGradGuard"));
}
