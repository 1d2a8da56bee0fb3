// Distillation after reflow (Liu et al. 2022, arXiv:2209.03003, §2.3; docs/design.md#distillation).
//
// A reflowed net's paths are nearly straight, but "nearly" still costs quality at one Euler
// step. Distillation stops asking the student for a velocity field and asks for the map: a
// student trained so that k Euler steps from x0 land where the teacher's accurate solution
// (RK4) lands. With the grid t_j = j/k and the teacher's states X_j = Φ_{0→t_j}(x0), the
// student's velocity at (X_j, t_j) regresses onto the segment's slope
//     u_j = (X_{j+1} − X_j) · k,
// so one Euler step of size 1/k from X_j lands exactly on X_{j+1}. For k = 1 this is
// v(x0, 0) ≈ x1 − x0: only t = 0 is trained, and one Euler step is the whole map.
//
// Unlike reflow, the student is not trained at any other time: it is a k-step sampler, not
// a field for other integrators.
#pragma once

#include <cstddef>

#include "base/progress.hpp"
#include "base/random.hpp"
#include "flow/coupling.hpp"
#include "flow/reflow.hpp"
#include "flow/trainer.hpp"

namespace minflow::flow {

struct DistillSettings {
  std::size_t k = 1;        // the student's Euler steps
  TeacherSettings teacher;  // the teacher's solver; its steps are spread over the k segments
};

// The teacher's states X_0 … X_k at t_j = j/k from the rows of x0: [k + 1, n, 2] flattened
// as points[j] (each [n, 2]). Each segment is integrated with ceil(steps / k) steps of the
// teacher's solver (so k = 1 is exactly reflow's RK4-20 pair).
std::vector<Array<float>> teacher_grid_states(const VelocityField<float>& teacher,
                                              const DistillSettings& settings,
                                              const Array<float>& x0);

// The slope of one segment of the grid: (to − from)·k, row by row, so that one Euler step
// of size 1/k from `from` lands on `to` (exercise 13.3).
Array<float> segment_velocity(const Array<float>& from, const Array<float>& to, std::size_t k);

// The regression batch from grid states: row i uses segment j_i (drawn uniformly from the
// "time" stream when k > 1; always 0 when k = 1): t = j/k, x_t = X_j, u = (X_{j+1} − X_j)·k.
FlowBatch distill_batch(const std::vector<Array<float>>& states, std::size_t k,
                        Generator& time_gen);

// Batches on the fly: fresh x0 ~ gaussian ("pairs" stream) and a teacher integration per step.
BatchSource distill_batches(const VelocityField<float>& teacher, const DistillSettings& settings);

// N trajectories integrated once; batches draw a trajectory uniformly with replacement
// ("pairs" stream), then a segment ("time" stream). The pool must outlive the source.
struct DistillPool {
  std::vector<Array<float>> states;  // k + 1 arrays [N, 2]
  std::size_t size() const { return states.empty() ? 0 : states[0].shape()[0]; }
};
DistillPool make_distill_pool(const VelocityField<float>& teacher, const DistillSettings& settings,
                              std::size_t trajectories, std::size_t batch, Generator& gen,
                              Progress* progress = nullptr);
BatchSource distill_pool_batches(const DistillPool& pool, std::size_t k);

// The student's k-step Euler map and the teacher's solution from the same x0: the mean
// squared distance per point between them (the distillation's own error).
double map_error(const VelocityField<float>& student, const VelocityField<float>& teacher,
                 const DistillSettings& settings, const Array<float>& x0);

}  // namespace minflow::flow
