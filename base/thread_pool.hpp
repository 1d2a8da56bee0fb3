// A small thread pool for the kernels: one parallel loop, `parallel_for`, and the number of
// threads it may use.
//
//   parallel_for(rows, /*min_chunk=*/64, [&](std::size_t begin, std::size_t end) {
//     for (std::size_t i = begin; i < end; ++i) compute_output_row(i);
//   });
//
// Determinism: callers split *outputs* (rows or blocks of a result), never the terms of one
// sum, so every output element is computed by exactly the same instructions whatever the
// thread count, and results are bitwise identical with 1, 2 or 16 threads.
//
// Why not OpenMP: libgomp's waiting threads spin by default, which made libtorch 10–15×
// slower when the other core was busy (docs/building.md#benchmarks). Our idle workers sleep on a
// condition variable, and the calling thread takes a share of the work instead of waiting idle.
#pragma once

#include <cstddef>
#include <functional>

namespace minflow {

// Threads used by parallel_for, the calling thread included (so 1 means "no workers").
// The default is the environment variable MINFLOW_THREADS when it holds a positive integer,
// otherwise std::thread::hardware_concurrency(). set_num_threads throws std::invalid_argument
// for n < 1; it waits for a running parallel_for to finish before resizing the pool.
void set_num_threads(int n);
int num_threads();

// Runs fn(begin, end) over contiguous chunks that cover [0, n) exactly once, one chunk per
// thread, and returns when all are done. Each chunk holds at least `min_chunk` indices (so
// small loops are not split at all); the chunk boundaries depend only on n, min_chunk and
// the thread count. Runs inline, as fn(0, n), when one chunk suffices, when the pool has one
// thread, when called from inside another parallel_for (nested calls cannot deadlock), or
// when another thread is using the pool. The first exception thrown by any chunk is rethrown
// here once every started chunk has finished; chunks not yet started are skipped.
void parallel_for(std::size_t n, std::size_t min_chunk,
                  const std::function<void(std::size_t begin, std::size_t end)>& fn);

}  // namespace minflow
