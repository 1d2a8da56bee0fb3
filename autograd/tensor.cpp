#include "autograd/tensor.hpp"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <unordered_set>
#include <utility>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xio.hpp>

#include "autograd/grad_mode.hpp"
#include "autograd/op.hpp"
#include "autograd/trace.hpp"

namespace minflow {

namespace {
std::atomic<long> g_live_nodes{0};

// Every op allocates its result (a 2048×64 float array is 512 KB). glibc serves blocks that
// large with mmap and returns them with munmap, so each op paid for fresh zeroed pages: a
// third of a training step was spent in the kernel. Keeping such blocks in the heap lets
// the next step reuse them.
const bool g_allocator_tuned = [] {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  return true;
}();
}  // namespace

long live_node_count() {
  return g_live_nodes.load();
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

template <class T>
Node<T>::Node() {
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
BasicTensor<T> BasicTensor<T>::scalar(T value, std::string name, bool requires_grad) {
  return BasicTensor(Array<T>(value), requires_grad, std::move(name));
}

template <class T>
BasicTensor<T> BasicTensor<T>::full(const Shape& shape, T value, bool requires_grad) {
  Array<T> a = Array<T>::from_shape(shape);
  std::fill(a.begin(), a.end(), value);
  return BasicTensor(std::move(a), requires_grad);
}

template <class T>
BasicTensor<T> BasicTensor<T>::zeros(const Shape& shape, bool requires_grad) {
  return full(shape, T(0), requires_grad);
}

template <class T>
BasicTensor<T> BasicTensor<T>::ones(const Shape& shape, bool requires_grad) {
  return full(shape, T(1), requires_grad);
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
    throw std::logic_error("accumulate_grad: gradient of shape " + shape_to_string(gs) +
                           " for tensor '" + node.name + "' of shape " + shape_to_string(vs));
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

// The nodes reachable from `root` through nodes that require a gradient, every node after
// all of its inputs (a post-order depth-first walk, children in argument order, so the order
// is deterministic). An explicit stack instead of recursion: a 100,000-node chain is fine.
//
// Why an order at all: a node may be used several times (b = a + a; c = b + b). Its
// gradient is the sum over all uses, so it may only pass its gradient on once every use
// has contributed, i.e. after every node that consumes it. Reverse topological order
// guarantees exactly that.
template <class T>
static std::vector<Node<T>*> topological_order(Node<T>* root) {
  std::vector<Node<T>*> order;
  std::unordered_set<Node<T>*> visited{root};
  std::vector<std::pair<Node<T>*, std::size_t>> stack{{root, 0}};  // node, next input
  while (!stack.empty()) {
    Node<T>* node = stack.back().first;
    std::size_t next = stack.back().second;
    const GradFn<T>* fn = node->grad_fn.get();
    if (fn && next < fn->inputs.size()) {
      ++stack.back().second;
      Node<T>* input = fn->inputs[next].node_ptr().get();
      if (input->requires_grad && visited.insert(input).second) stack.push_back({input, 0});
    } else {
      order.push_back(node);
      stack.pop_back();
    }
  }
  return order;
}

template <class T>
void BasicTensor<T>::backward() const {
  if (size() != 1) {
    throw std::invalid_argument(
        "backward: called without a gradient on a tensor of shape " + shape_to_string(shape()) +
        "; only one-element tensors can seed themselves, pass backward(seed) of that shape");
  }
  backward(Array<T>(xt::ones<T>(node_->value.shape())));
}

template <class T>
void BasicTensor<T>::backward(const Array<T>& seed) const {
  if (!node_->requires_grad) {
    throw std::invalid_argument("backward: tensor '" + node_->name +
                                "' does not require grad and has no graph");
  }
  const bool trace = trace_enabled();       // op trace (trace.hpp)
  if (trace) trace_backward_begin(*node_);  // op trace (trace.hpp)
  std::vector<Node<T>*> order = topological_order(node_.get());
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
          check_finite(input.node_ptr()->grad, fn->op_name(), "gradient of", input.name());
        }
      }
    }
  }
}

// ---- op plumbing (op.hpp) -----------------------------------------------------------

template <class T>
void check_finite(const Array<T>& values, const char* op, const char* what,
                  const std::string& name) {
  for (T v : values) {
    if (!std::isfinite(v)) {
      throw std::runtime_error(std::string(op) + ": non-finite value (" +
                               (std::isnan(v) ? "NaN" : "Inf") + ") in " + what + " '" +
                               (name.empty() ? "<unnamed>" : name) + "'");
    }
  }
}

template <class T>
BasicTensor<T> make_result(Array<T> value, std::unique_ptr<GradFn<T>> fn,
                           std::vector<BasicTensor<T>> inputs) {
  if (trace_enabled()) trace_forward(fn->op_name(), value, inputs);  // op trace (trace.hpp)
  if (anomaly_detection_enabled()) check_finite(value, fn->op_name(), "the result of", "");
  BasicTensor<T> result(std::move(value));
  if (!grad_enabled()) return result;
  bool any = std::any_of(inputs.begin(), inputs.end(),
                         [](const BasicTensor<T>& t) { return t.requires_grad(); });
  if (!any) return result;
  fn->inputs = std::move(inputs);
  result.node_ptr()->grad_fn = std::move(fn);
  result.set_requires_grad(true);
  return result;
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

#define MINFLOW_INSTANTIATE(T)                                                                  \
  template struct Node<T>;                                                                      \
  template class BasicTensor<T>;                                                                \
  template BasicTensor<T> make_result<T>(Array<T>, std::unique_ptr<GradFn<T>>,                  \
                                         std::vector<BasicTensor<T>>);                          \
  template void check_finite<T>(const Array<T>&, const char*, const char*, const std::string&); \
  template std::ostream& operator<< <T>(std::ostream&, const BasicTensor<T>&);
MINFLOW_INSTANTIATE(float)
MINFLOW_INSTANTIATE(double)
#undef MINFLOW_INSTANTIATE

}  // namespace minflow
