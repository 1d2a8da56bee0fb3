#include "nn/lr_schedule.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace minflow::nn {

namespace {
// Linear warm-up to base_lr over `warmup` steps (lr = base·(t+1)/warmup for t < warmup),
// then a half cosine from base_lr down to min_lr at t = total:
//   lr = min + (base − min)·½(1 + cos(π·(t − warmup)/(total − warmup))),  min_lr from total on.
double warmup_cosine(double base_lr, double min_lr, std::int64_t warmup, std::int64_t total,
                     std::int64_t t) {
  // EXERCISE 2.4 BEGIN: warm-up and cosine decay
  if (t < warmup) return base_lr * static_cast<double>(t + 1) / static_cast<double>(warmup);
  if (t >= total) return min_lr;
  const double progress = static_cast<double>(t - warmup) / static_cast<double>(total - warmup);
  const double pi = 3.14159265358979323846;
  return min_lr + (base_lr - min_lr) * 0.5 * (1.0 + std::cos(pi * progress));
  // EXERCISE END
}
}  // namespace

LrSchedule LrSchedule::constant(double lr) {
  LrSchedule s;
  s.base_lr = lr;
  return s;
}

LrSchedule LrSchedule::step(double lr, std::int64_t every, double gamma) {
  if (every <= 0) {
    throw std::invalid_argument("step schedule: the period must be positive, got " +
                                std::to_string(every));
  }
  LrSchedule s;
  s.kind = ScheduleKind::step;
  s.base_lr = lr;
  s.step_size = every;
  s.gamma = gamma;
  return s;
}

LrSchedule LrSchedule::cosine(double lr, std::int64_t warmup_steps, std::int64_t total_steps,
                              double min_lr) {
  if (warmup_steps < 0 || total_steps <= warmup_steps) {
    throw std::invalid_argument("cosine schedule: need 0 ≤ warm-up < total steps, got " +
                                std::to_string(warmup_steps) + " and " +
                                std::to_string(total_steps));
  }
  LrSchedule s;
  s.kind = ScheduleKind::cosine;
  s.base_lr = lr;
  s.warmup_steps = warmup_steps;
  s.total_steps = total_steps;
  s.min_lr = min_lr;
  return s;
}

double LrSchedule::lr_at(std::int64_t t) const {
  if (t < 0) throw std::invalid_argument("lr_at: negative step " + std::to_string(t));
  switch (kind) {
    case ScheduleKind::constant:
      return base_lr;
    case ScheduleKind::step:
      return base_lr * std::pow(gamma, static_cast<double>(t / step_size));
    case ScheduleKind::cosine:
      return warmup_cosine(base_lr, min_lr, warmup_steps, total_steps, t);
  }
  return base_lr;
}

}  // namespace minflow::nn
