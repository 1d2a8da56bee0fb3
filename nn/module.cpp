#include "nn/module.hpp"

#include <ostream>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>

namespace minflow::nn {

template <class T>
void BasicModule<T>::check_new_name(const std::string& name) const {
  if (name.empty() || name.find('.') != std::string::npos || name.find('/') != std::string::npos) {
    throw std::invalid_argument("Module " + type_name() + ": invalid name \"" + name +
                                "\" (names are non-empty and contain no '.' or '/')");
  }
  for (const auto& p : parameters_)
    if (p.name == name) {
      throw std::invalid_argument("Module " + type_name() + ": a parameter named \"" + name +
                                  "\" is already registered");
    }
  for (const auto& c : children_)
    if (c.name == name) {
      throw std::invalid_argument("Module " + type_name() + ": a child named \"" + name +
                                  "\" is already registered");
    }
}

template <class T>
BasicTensor<T> BasicModule<T>::register_parameter(const std::string& name, TensorType value) {
  check_new_name(name);
  value.set_requires_grad(true);
  if (value.name().empty()) value.set_name(name);
  parameters_.push_back({name, value});
  return value;
}

template <class T>
void BasicModule<T>::add_child(const std::string& name, std::shared_ptr<BasicModule> module) {
  if (!module)
    throw std::invalid_argument("Module " + type_name() + ": child \"" + name + "\" is null");
  check_new_name(name);
  children_.push_back({name, std::move(module)});
}

template <class T>
void BasicModule<T>::collect(const std::string& prefix, std::vector<NamedParameter>& out) const {
  for (const auto& p : parameters_)
    out.push_back({prefix + p.name, p.tensor});
  for (const auto& c : children_)
    c.module->collect(prefix + c.name + ".", out);
}

template <class T>
std::vector<BasicNamedParameter<T>> BasicModule<T>::named_parameters() const {
  std::vector<NamedParameter> out;
  collect("", out);
  return out;
}

template <class T>
std::vector<BasicTensor<T>> BasicModule<T>::parameters() const {
  std::vector<TensorType> out;
  for (auto& p : named_parameters())
    out.push_back(p.tensor);
  return out;
}

template <class T>
std::size_t BasicModule<T>::num_parameters() const {
  std::size_t n = 0;
  for (const auto& p : named_parameters())
    n += p.tensor.size();
  return n;
}

template <class T>
void BasicModule<T>::zero_grad() {
  for (auto& p : named_parameters())
    p.tensor.zero_grad();
}

template <class T>
void BasicModule<T>::print(std::ostream& os, int indent) const {
  const std::string extra = extra_repr();
  os << type_name() << "(";
  if (children_.empty()) {
    os << extra << ")";
    return;
  }
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  os << "\n";
  if (!extra.empty()) os << pad << extra << "\n";
  for (const auto& c : children_) {
    os << pad << "(" << c.name << "): ";
    c.module->print(os, indent + 2);
    os << "\n";
  }
  os << std::string(static_cast<std::size_t>(indent), ' ') << ")";
}

template <class T>
std::string BasicModule<T>::to_string() const {
  std::ostringstream os;
  print(os, 0);
  return os.str();
}

template <class T>
std::ostream& operator<<(std::ostream& os, const BasicModule<T>& module) {
  return os << module.to_string();
}

template <class From, class To>
void copy_parameter_values(const BasicModule<From>& from, BasicModule<To>& to) {
  const auto src = from.named_parameters();
  auto dst = to.named_parameters();
  if (src.size() != dst.size()) {
    throw std::invalid_argument("copy_parameter_values: " + from.type_name() + " has " +
                                std::to_string(src.size()) + " parameters, " + to.type_name() +
                                " has " + std::to_string(dst.size()));
  }
  for (std::size_t i = 0; i < src.size(); ++i) {
    if (src[i].name != dst[i].name || src[i].tensor.shape() != dst[i].tensor.shape()) {
      throw std::invalid_argument("copy_parameter_values: parameter " + std::to_string(i) + " is " +
                                  src[i].name + " " + shape_to_string(src[i].tensor.shape()) +
                                  " in the source and " + dst[i].name + " " +
                                  shape_to_string(dst[i].tensor.shape()) + " in the destination");
    }
  }
  for (std::size_t i = 0; i < src.size(); ++i) {
    if constexpr (std::is_same_v<From, To>) {
      dst[i].tensor.mutable_value() = src[i].tensor.value();
    } else {
      dst[i].tensor.mutable_value() = xt::cast<To>(src[i].tensor.value());
    }
  }
}

template class BasicModule<float>;
template class BasicModule<double>;
template std::ostream& operator<<(std::ostream&, const BasicModule<float>&);
template std::ostream& operator<<(std::ostream&, const BasicModule<double>&);
template void copy_parameter_values(const BasicModule<float>&, BasicModule<float>&);
template void copy_parameter_values(const BasicModule<float>&, BasicModule<double>&);
template void copy_parameter_values(const BasicModule<double>&, BasicModule<float>&);
template void copy_parameter_values(const BasicModule<double>&, BasicModule<double>&);

}  // namespace minflow::nn
