// The pool behind parallel_for: threads−1 workers asleep on a condition variable, plus the
// calling thread. A job is a list of `chunks` index ranges; every thread (the caller too)
// repeatedly claims the next unclaimed chunk under the mutex and runs it outside the mutex.
// Which thread runs which chunk varies from run to run; the chunk boundaries do not.
//
// Waking a sleeping thread costs tens of microseconds (more in a virtual machine): as much
// as a whole small job. A training step runs some twenty jobs back to back, so a worker that
// has just finished one first watches for the next for a short while (kSpin) before it goes
// to sleep, and the caller watches for the last chunks to finish the same way. The spin is
// bounded, so a pool whose other core is busy with another program loses at most that much
// per job (libgomp's long default spin is what made libtorch collapse there,
// docs/building.md#benchmarks).
#include "base/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace minflow {
namespace {

using ChunkFn = std::function<void(std::size_t, std::size_t)>;

// True while this thread runs a chunk: a parallel_for started there runs inline, because
// waiting for workers that may all be busy waiting for us would deadlock.
thread_local bool t_inside_pool = false;

// How long a thread watches for work (or for the end of a job) before it sleeps. Measured
// on this 2-core VM with `minflow train --steps 3000 --threads 2`, six runs each: 10 µs
// sleeps too often (4.1–6.2 s), 50 µs sometimes slows the thread doing the serial work
// between jobs (3.4–5.0 s; 200 µs: mostly ~7 s), 20 µs was the steadiest (3.4–4.0 s).
constexpr std::chrono::microseconds kSpin{20};

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

// Spins until done() or kSpin has passed; returns done().
template <class Done>
bool spin_until(Done done) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
      cpu_relax();
    }
    if (std::chrono::steady_clock::now() > until) return done();
  }
}

int default_threads() {
  if (const char* env = std::getenv("MINFLOW_THREADS")) {
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && errno == 0 && v >= 1 && v <= 1024) return int(v);
  }
  const unsigned hw = std::thread::hardware_concurrency();  // 0 when unknown
  return hw ? int(hw) : 1;
}

class Pool {
 public:
  static Pool& instance() {
    static Pool pool;  // destroyed at exit, which joins the workers
    return pool;
  }
  ~Pool() { stop_workers(); }

  int threads() const { return threads_.load(); }

  void resize(int n) {
    std::lock_guard<std::mutex> busy(dispatch_);  // wait for a running job to end
    stop_workers();                               // the next job starts the new number of workers
    threads_ = n;
  }

  // Runs fn over `chunks` chunks of [0, n) with the workers' help. Returns false, doing
  // nothing, when another thread is using the pool right now.
  bool try_run(std::size_t n, std::size_t chunks, const ChunkFn& fn) {
    std::unique_lock<std::mutex> busy(dispatch_, std::try_to_lock);
    if (!busy) return false;
    if (workers_.size() + 1 != std::size_t(threads_.load())) {
      stop_workers();
      for (int i = 1; i < threads_.load(); ++i)
        workers_.emplace_back([this] { worker_loop(); });
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn_ = &fn;
      n_ = n;
      chunks_ = chunks;
      next_ = 0;
      unfinished_ = chunks;
      error_ = nullptr;
      pending_.store(true, std::memory_order_release);
    }
    wake_.notify_all();
    while (run_one_chunk()) {
    }
    spin_until([this] { return unfinished_.load(std::memory_order_acquire) == 0; });
    std::exception_ptr error;
    {
      std::unique_lock<std::mutex> lock(mu_);
      done_.wait(lock, [this] { return unfinished_ == 0; });
      fn_ = nullptr;
      std::swap(error, error_);
    }
    if (error) std::rethrow_exception(error);
    return true;
  }

 private:
  Pool() = default;

  void worker_loop() {
    for (;;) {
      spin_until([this] { return pending_.load(std::memory_order_acquire); });
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stop_ || next_ < chunks_; });  // then sleeps
      if (stop_) return;
      lock.unlock();
      run_one_chunk();
    }
  }

  // Claims and runs the next chunk of the current job; false when none is left.
  bool run_one_chunk() {
    const ChunkFn* fn;
    std::size_t begin, end;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (next_ >= chunks_) return false;
      const std::size_t c = next_++;
      if (next_ == chunks_) pending_.store(false, std::memory_order_relaxed);
      fn = fn_;
      begin = c * n_ / chunks_;  // chunk c is [c·n/chunks, (c+1)·n/chunks)
      end = (c + 1) * n_ / chunks_;
    }
    std::exception_ptr error;
    const bool was_inside = t_inside_pool;
    t_inside_pool = true;
    try {
      (*fn)(begin, end);
    } catch (...) {
      error = std::current_exception();
    }
    t_inside_pool = was_inside;
    std::lock_guard<std::mutex> lock(mu_);
    if (error) {
      if (!error_) error_ = error;
      unfinished_ -= chunks_ - next_;  // skip the chunks nobody has started
      next_ = chunks_;
      pending_.store(false, std::memory_order_relaxed);
    }
    if (--unfinished_ == 0) done_.notify_one();
    return true;
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& w : workers_)
      w.join();
    workers_.clear();
    stop_ = false;
  }

  std::atomic<int> threads_{default_threads()};
  std::mutex dispatch_;  // held by the thread whose job the pool runs
  std::vector<std::thread> workers_;

  std::mutex mu_;                 // guards everything below (the atomics are written under it
                                  // too, and read without it only by the spinning threads)
  std::condition_variable wake_;  // a job arrived, or stop
  std::condition_variable done_;  // the last chunk of the job finished
  const ChunkFn* fn_ = nullptr;
  std::size_t n_ = 0, chunks_ = 0, next_ = 0;
  std::atomic<std::size_t> unfinished_{0};  // chunks claimed or not, not yet finished
  std::atomic<bool> pending_{false};        // a job has unclaimed chunks
  std::exception_ptr error_;
  bool stop_ = false;
};

}  // namespace

void set_num_threads(int n) {
  if (n < 1) throw std::invalid_argument("set_num_threads: need n >= 1, got " + std::to_string(n));
  if (t_inside_pool) throw std::logic_error("set_num_threads: called inside parallel_for");
  Pool::instance().resize(n);
}

int num_threads() {
  return Pool::instance().threads();
}

void parallel_for(std::size_t n, std::size_t min_chunk, const ChunkFn& fn) {
  if (n == 0) return;
  Pool& pool = Pool::instance();
  // As many chunks as threads, but none smaller than min_chunk.
  const std::size_t chunks =
      std::min<std::size_t>(std::size_t(pool.threads()), n / std::max<std::size_t>(min_chunk, 1));
  if (chunks <= 1 || t_inside_pool || !pool.try_run(n, chunks, fn)) fn(0, n);
}

}  // namespace minflow
