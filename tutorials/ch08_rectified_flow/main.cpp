// Chapter 8: rectified flow.
//
// Chapter 4's flow (the teacher) carries noise to the spiral along curved paths, so a few
// Euler steps miss. Reflow pairs every noise point x0 with the teacher's own image of it
// (its RK4-20 solution) and trains a copy of the teacher (the student) on those pairs. The
// student's paths are nearly straight, and one Euler step almost lands on the data.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "../chapter_flow.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/integrators.hpp"
#include "flow/velocity_net.hpp"
#include "plot/plot.hpp"

using namespace minflow;

namespace {

struct Settings {
  std::size_t steps, batch;            // the student's optimizer steps and pairs per step
  std::size_t teacher_steps;           // RK4 steps of the teacher (20; fewer in quick mode)
  std::size_t arrows;                  // pairs drawn and tested for crossings
  std::size_t eval_n;                  // points for the before/after table
  std::vector<std::size_t> euler;      // its Euler step counts
  std::size_t particles, frame_steps;  // the animations: as chapter 5's flowmatch.gif
};

// The one new part of reflow's training loop: where a batch of pairs comes from. Flow
// matching drew x1 from the data, independently of x0; here x1 is the teacher's RK4
// solution from x0. velocity_field runs the net without building a graph.
flow::PairSource pairs_from_teacher(nn::Module& teacher, std::size_t rk4_steps) {
  return [&teacher, rk4_steps](std::size_t batch, flow::TrainState& state, Array<float>& x0,
                               Array<float>& x1) {
    x0 = flow::gaussian(state.generators.at("pairs"), batch);
    flow::IntegrateOptions rk4;
    rk4.solver = flow::Solver::rk4;
    rk4.steps = rk4_steps;
    x1 = flow::integrate(flow::velocity_field(teacher), x0, rk4).x;
  };
}

// True when the segments a→b and c→d cross (each one's ends lie on both sides of the other).
bool segments_cross(const float* a, const float* b, const float* c, const float* d) {
  auto side = [](const float* p, const float* q, const float* r) {
    return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
  };
  return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
}

// The fraction of pairs of segments x0_i → x1_i that cross.
double crossing_fraction(const Array<float>& x0, const Array<float>& x1) {
  const std::size_t n = x0.shape()[0];
  std::size_t crossings = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      crossings += segments_cross(&x0(i, 0), &x1(i, 0), &x0(j, 0), &x1(j, 0));
  return 2.0 * static_cast<double>(crossings) / static_cast<double>(n * (n - 1));
}

// The particles of an Euler integration from x0, one frame per step plus the start.
plot::AnimatedPanel euler_frames(nn::Module& net, const Array<float>& x0, std::size_t steps,
                                 const std::string& title) {
  flow::IntegrateOptions euler;
  euler.steps = steps;
  euler.record_trajectory = true;
  return {title, flow::integrate(flow::velocity_field(net), x0, euler).trajectory,
          flow::time_grid(steps, 1.0, false)};
}

void print_report(const char* who, const flow::EulerReport& report) {
  std::printf("  %-9s %12.4f", who, report.straightness);
  for (const auto& q : report.euler)
    std::printf("  %9.5f", q.energy_distance);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch08");
  // Quick mode is tiny: it also runs under AddressSanitizer, where the net is ~500× slower.
  const Settings s = args.quick ? Settings{10, 64, 5, 64, 64, {1, 2, 4, 10}, 128, 10}
                                : Settings{1000, 2048, 20, 256, 4096, {1, 2, 4, 100}, 2048, 100};

  // 1. The teacher, and the pairs it makes.
  auto teacher = tutorial::chapter4_flow(args);
  Generator gen(0, "ch08");
  const Array<float> x0 = flow::gaussian(gen, s.arrows);
  const Array<float> random_x1 = flow::spiral(gen, s.arrows);
  flow::IntegrateOptions rk4;
  rk4.solver = flow::Solver::rk4;
  rk4.steps = s.teacher_steps;
  const Array<float> teacher_x1 = flow::integrate(flow::velocity_field(*teacher), x0, rk4).x;
  plot::plot_pairing(args.out / "pairs_random.png", x0, random_x1, "random pairs (flow matching)");
  plot::plot_pairing(args.out / "pairs_teacher.png", x0, teacher_x1,
                     "the teacher's pairs (reflow)");
  std::printf("pairs of arrows x0 -> x1 that cross: random pairing %.2f%%, teacher's %.2f%%\n\n",
              100 * crossing_fraction(x0, random_x1), 100 * crossing_fraction(x0, teacher_x1));

  // 2. The student: a copy of the teacher, trained on the teacher's pairs.
  flow::TrainSettings settings;
  settings.kind = "reflow";
  settings.steps = s.steps;
  settings.batch = s.batch;
  settings.time = flow::warped_time(0.5);
  flow::TrainState state = flow::new_train_state_from(settings, *teacher);
  const auto ch04 = args.out.parent_path() / "ch04" / "flow.ckpt";  // where chapter4_flow looked
  const bool from_ch04 =
      tutorial::checkpoint_matches(ch04, tutorial::tutorial_flow_settings(args.quick));
  state.extra.set("teacher", (from_ch04 ? ch04 : args.out / "flow.ckpt").string());
  state.extra.set("round", 1);
  state.extra.set("teacher_steps", s.teacher_steps);
  Progress progress("reflow", settings.steps);
  flow::TrainHooks hooks;
  hooks.progress = &progress;
  const auto start = std::chrono::steady_clock::now();
  flow::train(state, settings, pairs_from_teacher(*teacher, s.teacher_steps), hooks);
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  flow::save_train_state(args.out / "reflow.ckpt", state, settings);
  plot::plot_loss(args.out / "reflow_loss.png", state.loss, "reflow: the student's loss");
  std::printf("reflow: %zu steps in %.1f s, loss %.4f -> %.4f; saved %s\n\n", settings.steps,
              seconds.count(), state.loss.front(), state.loss.back(),
              (args.out / "reflow.ckpt").string().c_str());

  // 3. Before and after: straightness, and energy distance after 1, 2, 4 and 100 Euler steps.
  flow::EvalSettings eval;
  eval.n = s.eval_n;
  const auto before = flow::euler_report(*teacher, eval, s.euler);
  const auto after = flow::euler_report(*state.net, eval, s.euler);
  std::printf("            straightness   energy distance, Euler 1 / 2 / 4 / %zu steps\n",
              s.euler.back());
  print_report("teacher", before);
  print_report("student", after);
  std::printf("  noise floor %.5f\n\n", flow::noise_floor(eval).energy_distance);

  // 4. One step from the same noise, then the particles in motion, frame by frame. The noise
  //    is chapter 5's (the evaluation noise), so the teacher's panel is its flowmatch.gif.
  Generator noise(eval.seed, "sample");
  const Array<float> start_points = flow::gaussian(noise, s.particles);
  const std::string euler_n = ", Euler " + std::to_string(s.frame_steps);
  const auto teacher_frames =
      euler_frames(*teacher, start_points, s.frame_steps, "flow matching (teacher)" + euler_n);
  const auto student_frames =
      euler_frames(*state.net, start_points, s.frame_steps, "reflow (student)" + euler_n);
  flow::IntegrateOptions one_step;
  one_step.steps = 1;
  const plot::PointSet data{flow::spiral(gen, s.particles), "spiral (fresh data)", "#fdd0a2"};
  auto one_step_panel = [&](nn::Module& net, const std::string& who) {
    const Array<float> x1 = flow::integrate(flow::velocity_field(net), start_points, one_step).x;
    return plot::ScatterPanel{who + ", 1 Euler step", {data, {x1, "samples", "#1f77b4"}}};
  };
  plot::plot_scatter(args.out / "one_step.png",
                     {one_step_panel(*teacher, "teacher"), one_step_panel(*state.net, "student")});
  // Did the student learn the teacher's map? Its one step against the teacher's RK4.
  const Array<float> mapped = flow::integrate(flow::velocity_field(*teacher), start_points, rk4).x;
  const Array<float> jumped =
      flow::integrate(flow::velocity_field(*state.net), start_points, one_step).x;
  std::vector<double> apart;
  for (std::size_t i = 0; i < s.particles; ++i)
    apart.push_back(std::hypot(mapped(i, 0) - jumped(i, 0), mapped(i, 1) - jumped(i, 1)));
  std::sort(apart.begin(), apart.end());
  std::printf(
      "student's 1 Euler step against the teacher's RK4-%zu from the same noise:\n"
      "  median distance %.3f, 90%% of points within %.3f, largest %.3f\n",
      s.teacher_steps, apart[apart.size() / 2], apart[apart.size() * 9 / 10], apart.back());
  plot::animate_particles(args.out / "reflow.gif", {student_frames});
  plot::animate_particles(args.out / "combined.gif", {teacher_frames, student_frames});
  std::printf(
      "wrote pairs_random.png, pairs_teacher.png, reflow_loss.png, one_step.png,\n"
      "      reflow.gif and combined.gif (%zu frames) in %s\n",
      teacher_frames.frames.size(), args.out.string().c_str());
  return after.straightness < before.straightness ? 0 : 1;
}
