// Where on [0, 1] the training times t are drawn (docs/design.md#time-samplers).
//
// Flow matching regresses v(x_t, t) onto x1 − x0 at random times. Which times are drawn
// decides where the net learns most: uniform spreads effort evenly, a warp with s < 1 or a
// logit-normal crowd the draws around t = 1/2, where the target velocity is most ambiguous.
// Every sampler also tabulates its density, for the plots of chapter 7.
#pragma once

#include <string>
#include <vector>

#include "base/random.hpp"

namespace minflow::flow {

struct TimeSampler {
  enum class Kind { uniform, warp, logit_normal, bins };
  Kind kind = Kind::uniform;
  double a = 0.0;  // warp: s; logit-normal: m
  double b = 1.0;  // logit-normal: the standard deviation
  // bins: the weights w_0 … w_{K−1} as given (not normalised), one per equal-width bin of
  // [0, 1]; p(t) = K·w_k / Σw on bin k (a piecewise-constant density).
  std::vector<double> weights;

  // One draw of t in [0, 1].
  double sample(Generator& gen) const;
  // The probability density of t at t (for plots and the chi-square test).
  double density(double t) const;
  // "uniform", "warp:0.5", "logit-normal:0,1": the form `parse` reads.
  std::string to_string() const;
};

TimeSampler uniform_time();
TimeSampler warped_time(double s);                   // t = warp(U; s)
TimeSampler logit_normal_time(double m, double sd);  // t = sigmoid(N(m, sd²))
// t drawn with probability ∝ w_k in bin k of K equal bins, uniform inside a bin (e.g. the
// weights = a pilot run's velocity error by bin). Needs 1 ≤ K ≤ 100, w_k ≥ 0, Σw > 0.
TimeSampler binned_time(const std::vector<double>& weights);

// Reads the --time flag's value (uniform, warp:S, logit-normal:M,S, bins:W0,W1,…); throws
// std::invalid_argument naming the accepted forms.
TimeSampler parse_time_sampler(const std::string& text);

}  // namespace minflow::flow
