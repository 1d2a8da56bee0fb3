// The loss floor, excess loss and velocity error on the training path (path_errors.hpp).
#include "flow/path_errors.hpp"

#include <stdexcept>

#include "flow/datasets.hpp"

namespace minflow::flow {

TargetSampler dataset_sampler(const std::string& data) {
  if (data != "gaussian") check_dataset(data);
  return [data](Generator& gen, std::size_t n) { return sample_dataset(data, gen, n); };
}

TargetSampler points_sampler(const Array<float>& points) {
  return [points](Generator& gen, std::size_t n) {
    const auto m = static_cast<std::uint32_t>(points.shape()[0]);
    Array<float> x = Array<float>::from_shape({n, 2});
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t j = gen.below(m);
      x(i, 0) = points(j, 0);
      x(i, 1) = points(j, 1);
    }
    return x;
  };
}

namespace {
// Sums of one bin, divided at the end.
struct BinSums {
  double floor = 0.0, loss = 0.0, error = 0.0;
};

void finish(ByTime& q, const std::vector<double>& bins) {
  q.by_bin = bins;
  q.overall = 0.0;
  for (double b : bins)
    q.overall += b;
  q.overall /= double(bins.size());
}
}  // namespace

PathErrors path_errors(const GaussianMixture& exact, const TargetSampler& target,
                       const VelocityField<float>* model, const PathOptions& options) {
  if (options.bins == 0 || options.times_per_bin == 0 || options.rows == 0) {
    throw std::invalid_argument("path_errors: bins, times_per_bin and rows must be positive, got " +
                                std::to_string(options.bins) + ", " +
                                std::to_string(options.times_per_bin) + ", " +
                                std::to_string(options.rows));
  }
  Generator gen0(options.seed, "path_x0"), gen1(options.seed, "path_x1");
  const std::size_t n = options.rows;
  std::vector<double> floor(options.bins), loss(options.bins), error(options.bins);
  for (std::size_t b = 0; b < options.bins; ++b) {
    BinSums sums;
    for (std::size_t j = 0; j < options.times_per_bin; ++j) {
      const double t =
          (double(b) + (double(j) + 0.5) / double(options.times_per_bin)) / double(options.bins);
      const Array<float> x0 = gaussian(gen0, n);
      const Array<float> x1 = target(gen1, n);
      Array<double> xt = Array<double>::from_shape({n, 2});
      Array<float> xt_float = Array<float>::from_shape({n, 2});
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t c = 0; c < 2; ++c) {
          xt(i, c) = (1.0 - t) * double(x0(i, c)) + t * double(x1(i, c));
          xt_float(i, c) = static_cast<float>(xt(i, c));
        }
      }
      const Array<double> ustar = exact_velocity(exact, xt, t);
      Array<float> v;
      if (model) v = (*model)(xt_float, t);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t c = 0; c < 2; ++c) {
          const double u = double(x1(i, c)) - double(x0(i, c));
          sums.floor += (u - ustar(i, c)) * (u - ustar(i, c));
          if (!model) continue;
          sums.loss += (u - v(i, c)) * (u - v(i, c));
          sums.error += (v(i, c) - ustar(i, c)) * (v(i, c) - ustar(i, c));
        }
      }
    }
    const double count = double(options.times_per_bin) * double(n);
    floor[b] = sums.floor / count / 2.0;  // per coordinate, as the trainer's MSE
    loss[b] = sums.loss / count / 2.0;
    error[b] = sums.error / count;  // summed over the coordinates
  }
  PathErrors out;
  finish(out.loss_floor, floor);
  if (model) {
    std::vector<double> excess(options.bins);
    for (std::size_t b = 0; b < options.bins; ++b)
      excess[b] = loss[b] - floor[b];
    finish(out.loss, loss);
    finish(out.excess_loss, excess);
    finish(out.velocity_error, error);
  }
  return out;
}

}  // namespace minflow::flow
