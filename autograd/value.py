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
the node and of its parents at that moment.  Once a forward pass has succeeded they
never raise: they give IEEE results (±inf, nan) as PyTorch's float64 does.

The file reads top to bottom: ``no_grad``; the forwards of ``+ - * /`` and the one
pattern that turns each into a pair of operators; the Value class, whose operators and
methods each name their op's rule; then the rules, one per op: an ``@rule(...)`` line
with the op's forward and local derivatives written as Python expressions (what
``autograd.fast`` and ``autograd.codegen`` inline, see ``rule_for``), above the named
function that ``backward`` calls.  tests/test_rules.py checks the two bit for bit.
Adding an op = a method on Value + one ``@rule`` function here, its float maths in
``autograd/operators.py`` (listed in its ``__all__``, which puts it in ``CODE_NAMESPACE``)
and one row in the table of tests/conftest.py with its torch twin; nothing else (the fast
pass, codegen, pictures and every test take it from there).  See ``sin`` and ``cos``: they
were added exactly so.  Input checks that are not maths are at the end.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from itertools import repeat

from . import operators
from .operators import (
    checked_div,
    checked_exp,
    checked_log,
    checked_pow,
    cos,
    ieee_pow,
    relu,
    relu_prime_from_a,
    sigmoid,
    sigmoid_prime_from_a,
    sin,
    softplus,
    tanh_prime_from_a,
)

Number = int | float
LocalGrads = Callable[["Value"], tuple]

# ------------------------------------------------------------------- no_grad
# Per thread and per asyncio task: each has its own copy of this context variable.
_recording: ContextVar[bool] = ContextVar("autograd_recording", default=True)
_is_recording = _recording.get


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside ``with no_grad():`` results record no parents: inference without a graph.

    The switch belongs to the current thread (and asyncio task) only, and is put back
    exactly as it was when the block ends.
    """
    token = _recording.set(False)
    try:
        yield
    finally:
        _recording.reset(token)


def is_grad_enabled() -> bool:
    """True unless we are inside a ``no_grad()`` block (in this thread or task)."""
    return _recording.get()


# ------------------------------------------------------------------ binary ops
# The forward of each, pointing at its rule (add_local, ... below).
def _add(a: Value, b: Value) -> Value:
    return _result(a.data + b.data, (a, b), "+", add_local)


def _sub(a: Value, b: Value) -> Value:
    return _result(a.data - b.data, (a, b), "-", sub_local)


def _mul(a: Value, b: Value) -> Value:
    return _result(a.data * b.data, (a, b), "*", mul_local)


def _div(a: Value, b: Value) -> Value:
    return _result(checked_div(a.data, b.data), (a, b), "/", div_local)


def _operator_pair(op: Callable[[Value, Value], Value]):
    """``__op__`` and its reflected ``__rop__`` for a binary op (as ``fractions.Fraction`` does).

    The other operand may be a Value or a real number (it becomes a constant leaf);
    anything else is NotImplemented, so Python raises its usual TypeError.  Operand
    order is kept: ``2 - x`` has parents ``(2, x)``.
    """

    def method(a: Value, b: Value | Number) -> Value:
        if type(b) is not Value:  # (checked here first: most operands are Values already)
            b = _coerce(b)
            if b is NotImplemented:
                return NotImplemented
        return op(a, b)

    def reflected(b: Value, a: Number) -> Value:
        a = _coerce(a)
        if a is NotImplemented:
            return NotImplemented
        return op(a, b)

    return method, reflected


class Value:
    """One scalar: its ``data``, its ``grad`` and how it was computed.

    ``parents`` is the tuple of Values it was made from, in operand order, with
    duplicates kept (``a + a`` has two parents).  ``op`` names the operation ('' for
    a leaf).  ``label`` is a name for pictures and printing; ``group`` is a tag that
    pictures use to cluster nodes (the ``nn`` package sets it to a neuron's name).
    The underscored arguments of ``__init__`` are for the ops below, not for users.
    """

    __slots__ = ("data", "grad", "parents", "op", "_label", "group", "_local_grads")

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
        self._label = label if label is None else _as_label(label)
        self.group: str | None = None
        self._local_grads = _local_grads

    @property
    def label(self) -> str | None:
        """A name for pictures, printing and generated code: a plain ``str``, or None."""
        return self._label

    @label.setter
    def label(self, label: str | None) -> None:
        # Checked as __init__ checks it (a plain str, the usual case, without a call).
        self._label = label if label is None or type(label) is str else _as_label(label)

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
    __add__, __radd__ = _operator_pair(_add)
    __sub__, __rsub__ = _operator_pair(_sub)
    __mul__, __rmul__ = _operator_pair(_mul)
    __truediv__, __rtruediv__ = _operator_pair(_div)

    def __neg__(self) -> Value:
        return _result(-self.data, (self,), "neg", neg_local)

    def __pos__(self) -> Value:
        return self

    def __pow__(self, exponent: Value | Number) -> Value:
        if isinstance(exponent, Value):
            return _pow_values(self, exponent)
        if not _is_real(exponent):
            return NotImplemented
        # A constant exponent is part of the op, not a parent: x ** 3 has one parent.
        n = _as_float(exponent, "exponent")
        op = f"**{exponent!r}"
        data = checked_pow(self.data, n, f"** {exponent!r}")
        return _result(data, (self,), op, pow_const_local(n, op))

    def __rpow__(self, base: Number) -> Value:
        base_value = _coerce(base)
        if base_value is NotImplemented:
            return NotImplemented
        return _pow_values(base_value, self)

    # ------------------------------------------------------------------ functions
    def exp(self) -> Value:
        return _result(checked_exp(self.data), (self,), "exp", exp_local)

    def log(self) -> Value:
        return _result(checked_log(self.data), (self,), "log", log_local)

    def tanh(self) -> Value:
        return _result(math.tanh(self.data), (self,), "tanh", tanh_local)

    def sigmoid(self) -> Value:
        return _result(sigmoid(self.data), (self,), "sigmoid", sigmoid_local)

    def relu(self) -> Value:
        return _result(relu(self.data), (self,), "relu", relu_local)

    def softplus(self) -> Value:
        return _result(softplus(self.data), (self,), "softplus", softplus_local)

    def sin(self) -> Value:
        return _result(sin(self.data), (self,), "sin", sin_local)

    def cos(self) -> Value:
        return _result(cos(self.data), (self,), "cos", cos_local)


def _result(data: float, parents: tuple[Value, ...], op: str, local_grads: LocalGrads) -> Value:
    """The output of an op: remembers its parents, unless inside ``no_grad()``."""
    if _is_recording():
        # Positional, not _parents=...: a call with keywords costs about 100 ns more per node.
        return Value(data, None, parents, op, local_grads)
    return Value(data)


def _pow_values(base: Value, exponent: Value) -> Value:
    data = checked_pow(base.data, exponent.data)
    return _result(data, (base, exponent), "**", pow_local)


# ------------------------------------------------------------- rule registry
class Rule:
    """One op's rule: its named local-derivative function and the same maths as expression text.

    ``forward_code(parents)`` is a Python expression over the parents' data names that
    gives the node's data exactly as the op computes it (raising the op's errors);
    ``local_code(out, parents)`` one expression per parent giving exactly what
    ``local(node)`` returns, ``out`` naming the node's data.  The expressions may use
    the names in ``CODE_NAMESPACE``; wrap them in parentheses to embed them.
    ``inline`` is False for an op whose local derivatives can raise on data changed after
    the forward (a division by a parent that is now 0): ``autograd.fast`` then calls
    ``local`` instead of inlining the text, so a traceback names the op's function.
    """

    __slots__ = ("op", "local", "arity", "inline", "_forward", "_locals")

    def __init__(
        self, op: str, local: LocalGrads, forward, locals_, arity: int | None = None, inline: bool = True
    ) -> None:
        self.op = op
        self.local = local
        self.arity = len(locals_) if isinstance(locals_, tuple) else arity  # None: any number of parents
        self.inline = inline
        self._forward = forward  # "{0} * {1}" or a function of the parents' names
        self._locals = locals_  # ("{1}", "{0}") or a function of (out, parents' names)

    def forward_code(self, parents: Sequence[str]) -> str:
        names = [_atom(name) for name in parents]
        if callable(self._forward):
            return self._forward(names)
        return self._forward.format(*names)

    def local_code(self, out: str, parents: Sequence[str]) -> list[str]:
        names = [_atom(name) for name in parents]
        if callable(self._locals):
            return self._locals(_atom(out), names)
        return [template.format(*names, out=_atom(out)) for template in self._locals]

    def __repr__(self) -> str:
        return f"Rule({self.op!r}, {self.local.__name__})"


RULES: dict[str, Rule] = {}  # op -> Rule, for every op with a fixed name ("**n" is per exponent)


def rule(op: str, forward, locals_, inline: bool = True):
    """Register the decorated local-derivative function as the rule of ``op``.

    ``forward`` and ``locals_`` are the op's maths as text, "{0}", "{1}" for the parents'
    data and "{out}" for the node's (functions of the names for n-ary ops); they may use
    the names in ``CODE_NAMESPACE`` (every function of ``autograd.operators``).
    ``inline=False``: see ``Rule``.
    """

    def register(local: LocalGrads) -> LocalGrads:
        local.rule = Rule(op, local, forward, locals_, inline=inline)
        RULES[op] = local.rule
        return local

    return register


def rule_for(node: Value) -> Rule:
    """The Rule of the op that made ``node`` (a non-leaf)."""
    found = getattr(node._local_grads, "rule", None)
    if found is None:
        what = "a leaf" if node._local_grads is None else f"op {node.op!r}"
        raise LookupError(f"no registered rule for {what} ({node!r})")
    return found


def _atom(name: str) -> str:
    """``name`` as it can be used inside a larger expression: parenthesised unless simple."""
    plain = name.replace(".", "").replace("_", "a")
    return name if plain.isalnum() and not name.startswith(".") else f"({name})"


# A name, attribute or index (x.data, parents[0]), a number (1e+20) or one pair of parentheses
# with none inside: text that can stand as a factor without parentheses of its own.
_FACTOR = re.compile(r"[\w.\[\]]+|[0-9][0-9.e+]*|\([^()]*\)", re.ASCII)


def product_code(local: str, upstream: str) -> str:
    """The chain rule's product ``local * upstream`` as code, for the fast pass and codegen.

    A local of 1.0 gives ``upstream`` itself and -1.0 gives ``-upstream``: the same bits as
    multiplying, one operation fewer.
    """
    if local == "1.0":
        return upstream
    if local == "-1.0":
        return f"-{upstream}"
    return f"{local if _FACTOR.fullmatch(local) else f'({local})'} * {upstream}"


# ------------------------------------------------------------- the ops' rules
# Each function returns ∂out/∂parent_i for the node it is given, in parent order.


@rule("+", forward="{0} + {1}", locals_=("1.0", "1.0"))
def add_local(out: Value) -> tuple[float, float]:
    return (1.0, 1.0)


@rule("-", forward="{0} - {1}", locals_=("1.0", "-1.0"))
def sub_local(out: Value) -> tuple[float, float]:
    return (1.0, -1.0)


@rule("*", forward="{0} * {1}", locals_=("{1}", "{0}"))
def mul_local(out: Value) -> tuple[float, float]:
    a, b = out.parents
    return (b.data, a.data)


@rule("/", forward="checked_div({0}, {1})", locals_=("1.0 / {1}", "-({0} / {1}) / {1}"), inline=False)
def div_local(out: Value) -> tuple[float, float]:
    a, b = out.parents
    # -(a/b)/b and not -a/(b*b): b*b can underflow to 0 (or overflow) where the answer is finite
    return (1.0 / b.data, -(a.data / b.data) / b.data)


@rule("neg", forward="-{0}", locals_=("-1.0",))
def neg_local(out: Value) -> tuple[float]:
    return (-1.0,)


@lru_cache(maxsize=64)
def pow_const_local(n: float, op: str) -> LocalGrads:
    """The rule of x ** n for one constant n (op is "**n"): 0 for n = 0, else n · x^(n-1)."""

    def pow_const_local(out: Value) -> tuple[float]:
        (x,) = out.parents
        if n == 0.0:
            return (0.0,)
        return (n * ieee_pow(x.data, n - 1.0),)

    shown = f"** {op[2:]}"
    pow_const_local.rule = Rule(
        op,
        pow_const_local,
        lambda names: f"checked_pow({names[0]}, {n!r}, {shown!r})",
        lambda out, names: ["0.0" if n == 0.0 else f"{n!r} * ieee_pow({names[0]}, {n - 1.0!r})"],
        arity=1,
    )
    return pow_const_local


# a ** b's local derivatives, for both "**" and "ieee_pow" (the same maths, one home).
# checked_log, not math.log: it is log's own forward, so the text also reads over Values;
# nan * out (ln a is undefined for a < 0 or NaN), not nan: read over Values, its own
# derivatives are NaN too (as torch's), not 0.
_POW_LOCALS = (
    "0.0 if {1} == 0.0 else {1} * ieee_pow({0}, {1} - 1.0)",
    "{out} * checked_log({0}) if {0} > 0.0 else 0.0 if {0} == 0.0 else nan * {out}",
)


@rule("**", forward="checked_pow({0}, {1})", inline=False, locals_=_POW_LOCALS)
def pow_local(out: Value) -> tuple[float, float]:
    """out = a ** b: ∂/∂a = b·a^(b-1) (0 at b = 0); ∂/∂b = a^b · ln a (0 at a = 0, NaN for a < 0)."""
    a, b = out.parents
    d_base = 0.0 if b.data == 0.0 else b.data * ieee_pow(a.data, b.data - 1.0)
    if a.data > 0.0:
        d_exponent = out.data * math.log(a.data)
    elif a.data == 0.0:
        d_exponent = 0.0
    else:
        d_exponent = math.nan  # a^b for a < 0 is only defined at integer b: no derivative in b
    return (d_base, d_exponent)


def ieee_power(base: Value | Number, exponent: Value | Number) -> Value:
    """base ** exponent as C's pow gives it, never raising: 0 ** -1 is inf, an overflow ±inf,
    a negative base with a fractional power nan.

    Not an operator: ``**`` raises on those inputs.  This is the node that derivatives of
    ``**`` are made of when they are built as a graph (``autograd.grad(...,
    create_graph=True)``), where b·a^(b-1) is infinite although a ** b was fine.
    """
    base, exponent = _as_values((base, exponent), "ieee_power's arguments")
    return _result(ieee_pow(base.data, exponent.data), (base, exponent), "ieee_pow", ieee_pow_local)


@rule("ieee_pow", forward="ieee_pow({0}, {1})", locals_=_POW_LOCALS)
def ieee_pow_local(out: Value) -> tuple[float, float]:
    """The derivatives of a ** b, as for ``**`` (pow_local)."""
    return pow_local(out)


@rule("exp", forward="checked_exp({0})", locals_=("{out}",))
def exp_local(out: Value) -> tuple[float]:
    return (out.data,)


@rule("log", forward="checked_log({0})", locals_=("1.0 / {0}",), inline=False)
def log_local(out: Value) -> tuple[float]:
    (x,) = out.parents
    return (1.0 / x.data,)


@rule("tanh", forward="tanh({0})", locals_=("1.0 - {out} * {out}",))
def tanh_local(out: Value) -> tuple[float]:
    t = out.data
    return (tanh_prime_from_a(t),)


@rule("sigmoid", forward="sigmoid({0})", locals_=("{out} * (1.0 - {out})",))
def sigmoid_local(out: Value) -> tuple[float]:
    return (sigmoid_prime_from_a(out.data),)


@rule("relu", forward="relu({0})", locals_=("0.0 if {out} <= 0.0 else 1.0",))
def relu_local(out: Value) -> tuple[float]:
    return (relu_prime_from_a(out.data),)


@rule("softplus", forward="softplus({0})", locals_=("sigmoid({0})",))
def softplus_local(out: Value) -> tuple[float]:
    """softplus(x) = ln(1 + e^x): its derivative is σ(x)."""
    (x,) = out.parents
    return (sigmoid(x.data),)


@rule("sin", forward="sin({0})", locals_=("cos({0})",))
def sin_local(out: Value) -> tuple[float]:
    (x,) = out.parents
    return (cos(x.data),)


@rule("cos", forward="cos({0})", locals_=("-sin({0})",))
def cos_local(out: Value) -> tuple[float]:
    (x,) = out.parents
    return (-sin(x.data),)


# ------------------------------------------------------------- n-ary nodes
def value_sum(values: Iterable[Value | Number]) -> Value:
    """Σ values as ONE node with one parent per term (local derivatives all 1).

    Exported as ``autograd.sum``.  Compared with a chain of ``+`` it is one node to
    draw, one step to watch and far less work.
    """
    parents = tuple(_as_values(values, "values"))
    if not parents:
        raise ValueError("sum of no values: give at least one Value")
    return _result(operators.add_up([p.data for p in parents]), parents, "sum", sum_local)


@rule(
    "sum",
    forward=lambda names: f"add_up(({', '.join(names)},))",
    locals_=lambda out, names: ["1.0"] * len(names),
)
def sum_local(out: Value) -> tuple[float, ...]:
    return (1.0,) * len(out.parents)


def dot(
    weights: Iterable[Value | Number],
    inputs: Iterable[Value | Number],
    bias: Value | Number | None = None,
    check: bool = True,
) -> Value:
    """Σ wᵢ·xᵢ (+ b) as ONE node: a neuron's z.

    Parents are ``(w₁…wₙ, x₁…xₙ[, b])``; the local derivatives are ``(x₁…xₙ, w₁…wₙ[, 1])``:
    the forward pass already holds ∂z/∂w = x.  Numbers are turned into constant leaves.
    ``check=False`` skips all of that for a caller whose arguments are known good (a
    neuron's): two lists of Values of the same length, at least one, and a Value or None.
    """
    if not check:
        return _dot(weights, inputs, bias)
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


def _dot(w: Sequence[Value], x: Sequence[Value], b: Value | None) -> Value:
    """The dot node itself, from arguments already checked (what ``dot`` builds in the end)."""
    data = 0.0
    for wi, xi in zip(w, x):
        data += wi.data * xi.data
    if b is None:
        return _result(data, (*w, *x), "dot", dot_local)
    return _result(data + b.data, (*w, *x, b), "dot", dot_local)


def dot_data(weights: Sequence[float], inputs: Sequence[float]) -> float:
    """Σ wᵢ·xᵢ over floats, added up in the order ``dot`` adds them (for generated code)."""
    data = 0.0
    for wi, xi in zip(weights, inputs):
        data += wi * xi
    return data


def _dot_forward_code(names: list[str]) -> str:
    """``0.0 + w₁ * x₁ + … + b``, the order ``dot`` adds in; past 64 terms, ``dot_data(...)``
    (a much deeper expression may not compile)."""
    n = len(names) // 2
    w, x, bias = names[:n], names[n : 2 * n], names[2 * n :]
    if n <= 64:
        text = " + ".join(["0.0", *(f"{wi} * {xi}" for wi, xi in zip(w, x))])
    else:
        text = f"dot_data(({', '.join(w)},), ({', '.join(x)},))"
    return text + "".join(f" + {b}" for b in bias)


def _dot_local_code(out: str, names: list[str]) -> list[str]:
    n = len(names) // 2
    return [*names[n : 2 * n], *names[:n], *(["1.0"] if len(names) % 2 else [])]


@rule("dot", forward=_dot_forward_code, locals_=_dot_local_code)
def dot_local(out: Value) -> tuple[float, ...]:
    parents = out.parents
    n = len(parents) // 2
    data = [p.data for p in parents]
    if len(parents) % 2:  # with a bias: its derivative is 1
        return (*data[n : 2 * n], *data[:n], 1.0)
    return (*data[n:], *data[:n])


# The names the expressions of ``Rule.forward_code`` / ``Rule.local_code`` may use: every
# public function of ``autograd.operators`` (a new op's float maths lives there and is found
# here with no list to extend), plus what Python and ``math`` give.
CODE_NAMESPACE: dict[str, object] = {
    **{name: getattr(operators, name) for name in operators.__all__},
    "math": math,
    "inf": math.inf,
    "nan": math.nan,
    "log": math.log,
    "dot_data": dot_data,
}


# ---------------------------------------------- input checks (not part of the maths)
def _is_real(x: object) -> bool:
    """An int, a float or another real number type (numpy's), but not a bool."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _as_float(data: object, what: str = "Value") -> float:
    """Check that ``data`` is a real number (not a bool, str or None) and make it a float."""
    if not _is_real(data):
        raise TypeError(
            f"{what} needs a real number (int or float), got {type(data).__name__}: {data!r}"
        )
    try:
        return float(data)
    except OverflowError:
        raise OverflowError(
            f"{what} needs a number that fits in a float (|x| < 1.8e308), got {_short(data)}"
        ) from None


def _short(number: object) -> str:
    text = str(number) if isinstance(number, int) else repr(number)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} digits)"


def _as_label(label: object) -> str:
    """The label as a plain ``str``: a str subclass is copied to one (its own methods, such as
    ``__repr__``, never run later); anything else is a TypeError naming ``label``."""
    if not isinstance(label, str):
        raise TypeError(f"Value's label must be a str or None, got {type(label).__name__}")
    return label if type(label) is str else str.__str__(label)


def _coerce(x: object) -> Value:
    """A Value stays itself; a real number becomes a constant leaf; anything else is
    NotImplemented, so Python raises its usual TypeError for ``Value(1) + "x"``."""
    if type(x) is Value:  # the usual case first: one quick check
        return x
    if isinstance(x, Value):
        return x
    if not _is_real(x):
        return NotImplemented
    return Value(x)


def _as_values(items: Iterable[Value | Number], what: str) -> list[Value]:
    """The items as Values (numbers become constant leaves); TypeError naming ``what[i]``."""
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
