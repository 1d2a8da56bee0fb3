#include "flow/coupling.hpp"

#include <stdexcept>

#include "autograd/ops.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::flow {

FlowBatch make_flow_batch(const Array<float>& x0, const Array<float>& x1, const TimeSampler& time,
                          Generator& time_gen, double sigma) {
  if (x0.shape() != x1.shape() || x0.dimension() != 2 || x0.shape()[1] != 2) {
    throw std::invalid_argument("make_flow_batch: x0 and x1 must both be [n,2]");
  }
  const std::size_t n = x0.shape()[0];
  FlowBatch b{Array<float>::from_shape({n, 1}), Array<float>::from_shape({n, 2}),
              Array<float>::from_shape({n, 2})};
  for (std::size_t i = 0; i < n; ++i) {
    const float t = static_cast<float>(time.sample(time_gen));
    b.t(i, 0) = t;
    for (std::size_t j = 0; j < 2; ++j) {
      b.xt(i, j) = (1.0f - t) * x0(i, j) + t * x1(i, j);
      b.u(i, j) = x1(i, j) - x0(i, j);
    }
  }
  // The noise after all the times, so that σ does not change which t each row gets.
  if (sigma > 0.0)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < 2; ++j)
        b.xt(i, j) += static_cast<float>(sigma * time_gen.normal());
  return b;
}

Tensor flow_matching_loss(nn::Module& net, const FlowBatch& batch) {
  const Tensor v = velocity(net, Tensor(batch.xt), Tensor(batch.t));
  return mse_loss(v, Tensor(batch.u));
}

}  // namespace minflow::flow
