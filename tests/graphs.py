"""Graphs that more than one test module draws (a helper, not a test module)."""

from __future__ import annotations

import math

from autograd import Value, dot


def tanh_neuron():
    """a = tanh(w1·x1 + w2·x2 + b), with b chosen so that z = asinh(1) and a = 1/√2."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.0 + math.asinh(1.0), "b")
    z = dot([w1, w2], [x1, x2], b)
    z.label = "z"
    a = z.tanh()
    a.label = "a"
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "z": z, "a": a}
