// Dormand–Prince 5(4): the adaptive integrator behind `--solver dopri5` (integrators.hpp).
#pragma once

#include "flow/integrators.hpp"

namespace minflow::flow {

template <class T>
IntegrateResult<T> integrate_dopri5(const VelocityField<T>& v, const Array<T>& x0,
                                    const IntegrateOptions& options);

// out = x + h·k elementwise (defined in integrators.cpp).
template <class T>
Array<T> axpy(const Array<T>& x, double h, const Array<T>& k);

}  // namespace minflow::flow
