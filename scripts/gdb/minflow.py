# gdb pretty-printers for minflow (docs/debugging.md).
#
#   gdb -x scripts/gdb/minflow.py build/debug/tests/gdb_target
#   (gdb) print z
#   $1 = DTensor 'z' [2,3] double, requires_grad, made by MulOp(x[2,3], y[2,3]) = {
#     value = Array [2,3] double = [[0.5, -2, 6], [0, 15, -12]],
#     grad = Array [2,3] double = [[1, 1, 1], [1, 1, 1]]
#   }
#
# Printed readably: Tensor/DTensor (minflow::BasicTensor<T>), the node behind it
# (minflow::Node<T>), the op structs (minflow::GradFn<T> and every minflow::ops::XxxOp<T>:
# the op, its inputs by name and shape, each saved member) and minflow's arrays
# (xt::xarray_container: shape and values). `set minflow-max-values N` sets how many values
# are shown (default 10; 0 = all).
#
# The printers only read memory: they never call functions in the program, so they work on
# core files and on tensors that are not constructed yet. The code is in minflow_gdb/,
# beside this file: memory.py reads, printers.py formats; this file registers them.
import os
import re
import sys

import gdb
import gdb.printing

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minflow_gdb.printers import ArrayPrinter, NodePrinter, OpPrinter, TensorPrinter  # noqa: E402

# ---- registration ------------------------------------------------------------------------

PRINTERS = [
    (re.compile(r"^minflow::BasicTensor<.*>$"), TensorPrinter),
    (re.compile(r"^minflow::Node<.*>$"), NodePrinter),
    (re.compile(r"^minflow::GradFn<.*>$"), OpPrinter),
    (re.compile(r"^minflow::ops::\w+<.*>$"), OpPrinter),
    (re.compile(r"^xt::xarray_container<.*>$"), ArrayPrinter),
]


def lookup(value):
    try:
        t = value.type
        if t.code == gdb.TYPE_CODE_REF or t.code == gdb.TYPE_CODE_RVALUE_REF:
            t = t.target()
        t = t.unqualified().strip_typedefs()
        tag = t.tag
        if not tag:
            return None
        for pattern, printer in PRINTERS:
            if pattern.match(tag):
                return printer(value)
    except Exception:
        return None
    return None


def register(objfile=None):
    gdb.printing.register_pretty_printer(objfile, lookup_printer, replace=True)


class _Lookup:
    """A named lookup function, so that `info pretty-printer` lists "minflow"."""

    name = "minflow"
    enabled = True

    def __call__(self, value):
        return lookup(value)


lookup_printer = _Lookup()
register()
