#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <utility>

#include "flow/datasets.hpp"
#include "flow/distill.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
TrainSettings tiny_settings(std::size_t hidden = 8) {
  TrainSettings s;
  s.kind = "distill";
  s.steps = 5;
  s.batch = 128;
  s.lr = 3e-3;
  s.net = velocity_net_spec(hidden, 2);
  return s;
}

Array<float> points(std::size_t n, std::uint64_t seed) {
  Generator gen(seed, "x0");
  return gaussian(gen, n);
}
}  // namespace

TEST_CASE("grid states of dx/dt = x are x0·exp(j/k)", "[distill]") {
  const VelocityField<float> grow = [](const Array<float>& x, double) { return x; };
  const Array<float> x0 = points(20, 1);
  for (std::size_t k : {1, 3, 4}) {
    const auto states = teacher_grid_states(grow, {k, {Solver::rk4, 20}}, x0);
    REQUIRE(states.size() == k + 1);
    for (std::size_t j = 0; j <= k; ++j)
      for (std::size_t i = 0; i < 20; ++i)
        CHECK(states[j](i, 1) ==
              Approx(x0(i, 1) * std::exp(double(j) / double(k))).epsilon(1e-5).margin(1e-6));
  }
}

TEST_CASE("the distillation batch regresses onto the teacher's segment slopes", "[distill]") {
  // A constant field c: X_j = x0 + c·j/k, every segment's slope (X_{j+1} − X_j)·k is c, and
  // row i's x_t is X_j at t = j/k.
  const float cx = 0.75f, cy = -2.0f;
  const VelocityField<float> constant = [&](const Array<float>& x, double) {
    Array<float> v = Array<float>::from_shape(x.shape());
    for (std::size_t i = 0; i < x.shape()[0]; ++i) {
      v(i, 0) = cx;
      v(i, 1) = cy;
    }
    return v;
  };
  const Array<float> x0 = points(64, 2);
  for (std::size_t k : {1, 4}) {
    Generator time_gen(0, "time");
    const FlowBatch b =
        distill_batch(teacher_grid_states(constant, {k, {Solver::euler, 8}}, x0), k, time_gen);
    std::set<float> times;
    for (std::size_t i = 0; i < 64; ++i) {
      const double t = b.t(i, 0);
      times.insert(b.t(i, 0));
      CHECK(std::fmod(t * double(k), 1.0) == Approx(0.0).margin(1e-6));  // a grid point
      CHECK(b.u(i, 0) == Approx(cx).epsilon(1e-5));
      CHECK(b.u(i, 1) == Approx(cy).epsilon(1e-5));
      CHECK(b.xt(i, 0) == Approx(x0(i, 0) + cx * t).margin(1e-5));
      CHECK(b.xt(i, 1) == Approx(x0(i, 1) + cy * t).margin(1e-5));
    }
    CHECK(times.size() == k);  // every segment drawn (k = 1: only t = 0)
  }
}

TEST_CASE("distillation errors name the problem", "[distill][errors]") {
  const VelocityField<float> zero = [](const Array<float>& x, double) { return 0.0f * x; };
  CHECK_THROWS_WITH(teacher_grid_states(zero, {0, {}}, points(4, 1)),
                    Catch::Contains("k must be positive"));
  Generator gen(0, "time");
  CHECK_THROWS_WITH(distill_batch({points(4, 1)}, 1, gen), Catch::Contains("expected 2"));
}

TEST_CASE("the distilled student's k-step map approaches the teacher's map", "[distill]") {
  // The teacher: a tiny net's fresh (random, smooth, curved) field. The student starts from
  // fresh weights; its error against the teacher's RK4 map falls as it trains.
  TrainSettings teacher_settings = tiny_settings(16);
  teacher_settings.seed = 7;
  TrainState teacher = new_train_state(teacher_settings);
  const VelocityField<float> teacher_field = velocity_field(*teacher.net);
  const Array<float> x0 = points(512, 3);
  for (std::size_t k : {1, 2}) {
    const DistillSettings ds{k, {Solver::rk4, 8}};
    TrainSettings settings = tiny_settings(16);
    TrainState student = new_train_state(settings);
    std::vector<double> errors;
    for (std::size_t steps : {0, 100, 400}) {
      settings.steps = steps;
      if (steps) train_batches(student, settings, distill_batches(teacher_field, ds), {});
      errors.push_back(map_error(velocity_field(*student.net), teacher_field, ds, x0));
    }
    INFO("k = " << k << ": " << errors[0] << " " << errors[1] << " " << errors[2]);
    CHECK(errors[1] < errors[0]);
    CHECK(errors[2] < errors[1]);
    CHECK(errors[2] < 0.1 * errors[0]);
  }
}

TEST_CASE("a distillation pool serves only its own trajectories", "[distill]") {
  TrainState teacher = new_train_state(tiny_settings());
  const DistillSettings ds{2, {Solver::euler, 4}};
  Generator gen(3, "pool");
  const DistillPool pool = make_distill_pool(velocity_field(*teacher.net), ds, 40, 16, gen);
  REQUIRE(pool.size() == 40);
  std::set<std::pair<float, float>> starts;  // every grid state of every trajectory
  for (std::size_t j = 0; j < 2; ++j)
    for (std::size_t i = 0; i < 40; ++i)
      starts.insert({pool.states[j](i, 0), pool.states[j](i, 1)});
  TrainState student = new_train_state(tiny_settings());
  const FlowBatch b = distill_pool_batches(pool, 2)(100, student);
  for (std::size_t i = 0; i < 100; ++i)
    CHECK(starts.count({b.xt(i, 0), b.xt(i, 1)}) == 1);
}
