// Learning-rate schedules: the learning rate as a function of the optimizer step.
//
//   constant  lr(t) = lr
//   step      lr(t) = lr·γ^⌊t/k⌋                              (×γ every k steps)
//   cosine    lr(t) = lr·(t + 1)/w                  for t < w  (linear warm-up over w steps)
//             lr(t) = lr_min + (lr − lr_min)·(1 + cos(π·(t − w)/(T − w)))/2   for w ≤ t < T
//             lr(t) = lr_min                        for t ≥ T
// where t = 0, 1, … counts the steps already taken (t = 0 for the first step). The warm-up
// starts at lr/w rather than 0 so that no step is wasted. Use it before each step:
//
//   optimizer.set_lr(schedule.lr_at(step));
//   optimizer.step();
#pragma once

#include <cstdint>

namespace minflow::nn {

enum class ScheduleKind { constant, step, cosine };

struct LrSchedule {
  ScheduleKind kind = ScheduleKind::constant;
  double base_lr = 1e-3;
  std::int64_t step_size = 1;     // step: k
  double gamma = 1.0;             // step: γ
  std::int64_t warmup_steps = 0;  // cosine: w
  std::int64_t total_steps = 1;   // cosine: T
  double min_lr = 0.0;            // cosine: lr_min

  static LrSchedule constant(double lr);
  static LrSchedule step(double lr, std::int64_t every, double gamma);
  static LrSchedule cosine(double lr, std::int64_t warmup_steps, std::int64_t total_steps,
                           double min_lr = 0.0);

  double lr_at(std::int64_t t) const;
};

}  // namespace minflow::nn
