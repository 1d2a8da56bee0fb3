// Everything of the flow library in one include: data, flow matching, integrators, reflow
// and metrics.
#pragma once

#include "flow/coupling.hpp"
#include "flow/datasets.hpp"
#include "flow/divergence.hpp"
#include "flow/dopri5.hpp"
#include "flow/evaluate.hpp"
#include "flow/integrators.hpp"
#include "flow/likelihood.hpp"
#include "flow/metrics.hpp"
#include "flow/reflow.hpp"
#include "flow/time_sampler.hpp"
#include "flow/time_warp.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"
