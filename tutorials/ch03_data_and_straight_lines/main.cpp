// Chapter 3: data and straight lines.
//
// The two ends of every flow in this tutorial: the source, a standard Gaussian (t = 0), and
// the target, a spiral (t = 1). We draw both, pair them at random (row i with row i), and
// look at the straight line between partners, x_t = (1 − t)·x0 + t·x1, and its velocity
// u = x1 − x0: the regression target of chapter 4. The lines cross, and many of them pass
// near any point in different directions. That is the seed of chapter 8.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include "../chapter.hpp"
#include "base/random.hpp"
#include "flow/datasets.hpp"
#include "plot/plot.hpp"

using namespace minflow;

namespace {

// Mean, standard deviation per coordinate, and E‖x‖² of a point set [n, 2].
void describe(const std::string& name, const Array<float>& x) {
  const std::size_t n = x.shape()[0];
  double mean[2] = {0, 0}, square[2] = {0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < 2; ++j) {
      mean[j] += x(i, j) / double(n);
      square[j] += x(i, j) * double(x(i, j)) / double(n);
    }
  }
  std::printf("%-8s mean (%+.3f, %+.3f)  std (%.3f, %.3f)  E|x|^2 %.3f\n", name.c_str(), mean[0],
              mean[1], std::sqrt(square[0] - mean[0] * mean[0]),
              std::sqrt(square[1] - mean[1] * mean[1]), square[0] + square[1]);
}

// The point on the straight line from x0 to x1 at time t, row by row.
Array<float> interpolate(const Array<float>& x0, const Array<float>& x1, float t) {
  return (1.0f - t) * x0 + t * x1;
}

// Which side of the line through a and b the point p lies on: the sign of the cross product
// (b − a) × (p − a).
double side(const float* a, const float* b, const float* p) {
  return (double(b[0]) - a[0]) * (double(p[1]) - a[1]) -
         (double(b[1]) - a[1]) * (double(p[0]) - a[0]);
}

// Segments a0–a1 and b0–b1 cross when each one's ends lie on opposite sides of the other.
bool segments_cross(const float* a0, const float* a1, const float* b0, const float* b1) {
  return side(a0, a1, b0) * side(a0, a1, b1) < 0 && side(b0, b1, a0) * side(b0, b1, a1) < 0;
}

// The velocities u = x1 − x0 of the lines that pass within `radius` of the point p at time t:
// how many, their mean, and their spread (standard deviation per coordinate).
void velocities_near(const Array<float>& x0, const Array<float>& x1, float t, double px, double py,
                     double radius) {
  const Array<float> xt = interpolate(x0, x1, t);
  double count = 0, sum[2] = {0, 0}, square[2] = {0, 0};
  for (std::size_t i = 0; i < xt.shape()[0]; ++i) {
    if (std::hypot(xt(i, 0) - px, xt(i, 1) - py) > radius) continue;
    count += 1;
    for (std::size_t j = 0; j < 2; ++j) {
      const double u = x1(i, j) - x0(i, j);
      sum[j] += u;
      square[j] += u * u;
    }
  }
  if (count < 2) return;
  const double mx = sum[0] / count, my = sum[1] / count;
  std::printf(
      "  t = %.2f, near (%+.1f, %+.1f): %5.0f lines, mean u (%+.2f, %+.2f), std (%.2f, %.2f)\n", t,
      px, py, count, mx, my, std::sqrt(square[0] / count - mx * mx),
      std::sqrt(square[1] / count - my * my));
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch03");
  const std::size_t n = args.quick ? 512 : 2048;         // points per figure
  const std::size_t arrows = args.quick ? 64 : 256;      // arrows drawn
  const std::size_t many = args.quick ? 20000 : 400000;  // pairs for the statistics
  Generator gen(0, "ch03");

  // 1. The source and the target, side by side.
  const Array<float> x0 = flow::gaussian(gen, n);  // noise, where every path starts
  const Array<float> x1 = flow::spiral(gen, n);    // data, where every path should end
  describe("source", x0);
  describe("target", x1);
  plot::plot_scatter(args.out / "source_target.png",
                     {{"source: x0 ~ N(0, I), t = 0", {{x0, "gaussian", "#1f77b4"}}},
                      {"target: x1 ~ spiral, t = 1", {{x1, "spiral", "#ff7f0e"}}}});

  // 2. A random pairing: row i of x0 with row i of x1 (they were drawn independently).
  //    Each pair defines a straight line x_t = (1 − t)·x0 + t·x1 with constant velocity
  //    u = dx_t/dt = x1 − x0.
  const Array<float> u = x1 - x0;
  double u2 = 0;
  for (float value : u)
    u2 += double(value) * value / double(n);
  std::printf("\nrandom pairs: E|u|^2 = E|x1 - x0|^2 = %.3f (independent: E|x0|^2 + E|x1|^2)\n",
              u2);
  std::printf("  per coordinate %.3f: the flow-matching loss of a net that predicts v = 0\n",
              u2 / 2);
  plot::plot_pairing(args.out / "pairing_velocities.png", x0, x1,
                     "random pairing: arrows x_{1} − x_{0} from each x_{0}", arrows);

  // 3. What the flow must reproduce: the cloud of points x_t at a few times.
  std::vector<plot::ScatterPanel> panels;
  for (float t : {0.5f, 0.75f, 0.9f}) {
    char title[64];
    std::snprintf(title, sizeof title, "x_{t} = (1 − t) x_{0} + t x_{1} at t = %.2f", t);
    panels.push_back({title, {{interpolate(x0, x1, t), "x_{t}", "#2ca02c"}}});
  }
  plot::plot_scatter(args.out / "interpolation.png", panels);

  // 4. The lines cross. Count the crossings among the arrows drawn in pairing_velocities.png.
  std::size_t crossings = 0, pairs = 0;
  for (std::size_t i = 0; i < arrows; ++i) {
    for (std::size_t k = i + 1; k < arrows; ++k, ++pairs) {
      crossings += segments_cross(&x0(i, 0), &x1(i, 0), &x0(k, 0), &x1(k, 0));
    }
  }
  std::printf("\n%zu of the %zu pairs of arrows drawn cross each other (%.1f%%)\n", crossings,
              pairs, 100.0 * double(crossings) / double(pairs));

  // 5. Near a point, at one time, many lines pass, each with its own velocity. A velocity
  //    field v(x, t) has one value there: the best it can do is their mean.
  const Array<float> many0 = flow::gaussian(gen, many), many1 = flow::spiral(gen, many);
  std::printf("\nlines passing within 0.1 of a point (of %zu random pairs):\n", many);
  for (float t : {0.1f, 0.5f, 0.9f}) {
    velocities_near(many0, many1, t, 0.0, 0.0, 0.1);
    velocities_near(many0, many1, t, -1.5, 0.0, 0.1);
  }
  std::cout << "\nwrote source_target.png, pairing_velocities.png and interpolation.png in "
            << args.out.string() << "\n";
  return 0;
}
