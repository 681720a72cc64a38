"""Where the teaching backward's time goes, per node of a 1,000-op chain (W2's graph).

    python benchmarks/bench_backward_parts.py

Times ``backward()`` whole and its parts apart: the topological sort, the set-up of
``fresh_grads``, the chain-rule loop of ``_chain_rule`` as a plain loop, and the
generator run with a pause at each node (what ``backward_steps`` drives, minus the
``Step`` records).  Best of 5 repeats of 200 calls, in ns per node (timeit: GC off).
"""

from __future__ import annotations

import timeit

from autograd import Value
from autograd.backward import _chain_rule, backward, fresh_grads, topological_order

N = 1000


def chain(n: int = N) -> Value:
    a, y = Value(1.0001), Value(1.0)
    for _ in range(n):
        y = y * a
    return y


def ns_per_node(fn, number: int = 200) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number / N * 1e9


def main() -> None:
    y = chain()
    order = topological_order(y)

    def set_up_only():
        with fresh_grads(order, y):
            pass

    def loop_without_generator():  # the body of _chain_rule, as a plain loop
        for node in reversed(order):
            parents = node.parents
            if not parents:
                continue
            upstream = node.grad
            local_grads = node._local_grads(node)
            i = 0
            for parent in parents:
                local = local_grads[i]
                parent.grad += local * upstream
                i += 1

    def paused_at_each_node():
        for _ in _chain_rule(y, pause=True):
            pass

    for name, fn in [("backward()", lambda: backward(y)), ("topological_order", lambda: topological_order(y)),
                     ("fresh_grads set-up and add-back", set_up_only),
                     ("chain-rule loop, no generator", loop_without_generator),
                     ("pausing at each node (steps)", paused_at_each_node)]:
        print(f"{name:<34}{ns_per_node(fn):8.1f} ns per node")


if __name__ == "__main__":
    main()
