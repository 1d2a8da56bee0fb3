// The divergence of the tutorial's GELU MLP without a graph: forward-mode tangents carried
// through the layers beside the values (divergence.hpp, fast_divergence).
//
// For a layer a = gelu(W h + b), a tangent (a directional derivative) moves as
//   da = gelu'(W h + b) ⊙ (W dh),
// so pushing dh = e_1 and dh = e_2 through all layers gives the Jacobian's columns J e_1 and
// J e_2 at the output, and ∇·v = (J e_1)_x + (J e_2)_y. At the input [x, y, t] the tangents
// are the first two columns of the first weight. Per layer that is three products of the
// same size (the values and the two tangents, stacked into one gemm without bias) and one
// GELU with its derivative: what the reverse-mode passes cost, without allocating a graph.
#include <algorithm>
#include <memory>
#include <vector>

#include "autograd/kernels/gelu.hpp"
#include "autograd/kernels/matmul.hpp"
#include "base/thread_pool.hpp"
#include "flow/divergence.hpp"
#include "nn/mlp.hpp"
#include "nn/mlp_inference.hpp"

namespace minflow::flow {

namespace {

constexpr std::size_t kStripRows = 48;

struct Layer {
  std::size_t in = 0, out = 0;
  std::vector<float> weight, bias;  // [out, in] as stored, [out]
};

// Rows [begin, end) of x at time t: v into v_out [rows, 2], ∇·v into div_out [rows].
void run_strip(const std::vector<Layer>& layers, const float* x, std::size_t rows, float t,
               float* v_out, float* div_out) {
  std::size_t widest = 0;
  for (const Layer& l : layers)
    widest = std::max({widest, l.in, l.out});
  // h: values [rows, width]; d: the two tangents stacked [2·rows, width]; p: pre-activations.
  std::vector<float> h(rows * 3), d(2 * rows * widest), p(rows * widest), pd(2 * rows * widest),
      slope(rows * widest);
  for (std::size_t r = 0; r < rows; ++r) {
    h[3 * r] = x[2 * r];
    h[3 * r + 1] = x[2 * r + 1];
    h[3 * r + 2] = t;
  }
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const Layer& L = layers[l];
    const bool first = l == 0, last = l + 1 == layers.size();
    // Values: p = h·Wᵀ + b. Tangents: pd = d·Wᵀ, or at the input W's columns 0 and 1.
    gemm<float>(false, true, rows, L.out, L.in, h.data(), L.in, L.weight.data(), L.in, p.data(),
                L.out, false, L.bias.data());
    if (first) {
      for (std::size_t k = 0; k < 2; ++k)
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t j = 0; j < L.out; ++j)
            pd[(k * rows + r) * L.out + j] = L.weight[j * L.in + k];
    } else {
      gemm<float>(false, true, 2 * rows, L.out, L.in, d.data(), L.in, L.weight.data(), L.in,
                  pd.data(), L.out, false);
    }
    if (last) {
      for (std::size_t r = 0; r < rows; ++r) {
        v_out[2 * r] = p[r * L.out];
        v_out[2 * r + 1] = p[r * L.out + 1];
        div_out[r] = pd[r * L.out] + pd[(rows + r) * L.out + 1];
      }
      return;
    }
    h.resize(rows * L.out);
    gelu_kernel(p.data(), h.data(), slope.data(), rows * L.out);
    for (std::size_t k = 0; k < 2; ++k)
      for (std::size_t i = 0; i < rows * L.out; ++i)
        d[k * rows * L.out + i] = slope[i] * pd[k * rows * L.out + i];
  }
}

}  // namespace

FastDivergence fast_divergence(const nn::Module& net) {
  const auto* mlp = dynamic_cast<const nn::MLP*>(&net);
  if (!mlp || !nn::MlpInference::supports(*mlp) || mlp->spec().in != 3 || mlp->spec().out != 2)
    return {};
  auto layers = std::make_shared<std::vector<Layer>>();
  for (const auto& linear : mlp->layers()) {
    const Tensor& w = linear->weight();
    const Tensor& b = linear->bias();
    layers->push_back({w.shape()[1], w.shape()[0],
                       std::vector<float>(w.data(), w.data() + w.size()),
                       std::vector<float>(b.data(), b.data() + b.size())});
  }
  return [layers](const Array<float>& x, double t) {
    const std::size_t n = x.shape()[0];
    FieldDivergence<float> out{Array<float>::from_shape({n, 2}), Array<float>::from_shape({n})};
    parallel_for(n, 256, [&](std::size_t begin, std::size_t end) {
      for (std::size_t r0 = begin; r0 < end; r0 += kStripRows) {
        const std::size_t rows = std::min(kStripRows, end - r0);
        run_strip(*layers, x.data() + 2 * r0, rows, static_cast<float>(t), out.v.data() + 2 * r0,
                  out.divergence.data() + r0);
      }
    });
    return out;
  };
}

}  // namespace minflow::flow
