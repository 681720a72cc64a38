"""Dual numbers: an op's own local-derivative text evaluated over (value, tangent) pairs.

A ``Dual(v, t)`` is a number v together with its rate of change t along one direction
(a tangent).  Evaluated over Duals instead of floats, the text of a local derivative
``rule.local_code(...)`` (the text ``autograd.fast`` and codegen inline) gives the local
derivative AND its own directional derivative, with no graph built: what a Hessian-vector
product by forward-over-reverse needs (``autograd.higher.hvp``).  No derivative is written
here, not even the product rule: every operation on Duals is a registered op, ``+ - * /``
and unary ``-`` in a text are the ops ``+ - * / neg``, and a call ``f(a, b)`` the op whose
forward text is ``f({0}, {1})``.  Its value is that forward; its tangent is the chain rule
Σ ∂f/∂argᵢ · ṫᵢ with ∂f/∂argᵢ read from that op's own rule text over floats.

A plain float in place of a Dual is a number that does not move along the direction (a
constant, or a Value that does not depend on the inputs): its tangent is zero without a
single operation, so no 0 · inf appears where a derivative graph would have no node
(``autograd.grad(..., create_graph=True)`` keeps such numbers as plain numbers too).
Comparisons (``out <= 0.0`` in relu's text) compare values: the branch taken is constant
along the direction, as in a derivative graph.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from functools import lru_cache

from .value import CODE_NAMESPACE, RULES, Rule

__all__ = ["Dual", "locals_function", "op_of_function"]


class Dual:
    """A number ``v`` and its tangent ``t`` (the derivative of v along one direction).

    Its ``+ - * /`` and unary ``-`` are the registered ops ``+ - * / neg`` (see
    ``_OverDuals``): the value by the op's forward, the tangent by the op's own rule.
    """

    __slots__ = ("v", "t")

    def __init__(self, v: float, t: float) -> None:
        self.v = v
        self.t = t

    def __repr__(self) -> str:
        return f"Dual({self.v!r}, {self.t!r})"

    def __add__(self, other: Dual | float) -> Dual:
        return _ADD(self, other)

    def __radd__(self, other: float) -> Dual:
        return _ADD(other, self)

    def __sub__(self, other: Dual | float) -> Dual:
        return _SUB(self, other)

    def __rsub__(self, other: float) -> Dual:
        return _SUB(other, self)

    def __mul__(self, other: Dual | float) -> Dual:
        return _MUL(self, other)

    def __rmul__(self, other: float) -> Dual:
        return _MUL(other, self)

    def __truediv__(self, other: Dual | float) -> Dual:
        return _DIV(self, other)

    def __rtruediv__(self, other: float) -> Dual:
        return _DIV(other, self)

    def __neg__(self) -> Dual:
        return _NEG(self)

    def __pos__(self) -> Dual:
        return self

    # the branch of an ``if`` in a rule's text is decided by the values
    def __eq__(self, other: object) -> bool:
        return self.v == (other.v if type(other) is Dual else other)

    def __ne__(self, other: object) -> bool:
        return self.v != (other.v if type(other) is Dual else other)

    def __lt__(self, other: Dual | float) -> bool:
        return self.v < (other.v if type(other) is Dual else other)

    def __le__(self, other: Dual | float) -> bool:
        return self.v <= (other.v if type(other) is Dual else other)

    def __gt__(self, other: Dual | float) -> bool:
        return self.v > (other.v if type(other) is Dual else other)

    def __ge__(self, other: Dual | float) -> bool:
        return self.v >= (other.v if type(other) is Dual else other)

    __hash__ = None  # equal to a float of its value, so not hashable


# The names the compiled texts see: CODE_NAMESPACE, each op forward called in a text
# replaced by its Dual-aware version (an _OverDuals) when a text that calls it is compiled.
_NAMESPACE: dict[str, object] = dict(CODE_NAMESPACE)


@lru_cache(maxsize=1024)
def locals_function(rule: Rule, arity: int) -> Callable[..., tuple]:
    """``f(out, p0, …, pₙ₋₁)`` → the op's local derivatives, one per parent, from its own text.

    Called with floats it gives floats (``node.local_grads()``'s numbers); called with
    Duals (or a mix with floats) it gives Duals where a local derivative moves along the
    direction, and plain numbers where it does not.
    """
    names = [f"p{i}" for i in range(arity)]
    texts = rule.local_code("out", names)
    for text in texts:
        for call in ast.walk(ast.parse(text, mode="eval")):
            if isinstance(call, ast.Call):
                _resolve(call, text)
    source = f"lambda out, {', '.join(names)}: ({', '.join(texts)},)"
    return eval(compile(source, f"<local derivatives of {rule.op!r} over dual numbers>", "eval"), _NAMESPACE)


def _resolve(call: ast.Call, text: str) -> None:
    """Make the function called in ``text`` Dual-aware in the namespace, or refuse it."""
    if not isinstance(call.func, ast.Name) or call.keywords:
        raise NotImplementedError(
            f"cannot differentiate {text!r} again: {ast.unparse(call)!r} is no call of an op's forward"
        )
    name = call.func.id
    rule = op_of_function(name, len(call.args), text)
    if not isinstance(_NAMESPACE.get(name), _OverDuals):
        _NAMESPACE[name] = _OverDuals(CODE_NAMESPACE[name], rule)


class _OverDuals:
    """An op's forward function that also takes Duals: value by the forward, tangent by the
    chain rule with the op's local derivatives read from its own text over floats."""

    __slots__ = ("forward", "rule")

    def __init__(self, forward: Callable[..., float], rule: Rule) -> None:
        self.forward = forward
        self.rule = rule

    def __call__(self, *args: Dual | float) -> Dual | float:
        if Dual not in map(type, args):
            return self.forward(*args)
        values = [a.v if type(a) is Dual else a for a in args]
        out = self.forward(*values)
        local = locals_function(self.rule, len(args))(out, *values)
        tangent = None
        for a, d in zip(args, local):
            if type(a) is Dual:
                tangent = d * a.t if tangent is None else tangent + d * a.t
        return Dual(out, tangent)


# + - * / and unary - of Duals: the registered ops, their values as a rule text computes them
# (``a / b`` in a text is float division).
_ADD = _OverDuals(operator.add, RULES["+"])
_SUB = _OverDuals(operator.sub, RULES["-"])
_MUL = _OverDuals(operator.mul, RULES["*"])
_DIV = _OverDuals(operator.truediv, RULES["/"])
_NEG = _OverDuals(operator.neg, RULES["neg"])


@lru_cache(maxsize=256)
def op_of_function(function: str, arity: int, text: str) -> Rule:
    """The registered op whose forward text is ``function(p0, ..., pn)``: a call of it in a
    local derivative's text is that op (over Values: its node; over Duals: its chain rule)."""
    names = [f"p{i}" for i in range(arity)]
    call = f"{function}({', '.join(names)})"
    for rule in RULES.values():
        if rule.arity == arity and rule.forward_code(names) == call:
            return rule
    raise NotImplementedError(
        f"cannot differentiate {text!r} again: {function}() is not the forward of any registered op "
        f"(register an op whose forward is {call!r}, or write the derivative with ops that are)"
    )
