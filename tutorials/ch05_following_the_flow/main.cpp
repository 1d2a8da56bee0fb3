// Chapter 5: following the flow.
//
// A velocity field becomes a sampler when we follow it: start at x0 ~ N(0, I) at t = 0 and
// solve dx/dt = v(x, t) up to t = 1. Euler's method, written out below, takes n steps of
// size h = 1/n: x ← x + h·v(x, t). We follow the untrained net (the weights chapter 4
// started from) and the trained one, draw the samples, the paths and an animation, and
// measure how close the samples are to the spiral: the energy distance, beside the noise
// floor (two spiral samples compared with each other).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "../chapter.hpp"
#include "../chapter_flow.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"
#include "flow/metrics.hpp"
#include "flow/velocity_net.hpp"
#include "plot/plot.hpp"

using namespace minflow;

namespace {

// Euler's method on the grid t_k = k/n: x ← x + h·v(x, t_k) with h = t_{k+1} − t_k.
// Returns every position along the way: [x0, after step 1, …, after step n].
std::vector<Array<float>> euler(const flow::VelocityField<float>& v, const Array<float>& x0,
                                std::size_t n) {
  std::vector<Array<float>> path{x0};
  for (std::size_t k = 0; k < n; ++k) {
    const double t = double(k) / double(n), h = double(k + 1) / double(n) - t;
    const Array<float>& x = path.back();
    Array<float> next = x + static_cast<float>(h) * v(x, t);  // one Euler step
    path.push_back(std::move(next));
  }
  return path;
}

// The first m rows of a point set (figures and the animation show a subset).
Array<float> first_rows(const Array<float>& x, std::size_t m) {
  m = std::min(m, x.shape()[0]);
  Array<float> out = Array<float>::from_shape({m, 2});
  std::copy(x.data(), x.data() + 2 * m, out.data());
  return out;
}

// Prints and returns the energy distance of the samples to the target (and the sliced W2).
double report(const std::string& what, const Array<float>& samples, const Array<float>& target) {
  const double ed = flow::energy_distance(samples, target);
  std::printf("  %-28s energy distance %.5f   sliced W2 %.4f\n", what.c_str(), ed,
              flow::sliced_w2(samples, target));
  return ed;
}

void plot_samples(const std::filesystem::path& image, const std::string& title,
                  const Array<float>& samples, const Array<float>& target) {
  plot::plot_scatter(image, {{title,
                              {{first_rows(target, 2048), "spiral (fresh data)", "#fdd0a2"},
                               {first_rows(samples, 2048), "samples", "#1f77b4"}}}});
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch05");
  const std::size_t steps = args.quick ? 10 : 100;  // Euler steps
  flow::EvalSettings eval;                          // what `minflow eval` compares with
  eval.n = args.quick ? 512 : 4096;
  const flow::TrainSettings settings = tutorial::tutorial_flow_settings(args.quick);

  // The noise every sampler below starts from, and the data it is compared with.
  Generator noise(eval.seed, "sample");
  const Array<float> x0 = flow::gaussian(noise, eval.n);
  const Array<float> target = flow::evaluation_targets(eval);
  const flow::NoiseFloor floor = flow::noise_floor(eval);

  // 1. The untrained net: the weights chapter 4 started from (same seed, same stream).
  Generator init(settings.seed, "init");
  nn::MLP untrained(settings.net, init);
  const auto before = euler(flow::velocity_field(untrained), x0, steps);

  // 2. The trained net: chapter 4's checkpoint (or a fresh training run when it is missing).
  const std::shared_ptr<nn::MLP> net = tutorial::chapter4_flow(args);
  const auto path = euler(flow::velocity_field(*net), x0, steps);
  const Array<float>& samples = path.back();

  const std::string euler_n = "Euler " + std::to_string(steps);
  std::printf("\n%zu samples against %zu fresh spiral points:\n", eval.n, eval.n);
  report("noise x0 (no flow)", x0, target);
  const double untrained_ed = report("untrained net, " + euler_n, before.back(), target);
  const double trained_ed = report("trained net, " + euler_n, samples, target);
  std::printf("  %-28s energy distance %.5f   sliced W2 %.4f\n", "noise floor (data vs data)",
              floor.energy_distance, floor.sliced_w2);

  // The library's integrator takes the same steps (flow::integrate, used from chapter 6 on).
  flow::IntegrateOptions options;
  options.solver = flow::Solver::euler;
  options.steps = steps;
  const auto library = flow::integrate(flow::velocity_field(*net), x0, options);
  float largest = 0;
  for (std::size_t i = 0; i < samples.size(); ++i)
    largest = std::max(largest, std::abs(samples.data()[i] - library.x.data()[i]));
  std::printf("\nflow::integrate (Euler, %zu steps, NFE %zu) differs by at most %g\n", steps,
              library.nfe, largest);

  // 3. Flow matching's promise: at every t the particles are spread like the points
  //    x_t = (1 − t)·x0 + t·x1 of chapter 3's straight lines, though they move differently.
  std::printf("\nthe particles at time t against the straight lines' points x_t:\n");
  Generator lines(1, "lines");
  auto line_points = [&](double t) {
    const Array<float> a = flow::gaussian(lines, eval.n), b = flow::spiral(lines, eval.n);
    return Array<float>(static_cast<float>(1 - t) * a + static_cast<float>(t) * b);
  };
  for (std::size_t k : {steps / 4, steps / 2, 3 * steps / 4}) {
    const double t = double(k) / double(steps);
    const Array<float> reference = line_points(t), other = line_points(t);
    std::printf("  t = %.2f: flow vs lines %.5f   lines vs lines (floor) %.5f\n", t,
                flow::energy_distance(path[k], reference), flow::energy_distance(other, reference));
  }

  // 4. The figures: samples before and after training, the paths, and the animation.
  plot_samples(args.out / "samples_untrained.png", "untrained net, " + euler_n, before.back(),
               target);
  plot_samples(args.out / "samples_trained.png", "trained net, " + euler_n, samples, target);
  plot::plot_trajectories(args.out / "trajectories.png", path, "paths of 300 particles, " + euler_n,
                          300);
  plot::AnimatedPanel movie{"flow matching, " + euler_n, {}, {}};
  for (std::size_t k = 0; k < path.size(); ++k) {
    movie.frames.push_back(first_rows(path[k], 2048));
    movie.times.push_back(double(k) / double(steps));
  }
  plot::animate_particles(args.out / "flowmatch.gif", {movie});
  std::cout << "wrote samples_untrained.png, samples_trained.png, trajectories.png and "
               "flowmatch.gif ("
            << path.size() << " frames) in " << args.out.string() << "\n";
  // The chapter works when training helped and both integrators agree (to rounding, should
  // another compiler fuse the multiply-add differently).
  return trained_ed < untrained_ed && largest < 1e-4f ? 0 : 1;
}
