// Rectified flow, "reflow" (Liu et al. 2022, arXiv:2209.03003; docs/design.md#reflow).
//
// Flow matching with random pairs learns curved paths: the straight lines x0 → x1 of
// different pairs cross, and the net learns their average, which bends. A trained flow
// (the teacher) gives a better coupling: pair each noise point x0 with the teacher's own
// image x1 = Φ(x0) (its ODE solution). These pairs' straight lines no longer cross (the
// teacher's paths never do), so a student trained on them learns nearly straight paths,
// and a few Euler steps — even one — land on the data.
//
// Pairs come two ways: on the fly (a new teacher integration every step; the tutorial's
// way, and most of reflow's cost) or from a pool integrated once up front (the paper's way).
#pragma once

#include <cstddef>
#include <string>

#include "base/progress.hpp"
#include "base/random.hpp"
#include "flow/integrators.hpp"
#include "flow/trainer.hpp"
#include "nn/module.hpp"

namespace minflow::flow {

struct TeacherSettings {
  Solver solver = Solver::rk4;
  std::size_t steps = 20;
  std::string source = "gaussian";  // where x0 is drawn from: the teacher's source
};

// x0 ~ the teacher's source from the "pairs" stream, x1 = the teacher's solution from x0 (no graph,
// rows split across the thread pool).
PairSource teacher_pairs(nn::Module& teacher, const TeacherSettings& teacher_settings);
// Any velocity field as the teacher (the exact field: `reflow --teacher-oracle`).
PairSource teacher_pairs(const VelocityField<float>& teacher,
                         const TeacherSettings& teacher_settings);

// N pairs made once, in batches of `batch` rows.
struct PairPool {
  Array<float> x0, x1;  // [N, 2] each
  std::size_t size() const { return x0.shape()[0]; }
};
PairPool make_pair_pool(nn::Module& teacher, const TeacherSettings& teacher_settings,
                        std::size_t pairs, std::size_t batch, Generator& gen,
                        Progress* progress = nullptr);
PairPool make_pair_pool(const VelocityField<float>& teacher,
                        const TeacherSettings& teacher_settings, std::size_t pairs,
                        std::size_t batch, Generator& gen, Progress* progress = nullptr);

// Minibatches drawn uniformly with replacement from the pool ("pairs" stream). The pool
// must outlive the returned source.
PairSource pool_pairs(const PairPool& pool);

}  // namespace minflow::flow
