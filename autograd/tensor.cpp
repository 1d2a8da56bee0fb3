#include "autograd/tensor.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xio.hpp>

#include "autograd/grad_mode.hpp"
#include "autograd/graph.hpp"
#include "autograd/op.hpp"
#include "autograd/trace.hpp"

namespace minflow {

namespace {
std::atomic<long> g_live_nodes{0};
std::atomic<long> g_live_saved_ops{0};
}  // namespace

long live_node_count() {
  return g_live_nodes.load();
}

long live_saved_op_count() {
  return g_live_saved_ops.load();
}

template <class T>
GradFn<T>::GradFn(bool holds_saved_values) : counted_(holds_saved_values) {
  if (counted_) ++g_live_saved_ops;
}

template <class T>
GradFn<T>::~GradFn() {
  if (counted_) --g_live_saved_ops;
}

template <class T>
std::string describe(const Node<T>& node) {
  const Shape shape(node.value.shape().begin(), node.value.shape().end());
  if (!node.name.empty()) return "tensor '" + node.name + "' " + shape_to_string(shape);
  if (node.grad_fn) {
    return "the result of " + std::string(node.grad_fn->op_name()) + " " + shape_to_string(shape);
  }
  return "an unnamed leaf " + shape_to_string(shape);
}

std::string shape_to_string(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

// ---- Node -----------------------------------------------------------------------------

// The gradient starts empty (size 0, rank 1): a rank-0 array would hold one element and
// look like an arrived gradient of a scalar.
template <class T>
Node<T>::Node() : grad(Array<T>::from_shape({0})) {
  ++g_live_nodes;
}

// Destroying the last handle to the end of a long chain would otherwise recurse once per
// node (each GradFn owns its inputs' nodes) and overflow the stack. Instead, take the
// GradFns of inputs that are about to die (we hold their last reference) into a work list,
// so every node is destroyed with an empty grad_fn and the recursion never starts.
template <class T>
Node<T>::~Node() {
  --g_live_nodes;
  std::vector<std::unique_ptr<GradFn<T>>> pending;
  if (grad_fn) pending.push_back(std::move(grad_fn));
  while (!pending.empty()) {
    std::unique_ptr<GradFn<T>> fn = std::move(pending.back());
    pending.pop_back();
    for (auto& input : fn->inputs) {
      const auto& node = input.node_ptr();
      if (node.use_count() == 1 && node->grad_fn) pending.push_back(std::move(node->grad_fn));
    }
    // `fn` dies here, releasing its inputs, whose grad_fns are already moved out.
  }
}

// ---- construction -------------------------------------------------------------------

template <class T>
BasicTensor<T>::BasicTensor() : node_(std::make_shared<Node<T>>()) {
  node_->value = Array<T>(T(0));
}

template <class T>
BasicTensor<T>::BasicTensor(Array<T> value, bool requires_grad, std::string name)
    : node_(std::make_shared<Node<T>>()) {
  node_->value = std::move(value);
  node_->requires_grad = requires_grad;
  node_->name = std::move(name);
}

template <class T>
BasicTensor<T> BasicTensor<T>::scalar(T value, bool requires_grad, std::string name) {
  return BasicTensor(Array<T>(value), requires_grad, std::move(name));
}

template <class T>
BasicTensor<T> BasicTensor<T>::full(const Shape& shape, T value, bool requires_grad,
                                    std::string name) {
  Array<T> a = Array<T>::from_shape(shape);
  std::fill(a.begin(), a.end(), value);
  return BasicTensor(std::move(a), requires_grad, std::move(name));
}

template <class T>
BasicTensor<T> BasicTensor<T>::zeros(const Shape& shape, bool requires_grad, std::string name) {
  return full(shape, T(0), requires_grad, std::move(name));
}

template <class T>
BasicTensor<T> BasicTensor<T>::ones(const Shape& shape, bool requires_grad, std::string name) {
  return full(shape, T(1), requires_grad, std::move(name));
}

template <class T>
BasicTensor<T> BasicTensor<T>::from_vector(const std::vector<T>& values, const Shape& shape,
                                           bool requires_grad, std::string name) {
  Array<T> a = Array<T>::from_shape(shape);
  if (a.size() != values.size()) {
    throw std::invalid_argument("from_vector: shape " + shape_to_string(shape) + " holds " +
                                std::to_string(a.size()) + " values, got " +
                                std::to_string(values.size()));
  }
  std::copy(values.begin(), values.end(), a.begin());
  return BasicTensor(std::move(a), requires_grad, std::move(name));
}

// ---- metadata -----------------------------------------------------------------------

template <class T>
Shape BasicTensor<T>::shape() const {
  const auto& s = node_->value.shape();
  return Shape(s.begin(), s.end());
}

template <class T>
T BasicTensor<T>::item() const {
  if (size() != 1) {
    throw std::invalid_argument("item: tensor of shape " + shape_to_string(shape()) + " has " +
                                std::to_string(size()) + " elements, expected 1");
  }
  return *node_->value.data();
}

template <class T>
BasicTensor<T>& BasicTensor<T>::set_name(std::string name) {
  node_->name = std::move(name);
  return *this;
}

template <class T>
BasicTensor<T>& BasicTensor<T>::set_requires_grad(bool on) {
  node_->requires_grad = on;
  return *this;
}

template <class T>
BasicTensor<T> BasicTensor<T>::detach() const {
  return BasicTensor(Array<T>(node_->value), false, node_->name);
}

// ---- gradients ----------------------------------------------------------------------

template <class T>
bool BasicTensor<T>::has_grad() const {
  return node_->grad.dimension() == node_->value.dimension() &&
         node_->grad.size() == node_->value.size();
}

template <class T>
Array<T> BasicTensor<T>::grad() const {
  if (has_grad()) return node_->grad;
  return Array<T>(xt::zeros<T>(node_->value.shape()));
}

template <class T>
Array<T>& BasicTensor<T>::mutable_grad() {
  if (!has_grad()) {
    throw std::logic_error("mutable_grad: no gradient has arrived yet at " + describe(*node_));
  }
  return node_->grad;
}

template <class T>
void BasicTensor<T>::zero_grad() {
  if (has_grad()) std::fill(node_->grad.begin(), node_->grad.end(), T(0));
}

namespace {
template <class T>
void check_grad_shape(const Array<T>& g, const Node<T>& node) {
  if (!std::equal(g.shape().begin(), g.shape().end(), node.value.shape().begin(),
                  node.value.shape().end())) {
    Shape gs(g.shape().begin(), g.shape().end());
    Shape vs(node.value.shape().begin(), node.value.shape().end());
    throw std::logic_error("accumulate_grad: gradient of shape " + shape_to_string(gs) + " for " +
                           describe(node) + ", expected " + shape_to_string(vs));
  }
}
}  // namespace

template <class T>
void BasicTensor<T>::accumulate_grad(const Array<T>& g) {
  check_grad_shape(g, *node_);
  if (!has_grad()) {
    node_->grad = g;
    return;
  }
  T* dst = node_->grad.data();
  const T* src = g.data();
  for (std::size_t i = 0, n = g.size(); i < n; ++i)
    dst[i] += src[i];
}

template <class T>
void BasicTensor<T>::accumulate_grad(Array<T>&& g) {
  if (has_grad()) return accumulate_grad(static_cast<const Array<T>&>(g));
  check_grad_shape(g, *node_);
  node_->grad = std::move(g);
}

namespace {

// An op whose saved values were freed by a backward pass without retain_graph. It keeps the
// op's name and its inputs (the edges), so the graph can still be printed and drawn, but a
// second pass through it is an error that says what to do.
template <class T>
struct ReleasedOp final : GradFn<T> {
  const char* name;  // the released op's op_name(): a string literal, never freed

  explicit ReleasedOp(const char* op) : GradFn<T>(/*holds_saved_values=*/false), name(op) {}
  const char* op_name() const override { return name; }
  bool released() const override { return true; }
  void backward(const Array<T>&) override { throw_freed(name); }

  [[noreturn]] static void throw_freed(const char* op) {
    throw std::logic_error(std::string("backward: the values ") + op +
                           " saved for backward were freed by an earlier backward(); pass "
                           "retain_graph = true to the first backward() to go through this "
                           "graph again");
  }
};

// Refuses a pass before any gradient is touched if an op on its path was released.
template <class T>
void throw_if_released(const std::vector<Node<T>*>& order) {
  for (const Node<T>* node : order) {
    if (node->grad_fn && node->grad_fn->released()) {
      ReleasedOp<T>::throw_freed(node->grad_fn->op_name());
    }
  }
}

template <class T>
void clear_grad(Node<T>& node) {
  node.grad = Array<T>::from_shape({0});
}

}  // namespace

template <class T>
void BasicTensor<T>::backward(bool retain_graph) const {
  if (size() != 1) {
    throw std::invalid_argument(
        "backward: called without a gradient on " + describe(*node_) +
        "; only one-element tensors can seed themselves, pass backward(seed) of that shape");
  }
  backward(Array<T>(xt::ones<T>(node_->value.shape())), retain_graph);
}

// One backward pass, with PyTorch's semantics:
// - each pass adds exactly its own contribution dL/d(leaf) into the leaves' gradients (they
//   accumulate until zero_grad);
// - an interior node's gradient is this pass's alone: it is cleared when the pass starts and
//   stays visible afterwards (printing, DOT, the debugger) until the next pass replaces it;
// - without retain_graph, the pass frees what the ops saved for backward as it ends, and a
//   later pass through those ops throws instead of using values that are gone.
template <class T>
void BasicTensor<T>::backward(const Array<T>& seed, bool retain_graph) const {
  if (!node_->requires_grad) {
    throw std::invalid_argument("backward: " + describe(*node_) +
                                " does not require grad and has no graph");
  }
  const std::vector<Node<T>*> order = topological_order(node_, GraphWalk::requires_grad);
  const bool trace = trace_enabled();       // op trace (trace.hpp)
  if (trace) trace_backward_begin(*node_);  // op trace (trace.hpp)
  throw_if_released(order);
  for (Node<T>* node : order) {
    if (node->grad_fn) clear_grad(*node);
  }
  const_cast<BasicTensor*>(this)->accumulate_grad(seed);
  const bool anomaly = anomaly_detection_enabled();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    Node<T>* node = *it;
    GradFn<T>* fn = node->grad_fn.get();
    if (!fn || node->grad.size() != node->value.size()) continue;  // leaf, or no gradient
    fn->backward(node->grad);
    if (trace) trace_backward_step(*node);  // op trace (trace.hpp)
    if (anomaly) {
      for (const auto& input : fn->inputs) {
        if (input.requires_grad() && input.has_grad()) {
          check_finite(input.node_ptr()->grad, fn->op_name(), "gradient of",
                       describe(*input.node_ptr()));
        }
      }
    }
  }
  if (retain_graph) return;
  for (Node<T>* node : order) {
    if (node->grad_fn) {
      auto released = std::make_unique<ReleasedOp<T>>(node->grad_fn->op_name());
      released->inputs = std::move(node->grad_fn->inputs);
      node->grad_fn = std::move(released);
    }
  }
}

// ---- printing -----------------------------------------------------------------------

template <class T>
std::ostream& operator<<(std::ostream& os, const BasicTensor<T>& t) {
  os << "tensor(shape=" << shape_to_string(t.shape());
  if (!t.name().empty()) os << ", name='" << t.name() << "'";
  if (t.grad_fn()) os << ", op=" << t.grad_fn()->op_name();
  if (t.requires_grad()) os << ", requires_grad";
  os << ")\n";
  os << xt::print_options::threshold(64) << xt::print_options::edge_items(3)
     << xt::print_options::precision(5) << t.value();
  return os;
}

// ---- explicit instantiations ----------------------------------------------------------

#define MINFLOW_INSTANTIATE(T)                      \
  template struct Node<T>;                          \
  template class BasicTensor<T>;                    \
  template struct GradFn<T>;                        \
  template std::string describe<T>(const Node<T>&); \
  template std::ostream& operator<< <T>(std::ostream&, const BasicTensor<T>&);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
