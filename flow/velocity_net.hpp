// The velocity network v_θ(x, t) (docs/design.md#model): an MLP on the 2-D position with the time
// appended as a third input column, [x, y, t] → (v_x, v_y).
#pragma once

#include "autograd/tensor.hpp"
#include "flow/integrators.hpp"
#include "nn/mlp.hpp"

namespace minflow::flow {

// The tutorial's net: MLP(3, 64, 3, 2, GELU), 8,706 parameters; hidden, depth and the
// activation can be changed.
nn::MlpSpec velocity_net_spec(std::size_t hidden = 64, std::size_t depth = 3,
                              nn::Activation activation = nn::Activation::gelu);

// v_θ(x, t) for x [n, 2] and t [n, 1], with the autodiff graph (for training).
Tensor velocity(nn::Module& net, const Tensor& x, const Tensor& t);

// The net as an ODE right-hand side for the integrators: no graph (NoGradGuard), all rows
// at one time t, rows split across the thread pool (each row's result is the same whatever
// the split, so the answer is bitwise identical for any thread count). For the tutorial's
// GELU MLP the field reads the weights as they are when it is made (one copy, not one per
// evaluation): after an optimizer step, make a new field. The net must outlive the field.
VelocityField<float> velocity_field(nn::Module& net);

}  // namespace minflow::flow
