#include "flow/datasets.hpp"

#include <atomic>
#include <cmath>
#include <stdexcept>

#include "base/thread_pool.hpp"

namespace minflow::flow {

namespace {
constexpr double kPi = 3.14159265358979323846;

Array<float> points(std::size_t n) {
  return Array<float>::from_shape({n, 2});
}

// The points of a set whose every row takes exactly `draws` 32-bit draws, drawn by the
// thread pool yet exactly the numbers one loop would draw: row i's draws begin at draw
// i·draws of the stream, so a thread jumps its copy of the generator there
// (Generator::advance) and draws its rows. (Box–Muller normals come in pairs: a row must
// use an even number of them, and the stream must not hold a spare one at the start.)
// A rejected draw (u1 = 0 in Box–Muller, a biased value in below(): probabilities of
// 2^-53 and below n/2^32) shifts the count: each chunk checks that it ended where it should,
// and when one did not, all rows are drawn again in one loop.
template <class Row>
Array<float> draw_rows(Generator& gen, std::size_t n, std::uint64_t draws, const Row& row) {
  Array<float> x = points(n);
  const Generator start = gen;
  std::atomic<bool> on_count{!start.has_spare()};
  if (on_count) {
    // 256 rows at least per chunk: a few hundred microseconds of libm each.
    parallel_for(n, 256, [&](std::size_t begin, std::size_t end) {
      Generator g = start;
      g.advance(begin * draws);
      for (std::size_t i = begin; i < end; ++i)
        row(g, x(i, 0), x(i, 1));
      Generator expected = start;
      expected.advance(end * draws);
      if (!(g == expected)) on_count = false;
    });
  }
  if (on_count) {
    gen.advance(n * draws);
    return x;
  }
  for (std::size_t i = 0; i < n; ++i)
    row(gen, x(i, 0), x(i, 1));
  return x;
}

// Draws per row: a uniform_double takes 2, a pair of normals 4 (two uniform_doubles), below() 1.
}  // namespace

Array<float> gaussian(Generator& gen, std::size_t n, double scale) {
  return draw_rows(gen, n, 4, [scale](Generator& g, float& px, float& py) {
    px = static_cast<float>(scale * g.normal());
    py = static_cast<float>(scale * g.normal());
  });
}

namespace {

// One point of the spiral, in this order of draws (6 of the stream's 32-bit draws):
//   θ = g.uniform(0, 6π) (three turns),  r = scale·θ/(2π) (the radius grows by `scale`
//   per turn),  then nx = g.normal(), ny = g.normal(), and
//   (px, py) = (r·cos θ + 0.1·scale·nx, r·sin θ + 0.1·scale·ny), rounded to float.
void spiral_point(Generator& g, double scale, float& px, float& py) {
  // EXERCISE 3.1 BEGIN: the spiral sampler
  const double theta = g.uniform(0.0, 6.0 * kPi);
  const double r = scale / (2.0 * kPi) * theta;
  const double nx = g.normal(), ny = g.normal();
  px = static_cast<float>(r * std::cos(theta) + 0.1 * scale * nx);
  py = static_cast<float>(r * std::sin(theta) + 0.1 * scale * ny);
  // EXERCISE END
}

}  // namespace

Array<float> spiral(Generator& gen, std::size_t n, double scale) {
  return draw_rows(gen, n, 6,
                   [scale](Generator& g, float& px, float& py) { spiral_point(g, scale, px, py); });
}

Array<float> moons(Generator& gen, std::size_t n, double scale) {
  // Upper moon (cos θ, sin θ), lower moon (1 − cos θ, 0.5 − sin θ), θ ~ U[0, π]; the pair
  // spans [−1, 2] × [−0.5, 1], so shift by (−0.5, −0.25) to centre it, enlarge ×1.5 and
  // add N(0, 0.05²) noise.
  Array<float> x = points(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double theta = gen.uniform(0.0, kPi);
    const bool upper = gen.below(2) == 0;
    double px = upper ? std::cos(theta) : 1.0 - std::cos(theta);
    double py = upper ? std::sin(theta) : 0.5 - std::sin(theta);
    px = 1.5 * (px - 0.5) + 0.05 * gen.normal();
    py = 1.5 * (py - 0.25) + 0.05 * gen.normal();
    x(i, 0) = static_cast<float>(scale * px);
    x(i, 1) = static_cast<float>(scale * py);
  }
  return x;
}

Array<float> eight_gaussians(Generator& gen, std::size_t n, double scale) {
  // Centres 2·(cos kπ/4, sin kπ/4), k = 0 … 7, chosen uniformly; σ = 0.2.
  Array<float> x = points(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double angle = kPi / 4.0 * gen.below(8);
    x(i, 0) = static_cast<float>(scale * (2.0 * std::cos(angle) + 0.2 * gen.normal()));
    x(i, 1) = static_cast<float>(scale * (2.0 * std::sin(angle) + 0.2 * gen.normal()));
  }
  return x;
}

Array<float> checkerboard(Generator& gen, std::size_t n, double scale) {
  // FFJORD's checkerboard: u ~ U[−2, 2], v ~ U[0, 1] − 2·B (B a fair coin), then
  // v += floor(u) mod 2 puts the point on a dark square; the board [−2, 2]² is enlarged ×1.5.
  Array<float> x = points(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = gen.uniform(-2.0, 2.0);
    double v = gen.uniform_double() - 2.0 * gen.below(2);
    const double column = std::floor(u);
    v += column - 2.0 * std::floor(column / 2.0);  // floor(u) mod 2, in {0, 1}
    x(i, 0) = static_cast<float>(scale * 1.5 * u);
    x(i, 1) = static_cast<float>(scale * 1.5 * v);
  }
  return x;
}

Array<float> rings(Generator& gen, std::size_t n, double scale) {
  // Ring r ∈ {1, 2, 3} with probability r/6 (uniform density along the circles), angle
  // U[0, 2π), radius r + N(0, 0.05²).
  Array<float> x = points(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t k = gen.below(6);  // 0 → r=1; 1,2 → r=2; 3,4,5 → r=3
    const double r = k == 0 ? 1.0 : (k < 3 ? 2.0 : 3.0);
    const double angle = gen.uniform(0.0, 2.0 * kPi);
    const double radius = r + 0.05 * gen.normal();
    x(i, 0) = static_cast<float>(scale * radius * std::cos(angle));
    x(i, 1) = static_cast<float>(scale * radius * std::sin(angle));
  }
  return x;
}

Array<float> s_curve(Generator& gen, std::size_t n, double scale) {
  // scikit-learn's make_s_curve seen from the side, as torchcfm's benchmark uses it: t ~
  // U[−3π/2, 3π/2], (sin t, sign(t)·(cos t − 1)) spans [−1, 1] × [−2, 2]; noise N(0, 0.1²)
  // per coordinate, then enlarged ×1.3 to fill the plot window.
  Array<float> x = points(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = 3.0 * kPi * (gen.uniform_double() - 0.5);
    const double px = std::sin(t) + 0.1 * gen.normal();
    const double py = (t < 0 ? -1.0 : 1.0) * (std::cos(t) - 1.0) + 0.1 * gen.normal();
    x(i, 0) = static_cast<float>(scale * 1.3 * px);
    x(i, 1) = static_cast<float>(scale * 1.3 * py);
  }
  return x;
}

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names = {"spiral",       "moons", "eight_gaussians",
                                                 "checkerboard", "rings", "s_curve"};
  return names;
}

bool is_dataset(const std::string& name) {
  for (const auto& known : dataset_names())
    if (known == name) return true;
  return false;
}

void check_source(const std::string& name) {
  if (name == "gaussian" || is_dataset(name)) return;
  std::string choices = "gaussian";
  for (const auto& known : dataset_names())
    choices += ", " + known;
  throw std::invalid_argument("unknown source '" + name + "' (choose " + choices + ")");
}

void check_dataset(const std::string& name) {
  if (is_dataset(name)) return;
  std::string choices;
  for (const auto& known : dataset_names())
    choices += (choices.empty() ? "" : ", ") + known;
  throw std::invalid_argument("unknown data set '" + name + "' (choose " + choices + ")");
}

Array<float> sample_dataset(const std::string& name, Generator& gen, std::size_t n, double scale) {
  if (name == "spiral") return spiral(gen, n, scale);
  if (name == "moons") return moons(gen, n, scale);
  if (name == "eight_gaussians") return eight_gaussians(gen, n, scale);
  if (name == "checkerboard") return checkerboard(gen, n, scale);
  if (name == "rings") return rings(gen, n, scale);
  if (name == "s_curve") return s_curve(gen, n, scale);
  if (name == "gaussian") return gaussian(gen, n, scale);
  check_dataset(name);
  return {};
}

}  // namespace minflow::flow
