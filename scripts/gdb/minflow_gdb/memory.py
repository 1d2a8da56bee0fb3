"""Reading minflow's objects out of the inferior's memory, safely.

Every reader checks what it reads (ranks, sizes, string lengths) and raises Invalid, or
gdb.error for unreadable memory, instead of trusting it: a tensor that is not constructed
yet holds garbage. The printers (printers.py) turn any exception into <invalid ...>.
"""
import struct

import gdb


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
