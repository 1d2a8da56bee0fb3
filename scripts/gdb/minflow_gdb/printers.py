"""The printers: tensors (BasicTensor<T>), nodes (Node<T>), op structs (GradFn<T> and
minflow::ops::XxxOp<T>) and arrays (xt::xarray_container). A printer never raises: any
failure becomes <invalid ...> text, because a printer that throws breaks `bt`,
`info locals` and an IDE's variables pane.
"""
import re

import gdb

from .memory import (Invalid, array_parts, array_text, field, number, pointer_at,
                     read_string, read_values, scalar_name, shape_text, vector_items)


class ArrayPrinter:
    """xt::xarray_container (minflow::Array<T>): shape, then values."""

    def __init__(self, value):
        self.value = value

    def to_string(self):
        try:
            shape, values, dtype = array_text(self.value)
            return "Array %s %s = %s" % (shape, dtype, values)
        except Exception as e:  # never raise inside gdb
            return "<invalid Array: %s>" % e


# ---- nodes and tensors -----------------------------------------------------------------


def node_of(tensor):
    """The Node<T> a BasicTensor<T> points to, or None for a null handle."""
    ptr = field(field(tensor, "node_"), "_M_ptr")
    if int(ptr) == 0:
        return None
    return ptr.dereference()


def op_of(node):
    """The GradFn<T>* of a node (None for a leaf)."""
    unique = field(node, "grad_fn")
    pointee = unique.type.strip_typedefs().template_argument(0)
    ptr = pointer_at(unique, pointee)
    return None if int(ptr) == 0 else ptr


def op_struct_name(fn_ptr):
    """'minflow::ops::MulOp<double>' for a GradFn<T>*, from its vtable's symbol: works
    without the op's debug info and without running code in the program."""
    vtable = int(fn_ptr.cast(gdb.lookup_type("unsigned long").pointer()).dereference())
    info = gdb.execute("info symbol 0x%x" % vtable, to_string=True)
    m = re.search(r"vtable for (.*?) (\+ \d+ )?in section", info)
    if not m:
        raise Invalid("no vtable at 0x%x" % vtable)
    return m.group(1)


def short_op(full):
    """'MulOp' for 'minflow::ops::MulOp<double>'."""
    return full.split("<")[0].split("::")[-1]


def tensor_short(node):
    """x[2,3]: a tensor as an op's input."""
    name = read_string(field(node, "name"))
    shape, _, _ = array_parts(field(node, "value"))
    return (name or "<unnamed>") + shape_text(shape)


def node_header(node, kind):
    """The first line of a tensor: kind, name, shape, dtype, requires_grad, op or leaf."""
    name = read_string(field(node, "name"))
    shape, _, element = array_parts(field(node, "value"))
    head = [kind]
    if name:
        head.append("'%s'" % name)
    head.append(shape_text(shape))
    parts = [" ".join(head) + " " + scalar_name(element)]
    if bool(field(node, "requires_grad")):
        parts.append("requires_grad")
    fn = op_of(node)
    if fn is None:
        parts.append("leaf")
    else:
        try:
            op = short_op(op_struct_name(fn))
        except Exception:
            op = "<op>"
        try:
            inputs_v = field(fn.dereference(), "inputs")
            inputs = vector_items(inputs_v, inputs_v.type.template_argument(0))
            args = ", ".join(tensor_short(node_of(t)) for t in inputs)
        except Exception:
            args = "..."
        parts.append("made by %s(%s)" % (op, args))
    if bool(field(node, "requires_grad")) and not has_grad(node):
        parts.append("no grad yet")
    return ", ".join(parts)


def has_grad(node):
    """A gradient has arrived: grad has the value's rank and size (tensor.cpp's has_grad)."""
    try:
        gshape, _, _ = array_parts(field(node, "grad"))
        vshape, _, _ = array_parts(field(node, "value"))
    except Invalid:
        return False
    return gshape == vshape


def node_children(node):
    """value, then grad when one has arrived: shown as arrays (ArrayPrinter)."""
    out = [("value", field(node, "value"))]
    if bool(field(node, "requires_grad")) and has_grad(node):
        out.append(("grad", field(node, "grad")))
    return out


def kind_of(type_):
    """'Tensor' for float, 'DTensor' for double (the library's aliases)."""
    try:
        arg = type_.strip_typedefs().template_argument(0).strip_typedefs().name
    except Exception:
        arg = None
    return {"float": "Tensor", "double": "DTensor"}.get(arg, "BasicTensor")


class TensorPrinter:
    """minflow::BasicTensor<T> (Tensor, DTensor): one line about the tensor, then its value
    and its gradient as children (so that frame lines in `bt` show the first line only)."""

    def __init__(self, value):
        self.value = value
        self.node = None

    def to_string(self):
        kind = kind_of(self.value.type)
        try:
            self.node = node_of(self.value)
            if self.node is None:
                return "%s <null: no node (moved from, or not constructed yet)>" % kind
            return node_header(self.node, kind)
        except Exception as e:  # never raise inside gdb
            self.node = None
            return "<invalid %s: %s>" % (kind, e)

    def children(self):
        try:
            if self.node is None:
                self.to_string()
            return node_children(self.node) if self.node is not None else []
        except Exception:
            return []


class NodePrinter:
    """minflow::Node<T>: the tensor's data."""

    def __init__(self, value):
        self.value = value
        self.valid = False

    def to_string(self):
        try:
            text = node_header(self.value, "Node of " + kind_of(self.value.type))
            self.valid = True
            return text
        except Exception as e:
            return "<invalid Node: %s>" % e

    def children(self):
        try:
            return node_children(self.value) if self.valid else []
        except Exception:
            return []


# ---- op structs --------------------------------------------------------------------------


def member_text(value):
    """A saved member of an op struct, in one line."""
    t = value.type.strip_typedefs()
    tag = t.tag or t.name or ""
    if tag.startswith("xt::xarray_container<"):
        shape, values, _ = array_text(value)
        return "%s %s" % (shape, values)
    if tag.startswith("minflow::BasicTensor<"):
        node = node_of(value)
        return "<null>" if node is None else tensor_short(node)
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "..."


class OpPrinter:
    """minflow::GradFn<T> and the op structs deriving from it: the op, its inputs, and every
    member it saved for backward."""

    def __init__(self, value):
        self.value = value

    def to_string(self):
        try:
            fn = self.value.address
            full = op_struct_name(fn)
            lines = ["%s (minflow op struct)" % full.replace("minflow::ops::", "")]
            base = self.value
            inputs_v = field(base, "inputs")
            inputs = vector_items(inputs_v, inputs_v.type.template_argument(0))
            for i, t in enumerate(inputs):
                node = node_of(t)
                text = "<null>" if node is None else tensor_short(node)
                if node is not None:
                    shape, begin, element = array_parts(field(node, "value"))
                    if all(d == 1 for d in shape):  # one value: show it
                        text += " = " + number(read_values(begin, element, 1)[0])
                    req = bool(field(node, "requires_grad"))
                    text += "" if req else "  (no grad needed)"
                lines.append("  inputs[%d] = %s" % (i, text))
            lines.extend(self.saved(full))
            return "\n".join(lines)
        except Exception as e:
            return "<invalid op struct: %s>" % e

    def saved(self, full):
        """The members the op struct adds to GradFn (needs the op's debug info)."""
        try:
            derived = gdb.lookup_type(full)
            obj = self.value.address.cast(derived.pointer()).dereference()
        except Exception:
            return ["  (saved members: no debug info for %s)" % full]
        out = []
        for f in derived.fields():
            if f.is_base_class or f.name is None or f.name.startswith("_vptr"):
                continue
            if not hasattr(f, "bitpos"):  # a static member
                continue
            try:
                out.append("  %s = %s" % (f.name, member_text(obj[f.name])))
            except Exception as e:
                out.append("  %s = <invalid: %s>" % (f.name, e))
        if not out:
            out.append("  (saves nothing: backward reads the inputs' values)")
        return out
