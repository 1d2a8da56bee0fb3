#include "autograd/trace.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include "autograd/grad_mode.hpp"

namespace minflow {
namespace {

using Clock = std::chrono::steady_clock;

// MINFLOW_TRACE, read once when the library is loaded: the check per op is then two loads.
bool read_env() {
  const char* v = std::getenv("MINFLOW_TRACE");
  return v && *v && std::strcmp(v, "0") != 0;
}
const bool g_env_trace = read_env();
thread_local bool t_guard_trace = false;

std::ostream* g_stream = nullptr;  // nullptr: std::cerr

// Per thread: when the previous line was written, and the number of the next backward step.
thread_local Clock::time_point t_last = Clock::now();
thread_local int t_step = 0;

std::ostream& out() {
  return g_stream ? *g_stream : std::cerr;
}

// Microseconds since the previous trace line on this thread (and restart the clock).
long long lap_us() {
  const Clock::time_point now = Clock::now();
  const long long us = std::chrono::duration_cast<std::chrono::microseconds>(now - t_last).count();
  t_last = now;
  return us;
}

template <class T>
std::string shape_of(const Array<T>& a) {
  return shape_to_string(Shape(a.shape().begin(), a.shape().end()));
}

// 'name', or - for a tensor without one.
std::string quoted(const std::string& name) {
  return name.empty() ? std::string("-") : "'" + name + "'";
}

// Writes one finished line at once, so that lines from two threads do not interleave.
void emit(const std::ostringstream& line) {
  out() << line.str() << std::flush;
}

}  // namespace

bool trace_enabled() {
  return g_env_trace || t_guard_trace;
}

TraceGuard::TraceGuard() : previous_(t_guard_trace) {
  t_guard_trace = true;
  t_last = Clock::now();
}
TraceGuard::~TraceGuard() {
  t_guard_trace = previous_;
}

std::ostream* set_trace_stream(std::ostream* os) {
  std::ostream* previous = g_stream;
  g_stream = os;
  return previous;
}

template <class T>
void trace_forward(const char* op, const Array<T>& value,
                   const std::vector<BasicTensor<T>>& inputs) {
  bool graph = false;
  std::string in;
  for (const BasicTensor<T>& t : inputs) {
    graph = graph || t.requires_grad();
    in += (in.empty() ? "" : " ") + t.name() + shape_to_string(t.shape());
  }
  graph = graph && grad_enabled();
  std::ostringstream line;
  line << "trace  " << std::left << std::setw(13) << op << std::setw(10) << shape_of(value) << "<- "
       << std::setw(24) << in << " +" << lap_us() << " µs";
  if (value.size() == 1) line << "  = " << std::setprecision(6) << *value.data();
  line << (graph ? "" : "  (no graph)") << "\n";
  emit(line);
}

template <class T>
void trace_backward_begin(const Node<T>& root) {
  t_step = 0;
  std::ostringstream line;
  line << "trace  backward from " << (root.name.empty() ? "<unnamed>" : quoted(root.name)) << " "
       << shape_of(root.value) << "\n";
  emit(line);
  lap_us();
}

template <class T>
void trace_backward_step(const Node<T>& node) {
  double sum = 0;  // ‖g‖², in double so that float gradients do not overflow or lose bits
  for (T v : node.grad)
    sum += double(v) * double(v);
  std::ostringstream line;
  line << "trace  #" << std::left << std::setw(3) << ++t_step << std::setw(13)
       << (node.grad_fn ? node.grad_fn->op_name() : "?") << std::setw(8) << quoted(node.name)
       << "grad " << std::setw(10) << shape_of(node.grad) << std::setprecision(6);
  // One value: the value itself (its sign matters); more: the norm.
  if (node.grad.size() == 1) {
    line << "  g = " << std::setw(10) << *node.grad.data();
  } else {
    line << "|g| = " << std::setw(10) << std::sqrt(sum);
  }
  line << " +" << lap_us() << " µs\n";
  emit(line);
}

#define MINFLOW_INSTANTIATE(T)                                        \
  template void trace_forward<T>(const char*, const Array<T>&,        \
                                 const std::vector<BasicTensor<T>>&); \
  template void trace_backward_begin<T>(const Node<T>&);              \
  template void trace_backward_step<T>(const Node<T>&);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
