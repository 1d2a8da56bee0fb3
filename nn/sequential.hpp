// Sequential: modules applied one after the other, each registered under its position
// ("0", "1", …, as torch.nn.Sequential names them, so parameters are "0.weight", …).
//
//   auto net = std::make_shared<Sequential>();
//   net->push_back(std::make_shared<Linear>(2, 16, gen));
//   net->push_back(std::make_shared<Tanh>());
//   net->push_back(std::make_shared<Linear>(16, 1, gen));
//   Tensor y = net->forward(x);
// Sequential is float32, DSequential float64 (with DLinear, DTanh, …).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "nn/module.hpp"

namespace minflow::nn {

template <class T>
class BasicSequential : public BasicModule<T> {
 public:
  BasicSequential() = default;

  // Appends a module; returns it for chaining or keeping a typed handle.
  template <class M>
  std::shared_ptr<M> push_back(std::shared_ptr<M> module) {
    return this->register_module(std::to_string(this->children().size()), std::move(module));
  }

  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string type_name() const override { return "Sequential"; }
  std::size_t size() const { return this->children().size(); }
  BasicModule<T>& operator[](std::size_t i) const { return *this->children().at(i).module; }
};

using Sequential = BasicSequential<float>;
using DSequential = BasicSequential<double>;
extern template class BasicSequential<float>;
extern template class BasicSequential<double>;

}  // namespace minflow::nn
