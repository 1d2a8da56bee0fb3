#include "flow/coupling.hpp"

#include <stdexcept>

#include "autograd/ops.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::flow {

namespace {

// The pairs' straight lines: one t per row (in row order), x_t on the line, u its velocity.
FlowBatch straight_line_batch(const Array<float>& x0, const Array<float>& x1,
                              const TimeSampler& time, Generator& time_gen) {
  // Row by row: one t = time.sample(time_gen) (in row order), then
  //   x_t = (1 − t)·x0 + t·x1   and its velocity   u = dx_t/dt = x1 − x0,
  // into b.t [n,1], b.xt [n,2], b.u [n,2]; x0 and x1 must both be [n,2].
  // EXERCISE 3.2 BEGIN: x_t and its velocity
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
  return b;
  // EXERCISE END
}

}  // namespace

FlowBatch make_flow_batch(const Array<float>& x0, const Array<float>& x1, const TimeSampler& time,
                          Generator& time_gen, double sigma) {
  FlowBatch b = straight_line_batch(x0, x1, time, time_gen);
  // Path noise after all the times, so that σ does not change which t each row gets.
  if (sigma > 0.0)
    for (std::size_t i = 0; i < b.xt.shape()[0]; ++i)
      for (std::size_t j = 0; j < 2; ++j)
        b.xt(i, j) += static_cast<float>(sigma * time_gen.normal());
  return b;
}

Tensor flow_matching_loss(nn::Module& net, const FlowBatch& batch) {
  // L(θ) = mean over rows and coordinates of (v_θ(x_t, t) − u)², with the graph for
  // backward: v_θ = velocity(net, x_t, t) (velocity_net.hpp), mse_loss (nn/loss.hpp).
  // EXERCISE 4.1 BEGIN: the flow-matching loss
  const Tensor v = velocity(net, Tensor(batch.xt), Tensor(batch.t));
  return mse_loss(v, Tensor(batch.u));
  // EXERCISE END
}

}  // namespace minflow::flow
