"""gradcheck: compare backward's gradients with central differences.

The numeric derivative (f(x + ε) − f(x − ε)) / 2ε knows nothing about the chain
rule, so agreement between the two is independent evidence that backward is right.
``gradcheck(..., order=2)`` does the same one level up: the Hessian that
``autograd.hessian`` builds by differentiating the gradient graph, against central
differences of the gradient.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .backward import backward, topological_order
from .value import Value, _is_real, no_grad


class GradcheckError(AssertionError):
    """Backward and central differences disagree (or one of them is not finite)."""


def _name(value: Value, index: int) -> str:
    return f"input {index}" + (f" ({value.label!r})" if value.label else "")


def _evaluate(f: Callable[..., Value], inputs: Sequence[Value]) -> float:
    with no_grad():
        out = f(*inputs)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
    return out.data


def _checked_tolerance(name: str, x: object, positive: bool = False) -> float:
    """A finite real ``x`` (> 0 if ``positive``, else >= 0), or an error naming the argument."""
    bound = "> 0" if positive else ">= 0"
    if not _is_real(x):
        raise TypeError(f"gradcheck: {name} must be a finite real number {bound}, got {x!r}")
    x = float(x)
    if not math.isfinite(x) or x < 0.0 or (positive and x == 0.0):
        raise ValueError(f"gradcheck: {name} must be a finite real number {bound}, got {x!r}")
    return x


def numeric_grads(f: Callable[..., Value], inputs: Sequence[Value], eps: float = 1e-6) -> list[float]:
    """Central differences of ``f(*inputs)`` with respect to each input's data."""
    eps = _checked_tolerance("eps", eps, positive=True)
    grads = []
    for x in inputs:
        original = x.data
        try:
            x.data = original + eps
            plus = _evaluate(f, inputs)
            x.data = original - eps
            minus = _evaluate(f, inputs)
        finally:
            x.data = original
        grads.append((plus - minus) / (2.0 * eps))
    return grads


def _analytic_grads(f: Callable[..., Value], inputs: list[Value]) -> list[float]:
    """∂f/∂input_i by backward, every grad it touches put back as it was."""
    saved_inputs = [x.grad for x in inputs]
    out = f(*inputs)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
    graph = topological_order(out)
    saved_graph = [node.grad for node in graph]
    try:
        for x in inputs:
            x.grad = 0.0
        backward(out)
        return [x.grad for x in inputs]
    finally:
        for node, grad in zip(graph, saved_graph):
            node.grad = grad
        for x, grad in zip(inputs, saved_inputs):
            x.grad = grad


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    order: int = 1,
) -> bool:
    """Check ``f(*inputs).backward()`` against central differences.

    ``inputs`` are leaf Values; their ``data`` is nudged by ±eps and put back, and every
    ``grad`` in the graph (inputs, other leaves such as weights, inner nodes) is left as
    it was.  Returns True when every gradient agrees within
    ``atol + rtol * |numeric|``; otherwise raises GradcheckError naming the input, the
    analytic and the numeric value.  NaN or infinite gradients are always reported.
    ``order=2`` checks second derivatives instead: ``autograd.hessian`` of ``f`` against
    central differences of its gradient, the error naming both inputs of the entry.
    """
    eps = _checked_tolerance("eps", eps, positive=True)
    atol = _checked_tolerance("atol", atol)
    rtol = _checked_tolerance("rtol", rtol)
    if order not in (1, 2) or isinstance(order, bool):
        raise ValueError(f"gradcheck: order must be 1 or 2, got {order!r}")
    inputs = list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"gradcheck: input {i} must be a Value, got {type(x).__name__}")
    if order == 2:
        return _check_second_order(f, inputs, eps, atol, rtol)
    analytic = _analytic_grads(f, inputs)
    numeric = numeric_grads(f, inputs, eps)
    for i, (x, a, n) in enumerate(zip(inputs, analytic, numeric)):
        where = f"{_name(x, i)} at data={x.data!r}: analytic grad {a!r}, numeric grad {n!r}"
        if not (math.isfinite(a) and math.isfinite(n)):
            raise GradcheckError(f"gradcheck: non-finite gradient for {where}")
        if abs(a - n) > atol + rtol * abs(n):
            raise GradcheckError(f"gradcheck: gradients disagree for {where} (|diff| = {abs(a - n):.3g})")
    return True


def _gradient_floats(f: Callable[..., Value], inputs: list[Value]) -> list[float]:
    from .higher import grad

    out = f(*inputs)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
    return list(grad(out, inputs, allow_unused=True))


def _check_second_order(f: Callable[..., Value], inputs: list[Value], eps: float, atol: float,
                        rtol: float) -> bool:
    """The Hessian by double backward against central differences of the gradient (no grad changes)."""
    from .higher import hessian

    out = f(*inputs)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
    analytic = hessian(out, inputs)
    for j, x in enumerate(inputs):
        original = x.data
        try:
            x.data = original + eps
            plus = _gradient_floats(f, inputs)
            x.data = original - eps
            minus = _gradient_floats(f, inputs)
        finally:
            x.data = original
        for i, (p, m) in enumerate(zip(plus, minus)):
            a, n = analytic[i][j], (p - m) / (2.0 * eps)
            where = (f"∂²f/∂({_name(inputs[i], i)})∂({_name(x, j)}) at data="
                     f"{[v.data for v in inputs]!r}: analytic {a!r}, numeric {n!r}")
            if not math.isfinite(a) or not math.isfinite(n):
                raise GradcheckError(f"gradcheck: non-finite second derivative {where}")
            if abs(a - n) > atol + rtol * abs(n):
                diff = f"(|diff| = {abs(a - n):.3g})"
                raise GradcheckError(f"gradcheck: second derivatives disagree, {where} {diff}")
    return True
