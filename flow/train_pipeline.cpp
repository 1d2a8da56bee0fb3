#include "flow/train_pipeline.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "flow/coupling.hpp"
#include "flow/ot_coupling.hpp"

namespace minflow::flow::detail {

namespace {
// One batch's plan, computed once, by whichever thread claims it first: the helper, or the
// calling thread when it would otherwise sit waiting.
class PlanJob {
 public:
  PlanJob(const Coupling& coupling, const Array<float>& x0, const Array<float>& x1)
      : task_([coupling, x0, x1] { return plan_coupling(coupling, x0, x1); }),
        result_(task_.get_future()) {}
  // Runs the job on this thread unless another has claimed it; true if it ran here. (An
  // exception is kept in the result, for get() to throw.)
  bool try_run() {
    if (claimed_.exchange(true)) return false;
    task_();
    return true;
  }
  bool ready() const {
    return result_.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }
  CouplingPlan get() { return result_.get(); }

 private:
  std::packaged_task<CouplingPlan()> task_;
  std::future<CouplingPlan> result_;
  std::atomic<bool> claimed_{false};
};

// One helper thread for the whole run (a thread per step cost tens of microseconds, a
// tenth of a step at batch 256): it runs the queued jobs in order, skipping those the
// calling thread has claimed. When the run ends it drops the jobs it has not started.
class Helper {
 public:
  Helper() : thread_([this] { loop(); }) {}
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
  void add(std::shared_ptr<PlanJob> job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    wake_.notify_all();
  }

 private:
  void loop() {
    for (;;) {
      std::shared_ptr<PlanJob> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return quit_ || !jobs_.empty(); });
        if (quit_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job->try_run();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<PlanJob>> jobs_;
  bool quit_ = false;
  std::thread thread_;  // last: started once the rest exists
};

// A batch drawn ahead of its step, its plan queued.
struct Drawn {
  Array<float> x0, x1;
  std::shared_ptr<PlanJob> plan;
  Generator pairs_before;  // the "pairs" stream just before this batch was drawn
};

class Pipeline {
 public:
  Pipeline(TrainState& state, const TrainSettings& settings, const PairSource& pairs)
      : state_(state),
        settings_(settings),
        pairs_(pairs),
        // Exact OT's finish draws nothing, so batches may be drawn several steps ahead
        // without changing the order of any stream's draws; Sinkhorn's finish draws its
        // pairs from "pairs", so the next batch can be drawn only after it.
        depth_(settings.coupling.kind == Coupling::Kind::ot ? 3 : 1) {}
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  // Whatever way the run ends: forget the batches drawn ahead, and leave the streams as the
  // plain loop would. (The helper, destroyed after, finishes the job it is running.)
  ~Pipeline() {
    if (!ahead_.empty()) state_.generators.at("pairs") = ahead_.front().pairs_before;
  }

  // The BatchSource of step k: batch k coupled (drawn and planned earlier, or now for the
  // first step), its regression batch made, then batches drawn up to depth_ steps ahead.
  FlowBatch batch(std::size_t size, TrainState& state) {
    if (ahead_.empty()) ahead_.push_back(draw(size, state));
    Drawn current = std::move(ahead_.front());
    ahead_.pop_front();
    const CouplingPlan plan = plan_of(*current.plan);
    finish_coupling(plan, current.x0, current.x1, state.generators.at("pairs"));
    FlowBatch out = make_flow_batch(current.x0, current.x1, settings_.time,
                                    state.generators.at("time"), settings_.sigma);
    while (ahead_.size() < depth_ && state.steps_done() + 1 + ahead_.size() < settings_.steps)
      ahead_.push_back(draw(size, state));
    return out;
  }

  // Runs fn with the streams as the plain loop has them at this point.
  template <class Fn>
  auto with_plain_streams(Fn&& fn) {
    if (ahead_.empty()) return fn();
    Generator& pairs = state_.generators.at("pairs");
    std::swap(pairs, ahead_.front().pairs_before);
    struct Back {
      Generator& a;
      Generator& b;
      ~Back() { std::swap(a, b); }
    } back{pairs, ahead_.front().pairs_before};
    return fn();
  }

 private:
  Drawn draw(std::size_t size, TrainState& state) {
    Drawn d;
    d.pairs_before = state.generators.at("pairs");
    const std::map<std::string, Generator> before = state.generators;
    pairs_(size, state, d.x0, d.x1);
    // Only "pairs" may move: the plain order of the other streams' draws is kept only then.
    for (const auto& [name, gen] : before) {
      if (name != "pairs" && !(state.generators.at(name) == gen))
        throw std::logic_error("train: the batch source drew from the stream \"" + name +
                               "\"; a coupled run draws its batches from \"pairs\" only");
    }
    d.plan = std::make_shared<PlanJob>(settings_.coupling, d.x0, d.x1);
    helper_.add(d.plan);
    return d;
  }

  // The plan of the batch due now. If the helper is on it, the calling thread plans the
  // batches behind it meanwhile instead of waiting idle: with exact OT at batch 256 one
  // plan costs more than a step, so both threads are needed to keep up.
  CouplingPlan plan_of(PlanJob& due) {
    if (!due.try_run()) {
      for (Drawn& later : ahead_) {
        if (due.ready()) break;
        later.plan->try_run();
      }
    }
    return due.get();
  }

  TrainState& state_;
  const TrainSettings& settings_;
  const PairSource& pairs_;
  const std::size_t depth_;
  std::deque<Drawn> ahead_;  // batches k + 1 … k + depth_, oldest first
  Helper helper_;            // last: destroyed (joined) first
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
