// Chapter 4: flow matching.
//
// We train the velocity net v_θ(x, t) to carry the Gaussian to the spiral. Every step draws
// a fresh batch of random pairs (x0, x1) and a time t per row, puts each row at
// x_t = (1 − t)·x0 + t·x1 with velocity u = x1 − x0, regresses v_θ(x_t, t) onto u with mean
// squared error and takes one Adam step. The loss stays high, and we compute why: even the
// best possible field, v*(x, t) = E[u | x_t = x], misses u by the conditional variance of u,
// about 1.83 per coordinate. The trained flow is saved as DIR/flow.ckpt for chapters 5–9.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <vector>

#include "../chapter.hpp"
#include "../chapter_flow.hpp"
#include "autograd/grad_mode.hpp"
#include "flow/coupling.hpp"
#include "flow/datasets.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"
#include "plot/plot.hpp"

using namespace minflow;

namespace {

constexpr double kPi = 3.14159265358979323846;
using Point = std::array<double, 2>;

// The centres c(θ) = (θ cos θ, θ sin θ)/2π of the spiral (docs/design.md#data-sets) on a grid of
// angles standing for θ ~ U[0, 6π]; a target point is c(θ) + 0.1·ε.
std::vector<Point> spiral_centres(std::size_t angles) {
  std::vector<Point> centres;
  for (std::size_t k = 0; k < angles; ++k) {
    const double theta = 6 * kPi * (double(k) + 0.5) / double(angles);
    centres.push_back({theta * std::cos(theta) / (2 * kPi), theta * std::sin(theta) / (2 * kPi)});
  }
  return centres;
}

// The best velocity field there is: v*(x, t) = E[u | x_t = x] (README §4 derives it).
// Given θ, x_t is Gaussian with mean t·c(θ) and variance σ² = (1 − t)² + 0.01·t², and
//   E[u | x_t = x, θ] = ((1 − t)·c(θ) − (1 − 1.01·t)·x) / σ².
// Bayes' rule weighs each angle by exp(−‖x − t·c(θ)‖²/2σ²); averaging c(θ) with those weights
// gives c̄ = E[c(θ) | x_t = x], and v* is the formula above with c̄ in place of c(θ).
Point exact_velocity(const std::vector<Point>& centres, double x, double y, double t) {
  const double var = (1 - t) * (1 - t) + 0.01 * t * t;
  std::vector<double> log_w(centres.size());
  double top = -INFINITY;
  for (std::size_t k = 0; k < centres.size(); ++k) {
    const double dx = x - t * centres[k][0], dy = y - t * centres[k][1];
    log_w[k] = -(dx * dx + dy * dy) / (2 * var);
    top = std::max(top, log_w[k]);
  }
  double total = 0, cx = 0, cy = 0;
  for (std::size_t k = 0; k < centres.size(); ++k) {
    const double w = std::exp(log_w[k] - top);  // minus the largest exponent: no underflow
    total += w;
    cx += w * centres[k][0];
    cy += w * centres[k][1];
  }
  cx /= total;
  cy /= total;
  return {((1 - t) * cx - (1 - 1.01 * t) * x) / var, ((1 - t) * cy - (1 - 1.01 * t) * y) / var};
}

// On one large batch: the squared error per coordinate of v* (the floor) and of the net,
// in five bins of t and overall. Returns the overall floor.
double loss_floor_table(nn::Module& net, std::size_t n, std::size_t angles) {
  Generator gen(1, "floor"), time_gen(1, "floor_time");
  const flow::FlowBatch batch = flow::make_flow_batch(flow::gaussian(gen, n), flow::spiral(gen, n),
                                                      flow::uniform_time(), time_gen);
  NoGradGuard no_grad;
  const Tensor v = flow::velocity(net, Tensor(batch.xt), Tensor(batch.t));
  const std::vector<Point> centres = spiral_centres(angles);
  constexpr int bins = 5;
  double floor[bins] = {}, model[bins] = {}, count[bins] = {}, sum = 0, sum_sq = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = batch.t(i, 0), ux = batch.u(i, 0), uy = batch.u(i, 1);
    const Point best = exact_velocity(centres, batch.xt(i, 0), batch.xt(i, 1), t);
    const double e_best = (std::pow(best[0] - ux, 2) + std::pow(best[1] - uy, 2)) / 2;
    const double e_net =
        (std::pow(v.value()(i, 0) - ux, 2) + std::pow(v.value()(i, 1) - uy, 2)) / 2;
    const int b = std::min(bins - 1, int(t * bins));
    floor[b] += e_best;
    model[b] += e_net;
    count[b] += 1;
    sum += e_best;
    sum_sq += e_best * e_best;
  }
  std::printf("\n  t in         floor (v*)   trained net\n");
  double all_model = 0;
  for (int b = 0; b < bins; ++b) {
    std::printf("  [%.1f, %.1f)   %8.3f     %8.3f\n", double(b) / bins, double(b + 1) / bins,
                floor[b] / count[b], model[b] / count[b]);
    all_model += model[b];
  }
  const double mean = sum / double(n);
  const double error_bar = std::sqrt((sum_sq / double(n) - mean * mean) / double(n));
  std::printf("  all t        %8.3f     %8.3f   (floor ± %.3f, %zu points)\n", mean,
              all_model / double(n), error_bar, n);
  return mean;
}

// The mean of the losses of steps [begin, end).
double mean_loss(const std::vector<float>& loss, std::size_t begin, std::size_t end) {
  double sum = 0;
  for (std::size_t i = begin; i < end; ++i)
    sum += loss[i];
  return sum / double(end - begin);
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch04");
  const flow::TrainSettings settings = tutorial::tutorial_flow_settings(args.quick);
  const std::size_t report = args.quick ? 50 : 1000;

  // 1. The velocity net: [x, y, t] → Linear(3→64) → GELU → … → Linear(64→2), seeded weights.
  flow::TrainState state = flow::new_train_state(settings);
  std::cout << *state.net << "\n" << state.net->num_parameters() << " parameters\n\n";

  // 2. Flow matching: the training loop, step by step.
  Generator& pairs = state.generators.at("pairs");  // the run's random streams (saved in the
  Generator& times = state.generators.at("time");   // checkpoint, so a run can resume)
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t step = 1; step <= settings.steps; ++step) {
    const Array<float> x0 = flow::gaussian(pairs, settings.batch);  // noise
    const Array<float> x1 = flow::spiral(pairs, settings.batch);    // data; row i meets row i
    const flow::FlowBatch batch = flow::make_flow_batch(x0, x1, settings.time, times);
    Tensor loss = flow::flow_matching_loss(*state.net, batch);  // mean of (v_θ(x_t, t) − u)²
    state.optimizer->zero_grad();
    loss.backward();
    state.optimizer->step();
    state.loss.push_back(loss.item());
    if (step % report == 0) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("step %5zu  loss %.4f  (mean of the last %zu steps %.4f)  %5.1f s\n", step,
                  state.loss.back(), report, mean_loss(state.loss, step - report, step), seconds);
    }
  }
  const std::filesystem::path checkpoint = args.out / "flow.ckpt";
  flow::save_train_state(checkpoint, state, settings);
  std::cout << "saved " << checkpoint.string() << "\n";

  // 3. Why the loss stays high: the best field's own loss, against the net's, by time.
  const double floor =
      loss_floor_table(*state.net, args.quick ? 2000 : 50000, args.quick ? 1024 : 2048);

  // 4. The loss curve, with the floor drawn in.
  plot::LinePlot plot;
  plot.title = "flow matching: loss per optimizer step";
  plot.xlabel = "optimizer step";
  plot.ylabel = "loss (mean squared error per coordinate)";
  // A linear axis in steps of 0.1 (a log axis over less than a factor of two has one or two
  // tics): the floor and the last steps, 0.02 apart, can be read off it.
  plot.extra = "set ytics 0.1\nset mytics 2\nset grid ytics mytics lc rgb '#e0e0e0'";
  const std::size_t window = args.quick ? 20 : 100;
  plot::Curve raw, smooth, best;
  for (std::size_t i = 0; i < state.loss.size(); ++i) {
    raw.x.push_back(double(i + 1));
    raw.y.push_back(state.loss[i]);
  }
  raw.label = "loss (batch of " + std::to_string(settings.batch) + ")";
  raw.style = "lines lw 1";
  raw.color = "#9ecae1";
  smooth.x = raw.x;
  smooth.y = plot::moving_average(state.loss, window);
  smooth.label = "mean of the last " + std::to_string(window) + " steps";
  smooth.color = "#08519c";
  best.x = {1.0, double(settings.steps)};
  best.y = {floor, floor};
  char floor_label[80];
  std::snprintf(floor_label, sizeof floor_label, "floor %.3f: the loss of v* = E[u | x_{t}]",
                floor);
  best.label = floor_label;
  best.style = "lines lw 2 dt 2";
  best.color = "#d62728";
  plot.curves = {raw, smooth, best};
  plot::plot_lines(args.out / "loss.png", plot);

  const std::size_t steps = state.loss.size();
  const double first = mean_loss(state.loss, 0, report);
  const double final = mean_loss(state.loss, steps - report, steps);
  std::printf("\nloss: first %zu steps %.3f, last %zu steps %.3f, floor %.3f\n", report, first,
              report, final, floor);
  std::cout << "wrote " << (args.out / "loss.png").string() << "\n";
  return final < first ? 0 : 1;
}
