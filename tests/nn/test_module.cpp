// Module registration, parameter names and counts, printing, and initialization.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "autograd/ops.hpp"
#include "nn/mlp.hpp"
#include "nn/sequential.hpp"

using namespace minflow;
using namespace minflow::nn;

namespace {

bool bitwise_equal(const Array<float>& a, const Array<float>& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// A module with its own parameter and a child, to check the depth-first naming order.
class Outer : public Module {
 public:
  explicit Outer(Generator& gen)
      : scale_(register_parameter("scale", Tensor::ones({1}))),
        inner_(register_module("inner", std::make_shared<Linear>(2, 3, gen))) {}
  Tensor forward(const Tensor& x) override { return inner_->forward(x) * scale_; }
  std::string type_name() const override { return "Outer"; }
  void register_again() { register_parameter("scale", Tensor::ones({1})); }

 private:
  Tensor scale_;
  std::shared_ptr<Linear> inner_;
};

}  // namespace

TEST_CASE("the velocity net has 8,706 parameters with PyTorch-style names", "[module]") {
  Generator gen(0, "init");
  MLP net(3, 64, 3, 2, Activation::gelu, gen);
  CHECK(net.num_parameters() == 8706);
  const auto params = net.named_parameters();
  REQUIRE(params.size() == 8);
  const char* names[] = {"l0.weight", "l0.bias", "l1.weight", "l1.bias",
                         "l2.weight", "l2.bias", "l3.weight", "l3.bias"};
  const Shape shapes[] = {{64, 3}, {64}, {64, 64}, {64}, {64, 64}, {64}, {2, 64}, {2}};
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(params[i].name == names[i]);
    CHECK(params[i].tensor.shape() == shapes[i]);
    CHECK(params[i].tensor.requires_grad());
  }
  CHECK(net.layers().size() == 4);
  CHECK(net.children().size() == 4);
}

TEST_CASE("parameters are handles to the module's own nodes", "[module]") {
  Generator gen(1, "init");
  MLP net(2, 4, 1, 1, Activation::tanh, gen);
  auto params = net.parameters();
  CHECK(params[0].same_node(net.layers()[0]->weight()));
  params[0].mutable_value().fill(0.5f);  // what an optimizer does
  CHECK(net.layers()[0]->weight().value()(0, 0) == 0.5f);
}

TEST_CASE("named_parameters lists own parameters, then children, depth-first", "[module]") {
  Generator gen(2, "init");
  Sequential seq;
  seq.push_back(std::make_shared<Outer>(gen));
  seq.push_back(std::make_shared<Tanh>());
  seq.push_back(std::make_shared<Linear>(3, 1, gen));
  std::vector<std::string> names;
  for (const auto& p : seq.named_parameters())
    names.push_back(p.name);
  CHECK(names == std::vector<std::string>{"0.scale", "0.inner.weight", "0.inner.bias", "2.weight",
                                          "2.bias"});
  CHECK(seq.num_parameters() == 1 + 6 + 3 + 3 + 1);
}

TEST_CASE("registering a name twice or an invalid name throws", "[module]") {
  Generator gen(3, "init");
  Outer outer(gen);
  CHECK_THROWS_WITH(outer.register_again(), Catch::Contains("already registered"));
}

TEST_CASE("the module tree prints like PyTorch's", "[module]") {
  Generator gen(0, "init");
  MLP net(3, 64, 1, 2, Activation::gelu, gen);
  CHECK(net.to_string() ==
        "MLP(\n"
        "  in=3, hidden=64, depth=1, out=2, activation=gelu\n"
        "  (l0): Linear(in_features=3, out_features=64, bias=true)\n"
        "  (l1): Linear(in_features=64, out_features=2, bias=true)\n"
        ")");
  Sequential seq;
  seq.push_back(std::make_shared<Linear>(1, 2, gen));
  seq.push_back(std::make_shared<GELUTanh>());
  CHECK(seq.to_string() ==
        "Sequential(\n"
        "  (0): Linear(in_features=1, out_features=2, bias=true)\n"
        "  (1): GELU(approximate='tanh')\n"
        ")");
}

TEST_CASE("zero_grad clears every parameter's gradient", "[module]") {
  Generator gen(4, "init");
  MLP net(2, 3, 1, 1, Activation::relu, gen);
  Tensor x = Tensor::ones({4, 2});
  sum(net.forward(x)).backward();
  for (const auto& p : net.parameters())
    CHECK(p.has_grad());
  net.zero_grad();
  for (const auto& p : net.parameters())
    for (float g : p.grad())
      CHECK(g == 0.0f);
}

TEST_CASE("the same seed gives bitwise identical weights; another seed does not", "[init]") {
  auto make = [](std::uint64_t seed) {
    Generator gen(seed, "init");
    return std::make_shared<MLP>(3, 64, 3, 2, Activation::gelu, gen);
  };
  auto a = make(7), b = make(7), c = make(8);
  const auto pa = a->named_parameters(), pb = b->named_parameters(), pc = c->named_parameters();
  for (std::size_t i = 0; i < pa.size(); ++i) {
    CHECK(bitwise_equal(pa[i].tensor.value(), pb[i].tensor.value()));
    CHECK_FALSE(bitwise_equal(pa[i].tensor.value(), pc[i].tensor.value()));
  }
}

TEST_CASE("initializers draw within their bounds", "[init]") {
  Generator gen(5, "init");
  const std::size_t fan_in = 64, fan_out = 16;
  struct Case {
    Init init;
    double weight_bound, bias_bound;
  };
  for (Case c : {Case{Init::torch_default, 1 / std::sqrt(64.0), 1 / std::sqrt(64.0)},
                 Case{Init::xavier, std::sqrt(6.0 / 80.0), 0.0},
                 Case{Init::kaiming, std::sqrt(6.0 / 64.0), 0.0}}) {
    LinearInit w = init_linear(fan_in, fan_out, c.init, gen);
    CHECK(w.weight.shape()[0] == fan_out);
    CHECK(w.weight.shape()[1] == fan_in);
    float lo = 1e9f, hi = -1e9f;
    for (float v : w.weight) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    CHECK(lo >= -c.weight_bound);
    CHECK(hi <= c.weight_bound);
    CHECK(hi - lo > 1.8 * c.weight_bound);  // 1024 draws fill the interval
    for (float v : w.bias)
      CHECK(std::abs(v) <= c.bias_bound);
  }
  CHECK(parse_init("xavier") == Init::xavier);
  CHECK(init_name(Init::torch_default) == "torch-default");
  CHECK_THROWS_WITH(parse_init("he"), Catch::Contains("torch-default, xavier, kaiming"));
}

TEST_CASE("activation names parse both ways and unknown names list the choices", "[activation]") {
  for (const char* name : {"gelu", "gelu-tanh", "relu", "silu", "tanh"})
    CHECK(activation_name(parse_activation(name)) == name);
  CHECK_THROWS_AS(parse_activation("swish"), std::invalid_argument);
  CHECK_THROWS_WITH(
      parse_activation("swish"),
      Catch::Contains("swish") && Catch::Contains("gelu, gelu-tanh, relu, silu, tanh"));
}

TEST_CASE("activation modules apply their function", "[activation]") {
  Tensor x = Tensor::from_vector({-1.0f, 0.5f, 2.0f}, {1, 3});
  CHECK(ReLU().forward(x).value()(0, 0) == 0.0f);
  CHECK(Tanh().forward(x).value()(0, 2) == Approx(std::tanh(2.0f)));
  CHECK(SiLU().forward(x).value()(0, 1) == Approx(0.5f / (1 + std::exp(-0.5f))));
  CHECK(GELU().forward(x).value()(0, 2) ==
        Approx(2.0 * 0.5 * (1 + std::erf(2.0 / std::sqrt(2.0)))));
  CHECK(GELUTanh().forward(x).value()(0, 2) == Approx(1.9546).epsilon(1e-4));
}

TEST_CASE("copy_parameter_values copies values, not handles", "[module]") {
  Generator gen(6, "init");
  MLP teacher(2, 8, 2, 2, Activation::silu, gen), student(2, 8, 2, 2, Activation::silu, gen);
  copy_parameter_values(teacher, student);
  auto t = teacher.named_parameters(), s = student.named_parameters();
  for (std::size_t i = 0; i < t.size(); ++i) {
    CHECK(bitwise_equal(t[i].tensor.value(), s[i].tensor.value()));
    CHECK_FALSE(t[i].tensor.same_node(s[i].tensor));
  }
  s[0].tensor.mutable_value().fill(3.0f);
  CHECK(t[0].tensor.value()(0, 0) != 3.0f);
  MLP other(2, 4, 2, 2, Activation::silu, gen);
  CHECK_THROWS_WITH(copy_parameter_values(teacher, other), Catch::Contains("l0.weight"));
}

TEST_CASE("Linear checks its input's shape", "[module]") {
  Generator gen(0, "init");
  Linear layer(3, 2, gen);
  CHECK_THROWS_WITH(layer.forward(Tensor::ones({4, 2})),
                    Catch::Contains("[4,2]") && Catch::Contains("[n,3]"));
}
