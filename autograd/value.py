"""Value: one scalar in a computation, and the operations that build graphs of them.

A Value remembers the Values it was made from (``parents``, in operand order) and a
named function that returns its *local derivatives*, one per parent:
``∂out/∂parent_i``.  The chain rule itself lives in ``backward.py``; this file only
says, for every operation, how to compute the result and how it changes when each
input changes.

Why a shared named function and not a fresh closure per node?  Each op has one
module-level function (``mul_local``, ``tanh_local``, ...) that is handed the node
when it is called.  Nothing stores a reference from a node back to itself, so a graph
has no reference cycles and is freed by reference counting the moment it is no longer
used (micrograd's per-node closures point back at their own output and leave all the
clean-up to Python's cyclic garbage collector, which then dominates a training step).
It also keeps a node small: no function object, no closure cells per node.  In a
debugger or a traceback the frame is still named after its op.

Local derivatives are evaluated when ``backward`` asks for them, from the ``data`` of
the node and of its parents at that moment.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import repeat

Number = int | float
LocalGrads = Callable[["Value"], tuple]

_grad_enabled = True


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside ``with no_grad():`` results record no parents: inference without a graph."""
    global _grad_enabled
    previous = _grad_enabled
    _grad_enabled = False
    try:
        yield
    finally:
        _grad_enabled = previous


def is_grad_enabled() -> bool:
    """True unless we are inside a ``no_grad()`` block."""
    return _grad_enabled


def _as_float(data: object) -> float:
    """Check that ``data`` is a real number (not a bool, str or None) and make it a float."""
    if isinstance(data, bool) or not isinstance(data, numbers.Real):
        raise TypeError(
            f"Value needs a real number (int or float), got {type(data).__name__}: {data!r}"
        )
    return float(data)


class Value:
    """One scalar: its ``data``, its ``grad`` and how it was computed.

    ``parents`` is the tuple of Values it was made from, in operand order, with
    duplicates kept (``a + a`` has two parents).  ``op`` names the operation ('' for
    a leaf).  ``label`` is a name for pictures and printing; ``group`` is a tag that
    pictures use to cluster nodes (the ``nn`` package sets it to a neuron's name).
    The underscored arguments of ``__init__`` are for the ops below, not for users.
    """

    __slots__ = ("data", "grad", "parents", "op", "label", "group", "_local_grads")

    def __init__(
        self,
        data: Number,
        label: str | None = None,
        _parents: tuple[Value, ...] = (),
        _op: str = "",
        _local_grads: LocalGrads | None = None,
    ) -> None:
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.parents = _parents
        self.op = _op
        self.label = label
        self.group: str | None = None
        self._local_grads = _local_grads

    def local_grads(self) -> tuple[float, ...]:
        """The local derivatives ∂self/∂parent_i, one per parent, in parent order."""
        if self._local_grads is None:
            return ()
        return self._local_grads(self)

    def is_leaf(self) -> bool:
        """A leaf was not computed from other Values: an input, a weight or a constant."""
        return not self.parents

    def __repr__(self) -> str:
        text = f"Value(data={self.data!r}, grad={self.grad!r}"
        if self.op:
            text += f", op={self.op!r}"
        if self.label is not None:
            text += f", label={self.label!r}"
        return text + ")"

    def __float__(self) -> float:
        return self.data

    def detach(self) -> Value:
        """A new leaf with the same data (and label): gradients do not flow through it."""
        return Value(self.data, self.label)

    # Walking the graph backwards lives in backward.py; these two delegate there.
    def backward(self) -> None:
        """Fill in ``grad`` of every Value this one depends on (see ``autograd.backward``)."""
        from .backward import backward

        backward(self)

    def backward_steps(self):
        """Do what ``backward`` does one node at a time, yielding a Step for each."""
        from .backward import backward_steps

        return backward_steps(self)

    # ---------------------------------------------------------------- arithmetic
    def __add__(self, other: Value | Number) -> Value:
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return _result(self.data + other.data, (self, other), "+", add_local)

    def __radd__(self, other: Number) -> Value:
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return other + self

    def __sub__(self, other: Value | Number) -> Value:
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return _result(self.data - other.data, (self, other), "-", sub_local)

    def __rsub__(self, other: Number) -> Value:
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return other - self

    def __mul__(self, other: Value | Number) -> Value:
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return _result(self.data * other.data, (self, other), "*", mul_local)

    def __rmul__(self, other: Number) -> Value:
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return other * self

    def __truediv__(self, other: Value | Number) -> Value:
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by zero in '/': {self.data!r} / {other.data!r}")
        return _result(self.data / other.data, (self, other), "/", div_local)

    def __rtruediv__(self, other: Number) -> Value:
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return other / self

    def __neg__(self) -> Value:
        return _result(-self.data, (self,), "neg", neg_local)

    def __pos__(self) -> Value:
        return self

    def __pow__(self, exponent: Value | Number) -> Value:
        if isinstance(exponent, Value):
            return _pow_values(self, exponent)
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            return NotImplemented
        # A constant exponent is part of the op, not a parent: x ** 3 has one parent.
        n = float(exponent)
        data = _checked_pow(self.data, n, f"** {exponent!r}")
        return _result(data, (self,), f"**{exponent!r}", pow_const_local(n))

    def __rpow__(self, base: Number) -> Value:
        base_value = _coerce(base)
        if base_value is NotImplemented:
            return NotImplemented
        return _pow_values(base_value, self)

    # ------------------------------------------------------------------ functions
    def exp(self) -> Value:
        try:
            data = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp overflows for input {self.data!r} (limit ≈ 709.78)") from None
        return _result(data, (self,), "exp", exp_local)

    def log(self) -> Value:
        if self.data <= 0.0:
            raise ValueError(f"log needs a positive input, got {self.data!r}")
        return _result(math.log(self.data), (self,), "log", log_local)

    def tanh(self) -> Value:
        return _result(math.tanh(self.data), (self,), "tanh", tanh_local)

    def sigmoid(self) -> Value:
        return _result(_sigmoid(self.data), (self,), "sigmoid", sigmoid_local)

    def relu(self) -> Value:
        x = self.data
        return _result(x if x > 0.0 else 0.0, (self,), "relu", relu_local)


# -------------------------------------------------------------------- helpers
def _coerce(x: object) -> Value:
    """A Value stays itself; a real number becomes a constant leaf; anything else is
    NotImplemented, so Python raises its usual TypeError for ``Value(1) + "x"``."""
    if type(x) is Value:
        return x
    if isinstance(x, Value):
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return NotImplemented
    return Value(float(x))


def _result(data: float, parents: tuple[Value, ...], op: str, local_grads: LocalGrads) -> Value:
    """The output of an op: remembers its parents, unless inside ``no_grad()``."""
    if _grad_enabled:
        # Positional, not _parents=...: a call with keywords costs about 100 ns more per node.
        return Value(data, None, parents, op, local_grads)
    return Value(data)


def _sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e^-x), written so that e^(±x) is never taken of a large positive x."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _checked_pow(base: float, exponent: float, what: str) -> float:
    """base ** exponent as a real float, with errors that name the op and the values."""
    if base == 0.0 and exponent < 0.0:
        raise ZeroDivisionError(f"0.0 {what}: zero raised to a negative power")
    try:
        result = base**exponent
    except OverflowError:
        raise OverflowError(f"{base!r} {what} overflows") from None
    if isinstance(result, complex):
        raise ValueError(f"{base!r} {what} is not a real number (negative base, fractional power)")
    return result


def _pow_values(base: Value, exponent: Value) -> Value:
    data = _checked_pow(base.data, exponent.data, f"** {exponent.data!r}")
    return _result(data, (base, exponent), "**", pow_local)


# ------------------------------------------------- local derivatives, one per op
# Each returns ∂out/∂parent_i for the node it is given, in parent order.


def add_local(out: Value) -> tuple[float, float]:
    return (1.0, 1.0)


def sub_local(out: Value) -> tuple[float, float]:
    return (1.0, -1.0)


def mul_local(out: Value) -> tuple[float, float]:
    a, b = out.parents
    return (b.data, a.data)


def div_local(out: Value) -> tuple[float, float]:
    a, b = out.parents
    return (1.0 / b.data, -a.data / (b.data * b.data))


def neg_local(out: Value) -> tuple[float]:
    return (-1.0,)


@lru_cache(maxsize=64)
def pow_const_local(n: float) -> LocalGrads:
    """The local derivative of x ** n for one constant n: n · x^(n-1)."""

    def pow_const_local(out: Value) -> tuple[float]:
        (x,) = out.parents
        if n == 0.0:
            return (0.0,)
        return (n * _checked_pow(x.data, n - 1.0, f"** {n!r} (derivative)"),)

    return pow_const_local


def pow_local(out: Value) -> tuple[float, float]:
    """out = a ** b: ∂/∂a = b·a^(b-1); ∂/∂b = a^b · ln a (0 at a = 0, NaN for a < 0)."""
    a, b = out.parents
    if b.data == 0.0:
        d_base = 0.0
    else:
        d_base = b.data * _checked_pow(a.data, b.data - 1.0, f"** {b.data!r} (derivative)")
    if a.data > 0.0:
        d_exponent = out.data * math.log(a.data)
    elif a.data == 0.0:
        d_exponent = 0.0
    else:
        d_exponent = math.nan  # a^b for a < 0 is only defined at integer b: no derivative in b
    return (d_base, d_exponent)


def exp_local(out: Value) -> tuple[float]:
    return (out.data,)


def log_local(out: Value) -> tuple[float]:
    (x,) = out.parents
    return (1.0 / x.data,)


def tanh_local(out: Value) -> tuple[float]:
    t = out.data
    return (1.0 - t * t,)


def sigmoid_local(out: Value) -> tuple[float]:
    s = out.data
    return (s * (1.0 - s),)


def relu_local(out: Value) -> tuple[float]:
    return (1.0 if out.data > 0.0 else 0.0,)


# ------------------------------------------------------------- n-ary nodes
def _as_values(items: Iterable[Value | Number], what: str) -> list[Value]:
    items = list(items)
    if all(map(isinstance, items, repeat(Value))):  # the usual case, all Values already: nothing to convert
        return items
    values = []
    for i, item in enumerate(items):
        value = _coerce(item)
        if value is NotImplemented:
            raise TypeError(f"{what}[{i}] must be a Value or a real number, got {item!r}")
        values.append(value)
    return values


def value_sum(values: Iterable[Value | Number]) -> Value:
    """Σ values as ONE node with one parent per term (local derivatives all 1).

    Exported as ``autograd.sum``.  Compared with a chain of ``+`` it is one node to
    draw, one step to watch and far less work.
    """
    parents = tuple(_as_values(values, "values"))
    if not parents:
        raise ValueError("sum of no values: give at least one Value")
    return _result(sum(p.data for p in parents), parents, "sum", sum_local)


def sum_local(out: Value) -> tuple[float, ...]:
    return (1.0,) * len(out.parents)


def dot(
    weights: Iterable[Value | Number],
    inputs: Iterable[Value | Number],
    bias: Value | Number | None = None,
) -> Value:
    """Σ wᵢ·xᵢ (+ b) as ONE node: a neuron's z.

    Parents are ``(w₁…wₙ, x₁…xₙ[, b])``; the local derivatives are ``(x₁…xₙ, w₁…wₙ[, 1])``:
    the forward pass already holds ∂z/∂w = x.  Numbers are turned into constant leaves.
    """
    w = _as_values(weights, "weights")
    x = _as_values(inputs, "inputs")
    if len(w) != len(x):
        raise ValueError(f"dot needs as many weights as inputs: {len(w)} weights, {len(x)} inputs")
    if not w:
        raise ValueError("dot of no terms: give at least one weight and one input")
    b = None
    if bias is not None:
        b = _coerce(bias)
        if b is NotImplemented:
            raise TypeError(f"bias must be a Value or a real number, got {bias!r}")
    return _dot(w, x, b)


def _dot(w: list[Value], x: list[Value], b: Value | None) -> Value:
    """``dot`` once its arguments are checked: two lists of Values of the same length and
    a Value or None.  A caller whose Values are known good (a neuron's) may call it directly."""
    data = 0.0
    for wi, xi in zip(w, x):
        data += wi.data * xi.data
    if b is None:
        return _result(data, (*w, *x), "dot", dot_local)
    return _result(data + b.data, (*w, *x, b), "dot", dot_local)


def dot_local(out: Value) -> tuple[float, ...]:
    parents = out.parents
    n = len(parents) // 2
    data = [p.data for p in parents]
    if len(parents) % 2:  # with a bias: its derivative is 1
        return (*data[n : 2 * n], *data[:n], 1.0)
    return (*data[n:], *data[:n])
