// A velocity "net" for the exercise tests that needs no exercise to be built: v(x, t) =
// [x, t]·W for a fixed W [3,2], one matmul (no initialiser, no activation).
#pragma once

#include "autograd/ops.hpp"
#include "nn/module.hpp"

namespace course {

class LinearField : public minflow::nn::Module {
 public:
  LinearField()
      : w_(register_parameter("w", minflow::Tensor::from_vector(
                                       {0.5f, -1.0f, 1.0f, 0.25f, 0.3f, -0.6f}, {3, 2}, true))) {}
  minflow::Tensor forward(const minflow::Tensor& in) override { return minflow::matmul(in, w_); }
  std::string type_name() const override { return "LinearField"; }

 private:
  minflow::Tensor w_;
};

}  // namespace course
