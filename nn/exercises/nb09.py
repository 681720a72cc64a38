"""Exercises of notebook 09 (backprop as code)."""

from __future__ import annotations

import math
import random
from typing import Any

from autograd import Value

from ._core import _as_number, _call, _close, _exercise, _items, _Wrong


@_exercise(
    "09.1",
    "write the backward lines",
    "one line per chain-rule product, from the cost back: ∂C/∂a = a − y, then ∂C/∂z = σ′(z)·∂C/∂a "
    "with σ′(z) = a(1 − a), then each weight's input times ∂C/∂z, and the bias's 1 times ∂C/∂z.",
    lambda: {
        "signature": "neuron_backward(x1, x2, w1, w2, b, y) -> (d_w1, d_w2, d_b)",
        "graph": "z = w1*x1 + w2*x2 + b;  a = σ(z);  C = ½(a − y)²",
        "asked": "∂C/∂w1, ∂C/∂w2, ∂C/∂b, in plain float arithmetic (no Value)",
    },
)
def _09_1(answer: Any) -> None:
    rng = random.Random(9)
    for trial in range(4):
        args = [rng.uniform(-2, 2) for _ in range(5)] + [rng.choice((0.0, 1.0))]
        x1, x2, w1, w2, b, y = (Value(t) for t in args)
        cost = 0.5 * ((w1 * x1 + w2 * x2 + b).sigmoid() - y) ** 2
        cost.backward()
        got = _items(_call(answer, *args), 3, "gradients")
        for name, value, leaf in (("d_w1", got[0], w1), ("d_w2", got[1], w2), ("d_b", got[2], b)):
            _close(value, leaf.grad, 1e-9, 1e-12, what=f"your {name} (input {trial + 1})")


def _09_2_graph() -> tuple[Value, Value, Value]:
    u, v = Value(0.5, label="u"), Value(-1.5, label="v")
    p = u * v
    p.label = "p"
    q = p + u
    q.label = "q"
    s = q.tanh()
    s.label = "s"
    return u, v, s


def _09_2_givens() -> dict[str, Any]:
    from autograd.codegen import codegen

    u, v, s = _09_2_graph()
    return {
        "graph": "p = u * v;  q = p + u;  s = tanh(q)",
        "u": 0.5,
        "v": -1.5,
        "program": codegen(s, [u, v]).source,
        "line": "d_u += v * d_q",
        "asked": "the number this line adds to d_u when the program runs at u = 0.5, v = −1.5",
    }


@_exercise(
    "09.2",
    "read one line",
    "the line is one edge's product, local derivative × upstream grad; which edge has local derivative v? "
    "∂q/∂p = 1, so the program lets d_q stand for ∂s/∂p too. Work out d_q from the forward values.",
    _09_2_givens,
)
def _09_2(answer: Any) -> None:
    u, v, s = _09_2_graph()
    q = s.parents[0]
    _close(answer, v.data * (1.0 - math.tanh(q.data) ** 2))


def _09_3_function(x: Value) -> Value:
    return x * x if x.data > 0 else -x


@_exercise(
    "09.3",
    "what is baked in",
    "codegen records the operations the Python code ran while the graph was built, not the Python `if`; "
    "the program computes the graph of the branch taken at x = 2, whatever x you give it.",
    lambda: {
        "function": "def f(x): return x * x if x.data > 0 else -x",
        "traced": "prog = codegen(f(x), [x]) with x = Value(2.0)",
        "asked": "the gradient prog(-1.0) returns (the number in its tuple of gradients)",
    },
)
def _09_3(answer: Any) -> None:
    from autograd.codegen import codegen

    x = Value(2.0, label="x")
    _, (gradient,) = codegen(_09_3_function(x), [x])(-1.0)
    number = _as_number(answer)
    if number == -1.0:  # f′(−1) of the function itself: the branch is not re-decided
        raise _Wrong("that is f's own derivative at x = −1; the program does not run the `if` again.")
    _close(number, gradient)
