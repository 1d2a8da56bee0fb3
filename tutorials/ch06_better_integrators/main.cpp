// Chapter 6: better integrators.
//
// Euler's method needs many small steps because its error shrinks only in proportion to the
// step size h. Midpoint and Heun evaluate the velocity twice per step and their error
// shrinks like h²; RK4 evaluates it four times and its error shrinks like h⁴; Dopri5 adapts
// its steps to a tolerance. We first measure these orders on dx/dt = −x, whose exact
// solution we know, then ask the question that matters for sampling: how good are the
// samples of the trained flow for a given number of network evaluations (NFE)?
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "../chapter.hpp"
#include "../chapter_flow.hpp"
#include "flow/evaluate.hpp"
#include "flow/integrators.hpp"
#include "plot/plot.hpp"

using namespace minflow;

namespace {

// The test problem dx/dt = −x, x(0) = 1: the exact answer at t = 1 is e⁻¹.
double test_problem_error(const flow::IntegrateOptions& options, std::size_t* nfe = nullptr) {
  const flow::VelocityField<double> v = [](const Array<double>& x, double) {
    return Array<double>(-x);
  };
  Array<double> x0 = Array<double>::from_shape({1, 1});
  x0(0, 0) = 1.0;
  const auto result = flow::integrate(v, x0, options);
  if (nfe) *nfe = result.nfe;
  return std::abs(result.x(0, 0) - std::exp(-1.0));
}

// The least-squares slope of y against x.
double slope(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = 0, my = 0, sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    mx += x[i] / double(x.size());
  for (std::size_t i = 0; i < y.size(); ++i)
    my += y[i] / double(y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxy / sxx;
}

// The mean distance between corresponding rows of two point sets.
double mean_distance(const Array<float>& a, const Array<float>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.shape()[0]; ++i)
    sum += std::hypot(double(a(i, 0)) - b(i, 0), double(a(i, 1)) - b(i, 1));
  return sum / double(a.shape()[0]);
}

// A horizontal line from x = lo to x = hi at height y.
plot::Curve level(double lo, double hi, double y, const std::string& label, const std::string& dash,
                  const std::string& color) {
  plot::Curve c;
  c.x = {lo, hi};
  c.y = {y, y};
  c.label = label;
  c.style = "lines lw 2 " + dash;
  c.color = color;
  return c;
}

const flow::Solver kFixed[] = {flow::Solver::euler, flow::Solver::midpoint, flow::Solver::heun,
                               flow::Solver::rk4};
const char* const kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"};
// Heun dashed with open circles: on dx/dt = −x it coincides with midpoint (README §2).
const char* const kStyles[] = {"linespoints lw 2 pt 7", "linespoints lw 2 pt 7",
                               "linespoints lw 2 pt 6 ps 1.5 dt 2", "linespoints lw 2 pt 7",
                               "linespoints lw 2 pt 7"};

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch06");

  // 1. The order of each method: the error at t = 1 against the number of steps n. An
  //    error C·hᵖ = C·n⁻ᵖ is a line of slope −p on log–log axes.
  std::printf("dx/dt = -x, x(0) = 1: error at t = 1 (exact: e^-1)\n\n     n");
  for (flow::Solver solver : kFixed)
    std::printf("  %12s", flow::solver_name(solver).c_str());
  std::printf("\n");
  std::vector<double> log_n;
  std::vector<std::vector<double>> log_error(4);
  for (std::size_t n = 1; n <= 256; n *= 2) {
    std::printf("%6zu", n);
    log_n.push_back(std::log10(double(n)));
    for (std::size_t s = 0; s < 4; ++s) {
      flow::IntegrateOptions options;
      options.solver = kFixed[s];
      options.steps = n;
      const double error = test_problem_error(options);
      log_error[s].push_back(std::log10(error));
      std::printf("  %12.3e", error);
    }
    std::printf("\n");
  }
  plot::LinePlot order;
  order.title = "order test: dx/dt = -x on [0, 1]";
  order.xlabel = "log10 of the number of steps n";
  order.ylabel = "log10 of the error at t = 1";
  order.key = "bottom left";
  std::printf("\nslopes (fitted for n >= 8): ");
  const double expected[] = {-1, -2, -2, -4};  // minus the order of each method
  bool orders_ok = true;
  for (std::size_t s = 0; s < 4; ++s) {
    const std::vector<double> x(log_n.begin() + 3, log_n.end());
    const std::vector<double> y(log_error[s].begin() + 3, log_error[s].end());
    const double fitted = slope(x, y);
    orders_ok = orders_ok && std::abs(fitted - expected[s]) < 0.1;
    char label[64];
    std::snprintf(label, sizeof label, "%s, slope %.2f", flow::solver_name(kFixed[s]).c_str(),
                  fitted);
    std::printf("%s   ", label);
    order.curves.push_back({log_n, log_error[s], label, kStyles[s], kColors[s]});
  }
  plot::plot_lines(args.out / "order.png", order);

  std::printf("\n\ndopri5 on the same problem (rtol = atol = tol):\n");
  for (double tol : {1e-3, 1e-6, 1e-9}) {
    flow::IntegrateOptions options;
    options.solver = flow::Solver::dopri5;
    options.rtol = options.atol = tol;
    std::size_t nfe = 0;
    const double error = test_problem_error(options, &nfe);
    std::printf("  tol %.0e: NFE %3zu, error %.3e\n", tol, nfe, error);
  }

  // 2. The trained flow: sample quality against NFE. Every run starts from the same noise.
  std::cout << "\n";
  const std::shared_ptr<nn::MLP> net = tutorial::chapter4_flow(args);
  flow::EvalSettings eval;
  eval.n = args.quick ? 256 : 4096;
  const flow::NoiseFloor floor = flow::noise_floor(eval);

  // The reference: the ODE solved far more finely than any run below (full: RK4, NFE 1,024).
  flow::IntegrateOptions fine;
  fine.solver = flow::Solver::rk4;
  fine.steps = args.quick ? 8 : 256;
  Array<float> exact;
  const flow::SampleQuality best = flow::sample_quality(*net, eval, fine, &exact);

  std::printf(
      "\n%zu samples: energy distance to fresh spiral points, and the mean distance to\n"
      "the reference solution (rk4, %zu steps)\n\n",
      eval.n, fine.steps);
  std::printf("  solver        steps   NFE   energy distance   distance to reference\n");
  const std::vector<std::size_t> budgets =
      args.quick ? std::vector<std::size_t>{4, 8}
                 : std::vector<std::size_t>{4, 8, 16, 32, 64, 128, 256};
  const std::vector<double> tolerances =
      args.quick ? std::vector<double>{1e-2} : std::vector<double>{1e-1, 1e-2, 1e-3, 1e-4, 1e-5};
  plot::LinePlot quality, error;
  for (std::size_t s = 0; s < 5; ++s) {
    const bool adaptive = s == 4;
    plot::Curve q;
    q.label = adaptive ? "dopri5" : flow::solver_name(kFixed[s]);
    q.style = kStyles[s];
    q.color = kColors[s];
    plot::Curve e = q;
    for (std::size_t k = 0; k < (adaptive ? tolerances.size() : budgets.size()); ++k) {
      flow::IntegrateOptions options;
      options.solver = adaptive ? flow::Solver::dopri5 : kFixed[s];
      options.steps = adaptive ? 0 : budgets[k] / flow::solver_stages(kFixed[s]);
      if (adaptive) options.rtol = options.atol = tolerances[k];
      Array<float> samples;
      const flow::SampleQuality r = flow::sample_quality(*net, eval, options, &samples);
      const double distance = mean_distance(samples, exact);
      char tol[16] = "";
      if (adaptive) std::snprintf(tol, sizeof tol, " %.0e", tolerances[k]);
      std::printf("  %-13s %5zu %5zu   %.5f           %.2e\n", (r.solver + tol).c_str(), r.steps,
                  r.nfe, r.energy_distance, distance);
      q.x.push_back(std::log2(double(r.nfe)));
      q.y.push_back(r.energy_distance);
      e.x.push_back(std::log2(double(r.nfe)));
      e.y.push_back(std::log2(distance));  // log2 on both axes: the slope is minus the order
    }
    quality.curves.push_back(q);
    error.curves.push_back(e);
  }
  std::printf("  reference (rk4, NFE %zu): energy distance %.5f; noise floor %.5f\n", best.nfe,
              best.energy_distance, floor.energy_distance);

  const double lo = quality.curves[0].x.front(), hi = quality.curves[0].x.back();
  quality.curves.push_back(level(lo, hi, best.energy_distance,
                                 "the net itself (reference solution)", "dt 2", "#7f7f7f"));
  quality.curves.push_back(
      level(lo, hi, floor.energy_distance, "noise floor (data vs data)", "dt 3", "#000000"));
  quality.title = "sample quality against network evaluations";
  quality.xlabel = "log2 NFE (2 = 4 evaluations, 8 = 256)";
  quality.ylabel = "energy distance to the spiral";
  quality.log_y = true;
  plot::plot_lines(args.out / "quality_vs_nfe.png", quality);
  error.title = "integration error against network evaluations";
  error.xlabel = quality.xlabel;
  error.ylabel = "log2 of the mean distance to the reference solution";
  error.key = "bottom left";
  plot::plot_lines(args.out / "error_vs_nfe.png", error);
  std::cout << "\nwrote order.png, quality_vs_nfe.png and error_vs_nfe.png in " << args.out.string()
            << "\n";
  return orders_ok ? 0 : 1;
}
