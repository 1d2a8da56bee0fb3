// Everything of the base library in one include: the ground floor under the engine.
#pragma once

#include "base/atomic_file.hpp"
#include "base/interrupt.hpp"
#include "base/progress.hpp"
#include "base/random.hpp"
#include "base/thread_pool.hpp"
