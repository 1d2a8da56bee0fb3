#include "flow/velocity_net.hpp"

#include <algorithm>

#include "autograd/grad_mode.hpp"
#include "autograd/kernels/thread_pool.hpp"
#include "autograd/ops.hpp"

namespace minflow::flow {

nn::MlpSpec velocity_net_spec(std::size_t hidden, std::size_t depth, nn::Activation activation) {
  return nn::MlpSpec{3, hidden, depth, 2, activation};
}

Tensor velocity(nn::Module& net, const Tensor& x, const Tensor& t) {
  return net.forward(concat<float>({x, t}, 1));  // the time is just a third input column
}

VelocityField<float> velocity_field(nn::Module& net) {
  return [&net](const Array<float>& x, double t) {
    const std::size_t n = x.shape()[0];
    Array<float> out = Array<float>::from_shape({n, 2});
    // 256 rows at least per chunk: below that, splitting costs more than it saves.
    parallel_for(n, 256, [&](std::size_t begin, std::size_t end) {
      NoGradGuard no_grad;  // per thread: the guard is thread-local
      Array<float> input = Array<float>::from_shape({end - begin, 3});
      for (std::size_t i = begin; i < end; ++i) {
        input(i - begin, 0) = x(i, 0);
        input(i - begin, 1) = x(i, 1);
        input(i - begin, 2) = static_cast<float>(t);
      }
      const Tensor v = net.forward(Tensor(std::move(input)));
      std::copy(v.data(), v.data() + v.size(), out.data() + 2 * begin);
    });
    return out;
  };
}

}  // namespace minflow::flow
