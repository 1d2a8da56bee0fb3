// Sequential: modules applied one after the other, each registered under its position
// ("0", "1", …, as torch.nn.Sequential names them, so parameters are "0.weight", …).
//
//   auto net = std::make_shared<Sequential>();
//   net->push_back(std::make_shared<Linear>(2, 16, gen));
//   net->push_back(std::make_shared<Tanh>());
//   net->push_back(std::make_shared<Linear>(16, 1, gen));
//   Tensor y = net->forward(x);
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "nn/module.hpp"

namespace minflow::nn {

class Sequential : public Module {
 public:
  Sequential() = default;

  // Appends a module; returns it for chaining or keeping a typed handle.
  template <class M>
  std::shared_ptr<M> push_back(std::shared_ptr<M> module) {
    return register_module(std::to_string(children().size()), std::move(module));
  }

  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Sequential"; }
  std::size_t size() const { return children().size(); }
  Module& operator[](std::size_t i) const { return *children().at(i).module; }
};

}  // namespace minflow::nn
