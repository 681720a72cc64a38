"""Exercises of notebook 04 (four equations)."""

from __future__ import annotations

import math
import random
from typing import Any

from ._core import _call, _close, _close_list, _exercise, _mlp_from, _random_lists, _same_count, _Wrong


@_exercise(
    "04.1",
    "BP2 in plain Python",
    "entry j is σ′(z_j) times Σ_k W_next[k][j]·δ_next[k]: the transpose means you walk down column j.",
    lambda: {
        "signature": "bp2(W_next, delta_next, sigma_prime) -> list of floats",
        "W_next": "list of rows: W_next[k][j] is the weight from neuron j to neuron k of the next layer",
    },
)
def _04_1(answer: Any) -> None:
    rng = random.Random(4)
    for n, m in ((1, 1), (3, 2), (2, 4)):
        W = _random_lists(rng, m, n)
        d = [rng.uniform(-1, 1) for _ in range(m)]
        sp = [rng.uniform(0, 0.25) for _ in range(n)]
        got = _call(answer, [list(r) for r in W], list(d), list(sp))
        expected = [sp[j] * math.fsum(W[k][j] * d[k] for k in range(m)) for j in range(n)]
        try:
            _close_list(got, expected, 1e-9, 1e-12)
        except _Wrong as wrong:
            raise _Wrong(f"for a layer of {n} feeding {m} neurons, {wrong}") from None


def _04_net() -> dict[str, Any]:
    return {
        "network": "2 inputs → 2 sigmoid neurons (layer 1) → 1 sigmoid neuron (layer 2), cost C = ½(a − y)²",
        "x": [0.5, -1.0],
        "y": 1.0,
        "layer 1 weights": [0.3, -0.8, 1.1, 0.4],  # row by row: w¹₀₀, w¹₀₁ (L1.N0's), then w¹₁₀, w¹₁₁
        "layer 1 biases": [0.0, -0.2],
        "layer 2 weights": [0.9, -1.3],
        "layer 2 bias": 0.1,
        "asked": "∂C/∂w²₀₁, the layer 2 weight that multiplies the output of layer 1's neuron 1",
    }


@_exercise(
    "04.2",
    "BP4 for one weight",
    "BP4: the activation coming into the weight times the δ of the neuron "
    "it feeds (here the output's δ, from BP1).",
    _04_net,
)
def _04_2(answer: Any) -> None:
    from ..losses import quadratic_cost

    g = _04_net()
    model = _mlp_from(g, "layer 1 weights", "layer 1 biases", "layer 2 weights", "layer 2 bias", 2)
    quadratic_cost(model(g["x"]), g["y"]).backward()
    _close(answer, model.layers[1].neurons[0].w[1].grad)


@_exercise(
    "04.3",
    "Nielsen's numbering",
    "Nielsen counts the input as layer 1; model.layers starts at 0 with the first layer of neurons.",
    lambda: {"asked": "Nielsen's layer number l whose weights Wˡ are model.layers[1]'s weights"},
)
def _04_3(answer: Any) -> None:
    _same_count(answer, 3, "the layer number")
