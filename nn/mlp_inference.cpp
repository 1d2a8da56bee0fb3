#include "nn/mlp_inference.hpp"

#include <algorithm>
#include <stdexcept>

#include "autograd/grad_mode.hpp"
#include "autograd/kernels/gelu.hpp"
#include "autograd/kernels/matmul.hpp"

namespace minflow::nn {
namespace {

// Rows per strip: a multiple of the gemm's 6-row tile, and small enough that two strips of
// activations (48 × 64 floats = 12 KB each) and a 64×64 weight (16 KB) share the L1 cache.
constexpr std::size_t kStripRows = 48;

}  // namespace

bool MlpInference::supports(const MLP& net) {
  return net.spec().activation == Activation::gelu && !reference_kernels_enabled();
}

MlpInference::MlpInference(const MLP& net) {
  if (!supports(net)) {
    throw std::invalid_argument("MlpInference: needs a GELU MLP and the fast kernels, got " +
                                activation_name(net.spec().activation) +
                                (reference_kernels_enabled() ? " with reference kernels" : ""));
  }
  const auto& linears = net.layers();
  for (std::size_t l = 0; l < linears.size(); ++l) {
    const Tensor& w = linears[l]->weight();  // [out, in]
    const Tensor& b = linears[l]->bias();
    Layer layer;
    layer.out = w.shape()[0];
    layer.in = w.shape()[1];
    layer.bias.assign(b.data(), b.data() + layer.out);
    const bool last = l + 1 == linears.size();
    if (last) {
      // The last layer is narrow (2 outputs): the gemm takes rows of W as they are stored.
      layer.weight.assign(w.data(), w.data() + w.size());
    } else {
      layer.weight.resize(w.size());
      for (std::size_t o = 0; o < layer.out; ++o)
        for (std::size_t i = 0; i < layer.in; ++i)
          layer.weight[i * layer.out + o] = w.data()[o * layer.in + i];
    }
    widest_ = std::max({widest_, layer.in, layer.out});
    layers_.push_back(std::move(layer));
  }
}

void MlpInference::run(const float* in, std::size_t rows, float* out) const {
  // Two strip buffers per thread, reused call after call: a layer reads one, writes the other.
  thread_local std::vector<float> ping, pong;
  if (ping.size() < kStripRows * widest_) {
    ping.resize(kStripRows * widest_);
    pong.resize(kStripRows * widest_);
  }
  for (std::size_t r0 = 0; r0 < rows; r0 += kStripRows) {
    const std::size_t strip = std::min(kStripRows, rows - r0);
    const float* h = in + r0 * layers_.front().in;
    float* next = ping.data();
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const Layer& layer = layers_[l];
      const bool last = l + 1 == layers_.size();
      float* y = last ? out + r0 * layer.out : next;
      // As LinearOp::forward: each sum starts from the bias, the product on top.
      if (last) {
        gemm<float>(false, true, strip, layer.out, layer.in, h, layer.in, layer.weight.data(),
                    layer.in, y, layer.out, /*accumulate=*/false, layer.bias.data());
      } else {
        gemm<float>(false, false, strip, layer.out, layer.in, h, layer.in, layer.weight.data(),
                    layer.out, y, layer.out, /*accumulate=*/false, layer.bias.data());
        gelu_kernel(y, y, nullptr, strip * layer.out);
        h = y;
        next = next == ping.data() ? pong.data() : ping.data();
      }
    }
  }
}

}  // namespace minflow::nn
