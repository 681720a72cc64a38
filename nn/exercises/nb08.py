"""Exercises of notebook 08 (training)."""

from __future__ import annotations

import math
from typing import Any

from ._core import _close_list, _exercise, _same_count


@_exercise(
    "08.1",
    "count the parameters",
    "each neuron has one weight per input plus one bias.",
    lambda: {"model": "nn.MLP(64, [32, 10])", "asked": "len(model.parameters())"},
)
def _08_1(answer: Any) -> None:
    expected = 64 * 32 + 32 + 32 * 10 + 10
    _same_count(answer, expected)


@_exercise(
    "08.2",
    "steps per epoch",
    "one step per mini-batch; the last mini-batch may be smaller than the others.",
    lambda: {"samples": 1797, "batch_size": 50, "epochs": 4, "asked": "the number of steps in the 4 epochs"},
)
def _08_2(answer: Any) -> None:
    _same_count(answer, 4 * math.ceil(1797 / 50))


@_exercise(
    "08.3",
    "the softmax cross-entropy gradient",
    "probabilities p_k = e^{z_k} / Σ_j e^{z_j}; the gradient is p_k, minus 1 for the right class.",
    lambda: {"scores": [2.0, 1.0, -1.0], "right class": 0, "asked": "∂C/∂z for the three scores, as a list"},
)
def _08_3(answer: Any) -> None:
    z = [2.0, 1.0, -1.0]
    total = math.fsum(math.exp(t) for t in z)
    _close_list(answer, [math.exp(t) / total - (1.0 if k == 0 else 0.0) for k, t in enumerate(z)])
