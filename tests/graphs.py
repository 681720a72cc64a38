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


def erf_without_a_second_rule():
    """(x, erf-like node of x) whose local-derivative text calls ``erf_prime``, the forward of no
    registered op: a rule that cannot be read again to differentiate twice."""
    from autograd.value import Rule, _result

    def erf_local(out):
        return (2.0,)

    erf_local.rule = Rule("erf", erf_local, "erf({0})", ("erf_prime({0})",))
    x = Value(0.3)
    return x, _result(0.1, (x,), "erf", erf_local)
