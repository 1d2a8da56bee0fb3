// Chapter 7: time warping.
//
// One cubic, warp(t; s), bends [0, 1] onto itself. We check that the library's polynomial is
// the one the text derives, use it as a time sampler (t = warp(U; s)) and compare a histogram
// of its draws with the density the change of variables predicts, draw the curves, the
// densities and the sweep over s, and finally warp the integration grid of chapter 4's flow.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "../chapter_flow.hpp"
#include "flow/evaluate.hpp"
#include "flow/integrators.hpp"
#include "flow/time_sampler.hpp"
#include "flow/time_warp.hpp"
#include "plot/plot.hpp"

using namespace minflow;

namespace {

constexpr double kPi = 3.14159265358979323846;
const char* const kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c"};  // one per sampler

// The derivation's form: odd about (1/2, 1/2), slope s in the middle, through (0, 0).
double symmetric_form(double t, double s) {
  const double u = t - 0.5;
  return 0.5 + 4.0 * (1.0 - s) * u * u * u + s * u;
}

// The change of variables: t = warp(u) with u uniform has density 1 / warp'(warp⁻¹(t)).
double warped_density(double t, double s) {
  return 1.0 / flow::warp_time_derivative(flow::unwarp_time(t, s), s);
}

// A histogram of `draws` samples on `bins` equal cells of [0, 1], scaled to a density.
std::vector<double> histogram(const flow::TimeSampler& sampler, std::size_t draws, std::size_t bins,
                              Generator& gen) {
  std::vector<double> counts(bins, 0.0);
  for (std::size_t i = 0; i < draws; ++i) {
    const double t = sampler.sample(gen);
    counts[std::min(bins - 1, static_cast<std::size_t>(t * static_cast<double>(bins)))] += 1.0;
  }
  for (double& c : counts)
    c *= static_cast<double>(bins) / static_cast<double>(draws);
  return counts;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch07");
  const std::size_t draws = args.quick ? 100000 : 2000000, bins = 51;  // bin 25 is centred on 1/2

  // 1. The polynomial: the conditions it was built from, at four values of s.
  std::printf("   s   warp(0)  warp(1)  warp'(1/2)  warp'(0)=3-2s  |warp - symmetric form|\n");
  for (double s : {0.0, 0.5, 1.0, 1.5}) {
    double gap = 0.0;
    for (int k = 0; k <= 1000; ++k)
      gap = std::max(gap, std::abs(flow::warp_time(k / 1000.0, s) - symmetric_form(k / 1000.0, s)));
    std::printf("%5.2f %8.4f %8.4f %10.4f %12.4f %20.1e\n", s, flow::warp_time(0.0, s),
                flow::warp_time(1.0, s), flow::warp_time_derivative(0.5, s),
                flow::warp_time_derivative(0.0, s), gap);
  }
  double cosine_gap = 0.0;
  for (int k = 0; k <= 1000; ++k) {
    const double t = k / 1000.0;
    cosine_gap =
        std::max(cosine_gap, std::abs(flow::warp_time(t, 1.5) - (1 - std::cos(kPi * t)) / 2));
  }
  std::printf("s = 1.5 against the cosine schedule (1 - cos pi t)/2: largest gap %.4f\n\n",
              cosine_gap);

  // 2. As a time sampler: histograms of the draws against the predicted densities.
  Generator gen(0, "ch07");
  const std::vector<flow::TimeSampler> samplers = {flow::uniform_time(), flow::warped_time(0.5),
                                                   flow::logit_normal_time(0.0, 1.0)};
  plot::LinePlot check;
  check.title = "histograms of " + std::to_string(draws) + " draws against the densities";
  check.xlabel = "t";
  check.ylabel = "density";
  check.xmin = 0;
  check.xmax = 1;
  check.ymin = 0;
  check.ymax = 2.5;
  std::printf(
      "sampler          density in the first / middle / last bin   histogram there"
      "       largest gap\n");
  for (std::size_t i = 0; i < samplers.size(); ++i) {
    const auto& sampler = samplers[i];
    auto curve_at = [&](std::size_t b) { return sampler.density((b + 0.5) / bins); };
    const std::vector<double> hist = histogram(sampler, draws, bins, gen);
    plot::Curve bars{{}, {}, i == 0 ? "histograms" : "", "histeps lw 1", "#a0a0a0"};
    plot::Curve curve{{}, {}, sampler.to_string(), "lines lw 2", kColors[i]};
    double gap = 0.0;
    for (std::size_t b = 0; b < bins; ++b) {
      bars.x.push_back((b + 0.5) / bins);
      bars.y.push_back(hist[b]);
      gap = std::max(gap, std::abs(hist[b] - sampler.density(bars.x.back())));
    }
    for (int k = 1; k < 200; ++k) {
      curve.x.push_back(k / 200.0);
      curve.y.push_back(sampler.density(k / 200.0));
    }
    check.curves.push_back(bars);
    check.curves.push_back(curve);
    std::printf("%-16s %13.3f %6.3f %6.3f %17.3f %6.3f %6.3f %10.3f\n", sampler.to_string().c_str(),
                curve_at(0), curve_at(bins / 2), curve_at(bins - 1), hist.front(), hist[bins / 2],
                hist.back(), gap);
  }
  // The derivation: P(T <= t) = P(U <= warp^-1(t)) = warp^-1(t), so the density is its slope.
  double formula_gap = 0.0;
  for (int k = 1; k < 1000; ++k) {
    const double t = k / 1000.0, h = 1e-5;
    const double slope = (flow::unwarp_time(t + h, 0.5) - flow::unwarp_time(t - h, 0.5)) / (2 * h);
    formula_gap = std::max(formula_gap, std::abs(warped_density(t, 0.5) - slope));
  }
  std::printf("1 / warp'(warp^-1(t)) against the slope of the CDF warp^-1(t), warp:0.5: %.1e\n\n",
              formula_gap);

  // 3. The figures: curves, densities, the histogram check and the sweep over s.
  const auto curves = plot::plot_warp_curves(args.out / "warp_curves.png", {0.0, 0.5, 1.0, 1.5});
  const auto densities = plot::plot_time_densities(args.out / "time_densities.png", samplers);
  const auto histograms = plot::plot_lines(args.out / "time_histograms.png", check);
  const auto sweep = plot::animate_time_warp(args.out / "timewarp.gif");
  for (const auto* figure : {&curves, &densities, &histograms, &sweep})
    std::printf("wrote %s%s\n", figure->image.string().c_str(),
                figure->drawn ? "" : " (.dat and .gp only: gnuplot is missing)");

  // 4. The warped integration grid: where ten Euler steps go, then what it does to samples.
  for (double s : {0.5, 1.0, 1.5}) {
    std::printf("\ngrid s = %.1f:", s);
    for (double t : flow::time_grid(10, s, false))
      std::printf(" %.3f", t);
  }
  std::printf("\n\n");
  auto net = tutorial::chapter4_flow(args);
  flow::EvalSettings eval;
  eval.n = args.quick ? 64 : 4096;  // quick mode also runs under AddressSanitizer: keep it tiny
  const std::vector<std::size_t> step_counts = {5, 10, 20};
  std::printf("energy distance of chapter 4's flow, Euler on a warped grid (noise floor %.5f)\n",
              flow::noise_floor(eval).energy_distance);
  std::printf("  grid s    5 steps   10 steps   20 steps\n");
  for (double s : {0.5, 0.75, 1.0, 1.25, 1.5}) {
    std::printf("  %6.2f", s);
    for (std::size_t steps : step_counts) {
      flow::IntegrateOptions options;
      options.steps = steps;
      options.grid_warp = s;
      std::printf(" %10.5f", flow::sample_quality(*net, eval, options).energy_distance);
    }
    std::printf("\n");
  }
  return formula_gap < 1e-6 ? 0 : 1;
}
