"""Cases for notebook 14's exercises: 14.1 by a central difference through the chain, the
others by hand."""

from __future__ import annotations

import math


def _chain_ratio() -> float:
    """∂z⁴/∂z¹ (= δ¹/δ⁴ for any cost) of the 4-neuron sigmoid chain, by a central difference."""
    ws, zs = [2.0, -1.5, 3.0], [0.5, -1.0, 2.0]
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    # biases that make z², z³ what the givens say when z¹ = 0.5
    biases, z = [], zs[0]
    for w, wanted in zip(ws[:2], zs[1:]):
        biases.append(wanted - w * sig(z))
        z = wanted
    biases.append(0.0)

    def z4(z1: float) -> float:
        z = z1
        for w, b in zip(ws, biases):
            z = w * sig(z) + b
        return z

    h = 1e-5
    return (z4(zs[0] + h) - z4(zs[0] - h)) / (2 * h)


CASES = {
    "14.1": (_chain_ratio(), [0.0, 2.0 * -1.5 * 3.0, 0.25**3 * 2.0 * -1.5 * 3.0, -_chain_ratio()]),
    # normal: √(50·1·0.64) = 5.657; lecun: √(50·(1/50)·0.64) = 0.8
    "14.2": ([math.sqrt(32.0), 0.8], [[0.8, 5.657], [32.0, 0.64], [5.657, 0.113], [4.0, 0.8]]),
    # A: 0.9·1.1·1.3 = 1.287; B: z² < 0 stops it
    "14.3": ([1.287, 0.0], [[1.287, 1.287], [0.0, 0.0], [1.287, 0.9 * 1.3], [0.25 * 1.287, 0.0]]),
}
