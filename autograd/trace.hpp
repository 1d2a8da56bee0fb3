// The op trace: one stderr line per op as the graph is built, one per op as backward walks
// it. A window into the engine without a debugger:
//
//   $ MINFLOW_TRACE=1 ./build/debug/tutorials/ch01_tensors_and_gradients
//   trace  mul          [3]     <- a[3] b[3]                 +4 µs
//   trace  backward from 'L' []
//   trace  #1 sum       'L'     grad []  |g| = 1
//
// Forward lines (written where every op's result is made, make_result in tensor.cpp): the
// op, the result's shape (results get their names later, so none is shown), the inputs'
// names and shapes, the time since the previous trace line on this thread (for ops run
// back to back: the time this op's forward took), and the value of a one-element result.
// `(no graph)` marks a result made without history (under NoGradGuard, or when no input
// requires a gradient).
//
// Backward lines, numbered in the order backward runs the ops (reverse topological): the
// op, the name of the tensor it made, the shape and the L2 norm ‖g‖ = √Σ gᵢ² of the
// gradient dL/d(that tensor) it received, and the time its backward took.
//
// On when MINFLOW_TRACE is set to anything but "" or "0" (read once, at start-up: every
// thread), or while a TraceGuard is alive (this thread only). Off, each op pays for one
// call that reads two flags.
#pragma once

#include <iosfwd>

#include "autograd/tensor.hpp"

namespace minflow {

// True while tracing is on for this thread.
bool trace_enabled();

// Turns the trace on for this thread while alive (like NoGradGuard; nests).
class TraceGuard {
 public:
  TraceGuard();
  ~TraceGuard();
  TraceGuard(const TraceGuard&) = delete;
  TraceGuard& operator=(const TraceGuard&) = delete;

 private:
  bool previous_;
};

// Where trace lines go: `os`, or std::cerr for nullptr (the default). Returns the previous
// stream (nullptr for std::cerr). For tests; not synchronised with running ops.
std::ostream* set_trace_stream(std::ostream* os);

// The hooks. Call only when trace_enabled().
// Before make_result wraps `value` (the result of op `op`, made from `inputs`).
template <class T>
void trace_forward(const char* op, const Array<T>& value,
                   const std::vector<BasicTensor<T>>& inputs);
// At the start of a backward pass from `root`: starts the numbering at #1.
template <class T>
void trace_backward_begin(const Node<T>& root);
// After `node`'s op has passed on its gradient (node.grad).
template <class T>
void trace_backward_step(const Node<T>& node);

}  // namespace minflow
