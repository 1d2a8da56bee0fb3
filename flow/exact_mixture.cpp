// The built-in targets and finite data sets as Gaussian mixtures (flow/exact_field.hpp).
// Each builder follows flow/datasets.cpp's sampler exactly: the same centres, scale and noise.
#include <cmath>
#include <stdexcept>

#include "flow/datasets.hpp"
#include "flow/exact_field.hpp"

namespace minflow::flow {

namespace {
constexpr double kPi = 3.14159265358979323846;

void add(GaussianMixture& m, double x, double y, double s2, double w) {
  m.mx.push_back(x);
  m.my.push_back(y);
  m.s2.push_back(s2);
  m.log_w.push_back(std::log(w));
}

// The weight of node j of N (N even) in Simpson's rule for the mean over a parameter
// interval: (1, 4, 2, 4, …, 2, 4, 1) / 3N at the N + 1 points j/N of the interval. The
// midpoint rule's end error (h²) needed twice the nodes for the fourth digit.
double simpson_weight(std::size_t j, std::size_t nodes) {
  const double c = (j == 0 || j == nodes) ? 1.0 : (j % 2 ? 4.0 : 2.0);
  return c / (3.0 * double(nodes));
}

std::size_t even(std::size_t nodes) {
  return nodes + nodes % 2;
}

// spiral(): θ ~ U[0, 6π], centre (scale/2π)(θ cos θ, θ sin θ), noise 0.1·scale. The
// mean over θ becomes Simpson's rule on θ_j = 6π j/N.
GaussianMixture spiral_mixture(std::size_t nodes, double scale) {
  GaussianMixture m;
  const double s = 0.1 * scale;
  nodes = even(nodes);
  for (std::size_t j = 0; j <= nodes; ++j) {
    const double theta = 6.0 * kPi * double(j) / double(nodes);
    const double r = scale / (2.0 * kPi) * theta;
    add(m, r * std::cos(theta), r * std::sin(theta), s * s, simpson_weight(j, nodes));
  }
  return m;
}

// moons(): θ ~ U[0, π], either moon with probability ½: upper (cos θ, sin θ), lower
// (1 − cos θ, 0.5 − sin θ); then 1.5·(p − (0.5, 0.25)) + 0.05·N(0, I), all times scale.
GaussianMixture moons_mixture(std::size_t nodes, double scale) {
  GaussianMixture m;
  const double s = 0.05 * scale;
  nodes = even(nodes);
  for (int upper = 1; upper >= 0; --upper) {
    for (std::size_t j = 0; j <= nodes; ++j) {
      const double theta = kPi * double(j) / double(nodes);
      const double px = upper ? std::cos(theta) : 1.0 - std::cos(theta);
      const double py = upper ? std::sin(theta) : 0.5 - std::sin(theta);
      add(m, scale * 1.5 * (px - 0.5), scale * 1.5 * (py - 0.25), s * s,
          0.5 * simpson_weight(j, nodes));
    }
  }
  return m;
}

// eight_gaussians(): centres 2·(cos kπ/4, sin kπ/4), σ = 0.2, all times scale.
GaussianMixture eight_gaussians_mixture(double scale) {
  GaussianMixture m;
  const double s = 0.2 * scale;
  for (int k = 0; k < 8; ++k)
    add(m, scale * 2.0 * std::cos(kPi / 4.0 * k), scale * 2.0 * std::sin(kPi / 4.0 * k), s * s,
        1.0 / 8.0);
  return m;
}
}  // namespace

bool GaussianMixture::has_density() const {
  for (double v : s2)
    if (!(v > 0.0)) return false;
  for (double v : ring_s2)
    if (!(v > 0.0)) return false;
  return !empty();
}

bool has_exact_field(const std::string& data) {
  return data == "spiral" || data == "moons" || data == "eight_gaussians" || data == "rings" ||
         data == "gaussian";
}

GaussianMixture target_mixture(const std::string& data, std::size_t nodes, double scale) {
  if (!(scale > 0.0) || !std::isfinite(scale)) {
    throw std::invalid_argument("exact field: scale must be positive, got " +
                                std::to_string(scale));
  }
  GaussianMixture m;
  if (data == "spiral") m = spiral_mixture(nodes ? nodes : kSpiralNodes, scale);
  if (data == "moons") m = moons_mixture(nodes ? nodes : kMoonNodes, scale);
  if (data == "eight_gaussians") m = eight_gaussians_mixture(scale);
  if (data == "gaussian") add(m, 0.0, 0.0, scale * scale, 1.0);
  if (data == "rings") {  // rings(): radius r ∈ {1, 2, 3} with probability r/6, radial σ 0.05
    for (int r = 1; r <= 3; ++r) {
      m.ring_r.push_back(scale * r);
      m.ring_s2.push_back(0.05 * scale * 0.05 * scale);
      m.ring_log_w.push_back(std::log(r / 6.0));
    }
    if (nodes) m.ring_nodes = nodes;
  }
  if (m.empty()) {
    if (data != "gaussian") check_dataset(data);  // an unknown name: the usual message
    throw std::invalid_argument(
        "exact field: data set '" + data +
        "' is not a mixture of Gaussians, so it has no closed-form velocity "
        "(choose spiral, moons, eight_gaussians, rings or a finite data set .npy)");
  }
  m.name = data;
  return m;
}

GaussianMixture points_mixture(const Array<float>& points, const std::string& name) {
  if (points.dimension() != 2 || points.shape()[1] != 2 || points.shape()[0] == 0) {
    Shape s(points.shape().begin(), points.shape().end());
    throw std::invalid_argument("exact field: data " + name + " must be [n,2] with n > 0, got " +
                                shape_to_string(s));
  }
  GaussianMixture m;
  const std::size_t n = points.shape()[0];
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(points(i, 0)) || !std::isfinite(points(i, 1))) {
      throw std::invalid_argument("exact field: data " + name + " row " + std::to_string(i) +
                                  " holds NaN or Inf");
    }
    add(m, points(i, 0), points(i, 1), 0.0, 1.0 / double(n));
  }
  m.name = name;
  return m;
}

}  // namespace minflow::flow
