#include "flow/time_sampler.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "flow/time_warp.hpp"

namespace minflow::flow {

namespace {
constexpr double kPi = 3.14159265358979323846;

// Parses a whole string as a finite double, or returns false.
bool parse_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(out);
}

std::string format(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// One logit-normal time: z ~ N(0, 1) from gen.normal(), then t = sigmoid(m + s·z)
// = 1/(1 + e^−(m + s·z)), so that logit(t) = ln(t/(1 − t)) ~ N(m, s²). One normal per draw.
double logit_normal_draw(Generator& gen, double m, double s) {
  // EXERCISE 7.3 BEGIN: the logit-normal sampler
  return 1.0 / (1.0 + std::exp(-(m + s * gen.normal())));
  // EXERCISE END
}

// The density of t = sigmoid(y), y ~ N(m, s²): with y = logit(t) = ln(t/(1 − t)) and
// dy/dt = 1/(t(1 − t)), p(t) = N(logit(t); m, s²)·1/(t(1 − t)) on (0, 1), and 0 at the ends.
double logit_normal_density(double t, double m, double s) {
  // EXERCISE 7.4 BEGIN: the logit-normal density
  if (t <= 0.0 || t >= 1.0) return 0.0;
  const double z = (std::log(t / (1.0 - t)) - m) / s;
  return std::exp(-0.5 * z * z) / (s * std::sqrt(2.0 * kPi)) / (t * (1.0 - t));
  // EXERCISE END
}

// The shortest of %.15g / %.17g that reads back as exactly v (a checkpoint stores the
// sampler as text, and a resumed run must draw the same times).
std::string exact(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

constexpr std::size_t kMaxBins = 100;
}  // namespace

TimeSampler uniform_time() {
  return {};
}

TimeSampler warped_time(double s) {
  check_warp_s(s);
  return {TimeSampler::Kind::warp, s, 0.0, {}};
}

TimeSampler logit_normal_time(double m, double sd) {
  if (!(sd > 0.0) || !std::isfinite(sd) || !std::isfinite(m)) {
    throw std::invalid_argument("logit-normal: need a finite m and s > 0, got m = " + format(m) +
                                ", s = " + format(sd));
  }
  return {TimeSampler::Kind::logit_normal, m, sd, {}};
}

TimeSampler binned_time(const std::vector<double>& weights) {
  const std::size_t k = weights.size();
  if (k < 1 || k > kMaxBins) {
    throw std::invalid_argument("bins: need 1 to 100 weights, got " + std::to_string(k));
  }
  for (std::size_t i = 0; i < k; ++i) {
    if (!(weights[i] >= 0.0) || !std::isfinite(weights[i])) {
      throw std::invalid_argument("bins: weight " + std::to_string(i) +
                                  " must be finite and >= 0, got " + format(weights[i]));
    }
  }
  if (!(std::accumulate(weights.begin(), weights.end(), 0.0) > 0.0)) {
    throw std::invalid_argument("bins: the weights sum to 0; need at least one > 0");
  }
  TimeSampler s;
  s.kind = TimeSampler::Kind::bins;
  s.weights = weights;
  return s;
}

namespace {
// bins: the inverse CDF at u ∈ [0, 1). With c_k = Σ_{j<k} w_j / Σw, u falls in bin k when
// c_k ≤ u < c_{k+1}, and t = (k + (u − c_k)/(c_{k+1} − c_k)) / K is uniform inside it.
// One uniform per draw, as the other samplers, and monotone in u.
double binned_inverse_cdf(const std::vector<double>& w, double u) {
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  const double k_bins = double(w.size());
  double below = 0.0;  // Σ_{j<k} w_j
  for (std::size_t k = 0; k < w.size(); ++k) {
    if (w[k] > 0.0 && u * total < below + w[k]) {
      const double inside = std::clamp((u * total - below) / w[k], 0.0, 1.0);
      return std::min(1.0, (double(k) + inside) / k_bins);
    }
    below += w[k];
  }
  // Rounding put u·Σw past the last sum: the top of the last bin with weight.
  for (std::size_t k = w.size(); k-- > 0;)
    if (w[k] > 0.0) return (double(k) + 1.0) / k_bins;
  return 1.0;
}
}  // namespace

double TimeSampler::sample(Generator& gen) const {
  switch (kind) {
    case Kind::uniform:
      return gen.uniform_double();
    case Kind::warp:
      return warp_time(gen.uniform_double(), a);
    case Kind::logit_normal:
      return logit_normal_draw(gen, a, b);
    case Kind::bins:
      return binned_inverse_cdf(weights, gen.uniform_double());
  }
  return 0.0;
}

double TimeSampler::density(double t) const {
  if (t < 0.0 || t > 1.0) return 0.0;
  switch (kind) {
    case Kind::uniform:
      return 1.0;
    case Kind::warp:
      // t = warp(u) with u uniform: p(t) = 1 / warp'(u) at u = warp⁻¹(t).
      return 1.0 / warp_time_derivative(unwarp_time(t, a), a);
    case Kind::logit_normal:
      return logit_normal_density(t, a, b);
    case Kind::bins: {
      // K·w_k/Σw on bin k; t = 1 belongs to the last bin.
      const double k_bins = double(weights.size());
      const std::size_t k = std::min(weights.size() - 1, std::size_t(t * k_bins));
      return k_bins * weights[k] / std::accumulate(weights.begin(), weights.end(), 0.0);
    }
  }
  return 0.0;
}

std::string TimeSampler::to_string() const {
  switch (kind) {
    case Kind::uniform:
      return "uniform";
    case Kind::warp:
      return "warp:" + format(a);
    case Kind::logit_normal:
      return "logit-normal:" + format(a) + "," + format(b);
    case Kind::bins: {
      std::string out = "bins:";
      for (std::size_t k = 0; k < weights.size(); ++k)
        out += (k ? "," : "") + exact(weights[k]);
      return out;
    }
  }
  return "";
}

TimeSampler parse_time_sampler(const std::string& text) {
  const std::string forms =
      "uniform, warp:S (S in [0, 1.5]), logit-normal:M,S (S > 0) or bins:W0,W1,... (W >= 0)";
  if (text == "uniform") return uniform_time();
  double x = 0, y = 0;
  if (text.rfind("warp:", 0) == 0) {
    if (!parse_double(text.substr(5), x) || x < 0.0 || x > 1.5) {
      throw std::invalid_argument("time sampler '" + text + "': warp needs S in [0, 1.5]");
    }
    return warped_time(x);
  }
  if (text.rfind("logit-normal:", 0) == 0) {
    const std::string rest = text.substr(13);
    const auto comma = rest.find(',');
    if (comma == std::string::npos || !parse_double(rest.substr(0, comma), x) ||
        !parse_double(rest.substr(comma + 1), y) || !(y > 0.0)) {
      throw std::invalid_argument("time sampler '" + text +
                                  "': expected logit-normal:M,S with S > 0");
    }
    return logit_normal_time(x, y);
  }
  if (text.rfind("bins:", 0) == 0) {
    std::vector<double> w;
    std::string rest = text.substr(5);
    for (std::size_t start = 0;;) {
      const std::size_t comma = rest.find(',', start);
      const std::string item = rest.substr(start, comma - start);
      if (!parse_double(item, x)) {
        throw std::invalid_argument("time sampler '" + text +
                                    "': bins needs numbers W0,W1,..., got '" + item + "'");
      }
      w.push_back(x);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    try {
      return binned_time(w);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("time sampler '" + text + "': " + e.what());
    }
  }
  throw std::invalid_argument("unknown time sampler '" + text + "' (choose " + forms + ")");
}

}  // namespace minflow::flow
