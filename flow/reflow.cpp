#include "flow/reflow.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "base/interrupt.hpp"
#include "flow/datasets.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::flow {

namespace {
Array<float> teacher_solution(const VelocityField<float>& teacher, const TeacherSettings& settings,
                              const Array<float>& x0) {
  IntegrateOptions options;
  options.solver = settings.solver;
  options.steps = settings.steps;
  return integrate(teacher, x0, options).x;
}
}  // namespace

PairSource teacher_pairs(nn::Module& teacher, const TeacherSettings& teacher_settings) {
  return teacher_pairs(velocity_field(teacher), teacher_settings);
}

PairSource teacher_pairs(const VelocityField<float>& teacher,
                         const TeacherSettings& teacher_settings) {
  // A PairSource that, on each call, draws x0 from the teacher's source
  // (sample_dataset(teacher_settings.source, state.generators.at("pairs"), batch): the
  // Gaussian by default) and pairs it with the teacher's image x1 = Φ(x0), the teacher's ODE
  // solution from t = 0 to 1 (teacher_solution above): the coupling whose straight lines no
  // longer cross.
  // EXERCISE 8.1 BEGIN: the reflow pairs
  return [teacher, teacher_settings](std::size_t batch, TrainState& state, Array<float>& x0,
                                     Array<float>& x1) {
    x0 = sample_dataset(teacher_settings.source, state.generators.at("pairs"), batch);
    x1 = teacher_solution(teacher, teacher_settings, x0);
  };
  // EXERCISE END
}

PairPool make_pair_pool(nn::Module& teacher, const TeacherSettings& teacher_settings,
                        std::size_t pairs, std::size_t batch, Generator& gen, Progress* progress) {
  return make_pair_pool(velocity_field(teacher), teacher_settings, pairs, batch, gen, progress);
}

PairPool make_pair_pool(const VelocityField<float>& teacher,
                        const TeacherSettings& teacher_settings, std::size_t pairs,
                        std::size_t batch, Generator& gen, Progress* progress) {
  if (pairs == 0 || batch == 0)
    throw std::invalid_argument("make_pair_pool: pairs and batch must be positive");
  PairPool pool{Array<float>::from_shape({pairs, 2}), Array<float>::from_shape({pairs, 2})};
  for (std::size_t begin = 0; begin < pairs; begin += batch) {
    const std::size_t rows = std::min(batch, pairs - begin);
    const Array<float> x0 = sample_dataset(teacher_settings.source, gen, rows);
    const Array<float> x1 = teacher_solution(teacher, teacher_settings, x0);
    std::copy(x0.begin(), x0.end(), pool.x0.data() + 2 * begin);
    std::copy(x1.begin(), x1.end(), pool.x1.data() + 2 * begin);
    if (progress) progress->update(begin + rows, std::nan(""));
    if (interrupt_signal()) return pool;  // Ctrl-C: the caller sees the signal and stops
  }
  if (progress) progress->finish();
  return pool;
}

PairSource pool_pairs(const PairPool& pool) {
  return [&pool](std::size_t batch, TrainState& state, Array<float>& x0, Array<float>& x1) {
    Generator& gen = state.generators.at("pairs");
    x0 = Array<float>::from_shape({batch, 2});
    x1 = Array<float>::from_shape({batch, 2});
    const auto n = static_cast<std::uint32_t>(pool.size());
    for (std::size_t i = 0; i < batch; ++i) {
      const std::size_t row = gen.below(n);
      for (std::size_t j = 0; j < 2; ++j) {
        x0(i, j) = pool.x0(row, j);
        x1(i, j) = pool.x1(row, j);
      }
    }
  };
}

}  // namespace minflow::flow
