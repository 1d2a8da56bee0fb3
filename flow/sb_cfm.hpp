// Schrödinger-bridge conditional flow matching, SB-CFM (Tong et al. 2024, §3.4; torchcfm's
// SchrodingerBridgeConditionalFlowMatcher), the fourth method of `minflow benchmark`.
//
// Pairs: drawn with replacement from the entropic OT plan of the batch with the absolute
// regularisation ε = 2σ² (torchcfm: OTPlanSampler(method="sinkhorn", reg=2σ²); the paper's
// choice, which makes the flow's marginals those of the Schrödinger bridge with diffusion σ).
// Path: the Brownian bridge from x0 to x1,
//   x_t = t·x1 + (1 − t)·x0 + σ_t·ε,   σ_t = σ·√(t(1 − t)),   ε ~ N(0, I),
// and its conditional velocity (the derivative of x_t at fixed ε, written through x_t):
//   u_t = x1 − x0 + σ_t'/σ_t·(x_t − μ_t),   σ_t'/σ_t = (1 − 2t) / (2t(1 − t)),
// with μ_t = t·x1 + (1 − t)·x0. As in torchcfm the denominator gets + 1e-8, so t = 0 or 1
// (where x_t = μ_t) gives u = x1 − x0. The term grows like 1/√t near the ends: SB-CFM's
// targets are noisier than I-CFM's there.
#pragma once

#include "autograd/tensor.hpp"
#include "base/random.hpp"
#include "flow/coupling.hpp"

namespace minflow::flow {

// Re-pairs the batch in place (x0, x1 [n, 2]) by n draws from the Sinkhorn plan with
// absolute ε = 2σ² (relative to the batch's mean squared distance: 2σ² / mean c_ij).
// Throws std::invalid_argument unless σ > 0 and finite.
void schrodinger_bridge_pairs(Array<float>& x0, Array<float>& x1, double sigma, Generator& gen);

// The regression batch of the bridge path above: t ~ U[0, 1] for every row first, then ε
// (two normals a row), both from time_gen.
FlowBatch schrodinger_bridge_batch(const Array<float>& x0, const Array<float>& x1, double sigma,
                                   Generator& time_gen);

}  // namespace minflow::flow
