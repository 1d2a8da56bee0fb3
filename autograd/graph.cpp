#include "autograd/graph.hpp"

#include <unordered_set>
#include <utility>

namespace minflow {

template <class T>
std::vector<Node<T>*> topological_order(const std::shared_ptr<Node<T>>& root, GraphWalk walk) {
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
}

template std::vector<Node<float>*> topological_order(const std::shared_ptr<Node<float>>&,
                                                     GraphWalk);
template std::vector<Node<double>*> topological_order(const std::shared_ptr<Node<double>>&,
                                                      GraphWalk);

}  // namespace minflow
