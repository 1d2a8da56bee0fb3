// Checkpoints (docs/design.md#checkpoints): bitwise round trips, atomic replacement, and a clear
// error for every kind of mismatch.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "autograd/ops.hpp"
#include "nn/adam.hpp"
#include "nn/checkpoint.hpp"
#include "nn/npy.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using namespace minflow::nn;
using minflow::testing::TempDir;
namespace fs = std::filesystem;

namespace {

bool bitwise_equal(const Array<float>& a, const Array<float>& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

const MlpSpec kVelocityNet{3, 64, 3, 2, Activation::gelu};

// A few Adam steps of a small regression, so weights, moments and loss are all non-trivial.
struct TrainedRun {
  std::shared_ptr<MLP> model;
  std::unique_ptr<Adam> adam;
  Generator data{1, "data"};
  std::vector<float> loss;

  explicit TrainedRun(const MlpSpec& spec, std::uint64_t seed = 0) {
    Generator init(seed, "init");
    model = std::make_shared<MLP>(spec, init);
    adam = std::make_unique<Adam>(model->parameters());
  }
  void train(int steps) {
    for (int s = 0; s < steps; ++s) {
      std::vector<float> xs(16 * model->spec().in);
      for (float& v : xs)
        v = static_cast<float>(data.normal());
      Tensor x = Tensor::from_vector(xs, {16, model->spec().in});
      adam->zero_grad();
      Tensor l = mean(square(model->forward(x)));
      l.backward();
      adam->step();
      loss.push_back(l.item());
    }
  }
  Checkpoint checkpoint() const {
    Checkpoint c;
    c.config.set("kind", "flow");
    c.config.set("steps_done", loss.size());
    c.config.set("lr", adam->lr());
    c.loss = loss;
    c.optimizer = adam->state();
    c.generators.emplace("data", data);
    c.counters.set("round", 1);
    return c;
  }
};

std::size_t count_entries(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    (void)e;
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("a checkpoint round trip is bitwise identical", "[checkpoint]") {
  TempDir dir;
  TrainedRun run(kVelocityNet);
  run.train(3);
  const fs::path folder = dir / "flow.ckpt";
  save_checkpoint(folder, *run.model, run.checkpoint());

  // The layout of docs/design.md#checkpoints.
  for (const char* f :
       {"l0.weight.npy", "l0.bias.npy", "l3.weight.npy", "l3.bias.npy", "config.txt", "loss.npy",
        "state/state.txt", "state/adam.m.l0.weight.npy", "state/adam.v.l3.bias.npy"})
    CHECK(fs::is_regular_file(folder / f));
  CHECK(read_npy_header(folder / "l0.weight.npy").shape == Shape{64, 3});
  CHECK(read_npy_header(folder / "loss.npy").shape == Shape{3});
  CHECK(count_entries(dir.path()) == 1);  // no temporary folder left behind

  TrainedRun restored(kVelocityNet, /*seed=*/99);  // other weights until loaded
  const Checkpoint back = load_checkpoint(folder, *restored.model);
  const auto a = run.model->named_parameters(), b = restored.model->named_parameters();
  for (std::size_t i = 0; i < a.size(); ++i)
    CHECK(bitwise_equal(a[i].tensor.value(), b[i].tensor.value()));
  CHECK(back.loss == run.loss);
  CHECK(back.generators.at("data") == run.data);
  CHECK(back.counters.get_int("round") == 1);
  CHECK(back.config.get_string("kind") == "flow");
  CHECK(back.config.get_string("arch") == "mlp");
  CHECK(back.config.get_size("hidden") == 64);
  CHECK(back.config.get_string("activation") == "gelu");
  CHECK(back.config.has("minflow_version"));

  restored.adam->load_state(back.optimizer);
  restored.data = back.generators.at("data");
  CHECK(restored.adam->step_count() == 3);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(bitwise_equal(run.adam->exp_avg()[i], restored.adam->exp_avg()[i]));
    CHECK(bitwise_equal(run.adam->exp_avg_sq()[i], restored.adam->exp_avg_sq()[i]));
  }
  // Resuming continues exactly as the uninterrupted run.
  run.train(2);
  restored.loss = back.loss;
  restored.train(2);
  CHECK(restored.loss == run.loss);
  for (std::size_t i = 0; i < a.size(); ++i)
    CHECK(bitwise_equal(a[i].tensor.value(), b[i].tensor.value()));
}

TEST_CASE("saving replaces an existing checkpoint whole", "[checkpoint]") {
  TempDir dir;
  const fs::path folder = dir / "flow.ckpt";
  TrainedRun first(kVelocityNet, 1), second(kVelocityNet, 2);
  save_checkpoint(folder, *first.model, first.checkpoint());
  std::ofstream(folder / "stale.txt") << "from the old checkpoint\n";
  save_checkpoint(dir.path().string() + "/flow.ckpt/", *second.model, second.checkpoint());
  CHECK_FALSE(fs::exists(folder / "stale.txt"));
  CHECK(count_entries(dir.path()) == 1);
  TrainedRun check(kVelocityNet, 3);
  load_checkpoint(folder, *check.model);
  CHECK(bitwise_equal(check.model->parameters()[0].value(), second.model->parameters()[0].value()));
  // A plain file in the way is not replaced.
  std::ofstream(dir / "file.ckpt") << "x";
  CHECK_THROWS_WITH(save_checkpoint(dir / "file.ckpt", *first.model, first.checkpoint()),
                    Catch::Contains("not a folder"));
}

TEST_CASE("damaged or mismatched checkpoints give clear errors and leave the model as it was",
          "[checkpoint]") {
  TempDir dir;
  const fs::path good = dir / "flow.ckpt";
  TrainedRun run(kVelocityNet);
  run.train(3);
  save_checkpoint(good, *run.model, run.checkpoint());

  int variant = 0;
  auto damaged = [&](auto damage) {
    const fs::path copy = dir / ("case" + std::to_string(variant++) + ".ckpt");
    fs::copy(good, copy, fs::copy_options::recursive);
    damage(copy);
    return copy;
  };
  auto expect_error = [&](const fs::path& folder, const std::string& message) {
    TrainedRun target(kVelocityNet, 5);
    const Array<float> before = target.model->parameters()[0].value();
    INFO("expecting: " << message);
    CHECK_THROWS_AS(load_checkpoint(folder, *target.model), std::runtime_error);
    CHECK_THROWS_WITH(load_checkpoint(folder, *target.model),
                      Catch::Contains("checkpoint " + folder.string()) && Catch::Contains(message));
    CHECK(bitwise_equal(before, target.model->parameters()[0].value()));
  };

  expect_error(damaged([](const fs::path& f) { fs::resize_file(f / "l2.weight.npy", 1000); }),
               "l2.weight.npy: truncated .npy file");
  expect_error(damaged([](const fs::path& f) {
                 write_npy(f / "l1.weight.npy", Array<float>::from_shape({32, 64}));
               }),
               "l1.weight has shape [32,64], the model expects [64,64]");
  expect_error(damaged([](const fs::path& f) { fs::remove(f / "l3.bias.npy"); }),
               "missing parameter l3.bias (no l3.bias.npy)");
  expect_error(damaged([](const fs::path& f) {
                 Array<double> w = Array<double>::from_shape({64, 3});
                 w.fill(0.5);
                 write_npy(f / "l0.weight.npy", w);
               }),
               "l0.weight.npy is float64, parameters must be float32");
  expect_error(damaged([](const fs::path& f) {
                 write_npy(f / "l4.weight.npy", Array<float>::from_shape({2, 2}));
               }),
               "unexpected parameter file l4.weight.npy");
  expect_error(damaged([](const fs::path& f) { fs::remove(f / "config.txt"); }),
               "config.txt is missing");
  expect_error(
      damaged([](const fs::path& f) { fs::resize_file(f / "state/adam.v.l1.bias.npy", 20); }),
      "state/adam.v.l1.bias.npy: truncated");
  expect_error(damaged([](const fs::path& f) { write_npy(f / "loss.npy", Array<float>{1.0f}); }),
               "loss.npy has 1 entries, config.txt says steps_done = 3");
  expect_error(dir / "nowhere.ckpt", "no such folder");

  // A checkpoint of another architecture: hidden 32 and depth 2 instead of 64 and 3.
  TrainedRun small(MlpSpec{3, 32, 2, 2, Activation::gelu});
  save_checkpoint(dir / "small.ckpt", *small.model, small.checkpoint());
  expect_error(dir / "small.ckpt",
               "another architecture: config.txt has hidden = 32 (the model has hidden = 64), "
               "depth = 2 (the model has depth = 3)");
}

TEST_CASE("load_mlp_checkpoint builds the model the config describes", "[checkpoint]") {
  TempDir dir;
  TrainedRun run(MlpSpec{2, 16, 2, 1, Activation::silu});
  save_checkpoint(dir / "net.ckpt", *run.model, run.checkpoint());
  const LoadedMlp loaded = load_mlp_checkpoint(dir / "net.ckpt");
  CHECK(loaded.model->spec() == run.model->spec());
  CHECK(bitwise_equal(loaded.model->parameters()[5].value(), run.model->parameters()[5].value()));
  CHECK(loaded.checkpoint.optimizer.kind == "adam");
}

TEST_CASE("saving refuses what could not be loaded back, and fails cleanly", "[checkpoint]") {
  TempDir dir;
  TrainedRun run(MlpSpec{2, 4, 1, 1, Activation::tanh});
  run.train(2);
  Checkpoint ckpt = run.checkpoint();
  ckpt.config.set("steps_done", 5);
  CHECK_THROWS_WITH(save_checkpoint(dir / "a.ckpt", *run.model, ckpt),
                    Catch::Contains("loss history has 2 entries but config steps_done = 5"));
  ckpt = run.checkpoint();
  ckpt.optimizer.slots[1].per_parameter.pop_back();
  CHECK_THROWS_WITH(save_checkpoint(dir / "a.ckpt", *run.model, ckpt),
                    Catch::Contains("v buffers cover 3 parameters, the model has 4"));
  CHECK_THROWS_WITH(save_checkpoint(dir / "missing" / "a.ckpt", *run.model, run.checkpoint()),
                    Catch::Contains("checkpoint " + (dir / "missing" / "a.ckpt").string()) &&
                        Catch::Contains("saving failed"));
  CHECK(count_entries(dir.path()) == 0);
}

TEST_CASE("the loss by t round-trips and is checked against the loss history", "[checkpoint]") {
  TempDir dir;
  TrainedRun run(kVelocityNet);
  run.train(3);
  Checkpoint c = run.checkpoint();
  c.loss_bins = 4;
  for (int i = 0; i < 12; ++i)
    c.loss_by_t.push_back(0.5f * float(i));
  c.loss_by_t[5] = std::nanf("");  // a bin no t fell in
  save_checkpoint(dir / "a.ckpt", *run.model, c);
  CHECK(read_npy_header(dir / "a.ckpt/state/loss_by_t.npy").shape == Shape{3, 4});
  TrainedRun back(kVelocityNet, 7);
  const Checkpoint loaded = load_checkpoint(dir / "a.ckpt", *back.model);
  REQUIRE(loaded.loss_bins == 4);
  REQUIRE(loaded.loss_by_t.size() == 12);
  CHECK(std::isnan(loaded.loss_by_t[5]));
  CHECK(loaded.loss_by_t[11] == 5.5f);
  // Without it a checkpoint still loads (loss_bins 0); a wrong count is refused on saving,
  // and a file of the wrong shape on loading.
  save_checkpoint(dir / "b.ckpt", *run.model, run.checkpoint());
  CHECK(load_checkpoint(dir / "b.ckpt", *back.model).loss_bins == 0);
  c.loss_by_t.pop_back();
  CHECK_THROWS_WITH(save_checkpoint(dir / "c.ckpt", *run.model, c),
                    Catch::Contains("3 steps × 4 bins"));
  const float five[5] = {1, 2, 3, 4, 5};
  write_npy(dir / "a.ckpt/state/loss_by_t.npy", five, {5, 1});
  CHECK_THROWS_WITH(load_checkpoint(dir / "a.ckpt", *back.model),
                    Catch::Contains("loss_by_t.npy has shape [5,1], expected [3, bins]"));
}
