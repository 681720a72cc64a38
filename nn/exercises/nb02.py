"""Exercises of notebook 02 (backward_steps)."""

from __future__ import annotations

from typing import Any

from autograd import Value

from ._core import _close, _exercise, _items, _same_count, _Wrong


def _order_graph() -> dict[str, Value]:
    a, b, c = Value(0.5, label="a"), Value(-1.5, label="b"), Value(2.0, label="c")
    p = a * b
    p.label = "p"
    q = a + c
    q.label = "q"
    r = p * q
    r.label = "r"
    s = r + p
    s.label = "s"
    t = s.tanh()
    t.label = "t"
    return {"a": a, "b": b, "c": c, "p": p, "q": q, "r": r, "s": s, "t": t}


@_exercise(
    "02.1",
    "how many steps",
    "backward_steps yields one Step per node that has parents; leaves get none.",
    lambda: {"expression": "(x * y + x * z).tanh()", "asked": "the number of Steps backward_steps yields"},
)
def _02_1(answer: Any) -> None:
    x, y, z = Value(1.0), Value(2.0), Value(3.0)
    steps = sum(1 for _ in (x * y + x * z).tanh().backward_steps())
    _same_count(answer, steps)


@_exercise(
    "02.2",
    "an order backward may use",
    "a node may hand on its grad only when every node it feeds has handed theirs on.",
    lambda: {
        "graph": "p = a*b; q = a + c; r = p*q; s = r + p; t = tanh(s)",
        "asked": "the labels of the non-leaf nodes in an order backward could process them, t first",
    },
)
def _02_2(answer: Any) -> None:
    nodes = _order_graph()
    inner = {name for name, v in nodes.items() if v.parents}
    items = _items(answer, len(inner), "labels such as 't'")
    # Read each label as a plain str (never through the answer's own __eq__ or __hash__).
    labels = [str.__str__(item) if isinstance(item, str) else None for item in items]
    if None in labels or sorted(labels) != sorted(inner):
        raise _Wrong(
            f"the list should hold each of the {len(inner)} non-leaf labels exactly once, as strings."
        )
    position = {label: i for i, label in enumerate(labels)}
    for name in labels:
        for parent in nodes[name].parents:
            if parent.label in position and position[parent.label] < position[name]:
                raise _Wrong(
                    "in your order a node hands its grad on before every node it feeds has handed theirs."
                )


@_exercise(
    "02.3",
    "one contribution",
    "the * node's local derivative with respect to w is the other factor; multiply by its upstream grad.",
    lambda: {
        "graph": "a = tanh(x * w)",
        "x": 1.5,
        "w": 0.4,
        "asked": "the contribution the * node adds to w.grad",
    },
)
def _02_3(answer: Any) -> None:
    x, w = Value(1.5), Value(0.4)
    (x * w).tanh().backward()
    _close(answer, w.grad)
