// The Tensor handle and the graph node behind it.
//
// A tensor is a cheap handle (one shared_ptr) to a Node. The node owns the value, the
// gradient, and — when the tensor was produced by an op while gradients are enabled — the
// op that made it (its GradFn), which in turn holds handles to the op's inputs. Following
// those handles from a result back to the leaves walks the computation graph.
//
//   Tensor a = Tensor::scalar(2.0f, /*requires_grad=*/true, "a");
//   Tensor c = a * a + a;      // builds nodes for mul and add
//   c.backward();              // a.grad() == 2a + 1 == 5
//
// The scalar type is a template parameter so that gradient checks can run the very same
// ops in double precision: `Tensor` is float32, `DTensor` is float64.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

namespace minflow {

using Shape = std::vector<std::size_t>;

template <class T>
using Array = xt::xarray<T, xt::layout_type::row_major>;

template <class T>
class BasicTensor;
template <class T>
struct GradFn;

// One vertex of the graph. Held by shared_ptr; a handle copy shares it.
template <class T>
struct Node {
  Array<T> value;
  Array<T> grad;  // empty (size 0, rank 1) until a backward pass reaches this node
  bool requires_grad = false;
  std::string name;                    // optional; shown in errors, printing and DOT
  std::unique_ptr<GradFn<T>> grad_fn;  // the op that made this node; null for leaves

  Node();
  ~Node();  // frees the graph behind it iteratively (a 100,000-node chain is fine)
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
};

// The backward half of an op. Every op struct derives from this, stores what its backward
// needs as named members, and implements `backward`: given dL/d(output), add dL/d(input)
// into each input that requires a gradient (see BasicTensor::accumulate_grad).
template <class T>
struct GradFn {
  std::vector<BasicTensor<T>> inputs;  // in argument order; the graph's edges

  // Every op struct counts as one "op holding saved values" (live_saved_op_count) until a
  // backward pass without retain_graph replaces it by a released stand-in.
  explicit GradFn(bool holds_saved_values = true);
  virtual ~GradFn();
  GradFn(const GradFn&) = delete;
  GradFn& operator=(const GradFn&) = delete;

  virtual const char* op_name() const = 0;
  virtual void backward(const Array<T>& grad_output) = 0;
  // True once a backward pass has freed what this op saved (see BasicTensor::backward).
  virtual bool released() const { return false; }

 private:
  bool counted_;
};

template <class T>
class BasicTensor {
 public:
  using Scalar = T;

  BasicTensor();  // an empty rank-0 tensor holding 0
  explicit BasicTensor(Array<T> value, bool requires_grad = false, std::string name = {});

  // ---- factories, with one argument order (as libtorch's): first what defines the values,
  // as libtorch takes it (a value; a shape; torch::full's shape and fill value; the values
  // and their shape), then the options, always requires_grad and then name.
  //   DTensor::scalar(3.0, /*requires_grad=*/true, "x");
  //   DTensor::full({2, 3}, 0.5, true, "w");
  //   DTensor::from_vector({1, 2, 3, 4}, {2, 2}, true, "a");
  static BasicTensor scalar(T value, bool requires_grad = false, std::string name = {});
  static BasicTensor zeros(const Shape& shape, bool requires_grad = false, std::string name = {});
  static BasicTensor ones(const Shape& shape, bool requires_grad = false, std::string name = {});
  static BasicTensor full(const Shape& shape, T value, bool requires_grad = false,
                          std::string name = {});
  static BasicTensor from_vector(const std::vector<T>& values, const Shape& shape,
                                 bool requires_grad = false, std::string name = {});
  // A name where requires_grad belongs would silently convert to `true`: refused.
  static BasicTensor scalar(T value, const char* name) = delete;
  static BasicTensor from_vector(const std::vector<T>& values, const Shape& shape,
                                 const char* name) = delete;

  // ---- value and metadata
  const Array<T>& value() const { return node_->value; }
  Array<T>& mutable_value() { return node_->value; }  // for optimizers and loaders
  Shape shape() const;
  std::size_t dim() const { return node_->value.dimension(); }
  std::size_t size() const { return node_->value.size(); }
  T item() const;  // the value of a one-element tensor; throws otherwise
  const T* data() const { return node_->value.data(); }
  T* data() { return node_->value.data(); }

  const std::string& name() const { return node_->name; }
  BasicTensor& set_name(std::string name);
  bool requires_grad() const { return node_->requires_grad; }
  BasicTensor& set_requires_grad(bool on);
  bool is_leaf() const { return !node_->grad_fn; }
  const GradFn<T>* grad_fn() const { return node_->grad_fn.get(); }

  // ---- gradients
  // dL/d(this) after backward(); zeros of this tensor's shape if none arrived yet.
  Array<T> grad() const;
  bool has_grad() const;
  // The stored gradient itself, to change it in place (clipping, scaling). Throws when no
  // gradient has arrived yet.
  Array<T>& mutable_grad();
  void zero_grad();
  // grad += g (g must have this tensor's shape). The first gradient to arrive is taken
  // over (moved) rather than added to zeros.
  void accumulate_grad(const Array<T>& g);
  void accumulate_grad(Array<T>&& g);

  // Reverse-mode differentiation from this tensor, with PyTorch's semantics. Without a seed
  // the tensor must hold one element (the seed is 1); otherwise pass dL/d(this) of this
  // tensor's shape. Each pass adds its own contribution to the leaves' gradients; interior
  // nodes hold the latest pass's gradient only. The pass frees what the ops saved for
  // backward unless `retain_graph` is true; a second pass through a freed graph throws.
  //   loss.backward();                       // one pass, graph freed
  //   loss.backward(/*retain_graph=*/true);  // keep it for another pass
  void backward(bool retain_graph = false) const;
  void backward(const Array<T>& seed, bool retain_graph = false) const;

  // A new leaf with a copy of the value and no history (PyTorch's detach().clone()).
  BasicTensor detach() const;

  // Identity of the underlying node (two handles to one node compare equal).
  bool same_node(const BasicTensor& other) const { return node_ == other.node_; }
  const Node<T>* node() const { return node_.get(); }
  const std::shared_ptr<Node<T>>& node_ptr() const { return node_; }

 private:
  std::shared_ptr<Node<T>> node_;
};

using Tensor = BasicTensor<float>;
using DTensor = BasicTensor<double>;

// Number of graph nodes alive right now (all scalar types). Tests use it to prove that
// graphs are freed and that code under NoGradGuard builds none.
long live_node_count();
// Number of op structs alive that still hold the values they saved for backward.
long live_saved_op_count();

// How errors name a tensor: "tensor 'x' [2,3]", "the result of mul [2,3]" or "an unnamed
// leaf [2,3]".
template <class T>
std::string describe(const Node<T>& node);

// "[2048,3]" — how shapes appear in every error message.
std::string shape_to_string(const Shape& shape);

// Printing: shape, name and values (large tensors are truncated).
template <class T>
std::ostream& operator<<(std::ostream& os, const BasicTensor<T>& t);

}  // namespace minflow
