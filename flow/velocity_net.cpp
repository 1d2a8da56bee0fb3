#include "flow/velocity_net.hpp"

#include <algorithm>
#include <memory>

#include "autograd/grad_mode.hpp"
#include "autograd/ops.hpp"
#include "base/thread_pool.hpp"
#include "nn/mlp_inference.hpp"

namespace minflow::flow {

nn::MlpSpec velocity_net_spec(std::size_t hidden, std::size_t depth, nn::Activation activation) {
  return nn::MlpSpec{3, hidden, depth, 2, activation};
}

Tensor velocity(nn::Module& net, const Tensor& x, const Tensor& t) {
  return net.forward(concat<float>({x, t}, 1));  // the time is just a third input column
}

namespace {

// The rows [x, y, t] of the net's input: the time is just a third column.
Array<float> net_input(const Array<float>& x, double t) {
  const std::size_t n = x.shape()[0];
  Array<float> input = Array<float>::from_shape({n, 3});
  for (std::size_t i = 0; i < n; ++i) {
    input(i, 0) = x(i, 0);
    input(i, 1) = x(i, 1);
    input(i, 2) = static_cast<float>(t);
  }
  return input;
}

}  // namespace

VelocityField<float> velocity_field(nn::Module& net) {
  // The tutorial's net streams its rows through all layers (nn/mlp_inference.hpp, the same
  // bits as net.forward). Its transposed copy of the weights is made once here, not on each
  // of the 80 or 100 evaluations of an integration.
  const auto* mlp = dynamic_cast<const nn::MLP*>(&net);
  if (mlp && nn::MlpInference::supports(*mlp)) {
    auto inference = std::make_shared<const nn::MlpInference>(*mlp);
    return [inference](const Array<float>& x, double t) {
      const Array<float> input = net_input(x, t);
      const std::size_t n = x.shape()[0];
      Array<float> out = Array<float>::from_shape({n, 2});
      // 256 rows at least per chunk: below that, splitting costs more than it saves.
      parallel_for(n, 256, [&](std::size_t begin, std::size_t end) {
        inference->run(input.data() + 3 * begin, end - begin, out.data() + 2 * begin);
      });
      return out;
    };
  }
  // Any other module runs its forward pass without a graph.
  return [&net](const Array<float>& x, double t) {
    const Array<float> input = net_input(x, t);
    const std::size_t n = x.shape()[0];
    Array<float> out = Array<float>::from_shape({n, 2});
    parallel_for(n, 256, [&](std::size_t begin, std::size_t end) {
      NoGradGuard no_grad;  // per thread: the guard is thread-local
      Array<float> rows = Array<float>::from_shape({end - begin, 3});
      std::copy(input.data() + 3 * begin, input.data() + 3 * end, rows.data());
      const Tensor v = net.forward(Tensor(std::move(rows)));
      std::copy(v.data(), v.data() + v.size(), out.data() + 2 * begin);
    });
    return out;
  };
}

}  // namespace minflow::flow
