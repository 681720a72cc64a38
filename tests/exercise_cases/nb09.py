"""Cases for notebook 09's exercises, worked out in plain floats and closed forms."""

from __future__ import annotations

import math


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def neuron_backward(x1, x2, w1, w2, b, y):
    """∂C/∂(w1, w2, b) of C = ½(σ(z) − y)²: (a − y)·a(1 − a) times each input (1 for b)."""
    a = sig(w1 * x1 + w2 * x2 + b)
    dz = (a - y) * a * (1 - a)
    return dz * x1, dz * x2, dz


def forgot_sigma_prime(x1, x2, w1, w2, b, y):
    a = sig(w1 * x1 + w2 * x2 + b)
    return (a - y) * x1, (a - y) * x2, a - y


def swapped_inputs(x1, x2, w1, w2, b, y):
    d1, d2, db = neuron_backward(x1, x2, w1, w2, b, y)
    return d2, d1, db


# 09.2: the line d_u += v * d_q is the edge p -> u: ∂p/∂u = v times ∂s/∂p = ∂s/∂q = 1 − tanh²(q).
U, V = 0.5, -1.5
Q = U * V + U
LINE = V * (1 - math.tanh(Q) ** 2)
D_U = (1 - math.tanh(Q) ** 2) * (1 + V)  # all of d_u: the line plus the + edge's term

CASES = {
    "09.1": (neuron_backward, [forgot_sigma_prime, swapped_inputs, lambda *args: (0.0, 0.0), "d_w1"]),
    "09.2": (LINE, [D_U, 1 - math.tanh(Q) ** 2, V, -LINE]),
    # traced at x = 2 the graph is x * x: the program returns d(x²)/dx = 2x at x = −1
    "09.3": (2 * -1.0, [-1.0, 4.0, 2.0]),
}
