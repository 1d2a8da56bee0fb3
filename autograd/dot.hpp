// The computation graph behind a tensor, as Graphviz DOT (Crafting Interpreters' debug
// switches, for autodiff: see what backward will walk).
//
//   Tensor loss = mse_loss(model(x), y);
//   write_dot(loss, "graph.dot");          // then: dot -Tpng graph.dot -o graph.png
//
// Every tensor is a box (its name if any, the op that made it or "leaf", its shape, and its
// value and gradient when it holds at most 4 elements); every op is an ellipse; edges run
// input → op → output. Leaves that require a gradient (parameters) are blue, constants grey.
// The text is deterministic: nodes are numbered in the order of the walk backward uses
// (graph.hpp: inputs before outputs, in argument order), here taken through constants too,
// never by address. The file is written atomically (base/atomic_file.hpp).
#pragma once

#include <string>

#include "autograd/tensor.hpp"

namespace minflow {

template <class T>
std::string to_dot(const BasicTensor<T>& root);

// Writes to_dot(root) to `path` atomically: a temporary file beside it, then a rename, so a
// reader never sees half a graph. Throws std::runtime_error naming the path on failure.
template <class T>
void write_dot(const BasicTensor<T>& root, const std::string& path);

}  // namespace minflow
