#include <catch2/catch.hpp>

#include <set>
#include <utility>

#include "flow/reflow.hpp"
#include "flow/trainer.hpp"
#include "flow/velocity_net.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
TrainSettings tiny_settings() {
  TrainSettings s;
  s.kind = "reflow";
  s.steps = 5;
  s.batch = 32;
  s.net = velocity_net_spec(8, 1);
  s.time = warped_time(0.5);
  return s;
}
}  // namespace

TEST_CASE("the student is a copy of the teacher, not the same object", "[reflow]") {
  TrainState teacher = new_train_state(tiny_settings());
  TrainSettings settings = tiny_settings();
  settings.seed = 99;  // different fresh weights, then overwritten by the copy
  TrainState student = new_train_state_from(settings, *teacher.net);
  const auto t_params = teacher.net->named_parameters();
  const auto s_params = student.net->named_parameters();
  REQUIRE(t_params.size() == s_params.size());
  for (std::size_t i = 0; i < t_params.size(); ++i) {
    CHECK(bool(t_params[i].tensor.value() == s_params[i].tensor.value()));
    CHECK_FALSE(t_params[i].tensor.same_node(s_params[i].tensor));
  }
  const Array<float> before = t_params[0].tensor.value();
  // Training the student changes its weights and leaves the teacher's alone.
  TrainHooks hooks;
  train(student, settings, teacher_pairs(*teacher.net, {}), hooks);
  CHECK(bool(teacher.net->named_parameters()[0].tensor.value() == before));
  CHECK_FALSE(bool(student.net->named_parameters()[0].tensor.value() == before));
}

TEST_CASE("pool mode draws only pool pairs", "[reflow]") {
  TrainState teacher = new_train_state(tiny_settings());
  Generator gen(3, "pool");
  const PairPool pool = make_pair_pool(*teacher.net, {Solver::euler, 4}, 50, 16, gen);
  REQUIRE(pool.size() == 50);
  std::set<std::pair<float, float>> sources;
  for (std::size_t i = 0; i < pool.size(); ++i)
    sources.insert({pool.x0(i, 0), pool.x0(i, 1)});
  TrainState student = new_train_state(tiny_settings());
  const PairSource source = pool_pairs(pool);
  Array<float> x0, x1;
  source(200, student, x0, x1);
  for (std::size_t i = 0; i < 200; ++i) {
    CHECK(sources.count({x0(i, 0), x0(i, 1)}) == 1);
    // and x1 is the pool's partner of that x0
    bool partnered = false;
    for (std::size_t j = 0; j < pool.size(); ++j)
      partnered |=
          pool.x0(j, 0) == x0(i, 0) && pool.x1(j, 0) == x1(i, 0) && pool.x1(j, 1) == x1(i, 1);
    CHECK(partnered);
  }
}

TEST_CASE("teacher pairs are the teacher's ODE solutions", "[reflow]") {
  TrainState teacher = new_train_state(tiny_settings());
  TrainState student = new_train_state(tiny_settings());
  Array<float> x0, x1;
  teacher_pairs(*teacher.net, {Solver::rk4, 3})(20, student, x0, x1);
  IntegrateOptions options;
  options.solver = Solver::rk4;
  options.steps = 3;
  const auto expected = integrate(velocity_field(*teacher.net), x0, options).x;
  CHECK(bool(expected == x1));
}
