// Dormand–Prince 5(4): the adaptive integrator behind `--solver dopri5` (integrators.hpp).
#pragma once

#include "flow/integrators.hpp"

namespace minflow::flow {

template <class T>
IntegrateResult<T> integrate_dopri5(const VelocityField<T>& v, const Array<T>& x0,
                                    const IntegrateOptions& options);

}  // namespace minflow::flow
