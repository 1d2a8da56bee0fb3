// Dormand–Prince 5(4): the adaptive integrator behind `--solver dopri5` (integrators.hpp).
#pragma once

#include "flow/integrators.hpp"

namespace minflow::flow {

// The factor by which the step size changes after a step whose scaled error norm is
// `error_norm` (≤ 1: accepted): clamp(0.9·norm^(−1/5), 0.2, 5), and 5 for a zero error.
double dopri5_step_factor(double error_norm);

template <class T>
IntegrateResult<T> integrate_dopri5(const VelocityField<T>& v, const Array<T>& x0,
                                    const IntegrateOptions& options);

}  // namespace minflow::flow
