// The op trace: one stderr line per op as the graph is built, one per op as backward walks
// it. A window into the engine without a debugger:
//
//   $ MINFLOW_TRACE=1 build/debug/tests/gdb_target        (loss = sum(x·y), then backward)
//   trace  mul          [2,3]     <- x[2,3] y[2,3]            +0 µs
//   trace  sum          []        <- z[2,3]                   +38 µs  = 7.5
//   trace  backward from 'loss' []
//   trace  #1  sum          'loss'  grad []          g = 1          +17 µs
//   trace  #2  mul          'z'     grad [2,3]     |g| = 2.44949    +12 µs
//
// Forward lines (written where every op's result is made, make_result in tensor.cpp): the
// op, the result's shape (results get their names later, so none is shown), the inputs'
// names and shapes, the time since the previous trace line on this thread (for ops run
// back to back: the time this op's forward took), and the value of a one-element result.
// `(no graph)` marks a result made without history (under NoGradGuard, or when no input
// requires a gradient).
//
// Backward lines, numbered in the order backward runs the ops (reverse topological): the
// op, the name of the tensor it made, the shape of the gradient g = dL/d(that tensor) it
// received and either g itself (one value: its sign matters) or its L2 norm
// ‖g‖ = √Σ gᵢ², and the time the op's backward took.
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
