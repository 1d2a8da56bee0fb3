#include "autograd/broadcast.hpp"

#include <algorithm>
#include <stdexcept>

#include <xtensor/xbroadcast.hpp>

namespace minflow {

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    // i counts axes from the right.
    std::size_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    std::size_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da != db && da != 1 && db != 1) {
      throw std::invalid_argument(std::string(op) + ": cannot broadcast " + shape_to_string(a) +
                                  " with " + shape_to_string(b));
    }
    out[rank - 1 - i] = std::max(da, db);
  }
  return out;
}

template <class T>
Array<T> expand_to(const Array<T>& value, const Shape& shape) {
  return Array<T>(xt::broadcast(value, shape));
}

template <class T>
Array<T> reduce_to_shape(const Array<T>& grad, const Shape& shape) {
  Shape gshape(grad.shape().begin(), grad.shape().end());
  if (gshape == shape) return grad;  // nothing was broadcast
  // out[j] = Σ grad[i] over every grad index i that maps to input index j: align the shapes
  // at the right; an axis the input lacks, or where it has size 1, collapses to index 0.
  // EXERCISE 1.2 BEGIN: reduce_to_shape
  const std::size_t rank = gshape.size();
  const std::size_t lead = rank - shape.size();  // axes the input did not have
  // View grad as [outer, n, inner] around each axis in turn would be general but slow;
  // instead walk every element once and add it into the input position it came from.
  Array<T> out = Array<T>::from_shape(shape);
  std::fill(out.begin(), out.end(), T(0));
  // Strides of `out` seen from grad's axes (0 where the input was broadcast).
  std::vector<std::size_t> out_stride(rank, 0);
  std::size_t stride = 1;
  for (std::size_t k = shape.size(); k-- > 0;) {
    out_stride[lead + k] = shape[k] == 1 ? 0 : stride;
    stride *= shape[k];
  }
  std::vector<std::size_t> index(rank, 0);
  std::size_t offset = 0;
  const T* g = grad.data();
  T* o = out.data();
  for (std::size_t flat = 0, n = grad.size(); flat < n; ++flat) {
    o[offset] += g[flat];
    // Advance the multi-index like an odometer, keeping `offset` in step.
    for (std::size_t ax = rank; ax-- > 0;) {
      offset += out_stride[ax];
      if (++index[ax] < gshape[ax]) break;
      offset -= out_stride[ax] * gshape[ax];
      index[ax] = 0;
    }
  }
  return out;
  // EXERCISE END
}

template Array<float> expand_to(const Array<float>&, const Shape&);
template Array<double> expand_to(const Array<double>&, const Shape&);
template Array<float> reduce_to_shape(const Array<float>&, const Shape&);
template Array<double> reduce_to_shape(const Array<double>&, const Shape&);

}  // namespace minflow
