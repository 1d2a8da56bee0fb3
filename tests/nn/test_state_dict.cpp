// Plain state_dict folders (no config.txt): the model gives the architecture; files named
// as minflow names the parameters or as torch.nn.Sequential does; float32 or float64.
#include <catch2/catch.hpp>

#include <filesystem>

#include "nn/checkpoint.hpp"
#include "nn/mlp.hpp"
#include "nn/npy.hpp"
#include "nn/state_dict.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using namespace minflow::nn;
using minflow::testing::TempDir;
namespace fs = std::filesystem;

namespace {
const MlpSpec kSpec{3, 6, 2, 2, Activation::gelu};

void check_same_values(const MLP& a, const MLP& b) {
  const auto pa = a.parameters(), pb = b.parameters();
  REQUIRE(pa.size() == pb.size());
  for (std::size_t k = 0; k < pa.size(); ++k)
    CHECK(pa[k].value() == pb[k].value());
}
}  // namespace

TEST_CASE("load_checkpoint reads a folder of state_dict .npy files", "[state_dict][checkpoint]") {
  TempDir dir;
  Generator g1(1, "init"), g2(2, "init");
  MLP source(kSpec, g1);
  save_state_dict(dir / "weights", source);
  CHECK(is_state_dict_folder(dir / "weights"));
  CHECK(fs::exists(dir / "weights" / "l2.bias.npy"));
  CHECK_FALSE(fs::exists(dir / "weights" / "config.txt"));

  MLP target(kSpec, g2);
  const Checkpoint ckpt = load_checkpoint(dir / "weights", target);
  check_same_values(source, target);
  CHECK(ckpt.loss.empty());
  CHECK(ckpt.optimizer.kind.empty());

  // PyTorch's torch.nn.Sequential keys: l{k} is index 2k.
  for (int k = 0; k <= 2; ++k)
    for (const char* p : {"weight", "bias"})
      fs::rename(dir / "weights" / ("l" + std::to_string(k) + "." + p + ".npy"),
                 dir / "weights" / (std::to_string(2 * k) + "." + p + ".npy"));
  MLP from_torch(kSpec, g2);
  load_checkpoint(dir / "weights", from_torch);
  check_same_values(source, from_torch);
}

TEST_CASE("a state_dict folder in float64 loads exactly into a DMLP, rounded into an MLP",
          "[state_dict][float64]") {
  TempDir dir;
  Generator g1(1, "init"), g2(2, "init");
  DMLP source(kSpec, g1);
  for (auto& p : source.named_parameters()) {
    DTensor t = p.tensor;
    t.mutable_value() += 1e-9;  // below float32's resolution: only a float64 file keeps it
    write_npy(dir / (p.name + ".npy"), t.value());
  }
  DMLP exact(kSpec, g2);
  load_checkpoint(dir.path(), exact);  // no config.txt: read as a state_dict, in double
  MLP rounded(kSpec, g2);
  load_state_dict(dir.path(), rounded);
  const auto s = source.parameters(), e = exact.parameters();
  const auto r = rounded.parameters();
  for (std::size_t k = 0; k < s.size(); ++k) {
    CHECK(e[k].value() == s[k].value());
    CHECK(r[k].value() == xt::cast<float>(s[k].value()));
  }
}

TEST_CASE("a state_dict folder that does not fit is refused, the model untouched", "[state_dict]") {
  TempDir dir;
  Generator g1(1, "init"), g2(2, "init");
  MLP source(kSpec, g1);
  save_state_dict(dir / "w", source);
  MLP target(kSpec, g2);
  const Array<float> before = target.parameters()[0].value();

  fs::remove(dir / "w" / "l1.bias.npy");
  CHECK_THROWS_WITH(load_checkpoint(dir / "w", target),
                    Catch::Contains("w: missing parameter file l1.bias.npy"));
  write_npy(dir / "w" / "l1.bias.npy", Array<float>::from_shape({7}));
  CHECK_THROWS_WITH(load_checkpoint(dir / "w", target),
                    Catch::Contains("l1.bias.npy has shape [7], the model expects [6]"));
  write_npy(dir / "w" / "l1.bias.npy", Array<float>::from_shape({6}));
  write_npy(dir / "w" / "l9.bias.npy", Array<float>::from_shape({6}));
  CHECK_THROWS_WITH(load_checkpoint(dir / "w", target),
                    Catch::Contains("unexpected file l9.bias.npy"));
  CHECK(target.parameters()[0].value() == before);
}
