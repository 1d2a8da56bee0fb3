// The op trace (autograd/trace.hpp): the lines for a small expression, checked against the
// graph built by hand: ops in the order they ran, shapes, and the gradient norms ‖g‖
// computed here in closed form.
#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "autograd/grad_mode.hpp"
#include "autograd/ops.hpp"
#include "autograd/trace.hpp"

using namespace minflow;

namespace {

// Sends the trace to a string while alive.
struct CapturedTrace {
  std::ostringstream text;
  std::ostream* previous = set_trace_stream(&text);
  ~CapturedTrace() { set_trace_stream(previous); }

  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    std::istringstream in(text.str());
    for (std::string line; std::getline(in, line);)
      out.push_back(line);
    return out;
  }
};

struct Forward {
  std::string op, shape, inputs, note;
};
// "+123 µs" at `pos` in `text`: the time stamp that ends a trace line's fixed part.
bool is_time_stamp(const std::string& text, std::size_t pos) {
  if (text.compare(pos, 2, " +") != 0) return false;
  std::size_t end = pos + 2;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])))
    ++end;
  return end > pos + 2 && text.compare(end, 4, " µs") == 0;
}

// "trace  OP SHAPE <- INPUTS +N µs NOTE"
Forward parse_forward(const std::string& line) {
  INFO(line);
  REQUIRE(line.rfind("trace  ", 0) == 0);
  std::istringstream in(line.substr(7));
  Forward f;
  std::string arrow;
  REQUIRE(in >> f.op >> f.shape >> arrow);
  REQUIRE(arrow == "<-");
  std::string rest;
  std::getline(in >> std::ws, rest);
  std::size_t stamp = 0;
  while (stamp < rest.size() && !is_time_stamp(rest, stamp))
    ++stamp;
  REQUIRE(stamp < rest.size());
  f.inputs = rest.substr(0, rest.find_last_not_of(' ', stamp) + 1);
  f.note = rest.substr(rest.find(" µs", stamp) + 4);
  return f;
}

struct Backward {
  int step;
  std::string op, name, shape;
  double norm;  // ‖g‖, or g itself for one value
};
// "trace  #N OP NAME grad SHAPE g = V +N µs" (‖g‖ for more than one value: "|g| = V")
Backward parse_backward(const std::string& line) {
  INFO(line);
  REQUIRE(line.rfind("trace  #", 0) == 0);
  std::istringstream in(line.substr(8));
  Backward b;
  std::string grad, g, equals, value, stamp, micro;
  REQUIRE(in >> b.step >> b.op >> b.name >> grad >> b.shape >> g >> equals >> value >> stamp >>
          micro);
  REQUIRE(grad == "grad");
  REQUIRE((g == "g" || g == "|g|"));
  REQUIRE(equals == "=");
  REQUIRE(is_time_stamp(" " + stamp + " " + micro, 0));
  b.norm = std::stod(value);
  return b;
}

}  // namespace

TEST_CASE("the trace shows each op as the graph is built and as backward walks it", "[trace]") {
  // loss = mean((a·b)²) with b broadcast along a's rows. c = a·b = [[1,0,-3],[4,0,-6]].
  // Backward: dloss/dloss = 1; dloss/d(c²) = 1/6 everywhere, ‖·‖ = √6/6;
  // dloss/dc = 2c/6 = c/3, ‖·‖ = ‖c‖/3 = √62/3.
  DTensor a = DTensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3}, true, "a");
  DTensor b = DTensor::from_vector({1, 0, -1}, {3}, true, "b");
  CapturedTrace trace;
  {
    TraceGuard on;
    DTensor c = (a * b).set_name("c");
    DTensor loss = mean(square(c)).set_name("loss");
    loss.backward();
  }
  const std::vector<std::string> lines = trace.lines();
  REQUIRE(lines.size() == 7);  // three ops, the backward header, three steps

  const Forward mul = parse_forward(lines[0]);
  CHECK(mul.op == "mul");
  CHECK(mul.shape == "[2,3]");
  CHECK(mul.inputs == "a[2,3] b[3]");
  CHECK(mul.note.empty());
  const Forward sq = parse_forward(lines[1]);
  CHECK(sq.op == "square");
  CHECK(sq.inputs == "c[2,3]");
  const Forward mn = parse_forward(lines[2]);
  CHECK(mn.op == "mean");
  CHECK(mn.shape == "[]");
  CHECK(mn.inputs == "[2,3]");  // square's result has no name
  // mean(c²) = (1 + 9 + 16 + 36)/6 = 62/6, shown for one-element results
  CHECK(mn.note.rfind("  = ", 0) == 0);
  CHECK(std::stod(mn.note.substr(4)) == Approx(62.0 / 6).epsilon(1e-5));

  CHECK(lines[3] == "trace  backward from 'loss' []");
  const Backward b1 = parse_backward(lines[4]), b2 = parse_backward(lines[5]),
                 b3 = parse_backward(lines[6]);
  CHECK(b1.step == 1);
  CHECK(b1.op == "mean");
  CHECK(b1.name == "'loss'");
  CHECK(b1.shape == "[]");
  CHECK(b1.norm == Approx(1.0));  // one value: g itself
  CHECK(lines[4].find("  g = 1 ") != std::string::npos);
  CHECK(lines[5].find("|g| = ") != std::string::npos);
  CHECK(b2.step == 2);
  CHECK(b2.op == "square");
  CHECK(b2.name == "-");
  CHECK(b2.shape == "[2,3]");
  CHECK(b2.norm == Approx(std::sqrt(6.0) / 6).epsilon(1e-5));
  CHECK(b3.step == 3);
  CHECK(b3.op == "mul");
  CHECK(b3.name == "'c'");
  CHECK(b3.norm == Approx(std::sqrt(62.0) / 3).epsilon(1e-5));
}

TEST_CASE("the trace marks results made without a graph, and is off without a guard", "[trace]") {
  DTensor a = DTensor::scalar(2.0, true, "a");
  CapturedTrace trace;
  const bool from_env = trace_enabled();  // MINFLOW_TRACE=1 in the test's environment
  DTensor quiet = a * a;
  {
    TraceGuard on;
    CHECK(trace_enabled());
    NoGradGuard no_grad;
    DTensor plain = a * a;
  }
  CHECK(trace_enabled() == from_env);
  DTensor quiet_again = a + a;
  const std::vector<std::string> lines = trace.lines();
  if (from_env) return;  // every op traced: nothing more to check here
  REQUIRE(lines.size() == 1);
  const Forward f = parse_forward(lines[0]);
  CHECK(f.op == "mul");
  CHECK(f.inputs == "a[] a[]");
  CHECK(f.note == "  = 4  (no graph)");
}

TEST_CASE("TraceGuard is per thread and nests", "[trace]") {
  const bool from_env = trace_enabled();
  {
    TraceGuard outer;
    {
      TraceGuard inner;
      CHECK(trace_enabled());
    }
    CHECK(trace_enabled());
    bool other_thread = true;
    std::thread([&] { other_thread = trace_enabled(); }).join();
    CHECK(other_thread == from_env);
  }
  CHECK(trace_enabled() == from_env);
}
