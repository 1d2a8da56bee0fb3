// Everything of the nn library in one include, for programs and tutorials.
#pragma once

#include "nn/activation.hpp"
#include "nn/adam.hpp"
#include "nn/checkpoint.hpp"
#include "nn/clip_grad.hpp"
#include "nn/config.hpp"
#include "nn/init.hpp"
#include "nn/linear.hpp"
#include "nn/loss.hpp"
#include "nn/lr_schedule.hpp"
#include "nn/mlp.hpp"
#include "nn/mlp_inference.hpp"
#include "nn/module.hpp"
#include "nn/npy.hpp"
#include "nn/optimizer_state.hpp"
#include "nn/sequential.hpp"
#include "nn/sgd.hpp"
