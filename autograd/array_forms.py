"""The ops' rule texts over arrays: every name a rule text may use, in a form numpy runs.

Part of codegen's numpy backend (``autograd.vectorize``).  The elementwise lines of a numpy
program are the ops' own forward and derivative texts (``autograd.value.rule_for``),
evaluated over arrays: ``a if c else b`` becomes ``where(c, a, b)``, and each helper of
``autograd.operators`` has an array form here that computes what the scalar one does,
element by element (the same formulas, the same errors).  A helper without an array form
(a new op's) is the scalar function run per element (``np.vectorize``): slow but right.
"""

from __future__ import annotations

import ast
import functools
import math
import operator

import numpy as np

from . import value as _value

__all__ = ["array_namespace", "over_arrays"]


def _sigmoid(x):
    """σ as ``operators.sigmoid`` computes it, elementwise: e^(±x) only of -|x|."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _relu(x):
    return np.where(x <= 0.0, 0.0, x)  # NaN is not <= 0: it stays NaN, as operators.relu


def _softplus(x):
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _checked_div(a, b):
    if np.any(b == 0.0):
        raise ZeroDivisionError("division by zero in '/' (numpy program)")
    return a / b


def _checked_exp(x):
    out = np.exp(x)
    if np.any(np.isinf(out) & np.isfinite(x)):
        raise OverflowError("exp overflows (numpy program; limit ≈ 709.78)")
    return out


def _checked_log(x):
    if np.any(x <= 0.0):
        raise ValueError("log needs a positive input (numpy program)")
    return np.log(x)


def _checked_pow(base, exponent, shown=None):
    what = shown if type(shown) is str else "**"
    if np.any((base == 0.0) & (exponent < 0.0)):
        raise ZeroDivisionError(f"0.0 {what}: zero raised to a negative power (numpy program)")
    out = np.power(base, exponent)
    finite_in = np.isfinite(base) & np.isfinite(exponent)
    if np.any(np.isinf(out) & finite_in):
        raise OverflowError(f"{what} overflows (numpy program)")
    if np.any(np.isnan(out) & finite_in):
        raise ValueError(f"{what} of a negative base is not a real number (numpy program)")
    return out


def _add_up(values):
    """0.0 + v₁ + v₂ + … left to right over arrays: ``operators.add_up``'s order, elementwise."""
    return functools.reduce(operator.add, values, 0.0)


def _dot_data(weights, inputs):
    total = 0.0
    for w, x in zip(weights, inputs):
        total = total + w * x
    return total


class _ArrayMath:
    """``math`` for rule texts over arrays: each function vectorised, constants as they are."""

    def __getattr__(self, name: str):
        found = getattr(math, name)
        return np.vectorize(found, otypes=[float]) if callable(found) else found


_ARRAY_FORMS = {
    "math": _ArrayMath(),
    "inf": math.inf,
    "nan": math.nan,
    "log": np.log,
    "tanh": np.tanh,
    "sum": sum,
    "add_up": _add_up,
    "sigmoid": _sigmoid,
    "relu": _relu,
    "softplus": _softplus,
    "checked_div": _checked_div,
    "checked_exp": _checked_exp,
    "checked_log": _checked_log,
    "checked_pow": _checked_pow,
    "ieee_pow": np.power,
    "dot_data": _dot_data,
}


def array_namespace() -> dict:
    """Every name the rule texts may use, in a form that works on arrays.  A name this file
    does not know yet (a new op's helper) is the scalar function vectorised: slow but right."""
    namespace: dict = {"np": np, "where": np.where}
    for name, thing in _value.CODE_NAMESPACE.items():
        if name in _ARRAY_FORMS:
            namespace[name] = _ARRAY_FORMS[name]
        elif callable(thing):
            namespace[name] = np.vectorize(thing, otypes=[float])
        else:
            namespace[name] = thing
    return namespace


class _IfToWhere(ast.NodeTransformer):
    """``a if c else b`` → ``where(c, a, b)``: the rule's branch taken per element."""

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        self.generic_visit(node)
        return ast.Call(ast.Name("where", ast.Load()), [node.test, node.body, node.orelse], [])


_NOT_ELEMENTWISE = (ast.BoolOp, ast.Lambda, ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.SetComp)


def over_arrays(text: str) -> str | None:
    """A rule expression rewritten to work elementwise on arrays, or None when it cannot be."""
    tree = ast.parse(text, mode="eval")
    callable_names = set(_value.CODE_NAMESPACE) | {"where", "abs"}  # each has an array form above
    for node in ast.walk(tree):
        if isinstance(node, _NOT_ELEMENTWISE) or (isinstance(node, ast.Compare) and len(node.ops) > 1):
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id not in callable_names:
            return None  # min, max, round, ... of arrays: not elementwise
    if not any(isinstance(node, ast.IfExp) for node in ast.walk(tree)):
        return text
    return ast.unparse(_IfToWhere().visit(tree))
