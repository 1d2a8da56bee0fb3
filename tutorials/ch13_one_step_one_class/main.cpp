// Chapter 13: one step and one class. Distillation after reflow (Liu et al. 2022): the flow,
// its 2-rectified flow and the distilled 2-rectified flow at one Euler step, with eval's
// metrics; then a label-conditional flow with classifier-free guidance (Ho & Salimans 2022):
// class accuracy against diversity as the guidance weight grows (README.md).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "base/progress.hpp"
#include "flow/class_quality.hpp"
#include "flow/conditional.hpp"
#include "flow/datasets.hpp"
#include "flow/distill.hpp"
#include "flow/evaluate.hpp"
#include "flow/exact_field.hpp"
#include "flow/labels.hpp"
#include "flow/metrics.hpp"
#include "flow/reflow.hpp"
#include "flow/support_metrics.hpp"
#include "flow/transport_metrics.hpp"
#include "flow/velocity_net.hpp"
#include "plot/conditional.hpp"
#include "plot/plot.hpp"
#include "tutorials/chapter_flow.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {

struct Settings {
  std::size_t pool, steps, batch;      // reflow's and distillation's pools and training
  std::size_t cond_steps, cond_batch;  // the conditional flow's training (chapter 4's recipe)
  std::size_t n;                       // points per evaluation (per class in section 3)
};

Settings settings_for(bool quick) {
  if (quick) return {2048, 150, 256, 300, 256, 256};
  return {100000, 3000, 1024, 10000, 2048, 1024};
}

// eval's sample metrics for one set of samples against target points of the spiral.
void print_row(const char* name, const Array<float>& x, const Array<float>& target,
               const DensityReference& density, double straightness) {
  const PrecisionRecall pr = precision_recall(x, target);
  const DensityMetrics d = density_metrics(density, x);
  std::printf("   %-22s %8.3f %7.4f %6.3f %6.3f %6.3f %8.3f %11.3f\n", name, straightness,
              energy_distance(x, target), exact_w2(x, target), pr.precision, pr.recall,
              d.off_support_fraction, d.nll_true_density);
}

// Trains `state` on `batches` with a progress bar.
void run(const char* what, TrainState& state, const TrainSettings& s, const BatchSource& batches) {
  Progress progress(what, s.steps);
  TrainHooks hooks;
  hooks.progress = &progress;
  train_batches(state, s, batches, hooks);
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch13");
  const Settings s = settings_for(args.quick);
  const auto began = std::chrono::steady_clock::now();
  IntegrateOptions one;  // one Euler step
  one.steps = 1;

  // 1. The flow (chapter 4's), its 2-rectified flow and the distilled 2-rectified flow.
  auto flow = tutorial::chapter4_flow(args);
  TeacherSettings rk4;  // RK4, 20 steps: the teacher's solution in both cases
  Generator pool_gen(13, "pool");
  const PairPool pairs = make_pair_pool(*flow, rk4, s.pool, s.batch, pool_gen);
  TrainSettings r;
  r.kind = "reflow";
  r.steps = s.steps;
  r.batch = s.batch;
  r.time = warped_time(0.5);  // as chapter 8
  TrainState rf2 = new_train_state_from(r, *flow);
  {
    Progress progress("reflow", r.steps);
    TrainHooks hooks;
    hooks.progress = &progress;
    train(rf2, r, pool_pairs(pairs), hooks);
  }
  DistillSettings k1;  // k = 1: v(x0, 0) regresses onto x1 − x0, x1 the 2-RF's RK4-20 image
  const DistillPool paths =
      make_distill_pool(velocity_field(*rf2.net), k1, s.pool, s.batch, pool_gen);
  TrainSettings d = r;
  d.kind = "distill";
  TrainState distilled = new_train_state_from(d, *rf2.net);  // from the 2-RF's weights
  run("distill", distilled, d, distill_pool_batches(paths, 1));

  EvalSettings eval;
  eval.n = s.n;
  const Array<float> target = evaluation_targets(eval);
  const DensityReference density = density_reference(target_mixture("spiral"), target);
  Generator noise(eval.seed, "sample");
  const Array<float> x0 = gaussian(noise, s.n);
  std::printf("1. One Euler step from the same %zu noise points, against %zu spiral points\n", s.n,
              s.n);
  std::printf("   (reflow and distillation: pools of %zu paths, %zu steps at batch %zu each)\n",
              s.pool, s.steps, s.batch);
  std::printf("   %-22s %8s %7s %6s %6s %6s %8s %11s\n", "", "straight", "energy", "W2", "prec",
              "recall", "off-supp", "NLL(true p)");
  std::vector<plot::ScatterPanel> panels;
  const std::pair<const char*, nn::Module*> models[] = {{"flow", flow.get()},
                                                        {"2-rectified flow", rf2.net.get()},
                                                        {"distilled 2-RF", distilled.net.get()}};
  for (const auto& [name, net] : models) {
    const Array<float> x = integrate(velocity_field(*net), x0, one).x;
    print_row(name, x, target, density, straightness(velocity_field(*net), x0));
    panels.push_back({std::string(name) + ", one Euler step", {{x, "", "#ff7f0e"}}});
  }
  const Array<float> x100 = integrate(velocity_field(*flow), x0, IntegrateOptions{}).x;
  print_row("flow, 100 Euler steps", x100, target, density,
            straightness(velocity_field(*flow), x0));
  std::printf("   map error |Euler-1 - RK4-20 of the 2-RF|^2: 2-RF %.4f, distilled %.4f\n\n",
              map_error(velocity_field(*rf2.net), velocity_field(*rf2.net), k1, x0),
              map_error(velocity_field(*distilled.net), velocity_field(*rf2.net), k1, x0));
  plot::plot_scatter(args.out / "one_step.png", panels);

  // 2. A label-conditional flow of the spiral (its three turns) with label dropout 0.1.
  TrainSettings c;
  c.data = "spiral";
  c.steps = s.cond_steps;
  c.batch = s.cond_batch;
  const std::size_t classes = dataset_classes(c.data);
  c.net = conditional_net_spec(classes);
  TrainState cond = new_train_state(c);
  run("conditional", cond, c, conditional_batches(c.data, 0.1, c.time));

  // The unconditional field alone (w = 0, "no label") against the whole spiral.
  const Array<float> uncond = integrate(guided_field(*cond.net, classes, classes, 0.0), x0, {}).x;
  const PrecisionRecall upr = precision_recall(uncond, target);
  std::printf(
      "2. The conditional net's unconditional field, Euler 100, against the whole spiral:\n"
      "   energy %.4f, precision %.3f, recall %.3f\n\n",
      energy_distance(uncond, target), upr.precision, upr.recall);

  // 3. Guidance: per class, n samples against n of that class's own points.
  std::printf(
      "3. Guidance on the spiral's turns (%zu steps at batch %zu, label dropout 0.1),\n"
      "   %zu samples per class, Euler 100 steps\n",
      c.steps, c.batch, s.n);
  std::printf("   (means over the 3 classes, each against its own points)\n");
  std::printf("   %-4s %11s  %7s  %9s  %6s  %6s\n", "w", "right class", "energy", "sliced W2",
              "prec", "recall");
  const std::vector<double> ws = {0, 1, 2, 4};
  std::vector<std::vector<Array<float>>> grid;
  for (double w : ws) {
    ClassQuality mean;
    std::vector<Array<float>> samples(classes);
    for (std::size_t label = 0; label < classes; ++label) {
      const ClassQuality q =
          class_quality(*cond.net, c.data, classes, label, w, s.n, {}, label, &samples[label]);
      mean.right_class += q.right_class / classes;
      mean.energy_distance += q.energy_distance / classes;
      mean.sliced_w2 += q.sliced_w2 / classes;
      mean.precision += q.precision / classes;
      mean.recall += q.recall / classes;
    }
    std::printf("   %-4g %11.3f  %7.4f  %9.4f  %6.3f  %6.3f\n", w, mean.right_class,
                mean.energy_distance, mean.sliced_w2, mean.precision, mean.recall);
    plot::plot_guided_classes(args.out / ("guided_w" + std::to_string(int(w)) + ".png"), samples,
                              w);
    grid.push_back(samples);
  }
  plot::plot_guidance_grid(args.out / "guidance.png", ws, grid, "spiral turns: ");

  // 4. The two spellings of guidance give the same samples: w = 1 + w'. The outer turn.
  const std::size_t outer = classes - 1;
  Generator g(7, "sample");
  const Array<float> start = gaussian(g, s.n);
  const Array<float> a = integrate(guided_field(*cond.net, classes, outer, 2.0), start, {}).x;
  const Array<float> b = integrate(guided_field_prime(*cond.net, classes, outer, 1.0), start, {}).x;
  double diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff = std::max(diff, double(std::abs(a.data()[i] - b.data()[i])));
  std::printf(
      "\n4. Class %zu: v_u + 2 (v_c - v_u) against 2 v_c - 1 v_u (w' = 1): largest "
      "difference %g\n   (right class %.3f)\n",
      outer, diff, right_class_share(c.data, a, outer));
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - began;
  std::printf("\n(%.0f s)\n", seconds.count());
  return 0;
}
