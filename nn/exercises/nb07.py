"""Exercises of notebook 07 (costs, L2)."""

from __future__ import annotations

import math
from typing import Any

from ._core import _as_count, _close, _exercise, _items, _same_count, _sigmoid, _Wrong


@_exercise(
    "07.1",
    "how much faster",
    "the two δs differ by one factor, σ′(z) = a(1 − a).",
    lambda: {"neuron": "sigmoid, output layer, z = 3.0", "asked": "δ(cross-entropy) / δ(quadratic)"},
)
def _07_1(answer: Any) -> None:
    s = _sigmoid(3.0)
    _close(answer, 1.0 / (s * (1 - s)))


@_exercise(
    "07.2",
    "decay alone",
    "each step multiplies the weight by (1 − ηλ/n) when the data's gradient is zero.",
    lambda: {
        "eta": 0.5,
        "lambda": 5.0,
        "n": 50,
        "asked": "how many steps until a weight is below half its start",
    },
)
def _07_2(answer: Any) -> None:
    factor = 1 - 0.5 * 5.0 / 50
    steps = math.ceil(math.log(0.5) / math.log(factor))
    _same_count(answer, steps)


def _07_3_givens() -> dict[str, Any]:
    return {
        "neuron": "a = σ(2·x₁ − 1·x₂ − 0.5)",
        "inputs": [[1.0, 1.0], [0.0, 0.0], [0.5, 0.6], [1.0, 2.0], [2.0, 3.0]],
        "asked": "the predicted class (1 if a > 0.5, else 0) of each input, as a list",
    }


@_exercise("07.3", "the 0.5 threshold", "a > 0.5 exactly when z > 0; compute z for each input.", _07_3_givens)
def _07_3(answer: Any) -> None:
    expected = [1 if _sigmoid(2 * u - v - 0.5) > 0.5 else 0 for u, v in _07_3_givens()["inputs"]]
    got = [
        _as_count(c, f"class {i}") for i, c in enumerate(_items(answer, len(expected), "classes (0 or 1)"))
    ]
    if got != expected:
        raise _Wrong("not every class is right.")
