// The one walk over the graph behind a tensor, shared by backward() and by the DOT export,
// so that what a picture shows is what backward visits, in the same order.
//
// The walk is an iterative post-order depth-first search from the root: every node comes
// after all of its inputs, inputs are taken in argument order, and each node appears once.
// The order is therefore deterministic (it never depends on addresses), and an explicit
// stack instead of recursion makes a 100,000-node chain fine.
//
// Why an order at all: a node may be used several times (b = a + a; c = b + b). Its
// gradient is the sum over all uses, so it may pass its gradient on only once every use has
// contributed, i.e. after every node that consumes it. Walking this order backwards (from
// the root to the leaves) guarantees exactly that.
#pragma once

#include <memory>
#include <vector>

#include "autograd/tensor.hpp"

namespace minflow {

enum class GraphWalk {
  requires_grad,  // only through inputs that require a gradient (what backward needs)
  all_inputs,     // constants too (what a picture of the graph shows)
};

// The nodes reachable from `root`, each after its inputs; `root` is last.
template <class T>
std::vector<Node<T>*> topological_order(const std::shared_ptr<Node<T>>& root, GraphWalk walk);

}  // namespace minflow
