"""An optional, faster backward pass that gives exactly the same gradients.

``autograd.fast.backward(root)`` does what ``root.backward()`` does, bit for bit: the
same nodes, the same topological order, the same products ``local * upstream`` added
to the same ``grad`` in the same order, and leaves accumulate the same way.  It is
quicker (benchmarks/README.md: the backward of micrograd's demo step 1.6×, of a chain
2.4×, of one 100,000-term dot node 6×) because it

- makes no ``Step`` record and runs no generator (nothing to watch here);
- computes the topological order without allocating a tuple per node, so a big
  graph does not wake Python's cyclic garbage collector;
- applies the chain rule for the common ops (``*``, ``+``, ``-``, ``dot``, ``sum``,
  ``relu``, ``tanh``, ``sigmoid``, ``exp``, ``neg``) inline, without calling the op's
  local-derivative function or building its tuple.

Learn backpropagation from ``autograd/backward.py``, not from this file: it is the
same algorithm with the op rules copied in for speed.  Each inline rule is written
with the very expression of the op's ``*_local`` function in ``value.py`` times
``upstream`` (where that local derivative is the constant 1 or −1: ``upstream`` or
``-upstream``, the same number), and tests/test_fast.py checks every op, and random
graphs, for exact equality with ``backward``.  An op without an inline rule (``/``, ``**``, ``log``,
one you add) falls back to its local-derivative function, so it is always right.

``nn.fit`` uses this pass (``fit(..., fast=False)`` uses ``cost.backward()``).
"""

from __future__ import annotations

from .backward import fresh_grads
from .value import (
    Value,
    add_local,
    dot_local,
    exp_local,
    mul_local,
    neg_local,
    relu_local,
    sigmoid_local,
    sub_local,
    sum_local,
    tanh_local,
)


def topological_order(root: Value) -> list[Value]:
    """The list ``autograd.topological_order(root)`` returns, built without per-node tuples.

    The same depth-first walk: a node is pushed once more after its parents as its own
    "finish" marker, and a popped node that is already visited but not yet in the
    order is that marker (a node cannot be pushed again while its parents are being
    walked: the graph has no cycles and visited parents are not pushed).
    """
    order: list[Value] = []
    visited: set[Value] = set()
    finished: set[Value] = set()
    stack = [root]
    pop, push = stack.pop, stack.append
    visit, finish, append = visited.add, finished.add, order.append
    while stack:
        node = pop()
        if node in visited:
            if node not in finished:
                finish(node)
                append(node)
            continue
        visit(node)
        push(node)
        parents = node.parents
        if not visited.issuperset(parents):  # one C-level check first: often all are visited
            for parent in parents:
                if parent not in visited:
                    push(parent)
    return order


def backward(root: Value) -> None:
    """Fill in ``grad`` for every Value ``root`` depends on; the same result as ``root.backward()``."""
    order = topological_order(root)
    with fresh_grads(order, root):  # the very set-up and leaf accumulation of backward_steps
        _propagate(reversed(order))


def _propagate(nodes) -> None:
    """``parent.grad += local * upstream`` for every parent of every node, in the given order."""
    for node in nodes:
        parents = node.parents
        if not parents:
            continue
        upstream = node.grad
        rule = node._local_grads
        if rule is dot_local:  # parents (w₁…wₙ, x₁…xₙ[, b]), locals (x₁…xₙ, w₁…wₙ[, 1.0])
            n = len(parents) // 2
            weights, inputs = parents[:n], parents[n : 2 * n]
            for w, x in zip(weights, inputs):
                w.grad += x.data * upstream
            for x, w in zip(inputs, weights):
                x.grad += w.data * upstream
            if len(parents) % 2:
                parents[-1].grad += upstream  # 1.0 * upstream is upstream, exactly
        elif rule is mul_local:
            a, b = parents
            a.grad += b.data * upstream
            b.grad += a.data * upstream
        elif rule is add_local:
            a, b = parents
            a.grad += upstream
            b.grad += upstream
        elif rule is relu_local:
            parents[0].grad += (1.0 if node.data > 0.0 else 0.0) * upstream
        elif rule is sum_local:
            for parent in parents:
                parent.grad += upstream
        elif rule is tanh_local:
            t = node.data
            parents[0].grad += (1.0 - t * t) * upstream
        elif rule is sigmoid_local:
            s = node.data
            parents[0].grad += (s * (1.0 - s)) * upstream
        elif rule is sub_local:
            a, b = parents
            a.grad += upstream
            b.grad += -upstream  # -1.0 * upstream, exactly
        elif rule is exp_local:
            parents[0].grad += node.data * upstream
        elif rule is neg_local:
            parents[0].grad += -upstream
        else:  # any other op: ask its local-derivative function, as backward does
            for parent, local in zip(parents, rule(node)):
                parent.grad += local * upstream
