// Modules, losses and optimizers in float64: gradcheck of a whole MLP with respect to every
// parameter, optimizer steps against hand-computed values, and the float32 round trip of
// checkpoints.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "autograd/ops.hpp"
#include "module_gradcheck.hpp"
#include "nn/adam.hpp"
#include "nn/clip_grad.hpp"
#include "nn/loss.hpp"
#include "nn/mlp.hpp"
#include "nn/sequential.hpp"
#include "nn/sgd.hpp"
#include "nn/state_dict.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using namespace minflow::nn;
using minflow::testing::module_gradcheck;
using minflow::testing::TempDir;

namespace {

DTensor random_batch(const Shape& shape, std::uint64_t seed) {
  Generator gen(seed, "batch");
  Array<double> a = Array<double>::from_shape(shape);
  for (double& v : a)
    v = gen.normal();
  return DTensor(a);
}

}  // namespace

TEST_CASE("a DMLP passes gradcheck with respect to every parameter, for every activation",
          "[float64][module]") {
  for (Activation act :
       {Activation::gelu, Activation::gelu_tanh, Activation::silu, Activation::tanh}) {
    Generator init(3, "init");
    DMLP net(MlpSpec{3, 5, 2, 2, act}, init);  // 3·5+5 + 5·5+5 + 5·2+2 = 62 parameters
    const DTensor x = random_batch({4, 3}, 1), y = random_batch({4, 2}, 2);
    const GradcheckReport report = module_gradcheck(net, [&] { return mse_loss(net(x), y); });
    INFO(activation_name(act) << ": " << report);
    CHECK(report.ok);
    CHECK(report.checked == 62);
  }
}

TEST_CASE("module_gradcheck fails when a parameter's gradient is wrong", "[float64][module]") {
  // The loss doubles the last bias's value through a path the backward does not see (a
  // detached copy), so its analytic gradient misses that term: the check must notice.
  Generator init(3, "init");
  DMLP net(MlpSpec{2, 3, 1, 1, Activation::tanh}, init);
  const DTensor x = random_batch({3, 2}, 1), y = random_batch({3, 1}, 2);
  const GradcheckReport report = module_gradcheck(
      net, [&] { return mse_loss(net(x), y) + sum(net.layers().back()->bias().detach() * 3.0); });
  CHECK_FALSE(report.ok);
}

TEST_CASE("a DSequential with L1Loss passes gradcheck; a float twin computes the same loss",
          "[float64][module]") {
  Generator gen_d(5, "init"), gen_f(5, "init");
  DSequential dnet;
  dnet.push_back(std::make_shared<DLinear>(2, 4, gen_d));
  dnet.push_back(std::make_shared<DSiLU>());
  dnet.push_back(std::make_shared<DLinear>(4, 3, gen_d));
  Sequential fnet;
  fnet.push_back(std::make_shared<Linear>(2, 4, gen_f));
  fnet.push_back(std::make_shared<SiLU>());
  fnet.push_back(std::make_shared<Linear>(4, 3, gen_f));
  // Same seed: the double weights are the float ones, widened exactly.
  const auto dp = dnet.parameters();
  const auto fp = fnet.parameters();
  for (std::size_t k = 0; k < dp.size(); ++k)
    CHECK(dp[k].value() == xt::cast<double>(fp[k].value()));

  const DTensor x = random_batch({5, 2}, 7), y = random_batch({5, 3}, 8);
  const GradcheckReport report = module_gradcheck(dnet, [&] { return L1Loss()(dnet(x), y); });
  INFO(report);
  CHECK(report.ok);
  const Tensor lf =
      L1Loss()(fnet(Tensor(xt::cast<float>(x.value()))), Tensor(xt::cast<float>(y.value())));
  CHECK(lf.item() == Approx(L1Loss()(dnet(x), y).item()).epsilon(1e-5));
  CHECK(dnet.to_string() == fnet.to_string());
}

namespace {

// p = [1, −2], the same gradient g = [0.5, 0.25] at every step.
DTensor constant_grad_parameter() {
  return DTensor::from_vector({1.0, -2.0}, {2}, true, "p");
}
void set_grad(DTensor& p) {
  p.zero_grad();
  p.accumulate_grad(Array<double>{0.5, 0.25});
}

}  // namespace

TEST_CASE("DSGD with momentum steps as computed by hand", "[float64][optimizer]") {
  DTensor p = constant_grad_parameter();
  DSGD sgd({p}, {0.1, 0.9});
  set_grad(p);
  sgd.step();  // buf = g, p −= 0.1·g
  CHECK(p.value()(0) == Approx(0.95).epsilon(1e-15));
  CHECK(p.value()(1) == Approx(-2.025).epsilon(1e-15));
  set_grad(p);
  sgd.step();  // buf = 0.9·g + g = 1.9·g, p −= 0.19·g
  CHECK(p.value()(0) == Approx(0.855).epsilon(1e-15));
  CHECK(p.value()(1) == Approx(-2.0725).epsilon(1e-15));
}

TEST_CASE("DAdam and DAdamW resolve eps, which float32 cannot", "[float64][optimizer]") {
  // A constant gradient makes m̂ = g and v̂ = g² exactly, so each Adam step moves p by
  // lr·g/(|g| + ε): for g = 0.5, lr = 0.1, ε = 1e-8 that is 0.1/(1 + 2e-8) = 0.099999998
  // (2e-9 below 0.1, far under float32's resolution 6e-8 at 1).
  const double move0 = 0.1 / (1.0 + 2e-8), move1 = 0.1 / (1.0 + 4e-8);
  DTensor p = constant_grad_parameter();
  DAdam adam({p}, {0.1});
  for (int t = 1; t <= 3; ++t) {
    set_grad(p);
    adam.step();
    CHECK(p.value()(0) == Approx(1.0 - t * move0).epsilon(1e-14));
    CHECK(p.value()(1) == Approx(-2.0 - t * move1).epsilon(1e-14));
  }
  CHECK(p.value()(0) != 0.7);  // the ε shows: 0.700000006, not 0.7

  // AdamW first decays p by 1 − lr·λ = 0.999, then takes the same step.
  DTensor q = constant_grad_parameter();
  DAdamW adamw({q}, {0.1, 0.9, 0.999, 1e-8, 0.01});
  double expected0 = 1.0, expected1 = -2.0;
  for (int t = 1; t <= 3; ++t) {
    set_grad(q);
    adamw.step();
    expected0 = expected0 * 0.999 - move0;
    expected1 = expected1 * 0.999 - move1;
    CHECK(q.value()(0) == Approx(expected0).epsilon(1e-14));
    CHECK(q.value()(1) == Approx(expected1).epsilon(1e-14));
  }
  CHECK(adamw.state().kind == "adamw");
}

TEST_CASE("the Optimizer base drives SGD, Adam and AdamW alike", "[optimizer]") {
  Generator init(0, "init");
  MLP net(MlpSpec{2, 4, 1, 1, Activation::tanh}, init);
  const Tensor x = Tensor::from_vector({0.5f, -1.0f, 2.0f, 0.25f}, {2, 2});
  const Tensor y = Tensor::from_vector({1.0f, -1.0f}, {2, 1});
  std::vector<std::unique_ptr<Optimizer>> optimizers;
  optimizers.push_back(std::make_unique<SGD>(net.parameters(), SGDOptions{0.1, 0.9}));
  optimizers.push_back(std::make_unique<Adam>(net.parameters()));
  optimizers.push_back(std::make_unique<AdamW>(net.parameters()));
  const char* kinds[] = {"sgd", "adam", "adamw"};
  for (std::size_t i = 0; i < optimizers.size(); ++i) {
    Optimizer& opt = *optimizers[i];
    CHECK(std::string(opt.kind()) == kinds[i]);
    CHECK(opt.parameters().size() == 4);
    const float before = mse_loss(net(x), y).item();
    for (int s = 0; s < 5; ++s) {
      opt.zero_grad();
      mse_loss(net(x), y).backward();
      opt.step();
    }
    CHECK(opt.step_count() == 5);
    CHECK(mse_loss(net(x), y).item() < before);
    opt.set_lr(0.5);
    CHECK(opt.lr() == 0.5);
    const OptimizerState state = opt.state();
    CHECK(state.kind == kinds[i]);
    CHECK(state.step == 5);
    opt.load_state(state);
  }
  optimizers[0]->zero_grad();
  for (const Tensor& p : net.parameters())
    CHECK(xt::all(xt::equal(p.grad(), 0.0f)));
}

TEST_CASE("clip_grad_norm scales float64 gradients through mutable_grad", "[float64]") {
  DTensor p = constant_grad_parameter();
  set_grad(p);
  std::vector<DTensor> params{p};
  const double total = clip_grad_norm(params, 0.1);
  CHECK(total == Approx(std::sqrt(0.25 + 0.0625)).epsilon(1e-15));
  CHECK(grad_norm(params) == Approx(0.1 * total / (total + 1e-6)).epsilon(1e-12));
}

TEST_CASE("float64 checkpoints are float32 on disk: saved rounded, loaded widened",
          "[float64][checkpoint]") {
  TempDir dir;
  Generator init(1, "init");
  const MlpSpec spec{3, 8, 2, 2, Activation::gelu};
  DMLP trained(spec, init);
  DAdam adam(trained.parameters(), {0.05});
  const DTensor x = random_batch({6, 3}, 1), y = random_batch({6, 2}, 2);
  for (int s = 0; s < 3; ++s) {
    adam.zero_grad();
    mse_loss(trained(x), y).backward();
    adam.step();
  }
  Checkpoint ckpt;
  ckpt.optimizer = adam.state();
  save_checkpoint(dir / "d.ckpt", trained, ckpt);

  // Into a float module: the values rounded to float32.
  Generator other(9, "init");
  MLP as_float(spec, other);
  load_checkpoint(dir / "d.ckpt", as_float);
  // Into a double module: the float32 values widened, so within float32 rounding of the
  // trained weights, and exactly the float module's values.
  DMLP as_double(spec, other);
  const Checkpoint loaded = load_checkpoint(dir / "d.ckpt", as_double);
  const auto t = trained.parameters(), d = as_double.parameters();
  const auto f = as_float.parameters();
  for (std::size_t k = 0; k < t.size(); ++k) {
    CHECK(f[k].value() == xt::cast<float>(t[k].value()));
    CHECK(d[k].value() == xt::cast<double>(f[k].value()));
    CHECK(xt::amax(xt::abs(d[k].value() - t[k].value()))() < 1e-6);
  }
  // The optimizer state resumes in double (its buffers widened from float32).
  DAdam resumed(as_double.parameters(), {0.05});
  resumed.load_state(loaded.optimizer);
  CHECK(resumed.step_count() == 3);
  CHECK(resumed.exp_avg()[0] == xt::cast<double>(xt::cast<float>(adam.exp_avg()[0])));

  // A wrong architecture is refused as for float modules, and the model is left untouched.
  DMLP wrong(MlpSpec{3, 8, 1, 2, Activation::gelu}, other);
  const Array<double> before = wrong.parameters()[0].value();
  CHECK_THROWS_WITH(load_checkpoint(dir / "d.ckpt", wrong), Catch::Contains("depth = 2"));
  CHECK(wrong.parameters()[0].value() == before);
}
