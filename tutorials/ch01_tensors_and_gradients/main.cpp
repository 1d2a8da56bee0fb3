// Chapter 1: tensors and gradients.
//
// We build micrograd's README expression out of rank-0 tensors, run backward, and check
// the gradients three ways: against known numbers, against finite differences (gradcheck),
// and by looking at the graph that backward walked.
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>

#include "../chapter.hpp"
#include "autograd/dot.hpp"
#include "autograd/gradcheck.hpp"
#include "autograd/op_registry.hpp"
#include "autograd/ops.hpp"
#include "base/random.hpp"

using namespace minflow;

// micrograd's example. `c += …` in Python mutates c in place; here every line makes a new
// node and rebinds the name, so the graph never gets a cycle.
DTensor micrograd_expression(const DTensor& a, const DTensor& b) {
  DTensor c = a + b;
  DTensor d = a * b + pow(b, 3.0);
  c = c + c + 1.0;
  c = c + 1.0 + c + (-a);
  d = d + d * 2.0 + relu(b + a);
  d = d + 3.0 * d + relu(b - a);
  DTensor e = c - d;
  DTensor f = pow(e, 2.0);
  DTensor g = f / 2.0;
  g = g + 10.0 / f;
  return g;
}

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch01");
  std::cout << std::fixed << std::setprecision(4);

  // 1. The chain rule on scalars.
  DTensor a = DTensor::scalar(-4.0, /*requires_grad=*/true, "a");
  DTensor b = DTensor::scalar(2.0, /*requires_grad=*/true, "b");
  DTensor g = micrograd_expression(a, b);
  g.backward();
  std::cout << "g       = " << g.item() << "   (micrograd: 24.7041)\n"
            << "dg/da   = " << a.grad()() << "  (micrograd: 138.8338)\n"
            << "dg/db   = " << b.grad()() << "  (micrograd: 645.5773)\n\n";

  // 2. Why backward needs a topological order: reuse. y = x + x; z = y + y = 4x.
  DTensor x = DTensor::scalar(3.0, true, "x");
  DTensor y = (x + x).set_name("y");
  DTensor z = (y + y).set_name("z");
  z.backward(/*retain_graph=*/true);  // keep the graph: section 3 goes through it again
  std::cout << "z = (x + x) + (x + x): dz/dx = " << x.grad()() << " (expected 4)\n";
  std::cout << "y collected " << y.grad()() << " from its two uses before passing it on\n\n";

  // The graph that backward walked, as Graphviz DOT (and PNG when `dot` is installed).
  const std::string dot_path = (args.out / "graph.dot").string();
  write_dot(z, dot_path);
  std::cout << "wrote " << dot_path << "\n";
  const std::string png_path = (args.out / "graph.png").string();
  const std::string render =
      "command -v dot >/dev/null 2>&1 && dot -Tpng '" + dot_path + "' -o '" + png_path + "'";
  if (std::system(render.c_str()) == 0) std::cout << "wrote " << png_path << "\n";
  std::cout << "\n";

  // 3. A second pass (PyTorch's rules): the leaf x gains this pass's 4 (4 + 4 = 8); the
  //    interior node y holds this pass's gradient only (2, not 2 + 2). This pass frees the
  //    graph (no retain_graph), so a third one is refused with a message saying why.
  z.backward();
  std::cout << "second backward: dz/dx = " << x.grad()() << " (4 + 4), y holds " << y.grad()()
            << " (this pass only)\n";
  try {
    z.backward();
  } catch (const std::logic_error& e) {
    std::cout << "third backward: " << e.what() << "\n\n";
  }

  // 4. gradcheck: the analytic gradient of a small tensor expression against central
  //    differences, f(X, W) = mean(tanh(X·W)²) with X [4,3] and W [3,2].
  Generator gen(1, "ch01");
  DTensor X = random_input(gen, {4, 3}, -1.0, 1.0).set_name("X");
  DTensor W = random_input(gen, {3, 2}, -1.0, 1.0).set_name("W");
  auto f = [](const std::vector<DTensor>& in) { return mean(square(tanh(matmul(in[0], in[1])))); };
  GradcheckReport report = gradcheck(f, {X, W});
  std::cout << "gradcheck of mean(tanh(X·W)²): " << report << "\n";
  return report.ok ? 0 : 1;
}
