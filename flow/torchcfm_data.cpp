#include "flow/torchcfm_data.hpp"

#include <cmath>
#include <stdexcept>

namespace minflow::flow {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

const std::vector<std::string>& torchcfm_dataset_names() {
  static const std::vector<std::string> names = {"gaussian", "8gaussians", "moons", "scurve"};
  return names;
}

Array<float> sample_torchcfm(const std::string& name, Generator& gen, std::size_t n) {
  Array<float> x = Array<float>::from_shape({n, 2});
  auto set = [&x](std::size_t i, double px, double py) {
    x(i, 0) = static_cast<float>(px);
    x(i, 1) = static_cast<float>(py);
  };
  if (name == "gaussian") {
    for (std::size_t i = 0; i < n; ++i) {
      const double px = gen.normal(), py = gen.normal();
      set(i, px, py);
    }
  } else if (name == "8gaussians") {
    const double sd = std::pow(0.1, 0.25);  // covariance √0.1·I
    for (std::size_t i = 0; i < n; ++i) {
      const double angle = kPi / 4.0 * gen.below(8);
      const double nx = gen.normal(), ny = gen.normal();
      set(i, 5.0 * std::cos(angle) + sd * nx, 5.0 * std::sin(angle) + sd * ny);
    }
  } else if (name == "moons") {
    for (std::size_t i = 0; i < n; ++i) {
      const double theta = gen.uniform(0.0, kPi);
      const bool upper = gen.below(2) == 0;
      const double shift = 0.2 * gen.uniform_double();
      const double px = (upper ? std::cos(theta) : 1.0 - std::cos(theta)) + shift;
      const double py = (upper ? std::sin(theta) : 0.5 - std::sin(theta)) + shift;
      set(i, 3.0 * px - 1.0, 3.0 * py - 1.0);
    }
  } else if (name == "scurve") {
    for (std::size_t i = 0; i < n; ++i) {
      const double t = 3.0 * kPi * (gen.uniform_double() - 0.5);
      const double nx = gen.normal(), nz = gen.normal();
      const double px = std::sin(t) + 0.05 * nx;
      const double pz = (t < 0 ? -1.0 : 1.0) * (std::cos(t) - 1.0) + 0.05 * nz;
      set(i, 1.5 * px, 1.5 * pz);
    }
  } else {
    throw std::invalid_argument("sample_torchcfm: unknown set '" + name +
                                "' (choose gaussian, 8gaussians, moons, scurve)");
  }
  return x;
}

}  // namespace minflow::flow
