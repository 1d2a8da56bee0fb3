// The figure of `minflow plot --what couplings` (couplings.png): one batch of source points
// x0 and target points x1 paired three ways — independently (I-CFM), by the exact minibatch
// optimal transport (OT-CFM) and by draws from an entropic Sinkhorn plan — each pair drawn
// as a chord from x0 to x1 (docs/design.md#minibatch-ot). Random chords cross all over the
// window; the OT chords never cross (two crossing chords could swap partners and both get
// shorter), and Sinkhorn's lie in between, blurred by its ε.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/random.hpp"
#include "plot/plot.hpp"

namespace minflow::plot {

// One pairing: row i of x0 with row i of x1 (both [n, 2]).
struct CouplingPanel {
  std::string name;  // "independent", "ot", "sinkhorn:0.05"
  Array<float> x0, x1;
};

// The batch (x0, x1) as drawn (independent), re-paired by the exact assignment (ot), and
// re-drawn from the Sinkhorn plan with ε = `epsilon` relative to the mean cost (pairs with
// replacement, as torchcfm's plan sampler; `gen` serves those draws).
std::vector<CouplingPanel> three_couplings(const Array<float>& x0, const Array<float>& x1,
                                           double epsilon, Generator& gen);

// The mean over pairs of ‖x1_i − x0_i‖², the cost a coupling minimises (shown in each title).
double mean_squared_chord(const Array<float>& x0, const Array<float>& x1);

// The panels side by side, 800×800 each, in the window [−4, 4]²: chords in grey, x0 blue,
// x1 orange; each title names the pairing and its mean squared chord length. Throws
// std::invalid_argument for no panels or a panel whose x0 and x1 differ in size or are empty.
PlotResult plot_couplings(const std::filesystem::path& image,
                          const std::vector<CouplingPanel>& panels,
                          const PlotOptions& options = {});

}  // namespace minflow::plot
