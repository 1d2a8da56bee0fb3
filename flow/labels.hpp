// Labelled data sets (docs/design.md#labelled-data-sets): the class of a point is its
// nearest component of the set's generating curve or mixture, so that one function both
// labels the training data and judges whether a sample landed in the class it was asked for.
//
//   eight_gaussians  8 classes: the centre 2·(cos kπ/4, sin kπ/4) nearest the point, k = 0 … 7
//   moons            2 classes: 0 the upper moon, 1 the lower (the nearer half circle)
//   rings            3 classes: 0 radius 1, 1 radius 2, 2 radius 3 (the nearer circle)
//   spiral           3 classes: the turn j (θ in [2πj, 2π(j + 1))) whose radius at the
//                    point's polar angle is nearest the point's radius
//   checkerboard     no classes
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "base/random.hpp"

namespace minflow::flow {

// The number of classes of a data set (0 for checkerboard and unknown names).
std::size_t dataset_classes(const std::string& data);
// "0–7: the eight centres, counter-clockwise from (2, 0)": one line for --help and the docs.
std::string describe_classes(const std::string& data);

// The class of each row of x [n, 2] (scale 1). Throws for a set without classes.
std::vector<std::size_t> label_points(const std::string& data, const Array<float>& x);

struct LabelledPoints {
  Array<float> x;                   // [n, 2]
  std::vector<std::size_t> labels;  // n
};
// n points of the set (the same points sample_dataset draws) and their labels.
LabelledPoints sample_labelled(const std::string& data, Generator& gen, std::size_t n);

}  // namespace minflow::flow
