"""Exercises of notebook 12 (backprop is a graph too: second derivatives)."""

from __future__ import annotations

import math
from typing import Any

from ._core import _close, _exercise

_Z = -1.3
_START = 0.9


def _sigmoid_second(z: float) -> float:
    """σ″(z) by the engine: the derivative of the derivative graph of σ."""
    from autograd import Value, grad

    x = Value(z)
    (first,) = grad(x.sigmoid(), [x], create_graph=True)
    return grad(first, [x])[0]


def _f(x):
    """The function of 12.2, on Values: x⁴ − 3x + sin x."""
    return x**4 - 3.0 * x + x.sin()


def _newton_from(x0: float) -> float:
    from autograd import Value, grad

    x = Value(x0)
    (first,) = grad(_f(x), [x], create_graph=True)
    (second,) = grad(first, [x])
    return x0 - first.data / second


# 12.3's cost C(u, v) = 3u² + 2uv + v² − u, by its second derivatives (a constant Hessian).
_H = ((6.0, 2.0), (2.0, 2.0))


def _edge() -> float:
    (a, b), (_, d) = _H
    mu_max = (a + d) / 2 + math.sqrt(((a - d) / 2) ** 2 + b * b)
    return 2.0 / mu_max


@_exercise(
    "12.1",
    "σ″(z)",
    "differentiate σ′(z) = σ(z)(1 − σ(z)) once more (product rule, with σ′ = σ(1 − σ)), or call grad twice "
    "with create_graph=True the first time.",
    lambda: {"z": _Z, "asked": "the second derivative of the sigmoid σ at z (to 1e-3 relative)"},
)
def _12_1(answer: Any) -> None:
    _close(answer, _sigmoid_second(_Z), rel=1e-3, what="your σ″(z)")


@_exercise(
    "12.2",
    "one Newton step",
    "Newton's step divides the first derivative by the second: x₁ = x₀ − f′(x₀)/f″(x₀); a gradient "
    "step would use a learning rate instead of 1/f″.",
    lambda: {
        "f": "f(x) = x⁴ − 3x + sin(x)",
        "start": _START,
        "asked": "x after one Newton step for the minimum of f, from x = start (to 1e-4 relative)",
    },
)
def _12_2(answer: Any) -> None:
    _close(answer, _newton_from(_START), rel=1e-4, what="your x")


@_exercise(
    "12.3",
    "the edge from the Hessian",
    "form the 2 × 2 Hessian of C (its entries are constants for a quadratic cost), take its largest "
    "eigenvalue μ_max, and use the edge of section 3.",
    lambda: {
        "cost": "C(u, v) = 3u² + 2uv + v² − u",
        "asked": "the learning rate η above which gradient descent on C diverges (to 1e-3 relative)",
    },
)
def _12_3(answer: Any) -> None:
    _close(answer, _edge(), rel=1e-3, what="your η")
