// Everything of the autograd library in one include: tensors, ops, backward, the guards,
// gradcheck and DOT export.
#pragma once

#include "autograd/dot.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "autograd/tensor.hpp"
