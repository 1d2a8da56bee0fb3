// train() with a coupling computes the next batch's coupling on a helper thread while the
// current step trains (flow/train_pipeline.hpp). These tests hold it to its promise: the
// same bits as the plain loop (one thread: no helper) for two and three threads, for the
// weights, the losses, every save and the streams left behind, also when a run stops early.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "base/thread_pool.hpp"
#include "flow/trainer.hpp"

using namespace minflow;
using namespace minflow::flow;

namespace {
struct Run {
  std::vector<float> weights, loss;
  std::vector<std::string> saves;  // at each save: step, first weight, the streams
  std::string streams;
};

std::string streams_of(const TrainState& s) {
  std::string out;
  for (const auto& [name, gen] : s.generators)
    out += name + "=" + gen.to_string() + ";";
  return out;
}

Run run(const std::string& coupling, int threads, std::size_t stop_at = 0) {
  const int before = num_threads();
  set_num_threads(threads);
  TrainSettings s;
  s.data = "eight_gaussians";
  s.batch = 64;
  s.steps = 12;
  s.save_every = 5;
  s.coupling = parse_coupling(coupling);
  TrainState state = new_train_state(s);
  Run r;
  TrainHooks hooks;
  hooks.save = [&](const TrainState& st) {
    r.saves.push_back(std::to_string(st.steps_done()) + " " +
                      std::to_string(st.net->parameters()[0].value().data()[0]) + " " +
                      streams_of(st));
  };
  if (stop_at) hooks.should_stop = [&](const TrainState& st) { return st.steps_done() == stop_at; };
  const TrainOutcome outcome = train(state, s, independent_pairs(s.data, s.source), hooks);
  CHECK(outcome.stop == (stop_at ? TrainStop::stopped : TrainStop::finished));
  for (const auto& p : state.net->parameters())
    r.weights.insert(r.weights.end(), p.value().begin(), p.value().end());
  r.loss = state.loss;
  r.streams = streams_of(state);
  set_num_threads(before);
  return r;
}
}  // namespace

TEST_CASE("a coupled run gives the same bits for 1, 2 and 3 threads", "[coupling][pipeline]") {
  for (const char* coupling : {"ot", "sinkhorn:0.05"}) {
    for (std::size_t stop_at : {std::size_t(0), std::size_t(7)}) {
      INFO(coupling << ", stopped at step " << stop_at);
      const Run plain = run(coupling, 1, stop_at);  // one thread: the plain loop
      REQUIRE(plain.loss.size() == (stop_at ? stop_at : 12));
      REQUIRE(plain.saves.size() == (stop_at ? 1 : 2));
      for (int threads : {2, 3}) {
        const Run piped = run(coupling, threads, stop_at);
        CHECK(piped.weights == plain.weights);
        CHECK(piped.loss == plain.loss);
        CHECK(piped.saves == plain.saves);
        CHECK(piped.streams == plain.streams);
      }
    }
  }
  // and the coupling matters: an independent run differs
  CHECK(run("independent", 2).loss != run("ot", 2).loss);
}

TEST_CASE("a coupled run shorter than the pipeline's depth is the plain loop's", "[pipeline]") {
  // Exact OT draws up to three batches ahead; runs of one to four steps end inside that.
  for (std::size_t steps = 1; steps <= 4; ++steps) {
    INFO(steps << " steps");
    auto short_run = [&](int threads) {
      const int before = num_threads();
      set_num_threads(threads);
      TrainSettings s;
      s.batch = 32, s.steps = steps, s.coupling = parse_coupling("ot");
      TrainState state = new_train_state(s);
      train(state, s, independent_pairs(s.data, s.source), {});
      set_num_threads(before);
      return streams_of(state) + std::to_string(state.loss.back());
    };
    CHECK(short_run(2) == short_run(1));
  }
}

TEST_CASE("a coupled run refuses a batch source that draws from another stream", "[pipeline]") {
  // Batches are drawn ahead of their steps; that keeps the plain loop's order of draws only
  // if the source draws from "pairs" alone, so anything else is an error, not a silent
  // difference between thread counts.
  const int before = num_threads();
  set_num_threads(2);
  TrainSettings s;
  s.batch = 16, s.steps = 3, s.coupling = parse_coupling("ot");
  TrainState state = new_train_state(s);
  const PairSource plain = independent_pairs(s.data, s.source);
  const PairSource greedy = [&](std::size_t n, TrainState& st, Array<float>& x0, Array<float>& x1) {
    plain(n, st, x0, x1);
    st.generators.at("time").uniform_double();
  };
  CHECK_THROWS_WITH(train(state, s, greedy, {}),
                    Catch::Contains("stream \"time\"") && Catch::Contains("\"pairs\" only"));
  set_num_threads(before);
}
