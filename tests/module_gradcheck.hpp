// gradcheck of a whole float64 module with respect to every parameter.
//
// gradcheck (autograd/gradcheck.hpp) differentiates a function of its inputs, and a
// module's parameters are its own nodes, not gradcheck's input copies. So the function
// written here takes the parameters' values as its inputs, writes them into the module,
// evaluates the loss, and, when gradients are on, returns
//   L(θ) + Σ_k ⟨θ_k − stop(θ_k), ∇_k⟩,   ∇_k = the module's own backward gradient of L
// whose value is L and whose gradient with respect to input θ_k is exactly ∇_k. gradcheck
// then compares ∇_k, element by element, with central differences of L computed through
// the module's forward: the module's backward is checked against its forward.
#pragma once

#include <functional>
#include <vector>

#include "autograd/grad_mode.hpp"
#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "nn/module.hpp"

namespace minflow::testing {

inline GradcheckReport module_gradcheck(nn::DModule& net, const std::function<DTensor()>& loss,
                                        const GradcheckOptions& options = {}) {
  std::vector<DTensor> params = net.parameters();
  auto f = [&](const std::vector<DTensor>& theta) {
    for (std::size_t k = 0; k < params.size(); ++k)
      params[k].mutable_value() = theta[k].value();
    DTensor l = loss();
    if (!grad_enabled()) return l;  // gradcheck's finite differences: the value only
    net.zero_grad();
    l.backward();
    DTensor out = l.detach();
    for (std::size_t k = 0; k < params.size(); ++k)
      out = out + sum((theta[k] - theta[k].detach()) * DTensor(params[k].grad()));
    return out;
  };
  std::vector<DTensor> theta;
  for (const DTensor& p : params)
    theta.emplace_back(Array<double>(p.value()), true, p.name());
  return gradcheck(f, theta, options);
}

}  // namespace minflow::testing
