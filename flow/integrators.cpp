#include "flow/integrators.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "flow/dopri5.hpp"
#include "flow/time_warp.hpp"

namespace minflow::flow {

Solver parse_solver(const std::string& name) {
  if (name == "euler") return Solver::euler;
  if (name == "midpoint") return Solver::midpoint;
  if (name == "heun") return Solver::heun;
  if (name == "rk4") return Solver::rk4;
  if (name == "dopri5") return Solver::dopri5;
  throw std::invalid_argument("unknown solver '" + name +
                              "' (choose euler, midpoint, heun, rk4, dopri5)");
}

std::string solver_name(Solver solver) {
  switch (solver) {
    case Solver::euler:
      return "euler";
    case Solver::midpoint:
      return "midpoint";
    case Solver::heun:
      return "heun";
    case Solver::rk4:
      return "rk4";
    case Solver::dopri5:
      return "dopri5";
  }
  return "";
}

std::size_t solver_stages(Solver solver) {
  switch (solver) {
    case Solver::euler:
      return 1;
    case Solver::midpoint:
      return 2;
    case Solver::heun:
      return 2;
    case Solver::rk4:
      return 4;
    case Solver::dopri5:
      return 6;
  }
  return 0;
}

std::vector<double> time_grid(std::size_t steps, double grid_warp, bool reverse) {
  std::vector<double> t(steps + 1);
  for (std::size_t k = 0; k <= steps; ++k) {
    const double u = static_cast<double>(k) / static_cast<double>(steps);
    t[k] = grid_warp == 1.0 ? u : warp_time(u, grid_warp);
  }
  t.front() = 0.0;
  t.back() = 1.0;
  if (reverse) std::reverse(t.begin(), t.end());
  return t;
}

// out = x + h·k, elementwise (the building block of every Runge–Kutta stage).
template <class T>
Array<T> axpy(const Array<T>& x, double h, const Array<T>& k) {
  Array<T> out = Array<T>::from_shape(x.shape());
  const T hh = static_cast<T>(h);
  for (std::size_t i = 0, n = x.size(); i < n; ++i)
    out.data()[i] = x.data()[i] + hh * k.data()[i];
  return out;
}
template Array<float> axpy(const Array<float>&, double, const Array<float>&);
template Array<double> axpy(const Array<double>&, double, const Array<double>&);

namespace {

// Each step goes from (x, t) with step h (negative when integrating backwards) and returns
// x at t + h; axpy(x, h, k) is x + h·k.

// Euler: x + h·v(x, t). First order: the error at t = 1 halves when h halves.
template <class T>
Array<T> euler_step(const VelocityField<T>& v, const Array<T>& x, double t, double h) {
  // EXERCISE 5.1 BEGIN: the Euler step
  return axpy(x, h, v(x, t));
  // EXERCISE END
}

// Midpoint: evaluate at the half step. Second order.
template <class T>
Array<T> midpoint_step(const VelocityField<T>& v, const Array<T>& x, double t, double h) {
  Array<T> k1 = v(x, t);
  return axpy(x, h, v(axpy(x, h / 2, k1), t + h / 2));
}

// Heun: the average of the slopes at both ends (the trapezoid rule). Second order.
template <class T>
Array<T> heun_step(const VelocityField<T>& v, const Array<T>& x, double t, double h) {
  //   k1 = v(x, t),  k2 = v(x + h·k1, t + h),  x_new = x + (h/2)·(k1 + k2)
  // EXERCISE 6.1 BEGIN: Heun's step
  Array<T> k1 = v(x, t);
  Array<T> k2 = v(axpy(x, h, k1), t + h);
  Array<T> out = Array<T>::from_shape(x.shape());
  const T half_h = static_cast<T>(h / 2);
  for (std::size_t i = 0, n = x.size(); i < n; ++i)
    out.data()[i] = x.data()[i] + half_h * (k1.data()[i] + k2.data()[i]);
  return out;
  // EXERCISE END
}

// RK4: Simpson's rule on the slopes. Fourth order.
template <class T>
Array<T> rk4_step(const VelocityField<T>& v, const Array<T>& x, double t, double h) {
  //   k1 = v(x, t)                k2 = v(x + (h/2)·k1, t + h/2)
  //   k3 = v(x + (h/2)·k2, t + h/2)   k4 = v(x + h·k3, t + h)
  //   x_new = x + (h/6)·(k1 + 2·k2 + 2·k3 + k4)
  // EXERCISE 6.2 BEGIN: the RK4 step
  Array<T> k1 = v(x, t);
  Array<T> k2 = v(axpy(x, h / 2, k1), t + h / 2);
  Array<T> k3 = v(axpy(x, h / 2, k2), t + h / 2);
  Array<T> k4 = v(axpy(x, h, k3), t + h);
  Array<T> out = Array<T>::from_shape(x.shape());
  const T sixth_h = static_cast<T>(h / 6);
  for (std::size_t i = 0, n = x.size(); i < n; ++i) {
    out.data()[i] =
        x.data()[i] + sixth_h * (k1.data()[i] + 2 * k2.data()[i] + 2 * k3.data()[i] + k4.data()[i]);
  }
  return out;
  // EXERCISE END
}

// One step of a fixed-step method; adds the evaluations it makes to nfe.
template <class T>
Array<T> fixed_step(Solver solver, const VelocityField<T>& v, const Array<T>& x, double t, double h,
                    std::size_t& nfe) {
  nfe += solver_stages(solver);
  switch (solver) {
    case Solver::euler:
      return euler_step(v, x, t, h);
    case Solver::midpoint:
      return midpoint_step(v, x, t, h);
    case Solver::heun:
      return heun_step(v, x, t, h);
    case Solver::rk4:
      return rk4_step(v, x, t, h);
    case Solver::dopri5:
      break;
  }
  throw std::logic_error("fixed_step: dopri5 is adaptive");
}

}  // namespace

template <class T>
IntegrateResult<T> integrate(const VelocityField<T>& v, const Array<T>& x0,
                             const IntegrateOptions& options) {
  check_warp_s(options.grid_warp);
  if (options.solver == Solver::dopri5) return integrate_dopri5(v, x0, options);
  if (options.steps == 0) throw std::invalid_argument("integrate: steps must be positive, got 0");

  IntegrateResult<T> result;
  result.x = x0;
  const std::vector<double> grid = time_grid(options.steps, options.grid_warp, options.reverse);
  if (options.record_trajectory) {
    result.trajectory.reserve(options.steps + 1);
    result.trajectory.push_back(x0);
    result.times = grid;
  }
  for (std::size_t k = 0; k < options.steps; ++k) {
    const double t = grid[k], h = grid[k + 1] - grid[k];
    result.x = fixed_step(options.solver, v, result.x, t, h, result.nfe);
    ++result.steps;
    if (options.record_trajectory) result.trajectory.push_back(result.x);
  }
  return result;
}

template IntegrateResult<float> integrate(const VelocityField<float>&, const Array<float>&,
                                          const IntegrateOptions&);
template IntegrateResult<double> integrate(const VelocityField<double>&, const Array<double>&,
                                           const IntegrateOptions&);

}  // namespace minflow::flow
