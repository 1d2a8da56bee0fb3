// ODE integrators for dx/dt = v(x, t) (docs/design.md#integrators), forward (t: 0 → 1, noise →
// data) or backward (1 → 0, data → noise), on a uniform or a warped time grid.
//
// "n steps" means exactly n updates on the grid t_k = k/n (or warp(k/n; s)), so the last
// update lands on t = 1. NFE, the number of evaluations of v, is n × stages for the fixed-
// step methods (Euler 1, midpoint 2, Heun 2, RK4 4); Dopri5 chooses its own steps and
// counts every evaluation, rejected steps included.
//
// The scalar type is a template parameter so that the order tests can run in double.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace minflow::flow {

// v(x, t) for all rows of x at one time t; returns an array of x's shape.
template <class T>
using VelocityField = std::function<Array<T>(const Array<T>& x, double t)>;

enum class Solver { euler, midpoint, heun, rk4, dopri5 };
Solver parse_solver(const std::string& name);  // throws naming the choices
std::string solver_name(Solver solver);
std::size_t solver_stages(Solver solver);  // evaluations per fixed step; dopri5: 6 (FSAL)

struct IntegrateOptions {
  Solver solver = Solver::euler;
  std::size_t steps = 100;          // fixed-step methods
  double grid_warp = 1.0;           // t_k = warp(k/steps; grid_warp); 1 is the uniform grid
  bool reverse = false;             // integrate from t = 1 down to t = 0
  bool record_trajectory = false;   // keep the start and every accepted step's end point
  double rtol = 1e-5, atol = 1e-5;  // dopri5 tolerances
  double min_step = 1e-7;           // dopri5 gives up below this step size
  std::size_t max_steps = 1000000;  // dopri5 gives up after this many attempted steps
};

template <class T>
struct IntegrateResult {
  Array<T> x;                        // the end points
  std::size_t nfe = 0;               // evaluations of v
  std::size_t steps = 0;             // accepted steps
  std::size_t rejected = 0;          // dopri5's rejected steps
  std::vector<Array<T>> trajectory;  // [start, after step 1, …] when recorded
  std::vector<double> times;         // the time of each trajectory row (dopri5's accepted t)
};

// out = x + h·k elementwise: the building block of every Runge–Kutta stage.
template <class T>
Array<T> axpy(const Array<T>& x, double h, const Array<T>& k);

// The times t_0 … t_steps visited by a fixed-step integration, in integration order.
std::vector<double> time_grid(std::size_t steps, double grid_warp, bool reverse);

// Integrates from x0 (the rows are independent particles). Fixed-step methods use
// options.steps; dopri5 uses the tolerances. Throws std::invalid_argument on bad options
// and std::runtime_error if dopri5's step size collapses.
template <class T>
IntegrateResult<T> integrate(const VelocityField<T>& v, const Array<T>& x0,
                             const IntegrateOptions& options);

}  // namespace minflow::flow
