// The divergence of a velocity field, ∇·v = ∂v_x/∂x + ∂v_y/∂y: the trace of the Jacobian
// ∂v/∂x (docs/design.md#negative-log-likelihood). It is the rate at which the flow changes
// the log-density of a moving particle, d/dt log p_t(x_t) = −∇·v(x_t, t) (the continuity
// equation along a path), so the likelihood integrates it along each path.
//
// Exact, by reverse mode through the engine. One forward pass with a graph from x gives
// v(x, t) for all rows; a backward pass seeded with e_i in every row (a vector-Jacobian
// product eᵢᵀ·J) gives row r's ∂v_i/∂x at row r — rows are independent, so no row's
// output depends on another row's input — and the diagonal entry ∂v_i/∂x_i is one column
// of that gradient. In 2-D two passes through the same graph (retain_graph between them)
// give the trace exactly, for every row at once.
//
// Hutchinson's estimator, for comparison: tr J = E[εᵀ J ε] for a probe ε with independent
// ±1 entries (Rademacher), one backward pass per probe. In 2-D,
//   εᵀ J ε = J₁₁ + J₂₂ + ε₁ε₂ (J₁₂ + J₂₁),
// the exact trace plus or minus the symmetric off-diagonal sum: unbiased, with variance
// (J₁₂ + J₂₁)² per probe. In high dimension it is the only affordable way (one pass
// instead of d); in 2-D it is a lesson, not a saving.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "autograd/tensor.hpp"
#include "base/random.hpp"
#include "nn/module.hpp"

namespace minflow::flow {

// A velocity field written with the engine's ops: v(x, t) for x [n, 2] → [n, 2], row by row
// (row r of the result depends on row r of x only). Reverse mode differentiates it; tensors
// inside it that require a gradient receive the passes' contributions too (the net's
// overloads below freeze its parameters; see FreezeParameters).
template <class T>
using TensorField = std::function<BasicTensor<T>(const BasicTensor<T>& x, double t)>;

// The velocity net as a TensorField: v_θ([x, y, t]) with the graph. The net must outlive it.
// The float64 net (nn::DMLP, …) gives a float64 field: the reference the float one is
// checked against, and a density exact to the integrator's accuracy rather than float's.
TensorField<float> tensor_field(nn::Module& net);
TensorField<double> tensor_field(nn::DModule& net);

// While alive, the module's parameters do not require a gradient (PyTorch's
// requires_grad_(False)): backward passes then reach the input only, cost no weight
// gradients, and leave the gradients the parameters already hold untouched.
template <class T>
class BasicFreezeParameters {
 public:
  explicit BasicFreezeParameters(nn::BasicModule<T>& net);
  ~BasicFreezeParameters();
  BasicFreezeParameters(const BasicFreezeParameters&) = delete;
  BasicFreezeParameters& operator=(const BasicFreezeParameters&) = delete;

 private:
  std::vector<BasicTensor<T>> parameters_;
  std::vector<bool> previous_;
};
using FreezeParameters = BasicFreezeParameters<float>;
using DFreezeParameters = BasicFreezeParameters<double>;

template <class T>
struct FieldDivergence {
  Array<T> v;           // v(x, t), [n, 2]
  Array<T> divergence;  // ∇·v(x, t), [n]
};

// v and its exact divergence at every row of x [n, 2] (n > 0), by reverse mode: one
// forward pass, two backward passes. Needs gradients enabled on this thread (throws under
// a NoGradGuard); x itself is not changed.
template <class T>
FieldDivergence<T> divergence(const TensorField<T>& v, const Array<T>& x, double t);
// The net's field, its parameters frozen for the duration (their gradients are untouched);
// float32 or float64 (a DMLP built from the same spec and seed, or loaded from the same
// checkpoint, gives the float result to float rounding).
FieldDivergence<float> divergence(nn::Module& net, const Array<float>& x, double t);
FieldDivergence<double> divergence(nn::DModule& net, const Array<double>& x, double t);

// The same numbers without a graph, for the tutorial's net (a GELU MLP [x, y, t] → v with the
// fast kernels on): forward-mode tangents through the layers (divergence_fast.cpp), rows
// split over the thread pool, each row's result the same for any split. Equal to the
// reverse-mode result up to float rounding (tests/flow/test_divergence.cpp). Reads the
// weights when it is made, like velocity_field. Empty (false) for any other module.
using FastDivergence = std::function<FieldDivergence<float>(const Array<float>& x, double t)>;
FastDivergence fast_divergence(const nn::Module& net);

template <class T>
struct HutchinsonEstimate {
  Array<T> estimates;  // [probes, n]: εᵀJε of each probe at each row
  Array<T> mean;       // [n]: the mean over the probes, the estimator itself
};

// Hutchinson's estimate of ∇·v with `probes` Rademacher probes per row (probes > 0), drawn
// from `gen` probe by probe, row by row, coordinate by coordinate (one bit each): the
// same generator state gives the same estimates.
template <class T>
HutchinsonEstimate<T> hutchinson_divergence(const TensorField<T>& v, const Array<T>& x, double t,
                                            std::size_t probes, Generator& gen);
HutchinsonEstimate<float> hutchinson_divergence(nn::Module& net, const Array<float>& x, double t,
                                                std::size_t probes, Generator& gen);
HutchinsonEstimate<double> hutchinson_divergence(nn::DModule& net, const Array<double>& x, double t,
                                                 std::size_t probes, Generator& gen);

}  // namespace minflow::flow
