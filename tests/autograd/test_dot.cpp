// The Graphviz DOT view of a graph: contents, determinism, atomic writing.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "autograd/dot.hpp"
#include "autograd/ops.hpp"
#include "temp_dir.hpp"

using namespace minflow;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// loss = sum(w * x + w): w a named parameter used twice, x a constant.
struct Graph {
  Tensor w = Tensor::from_vector({1.0f, 2.0f}, {2}, true, "w");
  Tensor x = Tensor::from_vector({3.0f, 4.0f}, {2}, false, "x");
  Tensor loss = sum(w * x + w).set_name("loss");
};

}  // namespace

TEST_CASE("to_dot shows tensors, ops and edges input -> op -> output", "[dot]") {
  Graph g;
  g.loss.backward();
  const std::string dot = to_dot(g.loss);
  INFO(dot);
  CHECK_THAT(dot, Catch::StartsWith("digraph minflow {") && Catch::EndsWith("}\n"));
  // w, x, mul, add, loss: five tensors, three of them made by ops.
  CHECK(count(dot, "[shape=box") == 5);
  CHECK(count(dot, "[shape=ellipse") == 3);
  CHECK(count(dot, "->") == 2 + 2 + 1 + 3);  // mul and add take two inputs, sum one; 3 outputs
  // Post-order numbering: w is t0, x t1, mul's output t2, add's t3, loss t4.
  CHECK_THAT(dot,
             Catch::Contains("t0 [shape=box, label=\"w\\nleaf [2]\\nvalue [1, 2]\\ngrad [4, 5]\""));
  CHECK_THAT(dot, Catch::Contains("t1 [shape=box, label=\"x\\nleaf [2]\\nvalue [3, 4]\""));
  CHECK_THAT(dot, Catch::Contains("op2 [shape=ellipse, label=\"mul\"]"));
  CHECK_THAT(dot, Catch::Contains("t0 -> op2;\n  t1 -> op2;\n  op2 -> t2;"));
  CHECK_THAT(dot, Catch::Contains("t2 -> op3;\n  t0 -> op3;\n  op3 -> t3;"));
  CHECK_THAT(dot, Catch::Contains("label=\"loss\\nsum []\\nvalue 14\\ngrad 1\""));
  // the parameter is blue, the constant grey
  CHECK_THAT(dot, Catch::Contains("grad [4, 5]\", style=filled, fillcolor=\"#cfe2ff\""));
  CHECK_THAT(dot, Catch::Contains("value [3, 4]\", style=filled, fillcolor=\"#e9ecef\""));
}

TEST_CASE("to_dot is deterministic and hides values of large tensors", "[dot]") {
  Graph a, b;
  CHECK(to_dot(a.loss) == to_dot(b.loss));
  DTensor big = DTensor::ones({2, 3}, true).set_name("big \"quoted\"");
  const std::string dot = to_dot(exp(big));
  CHECK_THAT(dot, Catch::Contains("label=\"big \\\"quoted\\\"\\nleaf [2,3]\""));
  CHECK_THAT(dot, !Catch::Contains("value"));
  CHECK(count(to_dot(DTensor::scalar(1.0)), "[shape=box") == 1);
}

TEST_CASE("write_dot writes atomically and reports failures", "[dot]") {
  minflow::testing::TempDir dir;
  Graph g;
  const std::string path = (dir / "graph.dot").string();
  write_dot(g.loss, path);
  CHECK(read(path) == to_dot(g.loss));
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  CHECK(files == 1);  // no temporary left behind
  // A path whose parent is a regular file cannot be written, even as root.
  const std::string bad = path + "/inside.dot";
  CHECK_THROWS_WITH(write_dot(g.loss, bad), Catch::Contains("write_dot") && Catch::Contains(bad));
  // When Graphviz is installed, it must accept the file.
  if (std::system("command -v dot >/dev/null 2>&1") == 0) {
    const std::string cmd =
        "dot -Tsvg '" + path + "' -o '" + (dir / "graph.svg").string() + "' 2>/dev/null";
    CHECK(std::system(cmd.c_str()) == 0);
  }
}
