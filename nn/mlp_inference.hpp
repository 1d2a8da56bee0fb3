// The MLP's forward pass without a graph, streamed: rows go through all the layers a strip
// of 48 at a time, so every activation lives in a 12 KB buffer in the L1 cache instead of
// a fresh [n, 64] tensor per layer (512 KB each at n = 2048, more than the L2 cache can
// hold beside its neighbours). Integrators call the net 80 or 100 times per sample, and
// reflow's teacher on every training step: this is the path they take (flow::velocity_field).
//
// It computes exactly what MLP::forward computes, bit for bit: the same kernels (gemm,
// gelu_kernel) with the same order of operations per element — each row of a layer starts
// as the bias, the product is accumulated on top, then GELU — only without allocating,
// without Tensor nodes and without the L2 traffic. tests/nn/test_mlp_inference.cpp holds it
// to that. Only GELU nets take it (the tutorial's net); `supports` says when.
#pragma once

#include <cstddef>
#include <vector>

#include "nn/mlp.hpp"

namespace minflow::nn {

class MlpInference {
 public:
  // True for a GELU MLP when the fast kernels are on (not under a ReferenceKernelsGuard,
  // whose plain loops only the op path has).
  static bool supports(const MLP& net);

  // Copies the weights, transposed to [in, out] so the gemm reads them in place: later
  // changes to the net's parameters are not seen (make a new MlpInference after a step).
  explicit MlpInference(const MLP& net);

  // out[rows, out] = net(in[rows, in]), rows in C order. Safe to call from several threads.
  void run(const float* in, std::size_t rows, float* out) const;

 private:
  struct Layer {
    std::size_t in = 0, out = 0;
    std::vector<float> weight;  // [in, out] (Wᵀ) for the hidden layers; [out, in] for the last
    std::vector<float> bias;    // [out]
  };
  std::vector<Layer> layers_;
  std::size_t widest_ = 0;  // the largest layer width, for the strip buffers
};

}  // namespace minflow::nn
