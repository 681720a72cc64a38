"""Exercises of notebook 14 (why deep networks are hard to train)."""

from __future__ import annotations

import math
from typing import Any

from ._core import _close, _close_list, _exercise, _sigmoid

_CHAIN = {"w": [2.0, -1.5, 3.0], "z": [0.5, -1.0, 2.0]}


@_exercise(
    "14.1",
    "δ back through a chain",
    "BP2 with one neuron per layer: going back from layer l + 1 to layer l multiplies δ by "
    "wˡ⁺¹·σ′(zˡ), with σ′(z) = σ(z)(1 − σ(z)); multiply the three factors.",
    lambda: {
        "network": "a chain of 4 sigmoid neurons, one per layer: z¹ → a¹ → z² → a² → z³ → a³ → z⁴",
        "weights": "w² = 2.0, w³ = -1.5, w⁴ = 3.0 (wˡ multiplies aˡ⁻¹ in zˡ)",
        "z": "z¹ = 0.5, z² = -1.0, z³ = 2.0",
        "asked": "δ¹ / δ⁴ (the same for any cost)",
    },
)
def _14_1(answer: Any) -> None:
    factor = 1.0
    for w, z in zip(_CHAIN["w"], _CHAIN["z"]):
        s = _sigmoid(z)
        factor *= w * s * (1 - s)
    _close(answer, factor)


_SPREAD = {"n_in": 50, "a": 0.8}


@_exercise(
    "14.2",
    "how wide z starts",
    "z = Σₖ wₖ·aₖ + b with b = 0 and independent wₖ of variance s²: the variance of z is "
    "n_in·s²·a² when every aₖ = a; its spread is the square root.",
    lambda: {
        "neuron": "50 inputs, every one a = 0.8, bias 0",
        "inits": "'normal': w ~ N(0, 1); 'lecun': w ~ N(0, 1/n_in)",
        "asked": "[standard deviation of z under 'normal', under 'lecun']",
    },
)
def _14_2(answer: Any) -> None:
    n, a = _SPREAD["n_in"], _SPREAD["a"]
    _close_list(answer, [math.sqrt(n * 1.0 * a * a), math.sqrt(n * (1.0 / n) * a * a)])


_RELU_W = [0.9, 1.1, 1.3]


@_exercise(
    "14.3",
    "δ back through ReLUs",
    "relu′(z) is 1 where z > 0 and 0 where z ≤ 0 (as the engine and PyTorch take it): each "
    "layer back multiplies δ by wˡ⁺¹·relu′(zˡ).",
    lambda: {
        "network": "two chains of 4 ReLU neurons, one per layer, both with w² = 0.9, w³ = 1.1, w⁴ = 1.3",
        "chain A": "z¹ = 1.2, z² = 0.3, z³ = 2.0",
        "chain B": "z¹ = 1.2, z² = -0.3, z³ = 2.0",
        "asked": "[δ¹ / δ⁴ of chain A, δ¹ / δ⁴ of chain B]",
    },
)
def _14_3(answer: Any) -> None:
    ratios = []
    for zs in ([1.2, 0.3, 2.0], [1.2, -0.3, 2.0]):
        ratios.append(math.prod(w * (1.0 if z > 0 else 0.0) for w, z in zip(_RELU_W, zs)))
    _close_list(answer, ratios)
