// The continuity equation ∂p_t/∂t + ∇·(p_t u*) = 0 checked by central differences on a grid:
// the exact field u* must carry the mixture's own density p_t (the density of x_t) along.
// A wrong slope or weight in u* leaves a residual of the size of the terms.
#pragma once

#include <algorithm>
#include <cmath>

#include "flow/exact_field.hpp"

namespace minflow::flow::test {

inline Array<double> one_row(double x, double y) {
  Array<double> a = Array<double>::from_shape({1, 2});
  a(0, 0) = x;
  a(0, 1) = y;
  return a;
}

struct ContinuityResidual {
  double worst = 0.0;  // max |∂p/∂t + ∇·(p u*)| over the grid
  double scale = 0.0;  // max |∂p/∂t|: the size of the terms, so a residual can be judged
};

// Over the n × n grid (x0 + dx·a, y0 + dy·b), with steps h in x, y and t.
inline ContinuityResidual continuity_residual(const GaussianMixture& m, double t, double x0,
                                              double dx, double y0, double dy, int n = 9,
                                              double h = 1e-4) {
  auto p = [&](double px, double py, double pt) {
    return std::exp(log_density(m, one_row(px, py), pt)[0]);
  };
  auto flux = [&](double px, double py, int c) {
    return p(px, py, t) * exact_velocity(m, one_row(px, py), t)(0, c);
  };
  ContinuityResidual r;
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < n; ++b) {
      const double x = x0 + dx * a, y = y0 + dy * b;
      const double dpdt = (p(x, y, t + h) - p(x, y, t - h)) / (2 * h);
      const double div = (flux(x + h, y, 0) - flux(x - h, y, 0)) / (2 * h) +
                         (flux(x, y + h, 1) - flux(x, y - h, 1)) / (2 * h);
      r.worst = std::max(r.worst, std::abs(dpdt + div));
      r.scale = std::max(r.scale, std::abs(dpdt));
    }
  }
  return r;
}

}  // namespace minflow::flow::test
