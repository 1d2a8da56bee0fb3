// train() with a coupling, pipelined: while step k trains, a helper thread computes the
// coupling of batch k + 1 (the exact assignment or the Sinkhorn plan: plan_coupling in
// ot_coupling.hpp), so that the coupling's cost hides behind the step's.
//
// The results are bitwise those of the plain loop, for any thread count, because nothing
// is reordered that draws a random number or sums: batch k + 1's pairs are drawn on the
// calling thread, from the same streams and in the same order as the plain loop would
// (after batch k's Sinkhorn draws and t's), the plan is a pure function of the drawn batch,
// and the Sinkhorn pairs are drawn from it on the calling thread when batch k + 1's turn
// comes. The one visible difference, the "pairs" stream being one batch ahead, is hidden:
// saves, stop checks and the state returned all see the streams as the plain loop leaves
// them (the prefetched batch is discarded when the run stops early).
//
// The PairSource is called for batch k + 1 before step k's update, so it must not read the
// network being trained (none does: teachers are separate networks).
#pragma once

#include "flow/trainer.hpp"

namespace minflow::flow::detail {

TrainOutcome train_pipelined(TrainState& state, const TrainSettings& settings,
                             const PairSource& pairs, const TrainHooks& hooks);

}  // namespace minflow::flow::detail
