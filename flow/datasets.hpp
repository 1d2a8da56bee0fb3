// The 2-D data sets of the tutorial: the source (a Gaussian) and the targets.
//
// Every set returns n points as a float32 array [n, 2] and draws only from the Generator
// it is given, so a seed names the same points on every machine. At scale 1 every target
// fits in the tutorial's plot window [−π, π]².
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "base/random.hpp"

namespace minflow::flow {

// Each coordinate N(0, 1)·scale.
Array<float> gaussian(Generator& gen, std::size_t n, double scale = 1.0);
// θ ~ U[0, 6π]; (scale/2π)·(θ cos θ, θ sin θ) + 0.1·scale·N(0, I): three turns, radius ≤ 3.
Array<float> spiral(Generator& gen, std::size_t n, double scale = 1.0);
// Two interleaved half circles (scikit-learn's moons), centred and enlarged ×1.5.
Array<float> moons(Generator& gen, std::size_t n, double scale = 1.0);
// Eight Gaussians (σ = 0.2) on a circle of radius 2.
Array<float> eight_gaussians(Generator& gen, std::size_t n, double scale = 1.0);
// A 4×4 checkerboard on [−3, 3]², points uniform on the dark squares.
Array<float> checkerboard(Generator& gen, std::size_t n, double scale = 1.0);
// Three concentric rings of radius 1, 2 and 3 (points ∝ circumference), radial σ 0.05.
Array<float> rings(Generator& gen, std::size_t n, double scale = 1.0);
// scikit-learn's S-curve in 2-D (x and z of make_s_curve), noise 0.1, enlarged ×1.3.
Array<float> s_curve(Generator& gen, std::size_t n, double scale = 1.0);

// The target sets by name, for the command line.
const std::vector<std::string>& dataset_names();  // spiral, moons, eight_gaussians, …
bool is_dataset(const std::string& name);
// Throws std::invalid_argument("unknown data set 'x' (choose spiral, moons, …)").
void check_dataset(const std::string& name);
// A source: "gaussian" or any data set; otherwise std::invalid_argument naming the choices.
void check_source(const std::string& name);
// Also accepts "gaussian"; anything else fails as check_dataset does.
Array<float> sample_dataset(const std::string& name, Generator& gen, std::size_t n,
                            double scale = 1.0);

}  // namespace minflow::flow
