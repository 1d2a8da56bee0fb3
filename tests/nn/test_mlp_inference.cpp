// MlpInference streams rows through an MLP strip by strip; it must give exactly the bits of
// MLP::forward (run without a graph), for any number of rows, any strip boundary and any
// thread count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "autograd/grad_mode.hpp"
#include "base/random.hpp"
#include "base/thread_pool.hpp"
#include "nn/mlp_inference.hpp"

using namespace minflow;
using namespace minflow::nn;

namespace {

Array<float> random_rows(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  Generator gen(seed);
  Array<float> a = Array<float>::from_shape({rows, cols});
  for (float& v : a)
    v = 2.0f * static_cast<float>(gen.normal());
  return a;
}

std::vector<float> op_path(MLP& net, const Array<float>& x) {
  NoGradGuard no_grad;
  const Tensor y = net.forward(Tensor(x));
  return std::vector<float>(y.data(), y.data() + y.size());
}

std::vector<float> streamed(const MLP& net, const Array<float>& x) {
  const MlpInference inference(net);
  std::vector<float> out(x.shape()[0] * net.spec().out);
  inference.run(x.data(), x.shape()[0], out.data());
  return out;
}

}  // namespace

TEST_CASE("mlp inference: the same bits as MLP::forward", "[nn][inference]") {
  // The tutorial's net, a narrow one whose hidden width is not a multiple of 16, one with a
  // wide output, and a single layer.
  const std::vector<MlpSpec> specs = {{3, 64, 3, 2, Activation::gelu},
                                      {3, 20, 2, 2, Activation::gelu},
                                      {5, 32, 1, 7, Activation::gelu},
                                      {4, 8, 0, 3, Activation::gelu}};
  for (const MlpSpec& spec : specs) {
    Generator gen(11);
    MLP net(spec, gen);
    // Row counts around the 48-row strip and the gemm's 6-row and 16-row tiles.
    for (std::size_t rows : {1, 5, 6, 15, 16, 47, 48, 49, 97, 300, 2048}) {
      INFO("spec hidden=" << spec.hidden << " depth=" << spec.depth << " out=" << spec.out
                          << ", rows = " << rows);
      const Array<float> x = random_rows(rows, spec.in, rows);
      CHECK(streamed(net, x) == op_path(net, x));
    }
  }
}

TEST_CASE("mlp inference: a row's result does not depend on its neighbours", "[nn][inference]") {
  Generator gen(3);
  MLP net({3, 64, 3, 2, Activation::gelu}, gen);
  const MlpInference inference(net);
  const Array<float> x = random_rows(301, 3, 9);
  std::vector<float> whole(301 * 2), pieces(301 * 2);
  inference.run(x.data(), 301, whole.data());
  for (std::size_t begin = 0; begin < 301; begin += 37) {
    const std::size_t rows = std::min<std::size_t>(37, 301 - begin);
    inference.run(x.data() + 3 * begin, rows, pieces.data() + 2 * begin);
  }
  CHECK(whole == pieces);
}

TEST_CASE("mlp inference: only for GELU nets with the fast kernels", "[nn][inference]") {
  Generator gen(3);
  MLP relu_net({3, 16, 2, 2, Activation::relu}, gen);
  CHECK_FALSE(MlpInference::supports(relu_net));
  CHECK_THROWS_WITH(MlpInference(relu_net), Catch::Contains("GELU") && Catch::Contains("relu"));
  MLP gelu_net({3, 16, 2, 2, Activation::gelu}, gen);
  CHECK(MlpInference::supports(gelu_net));
  ReferenceKernelsGuard reference;
  CHECK_FALSE(MlpInference::supports(gelu_net));
}
