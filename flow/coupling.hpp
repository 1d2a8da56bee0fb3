// The flow-matching training batch (docs/design.md#flow-matching-training).
//
// Given pairs (x0, x1) — noise and data drawn independently, so row i of one with row i of
// the other is a random pairing; or, for reflow, noise and the teacher's image of it — and
// a time t per row, the point on the straight line between them and its velocity are
//   x_t = (1 − t)·x0 + t·x1,    u = dx_t/dt = x1 − x0.
// Regressing v_θ(x_t, t) onto u makes v_θ the average of u over all pairs passing through
// x_t at time t: the marginal velocity field that carries noise to data.
#pragma once

#include "autograd/tensor.hpp"
#include "base/random.hpp"
#include "flow/time_sampler.hpp"
#include "nn/module.hpp"

namespace minflow::flow {

struct FlowBatch {
  Array<float> t;   // [n, 1]
  Array<float> xt;  // [n, 2]
  Array<float> u;   // [n, 2], the regression target
  // [n, m]: more input columns after t (a conditional net's one-hot label); m = 0: none.
  Array<float> cond = Array<float>::from_shape({0, 0});
};

// With path noise σ > 0 (torchcfm's ConditionalFlowMatcher): x_t = (1 − t)·x0 + t·x1 + σ·ε,
// ε ~ N(0, I) drawn from time_gen after all the rows' t; the target stays u = x1 − x0.
FlowBatch make_flow_batch(const Array<float>& x0, const Array<float>& x1, const TimeSampler& time,
                          Generator& time_gen, double sigma = 0.0);

// mean over rows and coordinates of (v_θ(x_t, t) − u)², with the graph for backward.
Tensor flow_matching_loss(nn::Module& net, const FlowBatch& batch);

}  // namespace minflow::flow
