#include "flow/labels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "flow/datasets.hpp"

namespace minflow::flow {

namespace {
constexpr double kPi = 3.14159265358979323846;

std::size_t nearest_centre(double x, double y) {  // eight Gaussians: the angle's sector
  double angle = std::atan2(y, x);
  if (angle < 0) angle += 2.0 * kPi;
  return static_cast<std::size_t>(std::lround(angle / (kPi / 4.0))) % 8;
}

// Distance from p to the arc of the unit circle about c with angles in [a0, a0 + π].
double arc_distance(double px, double py, double cx, double cy, double a0) {
  const double dx = px - cx, dy = py - cy;
  double angle = std::atan2(dy, dx) - a0;
  angle -= 2.0 * kPi * std::floor(angle / (2.0 * kPi));
  if (angle <= kPi) return std::abs(std::hypot(dx, dy) - 1.0);
  const double e0x = cx + std::cos(a0), e0y = cy + std::sin(a0);  // the nearer end point
  const double e1x = cx + std::cos(a0 + kPi), e1y = cy + std::sin(a0 + kPi);
  return std::min(std::hypot(px - e0x, py - e0y), std::hypot(px - e1x, py - e1y));
}

std::size_t nearest_moon(double x, double y) {
  // Undo the moons' placement: raw = p/1.5 + (0.5, 0.25). Upper moon: unit circle about
  // (0, 0), angles [0, π]; lower: about (1, 0.5), angles [π, 2π].
  const double rx = x / 1.5 + 0.5, ry = y / 1.5 + 0.25;
  return arc_distance(rx, ry, 0.0, 0.0, 0.0) <= arc_distance(rx, ry, 1.0, 0.5, kPi) ? 0 : 1;
}

std::size_t nearest_ring(double x, double y) {
  const double r = std::hypot(x, y);
  return r < 1.5 ? 0 : (r < 2.5 ? 1 : 2);
}

// The spiral's curve c(θ) = (θ/2π)(cos θ, sin θ): at the point's polar angle φ ∈ [0, 2π) it
// passes at radii φ/2π + j, j = 0, 1, 2 (turn j, θ = φ + 2πj). The class is the turn whose
// radius is nearest the point's; turns are 1 apart and the noise is 0.1, so this is the
// nearest curve point's turn except within a few noise widths of the ends.
std::size_t nearest_turn(double x, double y) {
  double phi = std::atan2(y, x);
  if (phi < 0) phi += 2.0 * kPi;
  const double j = std::round(std::hypot(x, y) - phi / (2.0 * kPi));
  return static_cast<std::size_t>(std::clamp(j, 0.0, 2.0));
}
}  // namespace

std::size_t dataset_classes(const std::string& data) {
  if (data == "eight_gaussians") return 8;
  if (data == "moons") return 2;
  if (data == "rings" || data == "spiral") return 3;
  return 0;
}

std::string describe_classes(const std::string& data) {
  if (data == "eight_gaussians") return "0-7: the centres 2(cos k pi/4, sin k pi/4)";
  if (data == "moons") return "0: the upper moon, 1: the lower moon";
  if (data == "rings") return "0: radius 1, 1: radius 2, 2: radius 3";
  if (data == "spiral") return "0-2: the spiral's turns, inner to outer";
  return "no classes";
}

std::vector<std::size_t> label_points(const std::string& data, const Array<float>& x) {
  if (dataset_classes(data) == 0)
    throw std::invalid_argument("label_points: data set '" + data + "' has no classes");
  std::size_t (*label)(double, double) = data == "eight_gaussians" ? nearest_centre
                                         : data == "moons"         ? nearest_moon
                                         : data == "rings"         ? nearest_ring
                                                                   : nearest_turn;
  std::vector<std::size_t> labels(x.shape()[0]);
  for (std::size_t i = 0; i < labels.size(); ++i)
    labels[i] = label(x(i, 0), x(i, 1));
  return labels;
}

LabelledPoints sample_labelled(const std::string& data, Generator& gen, std::size_t n) {
  LabelledPoints out{sample_dataset(data, gen, n), {}};
  out.labels = label_points(data, out.x);
  return out;
}

}  // namespace minflow::flow
