"""gradcheck: compare backward's gradients with central differences.

The numeric derivative (f(x + ε) − f(x − ε)) / 2ε knows nothing about the chain
rule, so agreement between the two is independent evidence that backward is right.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .backward import backward
from .value import Value, no_grad


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


def numeric_grads(f: Callable[..., Value], inputs: Sequence[Value], eps: float = 1e-6) -> list[float]:
    """Central differences of ``f(*inputs)`` with respect to each input's data."""
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


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> bool:
    """Check ``f(*inputs).backward()`` against central differences.

    ``inputs`` are leaf Values; their ``data`` is nudged by ±eps and put back, and their
    ``grad`` is left as it was.  Returns True when every gradient agrees within
    ``atol + rtol * |numeric|``; otherwise raises GradcheckError naming the input, the
    analytic and the numeric value.  NaN or infinite gradients are always reported.
    """
    inputs = list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"gradcheck: input {i} must be a Value, got {type(x).__name__}")
    saved = [x.grad for x in inputs]
    try:
        for x in inputs:
            x.grad = 0.0
        out = f(*inputs)
        if not isinstance(out, Value):
            raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
        backward(out)
        analytic = [x.grad for x in inputs]
    finally:
        for x, grad in zip(inputs, saved):
            x.grad = grad
    numeric = numeric_grads(f, inputs, eps)
    for i, (x, a, n) in enumerate(zip(inputs, analytic, numeric)):
        where = f"{_name(x, i)} at data={x.data!r}: analytic grad {a!r}, numeric grad {n!r}"
        if not (math.isfinite(a) and math.isfinite(n)):
            raise GradcheckError(f"gradcheck: non-finite gradient for {where}")
        if abs(a - n) > atol + rtol * abs(n):
            raise GradcheckError(f"gradcheck: gradients disagree for {where} (|diff| = {abs(a - n):.3g})")
    return True
