#include "flow/distill.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "flow/datasets.hpp"

namespace minflow::flow {

namespace {
void check_k(std::size_t k, const char* who) {
  if (k == 0) throw std::invalid_argument(std::string(who) + ": k must be positive, got 0");
}
}  // namespace

std::vector<Array<float>> teacher_grid_states(const VelocityField<float>& teacher,
                                              const DistillSettings& settings,
                                              const Array<float>& x0) {
  check_k(settings.k, "teacher_grid_states");
  if (settings.teacher.solver == Solver::dopri5) {
    throw std::invalid_argument("teacher_grid_states: the teacher needs a fixed-step solver");
  }
  const std::size_t k = settings.k;
  const std::size_t per = std::max<std::size_t>(1, (settings.teacher.steps + k - 1) / k);
  IntegrateOptions options;
  options.solver = settings.teacher.solver;
  options.steps = per * k;  // the grid t = m/(per·k) contains every j/k
  options.record_trajectory = k > 1;
  IntegrateResult<float> r = integrate(teacher, x0, options);
  if (k == 1) return {x0, r.x};
  std::vector<Array<float>> states;
  for (std::size_t j = 0; j <= k; ++j)
    states.push_back(r.trajectory.at(j * per));
  return states;
}

// The distillation target of one segment of the k-step grid t_j = j/k. The teacher's states
// X_j (the rows of `from`) and X_{j+1} (of `to`) are where its accurate solution is at t_j and
// t_{j+1}; the student at (X_j, t_j) regresses onto the segment's slope
//   u = (X_{j+1} − X_j) · k,
// so that one Euler step of size h = 1/k, X_j + h·u, lands exactly on X_{j+1}. For k = 1:
// u = x1 − x0, one step from noise to the teacher's sample.
Array<float> segment_velocity(const Array<float>& from, const Array<float>& to, std::size_t k) {
  // EXERCISE 13.3 BEGIN: the distillation target for k steps
  Array<float> u = Array<float>::from_shape(from.shape());
  for (std::size_t i = 0; i < u.size(); ++i)
    u.data()[i] = (to.data()[i] - from.data()[i]) * static_cast<float>(k);
  return u;
  // EXERCISE END
}

FlowBatch distill_batch(const std::vector<Array<float>>& states, std::size_t k,
                        Generator& time_gen) {
  check_k(k, "distill_batch");
  if (states.size() != k + 1) {
    throw std::invalid_argument("distill_batch: expected " + std::to_string(k + 1) +
                                " grid states, got " + std::to_string(states.size()));
  }
  const std::size_t n = states[0].shape()[0];
  std::vector<Array<float>> slopes;  // u of every segment for every row
  for (std::size_t j = 0; j < k; ++j)
    slopes.push_back(segment_velocity(states[j], states[j + 1], k));
  FlowBatch b{Array<float>::from_shape({n, 1}), Array<float>::from_shape({n, 2}),
              Array<float>::from_shape({n, 2})};
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = k == 1 ? 0 : time_gen.below(static_cast<std::uint32_t>(k));
    b.t(i, 0) = static_cast<float>(double(j) / double(k));
    for (std::size_t c = 0; c < 2; ++c) {
      b.xt(i, c) = states[j](i, c);
      b.u(i, c) = slopes[j](i, c);
    }
  }
  return b;
}

BatchSource distill_batches(const VelocityField<float>& teacher, const DistillSettings& settings) {
  check_k(settings.k, "distill_batches");
  return [teacher, settings](std::size_t batch, TrainState& state) {
    const Array<float> x0 = gaussian(state.generators.at("pairs"), batch);
    return distill_batch(teacher_grid_states(teacher, settings, x0), settings.k,
                         state.generators.at("time"));
  };
}

DistillPool make_distill_pool(const VelocityField<float>& teacher, const DistillSettings& settings,
                              std::size_t trajectories, std::size_t batch, Generator& gen,
                              Progress* progress) {
  if (trajectories == 0 || batch == 0)
    throw std::invalid_argument("make_distill_pool: trajectories and batch must be positive");
  DistillPool pool;
  for (std::size_t j = 0; j <= settings.k; ++j)
    pool.states.push_back(Array<float>::from_shape({trajectories, 2}));
  for (std::size_t begin = 0; begin < trajectories; begin += batch) {
    const std::size_t rows = std::min(batch, trajectories - begin);
    const auto states = teacher_grid_states(teacher, settings, gaussian(gen, rows));
    for (std::size_t j = 0; j <= settings.k; ++j)
      std::copy(states[j].begin(), states[j].end(), pool.states[j].data() + 2 * begin);
    if (progress) progress->update(begin + rows, std::nan(""));
  }
  if (progress) progress->finish();
  return pool;
}

BatchSource distill_pool_batches(const DistillPool& pool, std::size_t k) {
  check_k(k, "distill_pool_batches");
  if (pool.states.size() != k + 1)
    throw std::invalid_argument("distill_pool_batches: the pool was made for another k");
  return [&pool, k](std::size_t batch, TrainState& state) {
    Generator& gen = state.generators.at("pairs");
    const auto n = static_cast<std::uint32_t>(pool.size());
    std::vector<Array<float>> states(k + 1, Array<float>::from_shape({batch, 2}));
    for (std::size_t i = 0; i < batch; ++i) {
      const std::size_t row = gen.below(n);
      for (std::size_t j = 0; j <= k; ++j)
        for (std::size_t c = 0; c < 2; ++c)
          states[j](i, c) = pool.states[j](row, c);
    }
    return distill_batch(states, k, state.generators.at("time"));
  };
}

double map_error(const VelocityField<float>& student, const VelocityField<float>& teacher,
                 const DistillSettings& settings, const Array<float>& x0) {
  IntegrateOptions euler;
  euler.solver = Solver::euler;
  euler.steps = settings.k;
  const Array<float> mine = integrate(student, x0, euler).x;
  const Array<float> theirs = teacher_grid_states(teacher, settings, x0).back();
  double sum = 0.0;
  for (std::size_t i = 0; i < x0.shape()[0]; ++i) {
    const double dx = double(mine(i, 0)) - theirs(i, 0), dy = double(mine(i, 1)) - theirs(i, 1);
    sum += dx * dx + dy * dy;
  }
  return sum / double(x0.shape()[0]);
}

}  // namespace minflow::flow
