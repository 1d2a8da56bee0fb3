#include "autograd/dot.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include <unistd.h>

namespace minflow {
namespace {

constexpr std::size_t kMaxShownElements = 4;

// Every node reachable from `root` (through all inputs, constants included), each after its
// inputs: an iterative post-order walk, inputs in argument order, so the order is fixed.
template <class T>
std::vector<const Node<T>*> graph_order(const Node<T>* root) {
  std::vector<const Node<T>*> order;
  std::unordered_map<const Node<T>*, bool> visited{{root, true}};
  std::vector<std::pair<const Node<T>*, std::size_t>> stack{{root, 0}};
  while (!stack.empty()) {
    const Node<T>* node = stack.back().first;
    const std::size_t next = stack.back().second;
    const GradFn<T>* fn = node->grad_fn.get();
    if (fn && next < fn->inputs.size()) {
      ++stack.back().second;
      const Node<T>* input = fn->inputs[next].node();
      if (visited.emplace(input, true).second) stack.push_back({input, 0});
    } else {
      order.push_back(node);
      stack.pop_back();
    }
  }
  return order;
}

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
  const std::vector<const Node<T>*> order = graph_order(root.node());
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
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw std::runtime_error("write_dot: cannot write '" + path + "'");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    const std::string reason = ec.message();
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error("write_dot: cannot write '" + path + "': " + reason);
  }
}

template std::string to_dot(const BasicTensor<float>&);
template std::string to_dot(const BasicTensor<double>&);
template void write_dot(const BasicTensor<float>&, const std::string&);
template void write_dot(const BasicTensor<double>&, const std::string&);

}  // namespace minflow
