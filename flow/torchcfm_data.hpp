// The 2-D data sets of torchcfm's benchmark, at torchcfm's scales, so that minflow's W2 on
// `minflow benchmark`'s tasks is in the units of Tong et al. (2024)'s table
// (docs/benchmark.md#the-tasks). minflow's own sets (datasets.hpp) are scaled to fit the
// tutorial's window [−π, π]²; these are not, and are used by the benchmark only.
//
//   gaussian    N(0, I) (the "N" of the tasks).
//   8gaussians  torchcfm.utils.sample_8gaussians: eight_normal_sample(n, 2, scale=5,
//               var=0.1) — centres 5·(cos kπ/4, sin kπ/4), chosen uniformly, plus noise
//               from MultivariateNormal(0, √var·I): the covariance is √0.1·I, so the
//               standard deviation per coordinate is 0.1^(1/4) ≈ 0.562 (not √0.1).
//   moons       torchcfm.utils.sample_moons: torchdyn's generate_moons(n, noise=0.2)·3 − 1.
//               torchdyn puts half the points on each half circle at evenly spaced angles,
//               upper (cos θ, sin θ), lower (1 − cos θ, 1/2 − sin θ), θ ∈ [0, π], and adds
//               0.2·U with one U ~ U[0, 1) per point to both coordinates (a shift along
//               the diagonal, not Gaussian noise). Here θ ~ U[0, π] and the half circle by a
//               fair coin: the same distribution, drawn independently per point.
//   scurve      the runner's SKLearnDataModule "scurve": scikit-learn's
//               make_s_curve(noise=0.05), columns x and z, ×1.5 — t ~ U[−3π/2, 3π/2],
//               (sin t, sign(t)·(cos t − 1)) + 0.05·N(0, I) (the y column is dropped).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "base/random.hpp"

namespace minflow::flow {

const std::vector<std::string>& torchcfm_dataset_names();  // gaussian, 8gaussians, moons, scurve

// n points [n, 2] of the named set; throws std::invalid_argument naming the choices.
Array<float> sample_torchcfm(const std::string& name, Generator& gen, std::size_t n);

}  // namespace minflow::flow
