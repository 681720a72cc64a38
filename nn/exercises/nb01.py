"""Exercises of notebook 01 (Values)."""

from __future__ import annotations

import math
from typing import Any

from autograd import Value

from ._core import _call, _close, _exercise


@_exercise(
    "01.1",
    "two paths add",
    "x reaches f along two paths, through (x + u) and as the second factor; add what each gives.",
    lambda: {"f": "(x + u) * x", "x": 2.0, "u": -3.0, "asked": "∂f/∂x"},
)
def _01_1(answer: Any) -> None:
    x, u = Value(2.0), Value(-3.0)
    ((x + u) * x).backward()
    _close(answer, x.grad)


@_exercise(
    "01.2",
    "leaves accumulate",
    "one backward() adds d(w·w)/dw to w.grad; nothing resets a leaf between the two calls.",
    lambda: {"w": 3.0, "out": "w * w", "asked": "w.grad after out.backward() twice, no zero_grad"},
)
def _01_2(answer: Any) -> None:
    w = Value(3.0)
    out = w * w
    out.backward()
    out.backward()
    _close(answer, w.grad)


@_exercise(
    "01.3",
    "a central difference",
    "evaluate f a little to the right and a little to the left of x; divide the change by the "
    "distance between the two points.",
    lambda: {"signature": "central_difference(f, x, eps=1e-6) -> float"},
)
def _01_3(answer: Any) -> None:
    cases = [(math.sin, 0.3, math.cos(0.3)), (lambda t: t**3, 2.0, 12.0), (math.exp, -1.0, math.exp(-1.0))]
    for f, x, exact in cases:
        got = _call(answer, f, x)
        _close(got, exact, rel=1e-6, abs_=1e-8, what=f"your derivative at x = {x}")


@_exercise(
    "01.4",
    "= instead of +=",
    "with =, every edge into a overwrites what the earlier edges wrote; find which edge into a the "
    "backward pass handles last (the + node comes before the * node).",
    lambda: {
        "f": "a * b + a",
        "a": 2.0,
        "b": 5.0,
        "asked": "a.grad if backward did parent.grad = local * upstream instead of +=",
    },
)
def _01_4(answer: Any) -> None:
    a, b = Value(2.0), Value(5.0)
    f = a * b + a
    overwritten: dict[int, float] = {id(f): 1.0}
    for step in f.backward_steps():  # replay the same order, assigning instead of adding
        upstream = overwritten.get(id(step.node), 0.0)
        for parent, local in zip(step.node.parents, step.local_grads):
            overwritten[id(parent)] = local * upstream
    _close(answer, overwritten[id(a)])
