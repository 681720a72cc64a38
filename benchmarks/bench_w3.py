"""W3: Σ wᵢ·xᵢ over 100,000 terms, as elementary ops and as one dot node.

- ``elementary``: 100,000 ``*`` nodes, then their sum as a balanced tree of 99,999 ``+``
  nodes (a tree, not a chain, so that micrograd's recursive backward can do it too:
  the node count is the same);
- ``dot``: ``autograd.dot(w, x)``, one node with 200,000 parents.

``glassgrad-fast`` builds the same graphs and runs ``autograd.fast.backward``.

Reported: forward and backward time, op nodes per second and terms (products) per
second, and tracemalloc bytes per op node: everything the graph allocates beyond its
leaves (which exist before and are not counted), divided by the number of op nodes.
"""

from __future__ import annotations

import gc
import random
import tracemalloc
from time import perf_counter


def _pairwise_sum(values):
    while len(values) > 1:
        paired = [values[i] + values[i + 1] for i in range(0, len(values) - 1, 2)]
        if len(values) % 2:
            paired.append(values[-1])
        values = paired
    return values[0]


def _data(n: int, seed: int = 0):
    rng = random.Random(seed)
    return [rng.uniform(-1, 1) for _ in range(n)], [rng.uniform(-1, 1) for _ in range(n)]


def op_nodes(kind: str, n: int) -> int:
    return 1 if kind == "dot" else 2 * n - 1


def _build(kind: str, V, w, x, dot=None):
    if kind == "dot":
        return dot(w, x)
    return _pairwise_sum([wi * xi for wi, xi in zip(w, x)])


def _engine(engine: str):
    if engine == "micrograd":
        from micrograd.engine import Value

        return Value, None
    import autograd
    from autograd import Value

    return Value, autograd.dot


def _backward(engine: str):
    """How this engine runs backward from a root."""
    if engine == "glassgrad-fast":
        from autograd.fast import backward

        return backward
    return lambda root: root.backward()


def make_run(engine: str, kind: str, n: int):
    V, dot = _engine(engine)
    backward = _backward(engine)
    wd, xd = _data(n)

    def run():
        w = [V(v) for v in wd]
        x = [V(v) for v in xd]
        start = perf_counter()
        root = _build(kind, V, w, x, dot)
        built = perf_counter()
        backward(root)
        done = perf_counter()
        return {"forward": built - start, "backward": done - built}

    return run


def bytes_per_node(engine: str, kind: str, n: int) -> float:
    """tracemalloc: bytes the graph holds after the forward pass, per op node."""
    V, dot = _engine(engine)
    wd, xd = _data(n)
    w = [V(v) for v in wd]
    x = [V(v) for v in xd]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        root = _build(kind, V, w, x, dot)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del root
    return (after - before) / op_nodes(kind, n)


def check(cases, n: int = 1_000) -> dict[str, float]:
    """Before timing: in every case Σ w·x equals ``math.fsum`` of the products (1e-12
    relative) and ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ exactly; returns each case's relative error of the sum."""
    import math

    wd, xd = _data(n, seed=1)
    want = math.fsum(a * b for a, b in zip(wd, xd))
    report = {}
    for engine, kind in cases:
        V, dot = _engine(engine)
        w = [V(v) for v in wd]
        x = [V(v) for v in xd]
        root = _build(kind, V, w, x, dot)
        _backward(engine)(root)
        error = abs(root.data - want) / abs(want)
        if error > 1e-12 or [p.grad for p in w] != xd or [p.grad for p in x] != wd:
            raise AssertionError(f"W3: {engine} {kind} gives Σ w·x = {root.data!r} (fsum {want!r}) "
                                 "or gradients that are not the other factor exactly")
        report[f"{engine} {kind}"] = error
    return report
