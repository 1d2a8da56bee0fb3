// train() with a coupling, pipelined: batches are drawn ahead of their steps and their
// couplings (the exact assignment or the Sinkhorn plan: plan_coupling in ot_coupling.hpp)
// are computed by a helper thread while the current step trains. With exact OT, batches are
// drawn up to three steps ahead, and when the due plan is still being computed the calling
// thread plans the later batches meanwhile, so that both threads share the couplings when
// one of them costs more than a step (at batch 256 it does). Sinkhorn draws one batch ahead.
//
// The results are bitwise those of the plain loop, for any thread count, because nothing
// is reordered that draws a random number or sums: the batches are drawn on the calling
// thread, in order, from the "pairs" stream alone (checked: a batch source that draws from
// another stream is refused), exact OT's finish draws nothing (so drawing ahead leaves every
// stream's order as it was), Sinkhorn's pairs are drawn from "pairs" on the calling thread
// when the batch's turn comes, before the next batch is drawn, and a plan is a pure function
// of its batch, whichever thread computes it. The one visible difference, the "pairs" stream
// being ahead, is hidden: saves, stop checks and the state returned all see the streams as
// the plain loop leaves them (the batches drawn ahead are discarded when the run stops).
//
// The PairSource is called for later batches before step k's update, so it must not read
// the network being trained (none does: teachers are separate networks).
#pragma once

#include "flow/trainer.hpp"

namespace minflow::flow::detail {

TrainOutcome train_pipelined(TrainState& state, const TrainSettings& settings,
                             const PairSource& pairs, const TrainHooks& hooks);

}  // namespace minflow::flow::detail
