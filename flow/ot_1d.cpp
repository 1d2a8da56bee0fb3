#include "flow/ot_1d.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace minflow::flow {

std::vector<std::size_t> sorted_assignment_1d(const std::vector<double>& x,
                                              const std::vector<double>& y) {
  if (x.size() != y.size()) {
    throw std::invalid_argument("sorted_assignment_1d: x has " + std::to_string(x.size()) +
                                " values, y " + std::to_string(y.size()));
  }
  // The ranks of both sets: order_x[k] is the index of the k-th smallest x (std::stable_sort
  // on indices keeps equal values in index order), the same for y; then the k-th smallest x
  // takes the k-th smallest y: col_for_row[order_x[k]] = order_y[k].
  // EXERCISE 12.1 BEGIN: 1-D optimal transport by sorting
  const std::size_t n = x.size();
  std::vector<std::size_t> order_x(n), order_y(n);
  std::iota(order_x.begin(), order_x.end(), std::size_t{0});
  std::iota(order_y.begin(), order_y.end(), std::size_t{0});
  std::stable_sort(order_x.begin(), order_x.end(),
                   [&x](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::stable_sort(order_y.begin(), order_y.end(),
                   [&y](std::size_t a, std::size_t b) { return y[a] < y[b]; });
  std::vector<std::size_t> col_for_row(n);
  for (std::size_t k = 0; k < n; ++k)
    col_for_row[order_x[k]] = order_y[k];
  return col_for_row;
  // EXERCISE END
}

double w2_1d(const std::vector<double>& x, const std::vector<double>& y) {
  const std::vector<std::size_t> pair = sorted_assignment_1d(x, y);
  if (x.empty()) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i)
    sum += (x[i] - y[pair[i]]) * (x[i] - y[pair[i]]);
  return std::sqrt(sum / double(x.size()));
}

}  // namespace minflow::flow
