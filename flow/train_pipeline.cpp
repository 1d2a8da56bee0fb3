#include "flow/train_pipeline.hpp"

#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "flow/coupling.hpp"
#include "flow/ot_coupling.hpp"

namespace minflow::flow::detail {

namespace {
// One helper thread for the whole run (a thread per step cost tens of microseconds, a
// tenth of a step at batch 256): it computes one plan at a time, handed over by `start`.
class Helper {
 public:
  explicit Helper(Coupling coupling) : coupling_(coupling), thread_([this] { loop(); }) {}
  Helper(const Helper&) = delete;
  Helper& operator=(const Helper&) = delete;
  ~Helper() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      quit_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  // Starts planning the coupling of (x0, x1), copied; at most one plan is in flight.
  std::future<CouplingPlan> start(const Array<float>& x0, const Array<float>& x1) {
    std::packaged_task<CouplingPlan()> task(
        [c = coupling_, x0, x1] { return plan_coupling(c, x0, x1); });
    std::future<CouplingPlan> result = task.get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = std::move(task);
    }
    wake_.notify_all();
    return result;
  }

 private:
  void loop() {
    for (;;) {
      std::packaged_task<CouplingPlan()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return quit_ || job_.valid(); });
        if (!job_.valid()) return;  // quit with nothing left to do
        job = std::move(job_);
      }
      job();  // an exception is stored in the future
    }
  }

  Coupling coupling_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::packaged_task<CouplingPlan()> job_;
  bool quit_ = false;
  std::thread thread_;  // last: started once the rest exists
};

// A batch whose pairs are drawn and whose coupling plan is being computed.
struct Drawn {
  Array<float> x0, x1;
  std::future<CouplingPlan> plan;
};

class Pipeline {
 public:
  Pipeline(TrainState& state, const TrainSettings& settings, const PairSource& pairs)
      : state_(state), settings_(settings), pairs_(pairs), helper_(settings.coupling) {}
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  // Whatever way the run ends: wait for the helper, forget the prefetched batch, and leave
  // the streams as the plain loop would.
  ~Pipeline() {
    if (!next_) return;
    next_->plan.wait();
    state_.generators = std::move(sequential_);
  }

  // The BatchSource of step k: batch k coupled (drawn and planned earlier, or now for the
  // first step), its regression batch made, then batch k + 1 drawn and its plan started.
  FlowBatch batch(std::size_t size, TrainState& state) {
    if (!next_) next_ = draw(size, state);
    Drawn current = std::move(*next_);
    next_.reset();
    const CouplingPlan plan = current.plan.get();
    finish_coupling(plan, current.x0, current.x1, state.generators.at("pairs"));
    FlowBatch out = make_flow_batch(current.x0, current.x1, settings_.time,
                                    state.generators.at("time"), settings_.sigma);
    if (state.steps_done() + 1 < settings_.steps) {
      sequential_ = state.generators;
      next_ = draw(size, state);
    }
    return out;
  }

  // Runs fn with the streams as the plain loop has them at this point.
  template <class Fn>
  auto with_plain_streams(Fn&& fn) {
    if (!next_) return fn();
    std::swap(state_.generators, sequential_);
    struct Back {
      Pipeline& p;
      ~Back() { std::swap(p.state_.generators, p.sequential_); }
    } back{*this};
    return fn();
  }

 private:
  Drawn draw(std::size_t size, TrainState& state) {
    Drawn d;
    pairs_(size, state, d.x0, d.x1);
    d.plan = helper_.start(d.x0, d.x1);
    return d;
  }

  TrainState& state_;
  const TrainSettings& settings_;
  const PairSource& pairs_;
  Helper helper_;
  std::optional<Drawn> next_;
  std::map<std::string, Generator> sequential_;  // the streams before next_ was drawn
};
}  // namespace

TrainOutcome train_pipelined(TrainState& state, const TrainSettings& settings,
                             const PairSource& pairs, const TrainHooks& hooks) {
  Pipeline pipeline(state, settings, pairs);
  TrainHooks plain = hooks;
  if (hooks.save) {
    plain.save = [&](const TrainState& s) { pipeline.with_plain_streams([&] { hooks.save(s); }); };
  }
  if (hooks.should_stop) {
    plain.should_stop = [&](const TrainState& s) {
      return pipeline.with_plain_streams([&] { return hooks.should_stop(s); });
    };
  }
  return train_batches(
      state, settings, [&](std::size_t size, TrainState& s) { return pipeline.batch(size, s); },
      plain);
}

}  // namespace minflow::flow::detail
