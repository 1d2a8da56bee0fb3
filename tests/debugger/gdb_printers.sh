#!/usr/bin/env bash
# The printers never fail: tensors not constructed yet, empty, rank 0, a million values, a
# pointer to nowhere; and `set minflow-max-values` changes how many values are shown.
#   gdb_printers.sh GDB PROGRAM SOURCE_DIR   (PROGRAM: tests/debugger/gdb_target.cpp)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"

run_gdb "$1" "$2" "$3" \
  -ex 'break main' \
  -ex 'run' \
  -ex 'info locals' \
  -ex 'break look_at' \
  -ex 'continue' \
  -ex 'print empty' \
  -ex 'print rank0' \
  -ex 'print large' \
  -ex 'set minflow-max-values 3' \
  -ex 'print large' \
  -ex 'print single' \
  -ex 'print empty.node_->value' \
  -ex 'print *(minflow::BasicTensor<double>*)&garbage' \
  -ex 'print *(minflow::Node<float>*)&garbage' \
  -ex 'kill'

# Before main's tensors are constructed, `info locals` still prints every one of them.
expect "loss = "
# Frame lines show each tensor's first line only.
expect "large=Tensor 'large' [1000,1000] float, leaf = {...}"
expect "DTensor 'empty' [0] double, leaf = {"
expect "value = Array [0] double = []"
expect "DTensor 'rank0' [] double, leaf = {"
expect "value = Array [] double = 2.5"
expect "Tensor 'large' [1000,1000] float, leaf = {"
expect "(10 of 1000000 values shown)"
expect "[[0.25, 0.25, 0.25, ...], ...]  (3 of 1000000 values shown)"
expect "Tensor 'single' [] float, requires_grad, leaf, no grad yet = {"
expect "Array [0] double = []"
expect "<invalid DTensor: Cannot access memory at address 0x5a5a5a5a5a5a"
expect "<invalid Node: "
reject "Python Exception"
reject "Traceback"
finish_checks
