"""Exercises of notebook 03 (neurons)."""

from __future__ import annotations

import math
import random
from typing import Any

from ._core import _call, _close, _exercise, _mlp_from, _sigmoid


def _03_net() -> dict[str, Any]:
    return {
        "network": "1 input → 2 sigmoid neurons (L1) → 1 sigmoid neuron (L2), cost C = ½(a − y)²",
        "x": 0.8,
        "y": 1.0,
        "L1 weights": [0.6, -0.4],
        "L1 biases": [0.1, 0.2],
        "L2 weights": [1.5, -2.0],
        "L2 bias": 0.3,
        "asked": "δ = ∂C/∂z of L1.N0 (the first hidden neuron)",
    }


@_exercise(
    "03.1",
    "one δ by hand",
    "start at the output: δ = (a − y)·σ′(z) there; then σ′(z)·w·δ for the hidden "
    "neuron, with σ′(z) = a(1 − a).",
    _03_net,
)
def _03_1(answer: Any) -> None:
    from ..losses import quadratic_cost

    g = _03_net()
    model = _mlp_from(g, "L1 weights", "L1 biases", "L2 weights", "L2 bias", 1)
    quadratic_cost(model([g["x"]]), g["y"]).backward()
    _close(answer, model.layers[0].neurons[0].z.grad)


@_exercise(
    "03.2",
    "weaker or stronger?",
    "going back through one sigmoid layer multiplies δ by the weight AND by σ′(z) of the hidden neuron.",
    lambda: {
        "network": "1 → 1 → 1, sigmoid; the hidden neuron's z is 1.0, the output weight w is 6.0",
        "asked": "δ_hidden / δ_out",
    },
)
def _03_2(answer: Any) -> None:
    s = _sigmoid(1.0)
    _close(answer, 6.0 * s * (1 - s))


@_exercise(
    "03.3",
    "one amplifier of the reverse network",
    "the reverse neuron sums weight × δ over the neurons it feeds, then multiplies by its gain.",
    lambda: {
        "signature": "reverse_neuron(gain, weights, deltas) -> float",
        "weights": "w_kj for each neuron k of the next layer",
        "deltas": "their δ_k",
    },
)
def _03_3(answer: Any) -> None:
    rng = random.Random(3)
    for n in (1, 2, 5):
        gain = rng.uniform(0, 0.25)
        weights = [rng.uniform(-2, 2) for _ in range(n)]
        deltas = [rng.uniform(-1, 1) for _ in range(n)]
        got = _call(answer, gain, list(weights), list(deltas))
        _close(
            got,
            gain * math.fsum(w * d for w, d in zip(weights, deltas)),
            1e-9,
            1e-12,
            what=f"the result for {n} next neurons",
        )
