#include "autograd/dot.hpp"

#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "autograd/graph.hpp"
#include "base/atomic_file.hpp"

namespace minflow {
namespace {

constexpr std::size_t kMaxShownElements = 4;

// "1.5" for one element, "[1, 2, 3]" for more, each to 4 significant digits.
template <class T>
std::string format_values(const Array<T>& values) {
  std::string s = values.size() == 1 ? "" : "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%.4g", i ? ", " : "", static_cast<double>(values.data()[i]));
    s += buf;
  }
  return values.size() == 1 ? s : s + "]";
}

// A DOT string literal's contents: quotes and backslashes escaped.
std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

}  // namespace

template <class T>
std::string to_dot(const BasicTensor<T>& root) {
  const std::vector<Node<T>*> order = topological_order(root.node_ptr(), GraphWalk::all_inputs);
  std::unordered_map<const Node<T>*, std::size_t> id;
  for (std::size_t i = 0; i < order.size(); ++i)
    id[order[i]] = i;

  std::ostringstream out;
  out << "digraph minflow {\n"
      << "  rankdir=LR;\n"
      << "  node [fontname=\"Helvetica\", fontsize=10];\n";
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Node<T>& node = *order[i];
    const GradFn<T>* fn = node.grad_fn.get();
    const Shape shape(node.value.shape().begin(), node.value.shape().end());
    std::string label;
    if (!node.name.empty()) label += escape(node.name) + "\\n";
    label += std::string(fn ? fn->op_name() : "leaf") + " " + shape_to_string(shape);
    if (node.value.size() <= kMaxShownElements) {
      label += "\\nvalue " + format_values(node.value);
      if (node.grad.size() == node.value.size() && node.grad.dimension() == node.value.dimension())
        label += "\\ngrad " + format_values(node.grad);
    }
    const char* style = fn                   ? ""
                        : node.requires_grad ? ", style=filled, fillcolor=\"#cfe2ff\""
                                             : ", style=filled, fillcolor=\"#e9ecef\"";
    out << "  t" << i << " [shape=box, label=\"" << label << "\"" << style << "];\n";
    if (!fn) continue;
    out << "  op" << i << " [shape=ellipse, label=\"" << fn->op_name() << "\"];\n";
    for (const BasicTensor<T>& input : fn->inputs)
      out << "  t" << id.at(input.node()) << " -> op" << i << ";\n";
    out << "  op" << i << " -> t" << i << ";\n";
  }
  out << "}\n";
  return out.str();
}

template <class T>
void write_dot(const BasicTensor<T>& root, const std::string& path) {
  const std::string text = to_dot(root);
  try {
    AtomicFile file(path);
    file.write(text.data(), text.size());
    file.commit();
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("write_dot: ") + e.what());
  }
}

template std::string to_dot(const BasicTensor<float>&);
template std::string to_dot(const BasicTensor<double>&);
template void write_dot(const BasicTensor<float>&, const std::string&);
template void write_dot(const BasicTensor<double>&, const std::string&);

}  // namespace minflow
