"""Exercises of notebook 13 (what one hidden layer can do)."""

from __future__ import annotations

import math
from typing import Any

from ._core import _as_number, _close, _exercise, _items, _same_count, _Wrong


def _sigma(z: float) -> float:
    """σ(z) without overflow for very negative z (the steep neurons of a bump reach |z| > 700)."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@_exercise(
    "13.1",
    "where the step is",
    "the output is σ(w·x + b), which is 0.5 where w·x + b = 0.",
    lambda: {"neuron": "one input x, sigmoid: w = 250.0, b = -85.0", "asked": "the x where its step sits"},
)
def _13_1(answer: Any) -> None:
    w, b = 250.0, -85.0
    _close(answer, -b / w)


_BUMP = {"w": 500.0, "height": 0.7, "from": 0.3, "to": 0.6}


@_exercise(
    "13.2",
    "a bump by hand",
    "neuron 0 steps up at the left edge, neuron 1 at the right edge (b = −w·s for a step at s); "
    "the output adds them with weights that make the difference of the two steps, times the height.",
    lambda: {
        "network": "nn.MLP(1, [2, 1], activation='sigmoid'): both hidden weights w¹₀₀ = w¹₁₀ = 500.0, "
        "output bias b²₀ = 0",
        "wanted": "output 0.7 for x in [0.3, 0.6], 0 elsewhere on [0, 1]",
        "asked": "(b¹₀, b¹₁, w²₀₀, w²₀₁): the two hidden biases, then the two output weights",
    },
)
def _13_2(answer: Any) -> None:
    b0, b1, v0, v1 = (_as_number(v, f"entry {i}") for i, v in enumerate(_items(answer, 4)))
    w, h, left, right = _BUMP["w"], _BUMP["height"], _BUMP["from"], _BUMP["to"]
    for i in range(1001):  # the output on [0, 1], away from the two rises (0.02 = 10/w on each side)
        x = i / 1000
        if abs(x - left) < 0.02 or abs(x - right) < 0.02:
            continue
        out = v0 * _sigma(w * x + b0) + v1 * _sigma(w * x + b1)
        wanted = h if left < x < right else 0.0
        if not abs(out - wanted) < 0.01:
            raise _Wrong(
                "that network's output is not the bump everywhere on [0, 1] (checked on a grid, away "
                "from the two edges): check where each step sits and the signs of the output weights."
            )


_LINE = {"slope": 2.5, "largest error": 0.012}


@_exercise(
    "13.3",
    "bumps for a straight line",
    "a flat bump of height g(centre) on a piece of width 1/N misses g(x) = c·x most at the piece's "
    "ends, by c times half the width.",
    lambda: {
        "function": "g(x) = 2.5·x on [0, 1]",
        "bumps": "N equal pieces, bump i at height g(centre of piece i); ideal steps (infinitely steep)",
        "asked": "the smallest N for which the largest |network − g| is at most 0.012",
    },
)
def _13_3(answer: Any) -> None:
    _same_count(answer, math.ceil(_LINE["slope"] / (2 * _LINE["largest error"])), "the number of bumps")
