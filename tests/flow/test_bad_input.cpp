// Bad input to the library API, as one table: every entry must throw a std::exception
// (never crash, never return garbage) whose message names the problem.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>

#include "autograd/ops.hpp"
#include "base/random.hpp"
#include "flow/coupling.hpp"
#include "flow/datasets.hpp"
#include "flow/integrators.hpp"
#include "flow/metrics.hpp"
#include "flow/reflow.hpp"
#include "flow/time_sampler.hpp"
#include "flow/time_warp.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"
#include "nn/activation.hpp"
#include "nn/checkpoint.hpp"
#include "nn/config.hpp"
#include "nn/npy.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

struct BadCall {
  const char* what;
  std::function<void()> call;
  const char* says;  // a piece of the exception's message
};

Array<float> points(std::size_t n, std::size_t cols) {
  Array<float> a = Array<float>::from_shape({n, cols});
  std::fill(a.begin(), a.end(), 0.5f);
  return a;
}

VelocityField<float> zero_field() {
  return [](const Array<float>& x, double) { return Array<float>(x * 0.0f); };
}

}  // namespace

TEST_CASE("bad input to the library API throws a clear error", "[bad-input]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Generator gen(1, "bad-input");
  const std::vector<BadCall> table = {
      {"warp s above 1.5", [] { warp_time(0.5, 1.6); }, "s must be in [0, 1.5]"},
      {"warp s below 0", [] { warp_time_derivative(0.5, -0.1); }, "s must be in [0, 1.5]"},
      {"warp s NaN", [&] { warp_time(0.5, nan); }, "s must be in [0, 1.5]"},
      {"time sampler text", [] { parse_time_sampler("warp:abc"); }, "warp needs S"},
      {"time sampler name", [] { parse_time_sampler("cosine"); }, "unknown time sampler"},
      {"logit-normal sd", [] { logit_normal_time(0, 0); }, "s > 0"},
      {"solver name", [] { parse_solver("rk5"); }, "unknown solver 'rk5'"},
      {"data set name", [&] { sample_dataset("swissroll", gen, 10); }, "unknown data set"},
      {"activation name", [] { nn::parse_activation("softplus"); }, "softplus"},
      {"metric shape", [] { energy_distance(points(3, 3), points(3, 2)); }, "[3,3]"},
      {"metric empty", [] { energy_distance(points(0, 2), points(3, 2)); }, "n > 0"},
      {"sliced rows", [] { sliced_w2(points(3, 2), points(4, 2)); }, "rows"},
      {"straightness steps", [] { straightness(zero_field(), points(3, 2), 0); }, "steps"},
      {"integrate steps",
       [] {
         IntegrateOptions o;
         o.steps = 0;
         integrate(zero_field(), points(3, 2), o);
       },
       "steps must be positive"},
      {"integrate grid",
       [] {
         IntegrateOptions o;
         o.grid_warp = 2.0;
         integrate(zero_field(), points(3, 2), o);
       },
       "s must be in [0, 1.5]"},
      {"dopri5 tolerance",
       [] {
         IntegrateOptions o;
         o.solver = Solver::dopri5;
         o.rtol = 0;
         integrate(zero_field(), points(3, 2), o);
       },
       "rtol and atol must be positive"},
      {"flow batch shapes",
       [&] { make_flow_batch(points(3, 2), points(4, 2), uniform_time(), gen); }, "[n,2]"},
      {"matmul shapes",
       [] {
         matmul(Tensor::zeros({2, 3}), Tensor::zeros({2, 4}));
       },
       "matmul: cannot multiply [2,3] by [2,4]"},
      {"broadcast shapes",
       [] {
         add(Tensor::zeros({2, 3}), Tensor::zeros({4}));
       },
       "add: cannot broadcast [2,3] with [4]"},
      {"backward without seed", [] { (Tensor::ones({2}, true) * 2.0f).backward(); }, "backward"},
      {"item of many", [] { Tensor::zeros({2}).item(); }, "item"},
      {"npy missing", [] { nn::read_npy_float32("/nonexistent/x.npy"); }, "/nonexistent/x.npy"},
      {"npy garbage", [] { nn::parse_npy_float32("not an npy file", "garbage.npy"); },
       "garbage.npy"},
      {"checkpoint missing", [] { nn::load_mlp_checkpoint("/nonexistent/flow.ckpt"); },
       "flow.ckpt"},
      {"config garbage",
       [] { TrainSettings::from_config(nn::Config::parse("kind = flow\n", "config.txt")); },
       "config.txt"},
      {"generator state", [] { Generator::from_string("1 2"); }, "Generator::from_string"},
      {"generator below 0", [&] { gen.below(0); }, "positive"},
      {"pair pool size",
       [] {
         TrainSettings s;
         s.net = velocity_net_spec(4, 1);
         TrainState teacher = new_train_state(s);
         Generator g(0);
         make_pair_pool(*teacher.net, {}, 0, 16, g);
       },
       "pairs and batch must be positive"},
  };
  for (const BadCall& c : table) {
    INFO(c.what);
    CHECK_THROWS_WITH(c.call(), Catch::Contains(c.says));
  }
}
