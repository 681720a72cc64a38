"""Random graphs on extreme inputs: how many backward passes raise after a successful forward.

    python benchmarks/extremes.py [N]                          # this tree's engine (N = 5000)
    PYTHONPATH=/path/to/another/tree python benchmarks/extremes.py 5000

Each graph is 1-10 random ops (every op of the engine) over 2-4 leaves, most of them drawn
from 0, ±1e-200, 1e200, ±700, 5e-324, 1.7e308, nan, ±inf; ops whose forward raises are left
out.  The engine promises that once the forward pass succeeded, neither ``backward()`` nor
``autograd.fast.backward`` raises (README, Guarantees); this counts how often that fails.
Seeded: the same N gives the same graphs.
"""

from __future__ import annotations

import math
import random
import sys

import autograd
from autograd import Value, fast

EXTREMES = (0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-200, -1e-200, 1e200, -1e200, 700.0, -700.0,
            5e-324, 1.7e308, math.nan, math.inf, -math.inf)
OPS = [
    (2, lambda a, b: a + b), (2, lambda a, b: a - b), (2, lambda a, b: a * b), (2, lambda a, b: a / b),
    (2, lambda a, b: a**b), (1, lambda a: -a), (1, Value.exp), (1, Value.log), (1, Value.tanh),
    (1, Value.sigmoid), (1, Value.relu), (1, lambda a: a**3), (1, lambda a: a**-0.5), (1, lambda a: 2**a),
    (3, lambda a, b, c: autograd.sum([a, b, c, a])),
    (4, lambda w1, w2, x1, x2: autograd.dot([w1, w2], [x1, x2])),
    (3, lambda w, x, b: autograd.dot([w], [x], b)),
]


def random_program(rng: random.Random):
    leaves, length = rng.randint(2, 4), rng.randint(1, 10)
    data = [rng.choice(EXTREMES) if rng.random() < 0.7 else rng.uniform(-3, 3) for _ in range(leaves)]
    ops = [(rng.randrange(len(OPS)), [rng.randrange(51) for _ in range(4)]) for _ in range(length)]
    return data, ops


def build(program) -> Value | None:
    """The graph, or None when every op's forward raised."""
    data, ops = program
    values = [Value(x) for x in data]
    kept = 0
    for k, picks in ops:
        arity, op = OPS[k]
        try:
            values.append(op(*[values[i % len(values)] for i in picks[:arity]]))
            kept += 1
        except (ValueError, ZeroDivisionError, OverflowError):
            pass
    return autograd.sum(values[len(data):]) if kept else None


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rng = random.Random(11)
    forward_ok = raised = raised_fast = 0
    for _ in range(n):
        program = random_program(rng)
        root = build(program)
        if root is None:
            continue
        forward_ok += 1
        try:
            root.backward()
        except Exception:
            raised += 1
        try:
            fast.backward(build(program))
        except Exception:
            raised_fast += 1
    print(f"{autograd.__file__}: {n} graphs, forward succeeded {forward_ok}, "
          f"backward() raised {raised}, fast.backward raised {raised_fast}")


if __name__ == "__main__":
    main()
