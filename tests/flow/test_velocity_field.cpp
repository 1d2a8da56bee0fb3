// velocity_field(net), the integrators' right-hand side, against the net's own forward pass
// on [x, y, t]: the same bits, whatever the thread count, for the streamed GELU path and for
// the op path the other activations take.
#include <catch2/catch.hpp>

#include <vector>

#include "autograd/grad_mode.hpp"
#include "autograd/ops.hpp"
#include "base/thread_pool.hpp"
#include "flow/datasets.hpp"
#include "flow/velocity_net.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

struct ThreadCount {
  int saved;
  explicit ThreadCount(int n) : saved(num_threads()) { set_num_threads(n); }
  ~ThreadCount() { set_num_threads(saved); }
};

std::vector<float> forward_on_rows(nn::MLP& net, const Array<float>& x, float t) {
  NoGradGuard no_grad;
  Array<float> times = Array<float>::from_shape({x.shape()[0], 1});
  times.fill(t);
  const Tensor v = velocity(net, Tensor(x), Tensor(times));
  return std::vector<float>(v.data(), v.data() + v.size());
}

}  // namespace

TEST_CASE("velocity_field: the net's forward pass, bit for bit, for 1, 2 and 3 threads",
          "[flow][velocity]") {
  for (nn::Activation activation : {nn::Activation::gelu, nn::Activation::silu}) {
    Generator gen(5);
    nn::MLP net(velocity_net_spec(64, 3, activation), gen);
    const Array<float> x = gaussian(gen, 2049);
    const std::vector<float> expected = forward_on_rows(net, x, 0.37f);
    for (int threads : {1, 2, 3}) {
      INFO(nn::activation_name(activation) << ", threads = " << threads);
      ThreadCount use(threads);
      const Array<float> v = velocity_field(net)(x, 0.37);
      CHECK(std::vector<float>(v.begin(), v.end()) == expected);
    }
  }
}
