// Weights written by another program (as PyTorch + NumPy would write them) load and run.
//
// The test writes plain float32 .npy files with its own few-line writer — deliberately not
// minflow's npy or checkpoint code — plus a hand-written config.txt, and nothing else (no
// loss.npy, no state/). Then it loads them and checks the forward pass against a reference
// computed here in double precision.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>

#include "nn/checkpoint.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using namespace minflow::nn;
using minflow::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// What numpy.save writes for a float32 C-order array: magic, version 1.0, the header length
// (uint16, little-endian), the header dict padded with spaces to a multiple of 64 bytes
// and ended by '\n', then the raw little-endian values.
void save_like_numpy(const fs::path& file, const std::vector<float>& values,
                     const std::vector<std::size_t>& shape) {
  std::string tuple = "(";  // Python's tuple syntax: (8, 3), and (8,) for one element
  for (std::size_t i = 0; i < shape.size(); ++i)
    tuple += (i ? ", " : "") + std::to_string(shape[i]);
  tuple += shape.size() == 1 ? ",)" : ")";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
  while ((10 + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  std::ofstream out(file, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const std::uint16_t length = static_cast<std::uint16_t>(header.size());
  out.put(static_cast<char>(length & 0xff)).put(static_cast<char>(length >> 8));
  out << header;
  out.write(reinterpret_cast<const char*>(values.data()),
            static_cast<std::streamsize>(values.size() * sizeof(float)));
}

// Deterministic "foreign" weights: not from minflow's initializer.
std::vector<float> weights(std::size_t n, float phase) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = 0.4f * std::sin(phase + 0.7f * static_cast<float>(i));
  return v;
}

}  // namespace

TEST_CASE("float32 .npy weights written by another tool load and run", "[checkpoint][interop]") {
  TempDir dir;
  const fs::path folder = dir / "torch.ckpt";
  fs::create_directory(folder);
  // MLP(3, 8, 2, 2, gelu) = torch.nn.Sequential(Linear(3,8), GELU(), Linear(8,8), GELU(),
  // Linear(8,2)); the state_dict keys 0.*, 2.*, 4.* become l0.*, l1.*, l2.*.
  const std::size_t sizes[][2] = {{8, 3}, {8, 8}, {2, 8}};  // [out, in]
  std::vector<std::vector<float>> W, b;
  for (std::size_t l = 0; l < 3; ++l) {
    W.push_back(weights(sizes[l][0] * sizes[l][1], 1.0f + static_cast<float>(l)));
    b.push_back(weights(sizes[l][0], 5.0f + static_cast<float>(l)));
    save_like_numpy(folder / ("l" + std::to_string(l) + ".weight.npy"), W[l],
                    {sizes[l][0], sizes[l][1]});
    save_like_numpy(folder / ("l" + std::to_string(l) + ".bias.npy"), b[l], {sizes[l][0]});
  }
  std::ofstream(folder / "config.txt") << "arch = mlp\nin = 3\nhidden = 8\ndepth = 2\nout = 2\n"
                                          "activation = gelu\n";

  const LoadedMlp loaded = load_mlp_checkpoint(folder);
  CHECK(loaded.checkpoint.loss.empty());
  CHECK(loaded.checkpoint.optimizer.kind.empty());

  const std::vector<float> input = {0.3f, -1.2f, 0.5f, 2.0f, 0.1f, -0.7f};  // two rows
  const Tensor y = loaded.model->forward(Tensor::from_vector(input, {2, 3}));
  // Reference forward pass in double: h ← W·h + b, GELU(z) = z·Φ(z) between layers.
  for (std::size_t row = 0; row < 2; ++row) {
    std::vector<double> h(input.begin() + 3 * row, input.begin() + 3 * row + 3);
    for (std::size_t l = 0; l < 3; ++l) {
      std::vector<double> z(sizes[l][0]);
      for (std::size_t o = 0; o < sizes[l][0]; ++o) {
        z[o] = b[l][o];
        for (std::size_t i = 0; i < sizes[l][1]; ++i)
          z[o] += static_cast<double>(W[l][o * sizes[l][1] + i]) * h[i];
        if (l < 2) z[o] = z[o] * 0.5 * (1.0 + std::erf(z[o] / std::sqrt(2.0)));
      }
      h = z;
    }
    CHECK(y.value()(row, 0) == Approx(h[0]).margin(1e-5));
    CHECK(y.value()(row, 1) == Approx(h[1]).margin(1e-5));
  }
}
