// parallel_for: every index exactly once, chunk boundaries that depend only on the sizes and
// the thread count, inline runs for small or nested loops, exceptions brought back to the
// caller, and a pool that keeps working after all of that.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "base/thread_pool.hpp"

using namespace minflow;

namespace {

// Sets the thread count for one test and restores the previous one afterwards.
struct ThreadCount {
  explicit ThreadCount(int n) : saved(num_threads()) { set_num_threads(n); }
  ~ThreadCount() { set_num_threads(saved); }
  int saved;
};

using Chunks = std::set<std::pair<std::size_t, std::size_t>>;

// Runs parallel_for and returns the chunks it made, checking each index is visited once.
Chunks run_and_check(std::size_t n, std::size_t min_chunk) {
  std::vector<std::atomic<int>> visits(n);
  std::mutex mu;
  Chunks chunks;
  parallel_for(n, min_chunk, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      ++visits[i];
    std::lock_guard<std::mutex> lock(mu);
    chunks.insert({begin, end});
  });
  for (std::size_t i = 0; i < n; ++i) {
    INFO("index " << i);
    REQUIRE(visits[i] == 1);
  }
  return chunks;
}

}  // namespace

TEST_CASE("parallel_for visits every index exactly once", "[thread_pool]") {
  for (int threads : {1, 2, 3, 8}) {
    ThreadCount tc(threads);
    INFO(threads << " threads");
    for (std::size_t n : {1, 2, 3, 7, 100, 1001}) {
      INFO("n = " << n);
      run_and_check(n, 1);
      run_and_check(n, 10);
    }
    run_and_check(0, 1);  // nothing to do, fn never called
  }
}

TEST_CASE("parallel_for makes one contiguous chunk per thread", "[thread_pool]") {
  ThreadCount tc(3);
  CHECK(num_threads() == 3);
  CHECK(run_and_check(1000, 1) == Chunks{{0, 333}, {333, 666}, {666, 1000}});
  // Chunks are never smaller than min_chunk: 1000 / 400 allows only two.
  CHECK(run_and_check(1000, 400) == Chunks{{0, 500}, {500, 1000}});
  // Too small to split: one call on the whole range, on the calling thread.
  const auto caller = std::this_thread::get_id();
  std::thread::id ran_on;
  parallel_for(50, 100, [&](std::size_t b, std::size_t e) {
    CHECK(b == 0);
    CHECK(e == 50);
    ran_on = std::this_thread::get_id();
  });
  CHECK(ran_on == caller);
}

TEST_CASE("parallel_for with one thread runs inline", "[thread_pool]") {
  ThreadCount tc(1);
  CHECK(run_and_check(1000, 1) == Chunks{{0, 1000}});
}

TEST_CASE("parallel_for uses the worker threads", "[thread_pool]") {
  ThreadCount tc(2);
  // Each chunk waits (briefly) for the other to start: this only finishes if two threads
  // run chunks at the same time. A timeout turns a failure into a clear message, not a hang.
  std::atomic<int> started{0};
  std::atomic<bool> overlapped{false};
  parallel_for(2, 1, [&](std::size_t, std::size_t) {
    ++started;
    for (int spin = 0; spin < 2000 && started < 2; ++spin)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (started == 2) overlapped = true;
  });
  CHECK(overlapped);
}

TEST_CASE("parallel_for rethrows a worker's exception in the caller", "[thread_pool]") {
  for (int threads : {1, 2, 3}) {
    ThreadCount tc(threads);
    INFO(threads << " threads");
    auto throw_at_900 = [](std::size_t begin, std::size_t end) {
      if (begin <= 900 && 900 < end) throw std::runtime_error("bad index 900");
    };
    CHECK_THROWS_WITH(parallel_for(1000, 1, throw_at_900), "bad index 900");
    // The pool is still usable afterwards.
    CHECK(run_and_check(1000, 1).size() == std::size_t(threads));
  }
}

TEST_CASE("nested parallel_for runs inline instead of deadlocking", "[thread_pool]") {
  ThreadCount tc(2);
  std::vector<std::atomic<int>> visits(100 * 100);
  parallel_for(100, 1, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      parallel_for(100, 1, [&](std::size_t b2, std::size_t e2) {
        CHECK(b2 == 0);  // the inner loop is not split
        CHECK(e2 == 100);
        for (std::size_t j = b2; j < e2; ++j)
          ++visits[i * 100 + j];
      });
    }
  });
  CHECK(std::all_of(visits.begin(), visits.end(), [](const auto& v) { return v == 1; }));
}

TEST_CASE("set_num_threads validates and resizes", "[thread_pool]") {
  ThreadCount tc(2);
  CHECK_THROWS_AS(set_num_threads(0), std::invalid_argument);
  CHECK_THROWS_AS(set_num_threads(-3), std::invalid_argument);
  CHECK(num_threads() == 2);
  set_num_threads(4);
  CHECK(num_threads() == 4);
  CHECK(run_and_check(4000, 1).size() == 4);
  // Resizing from inside a parallel loop would deadlock: refused.
  CHECK_THROWS_AS(parallel_for(2, 1, [](std::size_t, std::size_t) { set_num_threads(1); }),
                  std::logic_error);
}
