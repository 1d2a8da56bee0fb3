// What every op file includes: how a forward result becomes a graph node.
//
// An op is one struct deriving from GradFn<T>. Its forward is a static function (or plain
// code in the op's public function) that computes the value; its backward is the member
// `backward`, next to it. The public function wires the two together:
//
//   template <class T>
//   BasicTensor<T> exp(const BasicTensor<T>& x) {
//     Array<T> y = xt::exp(x.value());
//     auto fn = std::make_unique<ExpOp<T>>();
//     fn->y = y;                              // saved for backward: d exp(x)/dx = exp(x)
//     return make_result<T>(std::move(y), std::move(fn), {x});
//   }
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace minflow {

// Wraps `value` in a new node. When gradients are enabled and some input requires one,
// the node keeps `fn` (with `inputs` as its edges) so that backward can reach the inputs;
// otherwise `fn` is dropped and the result is a plain leaf without history. Under an
// AnomalyGuard a non-finite value throws, naming the op.
template <class T>
BasicTensor<T> make_result(Array<T> value, std::unique_ptr<GradFn<T>> fn,
                           std::vector<BasicTensor<T>> inputs);

// Throws std::runtime_error("OP: non-finite value (NaN) in WHAT DESCRIPTION") when `values`
// holds a NaN or an Inf, for example "mul: non-finite value (Inf) in the gradient of tensor
// 'x' [2,3]". Used by the AnomalyGuard checks in forward and backward.
template <class T>
void check_finite(const Array<T>& values, const char* op, const char* what,
                  const std::string& description);

}  // namespace minflow
