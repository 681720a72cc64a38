"""Exercises of notebook 05 (gradient descent)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ._core import _as_number, _close, _close_list, _exercise, _items, _Wrong

_BOX_X = (1.0, 1.1, 1.2, 2.0)
_BOX_Y = (2.21, 2.431, 2.652, 4.42)


def _box_gradient(theta: Sequence[float], samples: Sequence[int]) -> list[float]:
    """∂C/∂(w₁, w₂, b) of C = mean ½(w₁x + w₂x² + b − y)² over ``samples``."""
    grad = [0.0, 0.0, 0.0]
    for i in samples:
        x, y = _BOX_X[i], _BOX_Y[i]
        error = theta[0] * x + theta[1] * x * x + theta[2] - y
        for k, feature in enumerate((x, x * x, 1.0)):
            grad[k] += error * feature / len(samples)
    return grad


def _largest_curvature() -> float:
    """The largest eigenvalue of the black box's Hessian (1/n) Σ f fᵀ, f = (x, x², 1): power iteration."""
    H = [
        [sum(f[i] * f[j] for f in ((x, x * x, 1.0) for x in _BOX_X)) / len(_BOX_X) for j in range(3)]
        for i in range(3)
    ]
    v = [1.0, 1.0, 1.0]
    mu = 0.0
    for _ in range(200):
        w = [sum(H[i][j] * v[j] for j in range(3)) for i in range(3)]
        mu = math.sqrt(sum(t * t for t in w))
        v = [t / mu for t in w]
    return mu


@_exercise(
    "05.1",
    "where η diverges",
    "near the bottom of the valley the cost is a quadratic bowl; along its most curved direction a step "
    "multiplies the distance to the bottom by (1 − ημ): find where that factor passes −1, with μ the "
    "largest eigenvalue of the cost's second-derivative (Hessian) matrix.",
    lambda: {
        "model": "z = w₁x + w₂x² + b on the black box, full batch, quadratic cost",
        "asked": "the learning rate η above which gradient descent diverges near the minimum, "
        "from the curvature (to 1%)",
    },
)
def _05_1(answer: Any) -> None:
    _close(answer, 2.0 / _largest_curvature(), rel=0.01, what="your η")


def _05_2_givens() -> dict[str, Any]:
    return {
        "box": "f(x) = 2.002·x + 0.332·x² (the box of this notebook)",
        "target": 5.0,
        "asked": "the input x ≥ 0 for which f(x) = 5 (to 1e-4)",
    }


@_exercise(
    "05.2",
    "guess the input",
    "do gradient descent on the INPUT: the gradient of ½(f(x) − 5)² with respect to x is (f(x) − 5)·f′(x).",
    _05_2_givens,
)
def _05_2(answer: Any) -> None:
    a, b, c = 0.332, 2.002, -5.0
    root = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    _close(answer, root, rel=0, abs_=1e-4, what="your input")


@_exercise(
    "05.3",
    "one mini-batch gradient",
    "a mini-batch's gradient averages, over ITS samples only, (z − y) times the feature on the weight.",
    lambda: {
        "model": "z = w₁x + w₂x² + b, first guess w₁ = w₂ = 1, b = 0",
        "mini-batch": "the samples x = 1.1 and x = 2",
        "asked": "∂C/∂w₂ for that mini-batch",
    },
)
def _05_3(answer: Any) -> None:
    _close(answer, _box_gradient((1.0, 1.0, 0.0), (1, 3))[1])


@_exercise(
    "05.4",
    "the steepest way down",
    "the slope along a unit vector v is ∇C·v; it is most negative when v points exactly against ∇C.",
    lambda: {
        "model": "z = w₁x + w₂x² + b on all four samples",
        "at": {"w1": 2.0, "w2": 0.5, "b": -1.0},
        "asked": "the unit vector (v₁, v₂, v₃) along (w₁, w₂, b) in which the cost falls fastest there",
    },
)
def _05_4(answer: Any) -> None:
    g = _box_gradient((2.0, 0.5, -1.0), range(4))
    norm = math.sqrt(sum(t * t for t in g))
    items = [_as_number(v, f"entry {i}") for i, v in enumerate(_items(answer, 3))]
    length = math.sqrt(sum(t * t for t in items))
    if not math.isclose(length, 1.0, rel_tol=1e-3):
        raise _Wrong("your vector does not have length 1.")
    _close_list(items, [-t / norm for t in g], rel=1e-3, abs_=1e-4)
