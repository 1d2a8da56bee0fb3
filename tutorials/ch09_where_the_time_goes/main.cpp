// Chapter 9: where the time goes.
//
// A stopwatch (std::chrono::steady_clock) around every stage: one training step cut into
// data, batch, forward, backward and Adam; sampling with Euler and RK4; the teacher's
// integration inside a reflow step. Then the two ways to feed reflow (pairs on the fly or
// from a pool made once), and why a flow is judged by its samples, not by its loss.
#include <chrono>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "../chapter_flow.hpp"
#include "base/thread_pool.hpp"
#include "flow/coupling.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/metrics.hpp"
#include "flow/reflow.hpp"
#include "flow/velocity_net.hpp"
#include "plot/plot.hpp"

using namespace minflow;

namespace {

using Clock = std::chrono::steady_clock;

struct Settings {
  std::size_t batch, repeats;       // section 1: a training step, timed `repeats` times
  std::size_t eval_n;               // points sampled and judged
  int sample_repeats;               // section 2: each sampling timed this often
  std::size_t teacher_steps;        // RK4 steps of the teacher (chapter 8's: 20)
  std::size_t reflow_steps, timed;  // section 3: student steps; on-the-fly steps timed
  std::size_t pool;                 // pairs in the pool
  std::vector<std::size_t> marks;   // section 4: where the flow is evaluated
};

// Milliseconds since `start`.
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The mean time of `repeats` calls of f, in milliseconds.
template <class F>
double time_ms(int repeats, F&& f) {
  const auto start = Clock::now();
  for (int i = 0; i < repeats; ++i)
    f();
  return ms_since(start) / repeats;
}

// Reflow's student as chapter 8 trains it, with `steps` optimizer steps at `batch` pairs.
flow::TrainSettings reflow_settings(std::size_t steps, std::size_t batch) {
  flow::TrainSettings s;
  s.kind = "reflow";
  s.steps = steps;
  s.batch = batch;
  s.time = flow::warped_time(0.5);
  return s;
}

// Chapter 8's student when its checkpoint beside ours matches `settings`, else null.
std::shared_ptr<nn::MLP> chapter8_student(const tutorial::ChapterArgs& args,
                                          const flow::TrainSettings& settings) {
  const auto folder = args.out.parent_path() / "ch08" / "reflow.ckpt";
  if (!tutorial::checkpoint_matches(folder, settings)) return nullptr;
  std::printf("using chapter 8's student %s\n", folder.string().c_str());
  return nn::load_mlp_checkpoint(folder).model;
}

void print_row(const char* name, double seconds, const flow::EulerReport& r) {
  std::printf("  %-24s %8.1f s %12.4f %10.5f %10.5f\n", name, seconds, r.straightness,
              r.euler[0].energy_distance, r.euler[1].energy_distance);
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch09");
  // Quick mode is tiny: it also runs under AddressSanitizer, where the net is ~500× slower.
  const Settings s =
      args.quick
          ? Settings{64, 5, 32, 1, 5, 10, 2, 256, {10, 20, 40, 80}}
          : Settings{2048, 200, 4096, 5, 20, 1000, 50, 65536, {200, 500, 1000, 2000, 5000, 10000}};
  const std::size_t batch = s.batch, repeats = s.repeats;
  std::printf("%d threads; batch %zu\n\n", num_threads(), batch);

  // 1. One flow-matching step, stage by stage (the body of flow::train, with a stopwatch).
  flow::TrainSettings fm;
  fm.batch = batch;
  flow::TrainState state = flow::new_train_state(fm);
  const flow::PairSource pairs = flow::independent_pairs(fm.data);
  const char* stage_names[] = {"data (x0, x1)", "batch (t, x_t, u)", "forward + loss", "backward",
                               "Adam step"};
  double stage_ms[5] = {0, 0, 0, 0, 0};
  Array<float> x0, x1;
  for (std::size_t step = 0; step < repeats; ++step) {
    auto t = Clock::now();
    pairs(fm.batch, state, x0, x1);
    stage_ms[0] += ms_since(t);
    t = Clock::now();
    const flow::FlowBatch b = flow::make_flow_batch(x0, x1, fm.time, state.generators.at("time"));
    stage_ms[1] += ms_since(t);
    t = Clock::now();
    state.optimizer->zero_grad();
    Tensor loss = flow::flow_matching_loss(*state.net, b);
    stage_ms[2] += ms_since(t);
    t = Clock::now();
    loss.backward();
    stage_ms[3] += ms_since(t);
    t = Clock::now();
    state.optimizer->step();
    stage_ms[4] += ms_since(t);
    state.loss.push_back(loss.item());
  }
  const double step_ms = std::accumulate(stage_ms, stage_ms + 5, 0.0) / repeats;
  std::printf("one training step (mean of %zu):\n", repeats);
  for (int i = 0; i < 5; ++i)
    std::printf("  %-20s %8.3f ms  %5.1f%%\n", stage_names[i], stage_ms[i] / repeats,
                100 * stage_ms[i] / repeats / step_ms);
  std::printf("  %-20s %8.3f ms\n\n", "total", step_ms);

  // 2. Sampling, and the teacher's integration inside one reflow step.
  auto teacher = tutorial::chapter4_flow(args);
  const auto v = flow::velocity_field(*teacher);
  flow::EvalSettings eval;
  eval.n = s.eval_n;
  Generator gen(0, "ch09");
  const Array<float> noise = flow::gaussian(gen, eval.n), pair_noise = flow::gaussian(gen, batch);
  flow::IntegrateOptions euler, rk4;
  rk4.solver = flow::Solver::rk4;
  rk4.steps = 20;
  const int sample_repeats = s.sample_repeats;
  flow::IntegrateOptions teacher_rk4 = rk4;
  teacher_rk4.steps = s.teacher_steps;
  const double euler_ms = time_ms(sample_repeats, [&] { flow::integrate(v, noise, euler); });
  const double rk4_ms = time_ms(sample_repeats, [&] { flow::integrate(v, noise, rk4); });
  const double teacher_ms =
      time_ms(sample_repeats, [&] { flow::integrate(v, pair_noise, teacher_rk4); });
  const Array<float> target = flow::evaluation_targets(eval);
  const Array<float> samples = flow::integrate(v, noise, rk4).x;
  const double ed_ms = time_ms(sample_repeats, [&] { flow::energy_distance(samples, target); });
  const double sw2_ms = time_ms(sample_repeats, [&] { flow::sliced_w2(samples, target); });
  std::printf(
      "%zu points: Euler 100 steps (100 NFE) %7.1f ms, RK4 20 steps (80 NFE) %7.1f ms\n"
      "            energy distance %7.1f ms, sliced W2 %7.1f ms\n",
      eval.n, euler_ms, rk4_ms, ed_ms, sw2_ms);
  std::printf(
      "the teacher's RK4-%zu for one reflow batch of %zu: %.1f ms = %.1f training steps\n\n",
      s.teacher_steps, batch, teacher_ms, teacher_ms / step_ms);

  // 3. Reflow's pairs: on the fly (chapter 8) against a pool integrated once.
  const std::size_t reflow_steps = s.reflow_steps, pool_size = s.pool, timed = s.timed;
  const flow::TrainSettings rs = reflow_settings(reflow_steps, batch);
  const flow::TeacherSettings by_rk4{flow::Solver::rk4, s.teacher_steps};
  flow::TrainState probe = flow::new_train_state_from(reflow_settings(timed, batch), *teacher);
  auto t = Clock::now();
  flow::train(probe, reflow_settings(timed, batch), flow::teacher_pairs(*teacher, by_rk4), {});
  const double fly_step_ms = ms_since(t) / timed;
  std::shared_ptr<nn::MLP> fly = chapter8_student(args, rs);
  if (!fly) {
    std::printf("no matching chapter-8 student found; training one (%zu steps)\n", reflow_steps);
    flow::TrainState student = flow::new_train_state_from(rs, *teacher);
    flow::train(student, rs, flow::teacher_pairs(*teacher, by_rk4), {});
    fly = student.net;
  }
  t = Clock::now();
  Generator pool_gen(0, "pool");
  const flow::PairPool pool = flow::make_pair_pool(*teacher, by_rk4, pool_size, batch, pool_gen);
  const double pool_ms = ms_since(t);
  flow::TrainState pooled = flow::new_train_state_from(rs, *teacher);
  t = Clock::now();
  flow::train(pooled, rs, flow::pool_pairs(pool), {});
  const double pooled_ms = pool_ms + ms_since(t);
  std::printf(
      "\nreflow, %zu steps at batch %zu       time  straightness   ED Euler 1  ED Euler 2\n",
      reflow_steps, batch);
  const std::vector<std::size_t> one_two = {1, 2};
  print_row("teacher (before)", 0.0, flow::euler_report(*teacher, eval, one_two));
  print_row("on the fly", fly_step_ms * reflow_steps / 1000,
            flow::euler_report(*fly, eval, one_two));
  const std::string pool_name = "pool of " + std::to_string(pool_size);
  print_row(pool_name.c_str(), pooled_ms / 1000, flow::euler_report(*pooled.net, eval, one_two));
  std::printf("  (on the fly: %.1f ms per step, timed over %zu steps; pool: %.1f s to make it)\n\n",
              fly_step_ms, timed, pool_ms / 1000);

  // 4. The loss against the metric: continue section 1's run and evaluate along the way.
  const std::vector<std::size_t>& marks = s.marks;
  std::printf("flow matching    loss (mean of the last 100 steps)   energy distance (RK4 20)\n");
  std::vector<double> losses, distances;
  for (std::size_t mark : marks) {
    fm.steps = std::max(mark, state.steps_done());
    flow::train(state, fm, pairs, {});
    const std::size_t window = std::min<std::size_t>(100, state.loss.size());
    losses.push_back(std::accumulate(state.loss.end() - window, state.loss.end(), 0.0) / window);
    distances.push_back(flow::sample_quality(*state.net, eval, rk4).energy_distance);
    std::printf("  step %6zu %18.4f %32.5f\n", state.steps_done(), losses.back(), distances.back());
  }
  const double floor = flow::noise_floor(eval).energy_distance;
  std::printf("  noise floor %54.5f\n", floor);
  std::printf(
      "from step %zu to %zu the loss fell by %.1f%%, the energy distance by a factor %.1f\n",
      marks.front(), marks.back(), 100 * (1 - losses.back() / losses.front()),
      distances.front() / distances.back());
  // The two on one linear axis, each divided by its value at the first mark: the loss (near
  // 1.9, and mostly its floor) and the energy distance (near 0.01) differ by a factor 200, so
  // on one log axis the loss looks flat whatever it does.
  const std::vector<double> at(marks.begin(), marks.end());
  std::vector<double> loss_ratio, distance_ratio;
  for (std::size_t k = 0; k < marks.size(); ++k) {
    loss_ratio.push_back(losses[k] / losses.front());
    distance_ratio.push_back(distances[k] / distances.front());
  }
  char loss_label[96], distance_label[96], floor_label[96];
  std::snprintf(loss_label, sizeof loss_label, "loss (mean of the last 100 steps) / %.4f",
                losses.front());
  std::snprintf(distance_label, sizeof distance_label, "energy distance (RK4 20) / %.5f",
                distances.front());
  std::snprintf(floor_label, sizeof floor_label, "noise floor of the energy distance, %.5f", floor);
  plot::LinePlot plot;
  plot.title = "flow matching: the loss against the quality of the samples";
  plot.xlabel = "optimizer step";
  plot.ylabel = "value / its value at step " + std::to_string(marks.front());
  plot.ymin = 0;
  plot.ymax = 1.1;
  plot.key = "center right";
  plot.extra = "set ytics 0.1";
  const double floor_ratio = floor / distances.front();
  plot.curves = {{at, loss_ratio, loss_label, "linespoints lw 2 pt 7", "#1f77b4"},
                 {at, distance_ratio, distance_label, "linespoints lw 2 pt 7", "#ff7f0e"},
                 {{at.front(), at.back()},
                  {floor_ratio, floor_ratio},
                  floor_label,
                  "lines lw 2 dt 2",
                  "#7f7f7f"}};
  std::printf("wrote %s\n", plot::plot_lines(args.out / "loss_vs_metric.png", plot).image.c_str());
  return 0;
}
