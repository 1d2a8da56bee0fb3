#include "autograd/graph.hpp"

#include <unordered_set>
#include <utility>

namespace minflow {

template <class T>
std::vector<Node<T>*> topological_order(const std::shared_ptr<Node<T>>& root, GraphWalk walk) {
  // Post-order depth-first search: a node goes into the order once all its inputs
  // (node->grad_fn->inputs, in argument order; only those with requires_grad unless
  // walk == GraphWalk::all_inputs) are in it; each node once; the root last. Use an
  // explicit stack: a 100,000-node chain must not overflow the call stack.
  // EXERCISE 1.5 BEGIN: the topological order
  std::vector<Node<T>*> order;
  std::unordered_set<const Node<T>*> visited{root.get()};
  std::vector<std::pair<Node<T>*, std::size_t>> stack{{root.get(), 0}};  // node, next input
  while (!stack.empty()) {
    Node<T>* node = stack.back().first;
    const std::size_t next = stack.back().second;
    const GradFn<T>* fn = node->grad_fn.get();
    if (fn && next < fn->inputs.size()) {
      ++stack.back().second;
      Node<T>* input = fn->inputs[next].node_ptr().get();
      const bool follow = walk == GraphWalk::all_inputs || input->requires_grad;
      if (follow && visited.insert(input).second) stack.push_back({input, 0});
    } else {
      order.push_back(node);  // all inputs done: post-order
      stack.pop_back();
    }
  }
  return order;
  // EXERCISE END
}

template std::vector<Node<float>*> topological_order(const std::shared_ptr<Node<float>>&,
                                                     GraphWalk);
template std::vector<Node<double>*> topological_order(const std::shared_ptr<Node<double>>&,
                                                      GraphWalk);

}  // namespace minflow
