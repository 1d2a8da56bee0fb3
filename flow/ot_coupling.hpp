// How a training batch pairs its source points x0 with its target points x1 (OT-CFM, Tong
// et al. 2024; torchcfm's ExactOptimalTransportConditionalFlowMatcher and the sinkhorn
// OTPlanSampler):
//   independent  row i with row i: a random pairing (I-CFM; minflow's default).
//   ot           the exact minibatch optimal transport: x1 reordered by the assignment that
//                minimises Σ‖x0_i − x1_σ(i)‖² (assignment.hpp). Paths of the pairs no longer
//                cross, so the learned flow is straighter from the start.
//                (torchcfm draws batch-size pairs with replacement from this plan; here each
//                pair is used once, which is the same plan without the resampling noise.)
//   sinkhorn:EPS pairs drawn with replacement from the entropic plan with ε = EPS relative
//                to the batch's mean squared distance (sinkhorn.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "base/random.hpp"
#include "flow/sinkhorn.hpp"

namespace minflow::flow {

struct Coupling {
  enum class Kind { independent, ot, sinkhorn };
  Kind kind = Kind::independent;
  double epsilon = 0.0;  // sinkhorn only

  std::string to_string() const;  // "independent", "ot", "sinkhorn:0.01"
};

// Throws std::invalid_argument naming the choices, or the bad ε (must be finite and > 0).
Coupling parse_coupling(const std::string& text);

// Re-pairs the batch in place (x0, x1 both [n, 2]); `gen` serves the sinkhorn draws.
// The same as finish_coupling(plan_coupling(coupling, x0, x1), x0, x1, gen).
void apply_coupling(const Coupling& coupling, Array<float>& x0, Array<float>& x1, Generator& gen);

// The two halves of apply_coupling, so that the costly half can run on another thread
// (train() computes the next batch's plan while the current step trains):
//   plan_coupling   the part that draws no random number: the exact assignment (ot) or the
//                   entropic plan (sinkhorn); nothing for independent. A pure function of
//                   the batch, deterministic for any thread count.
//   finish_coupling re-pairs x0, x1 by the plan; sinkhorn draws its pairs from `gen` here.
struct CouplingPlan {
  Coupling::Kind kind = Coupling::Kind::independent;
  std::vector<std::size_t> col_for_row;  // ot
  SinkhornPlan entropic;                 // sinkhorn
};
CouplingPlan plan_coupling(const Coupling& coupling, const Array<float>& x0,
                           const Array<float>& x1);
void finish_coupling(const CouplingPlan& plan, Array<float>& x0, Array<float>& x1, Generator& gen);

}  // namespace minflow::flow
