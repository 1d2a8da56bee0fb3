// Module: a layer or a network, with its parameters and its child modules.
//
// The one class hierarchy of the library, as in PyTorch's C++ frontend: a module registers
// its parameters (register_parameter) and its sub-modules (register_module) in its
// constructor, and everything that walks a network — named_parameters(), zero_grad(),
// printing, checkpoints — follows those registrations.
//
//   class TwoLayer : public Module {
//    public:
//     explicit TwoLayer(Generator& gen)
//         : a_(register_module("a", std::make_shared<Linear>(2, 8, gen))),
//           b_(register_module("b", std::make_shared<Linear>(8, 1, gen))) {}
//     Tensor forward(const Tensor& x) override { return b_->forward(tanh(a_->forward(x))); }
//     std::string type_name() const override { return "TwoLayer"; }
//    private:
//     std::shared_ptr<Linear> a_, b_;
//   };
//
// Registration is by handle: a parameter is a Tensor sharing its node with the module's
// member, a child is a shared_ptr to the very module the parent calls. So the optimizer,
// which holds the same handles, always trains the weights that forward() uses — never a
// stale copy. For the same reason modules cannot be copied; use copy_parameter_values to
// start one network from another's weights (a copy of the values, not a shared object).
//
// Precision: every module is a template on its scalar type, as the tensors are
// (BasicTensor<T>): BasicModule<T>, BasicLinear<T>, BasicMLP<T>, … with the aliases
//   Module, Linear, MLP, …      float32 (training, the tutorial, the command)
//   DModule, DLinear, DMLP, …   float64 (gradient checks of whole networks, references)
// chosen over a PyTorch-style module.to(kFloat64) conversion because the type then says
// what a network computes in, and the float code is the very code it was before (the
// templates are instantiated once for float and once for double in the .cpp files).
// Checkpoints stay float32 on disk; a float64 module saves rounded and loads widened.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/tensor.hpp"
#include "nn/config.hpp"

namespace minflow::nn {

template <class T>
class BasicModule;

template <class T>
struct BasicNamedParameter {
  std::string name;       // "l0.weight": the path of child names, then the parameter's own name
  BasicTensor<T> tensor;  // a handle sharing the module's node
};

template <class T>
struct BasicNamedModule {
  std::string name;
  std::shared_ptr<BasicModule<T>> module;
};

template <class T>
class BasicModule {
 public:
  using Scalar = T;
  using TensorType = BasicTensor<T>;
  using NamedParameter = BasicNamedParameter<T>;
  using NamedModule = BasicNamedModule<T>;

  BasicModule() = default;
  virtual ~BasicModule() = default;
  BasicModule(const BasicModule&) = delete;
  BasicModule& operator=(const BasicModule&) = delete;

  virtual TensorType forward(const TensorType& x) = 0;
  TensorType operator()(const TensorType& x) { return forward(x); }

  // "Linear", "MLP": the first word of the printed tree.
  virtual std::string type_name() const = 0;
  // The settings shown in parentheses after the type name ("in_features=3, out_features=64").
  virtual std::string extra_repr() const { return {}; }

  // The settings that define the network's shape, as written to a checkpoint's config.txt
  // and compared when loading one (MLP: arch, in, hidden, depth, out, activation). Empty by
  // default: such a module is checked by parameter names and shapes only.
  virtual Config architecture() const { return Config("architecture"); }

  // Every parameter of this module and its children, in registration order, depth-first:
  // own parameters first, then each child's (prefixed "child."), recursively.
  std::vector<NamedParameter> named_parameters() const;
  std::vector<TensorType> parameters() const;
  std::size_t num_parameters() const;  // total number of scalars
  // Direct children, in registration order.
  const std::vector<NamedModule>& children() const { return children_; }

  // Sets the gradient of every parameter to zero (PyTorch's module.zero_grad()).
  void zero_grad();

  // The module tree, as PyTorch prints it: a leaf on one line, a module with children as
  //   MLP(
  //     in=3, hidden=64, depth=3, out=2, activation=gelu
  //     (l0): Linear(in_features=3, out_features=64, bias=true)
  //     …
  //   )
  std::string to_string() const;

 protected:
  // Registers `value` under `name` (no '.', unique within this module), marks it as
  // requiring a gradient, and returns a handle to the same node for the module's member.
  TensorType register_parameter(const std::string& name, TensorType value);

  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    add_child(name, module);
    return module;
  }

 private:
  void add_child(const std::string& name, std::shared_ptr<BasicModule> module);
  void check_new_name(const std::string& name) const;
  void collect(const std::string& prefix, std::vector<NamedParameter>& out) const;
  void print(std::ostream& os, int indent) const;

  std::vector<NamedParameter> parameters_;
  std::vector<NamedModule> children_;
};

using Module = BasicModule<float>;
using DModule = BasicModule<double>;
using NamedParameter = BasicNamedParameter<float>;
using NamedModule = BasicNamedModule<float>;
extern template class BasicModule<float>;
extern template class BasicModule<double>;

template <class T>
std::ostream& operator<<(std::ostream& os, const BasicModule<T>& module);

// Copies the parameter values of `from` into `to` (same names and shapes required, else
// std::invalid_argument naming the first difference). The two modules stay independent:
// reflow starts a student from the teacher's weights this way. The scalar types may
// differ: a float network copied into a double one is widened exactly (and the reverse
// rounds to nearest), so a DMLP can start from an MLP's weights.
template <class From, class To>
void copy_parameter_values(const BasicModule<From>& from, BasicModule<To>& to);

}  // namespace minflow::nn
