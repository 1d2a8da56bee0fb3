# gdb pretty-printers for minflow (docs/debugging.md).
#
#   gdb -x scripts/gdb/minflow.py build/debug/tutorials/ch01_tensors_and_gradients
#   (gdb) print z
#   $1 = DTensor 'z' [2,3] double, requires_grad, made by MulOp(x[2,3], y[2,3])
#     value = [[0.5, -2, 6], [0, 15, -12]]
#     grad  = [[1, 1, 1], [1, 1, 1]]
#
# Printed readably: Tensor/DTensor (minflow::BasicTensor<T>), the node behind it
# (minflow::Node<T>), the op structs (minflow::GradFn<T> and every minflow::ops::XxxOp<T>:
# the op, its inputs by name and shape, each saved member) and minflow's arrays
# (xt::xarray_container: shape and values). `set minflow-max-values N` sets how many values
# are shown (default 10; 0 = all).
#
# The printers only read memory: they never call functions in the program, so they work on
# core files and on tensors that are not constructed yet. Any failure prints <invalid ...>
# instead of raising: a printer that throws would break `bt`, `info locals` and the IDE's
# variables pane.
import re
import struct

import gdb
import gdb.printing


class MaxValues(gdb.Parameter):
    """How many values of a tensor or array minflow's printers show (0: all)."""

    set_doc = "Set how many values of a tensor or array minflow's printers show."
    show_doc = "Show how many values of a tensor or array minflow's printers show."

    def __init__(self):
        super().__init__("minflow-max-values", gdb.COMMAND_DATA, gdb.PARAM_ZUINTEGER)
        self.value = 10

    def get_set_string(self):
        return ""

    def get_show_string(self, svalue):
        return "minflow's printers show %s values." % (svalue if svalue != "0" else "all")


MAX_VALUES = MaxValues()

# Sanity limits for memory that may be garbage (a tensor not constructed yet).
MAX_RANK = 16
MAX_ELEMENTS = 1 << 40
MAX_NAME = 4096
MAX_INPUTS = 4096


class Invalid(Exception):
    """The object's memory does not look like a live minflow object."""


# ---- reading fields -------------------------------------------------------------------


def field(value, name):
    """value.name, looking through base classes (libstdc++ and xtensor keep members there)."""
    try:
        return value[name]
    except gdb.error:
        pass
    for f in value.type.strip_typedefs().fields():
        if f.is_base_class:
            try:
                return field(value[f], name)
            except (gdb.error, Invalid):
                continue
    raise Invalid("no member %s in %s" % (name, value.type))


def pointer_at(value, pointee):
    """The first word of `value` (a unique_ptr or a vector's begin) as a `pointee*`."""
    return value.address.cast(pointee.pointer().pointer()).dereference()


def read_string(value):
    """A std::string's text, checked for sanity."""
    n = int(field(value, "_M_string_length"))
    if n < 0 or n > MAX_NAME:
        raise Invalid("string of length %d" % n)
    if n == 0:
        return ""
    p = field(field(value, "_M_dataplus"), "_M_p")
    data = gdb.selected_inferior().read_memory(int(p), n)
    return bytes(data).decode("utf-8", "replace")


def vector_items(value, element):
    """The elements of a std::vector<element> as gdb values."""
    impl = field(value, "_M_impl")
    begin, end = field(impl, "_M_start"), field(impl, "_M_finish")
    n = (int(end) - int(begin)) // max(element.sizeof, 1)
    if n < 0 or n > MAX_INPUTS:
        raise Invalid("vector of %d elements" % n)
    return [(begin + i).dereference() for i in range(n)]


# ---- arrays (xt::xarray_container) ------------------------------------------------------


def scalar_name(t):
    t = t.strip_typedefs()
    return {"float": "float", "double": "double"}.get(t.name, t.name or "?")


def array_parts(value):
    """(shape, data pointer, element type) of an xtensor container, checked for sanity."""
    value = value.cast(value.type.strip_typedefs())
    shape_v = field(value, "m_shape")
    sb, se = field(shape_v, "m_begin"), field(shape_v, "m_end")
    rank = int(se - sb) if int(se) >= int(sb) else -1
    if rank < 0 or rank > MAX_RANK:
        raise Invalid("rank %d" % rank)
    shape = [int((sb + i).dereference()) for i in range(rank)]
    size = 1
    for d in shape:
        if d < 0 or d > MAX_ELEMENTS:
            raise Invalid("dimension %d" % d)
        size *= d
    storage = field(value, "m_storage")
    begin, end = field(storage, "p_begin"), field(storage, "p_end")
    element = begin.type.strip_typedefs().target()
    stored = (int(end) - int(begin)) // max(element.sizeof, 1)
    if size > MAX_ELEMENTS or stored != size:
        raise Invalid("shape %s but %d values stored" % (shape_text(shape), stored))
    return shape, begin, element


def shape_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def read_values(begin, element, count):
    """The first `count` values at `begin`, as Python numbers (one memory read)."""
    if count == 0:
        return []
    t = element.strip_typedefs()
    raw = bytes(gdb.selected_inferior().read_memory(int(begin), count * t.sizeof))
    code = {(gdb.TYPE_CODE_FLT, 4): "f", (gdb.TYPE_CODE_FLT, 8): "d"}.get((t.code, t.sizeof))
    if code:
        return list(struct.unpack("<%d%s" % (count, code), raw))
    return [(begin + i).dereference() for i in range(count)]


def number(x):
    return ("%.6g" % x) if isinstance(x, float) else str(x)


def values_text(shape, begin, element):
    """Nested brackets in row-major order, at most minflow-max-values numbers, then '...'."""
    size = 1
    for d in shape:
        size *= d
    if size == 0:
        return "[]"
    limit = int(MAX_VALUES.value or 0) or size
    shown = min(size, limit)
    values = read_values(begin, element, shown)
    if not shape:
        return number(values[0])
    pos = [0]  # next value to print, in row-major order

    def block(axis):
        items = []
        for _ in range(shape[axis]):
            if pos[0] >= shown:
                items.append("...")
                break
            if axis + 1 == len(shape):
                items.append(number(values[pos[0]]))
                pos[0] += 1
            else:
                items.append(block(axis + 1))
        return "[" + ", ".join(items) + "]"

    text = block(0)
    if shown < size:
        text += "  (%d of %d values shown)" % (shown, size)
    return text


def array_text(value):
    shape, begin, element = array_parts(value)
    return shape_text(shape), values_text(shape, begin, element), scalar_name(element)


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
