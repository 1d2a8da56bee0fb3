#!/usr/bin/env bash
# gdb stops inside an op's backward by the name docs/debugging.md gives, and the printers
# show the upstream gradient, the op struct with its inputs, and a leaf's gradient arriving.
#   gdb_breakpoint.sh GDB PROGRAM SOURCE_DIR   (PROGRAM: tests/debugger/gdb_target.cpp)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"

run_gdb "$1" "$2" "$3" \
  -ex 'rbreak ^minflow::ops::.*::backward(.*&)$' \
  -ex 'delete' \
  -ex 'break minflow::ops::MulOp<double>::backward' \
  -ex 'run' \
  -ex 'print g' \
  -ex 'print *this' \
  -ex 'print this->inputs[0]' \
  -ex 'finish' \
  -ex 'print fn->inputs[0]' \
  -ex 'frame function main' \
  -ex 'print z' \
  -ex 'print *z.grad_fn()' \
  -ex 'print loss' \
  -ex 'print *z.node()' \
  -ex 'print z.grad()' \
  -ex 'tbreak look_at' \
  -ex 'continue' \
  -ex 'up' \
  -ex 'print *w.grad_fn()' \
  -ex 'print *(minflow::GradFn<double>*)&garbage' \
  -ex 'kill'

# rbreak finds the op structs' backward functions by their names.
expect "void minflow::ops::MulOp<double>::backward(xt::"
expect "void minflow::ops::SumOp<double>::backward(xt::"
reject "::{lambda"
# The stop, and the upstream gradient dloss/dz = ones([2,3]).
expect ", minflow::ops::MulOp<double>::backward (this="
expect "Array [2,3] double = [[1, 1, 1], [1, 1, 1]]"
# The op struct: its inputs by name and shape.
expect "MulOp<double> (minflow op struct)"
expect "inputs[0] = x[2,3]"
expect "inputs[1] = y[2,3]"
# A saved input before its gradient arrived, then after `finish`: dloss/dx = y.
expect "DTensor 'x' [2,3] double, requires_grad, leaf, no grad yet = {"
expect "value = Array [2,3] double = [[1, 2, 3], [4, 5, 6]]"
expect "grad = Array [2,3] double = [[0.5, -1, 2], [0, 3, -2]]"
# A result: the op that made it, and the gradient it received; its node; a call.
expect "DTensor 'z' [2,3] double, requires_grad, made by MulOp(x[2,3], y[2,3]) = {"
expect "value = Array [2,3] double = [[0.5, -2, 6], [0, 15, -12]]"
expect "DTensor 'loss' [] double, requires_grad, made by SumOp(z[2,3]) = {"
expect "value = Array [] double = 7.5"
expect "Node of DTensor 'z' [2,3] double, requires_grad, made by MulOp(x[2,3], y[2,3])"
expect "= Array [2,3] double = [[1, 1, 1], [1, 1, 1]]"
# An op struct's saved member: TanhOp keeps y = tanh(x).
expect "TanhOp<double> (minflow op struct)"
expect "y = [2,3] [[0.761594, 0.964028, 0.995055], [0.999329, 0.999909, 0.999988]]"
expect "<invalid op struct: no vtable at 0x5a5a5a5a5a5a5a5a>"
reject "Python Exception"
finish_checks
