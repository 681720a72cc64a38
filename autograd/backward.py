"""The backward pass: the chain rule applied node by node, from the output back.

The whole algorithm is one line, ``parent.grad += local * upstream``, applied to
every edge of the graph in reverse topological order.  ``backward_steps`` does it
one node at a time and yields a ``Step`` after each node, so the work can be
watched; ``backward`` runs the very same pass (``_chain_rule``) to the end without
pausing and without making the Step records.  There is one code path: what you step
through is exactly what ``backward`` does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import NamedTuple

from .value import Value


class Step(NamedTuple):
    """What happened at one node of the backward pass.

    ``node`` is the Value whose gradient was passed on, ``upstream`` its gradient
    ∂root/∂node (final at this point) and ``local_grads`` its local derivatives
    ∂node/∂parent_i, one per parent.  ``terms`` spells the work out: one ``(parent,
    local, contribution)`` per parent with ``contribution = local * upstream``, already
    added to ``parent.grad`` when the Step is yielded.  ``positions`` gives every Value of
    the pass its index in ``topological_order(root)``: ``print(step)`` names a Value without
    a label by it and its op (``#7 (+)``), as the step-through pictures number their boxes.
    """

    node: Value
    upstream: float
    local_grads: tuple[float, ...]
    positions: Mapping[Value, int] | None = None

    @property
    def terms(self) -> tuple[tuple[Value, float, float], ...]:
        """``(parent, local, local * upstream)`` per parent; built when asked for (backward never asks)."""
        upstream = self.upstream
        pairs = zip(self.node.parents, self.local_grads)
        return tuple((parent, local, local * upstream) for parent, local in pairs)

    def name(self, value: Value) -> str:
        """How this Step names ``value``: its label, else its position and op (``#7 (+)``,
        ``#2 (leaf 0.5)``), so that no two Values of the pass share a name."""
        if value.label:
            return value.label
        what = value.op if value.parents else f"leaf {value.data:.6g}"
        position = self.positions.get(value) if self.positions is not None else None
        return what if position is None else f"#{position} ({what})"

    def __str__(self) -> str:
        lines = [f"{self.name(self.node)}: upstream = {self.upstream:.6g}"]
        for parent, local, contribution in self.terms:
            lines.append(
                f"  -> {self.name(parent)}: "
                f"local {local:.6g} × upstream {self.upstream:.6g} = {contribution:.6g}"
            )
        return "\n".join(lines)


class TooManyValuesError(ValueError):
    """``topological_order(..., limit=n)`` found more than ``n`` Values (``.limit`` is n)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the graph has more than {limit} Values (limit={limit})")
        self.limit = limit


def topological_order(*roots: Value, limit: int | None = None) -> list[Value]:
    """Every Value the roots depend on, each after all of its parents; one root: it comes last.

    A depth-first walk with an explicit stack instead of recursion, so a chain of a
    million nodes is fine.  A node met for the first time goes back on the stack with a
    ``None`` marker above it, and its parents above that (so the last parent is walked
    first).  When the marker comes off the stack, all of the node's parents have been
    placed, so the node is placed next.  A node met again (through another child) is
    skipped.  With ``limit``, stops with ``TooManyValuesError`` as soon as more than
    ``limit`` Values are found, without walking the rest of a huge graph.
    """
    counting = _checked_arguments(roots, limit) is not None
    order: list[Value] = []
    seen: set[Value] = set()
    for root in roots:
        stack: list[Value | None] = [root]
        while stack:
            node = stack.pop()
            if node is None:  # the marker: every parent of the node under it is placed
                order.append(stack.pop())
            elif node not in seen:
                seen.add(node)
                if counting and len(seen) > limit:
                    raise TooManyValuesError(limit)
                stack.append(node)
                stack.append(None)
                stack.extend(node.parents)
    return order


def _checked_arguments(roots: tuple, limit: object) -> int | None:
    for i, root in enumerate(roots):
        if not isinstance(root, Value):
            raise TypeError(f"topological_order: root {i} must be a Value, got {type(root).__name__}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise TypeError(f"topological_order: limit must be None or an int >= 0, got {limit!r}")
    if limit is not None and limit < 0:
        raise ValueError(f"topological_order: limit must be None or an int >= 0, got {limit!r}")
    return limit


def backward_steps(root: Value) -> Iterator[Step]:
    """Back-propagate from ``root`` one node at a time, output first.

    Every gradient this pass computes starts from zero, and ``root.grad`` is set to 1
    (d root / d root).  Leaves (inputs, weights) then *accumulate*, as in PyTorch:
    what a leaf held before this pass is added back once the pass is over, so two
    calls give exactly twice the gradient.  While you step, a leaf's ``grad`` shows
    what this pass has added so far.  A node's Step comes after the Steps of all the
    nodes it feeds, so its ``upstream`` is final when it is shown.  Leaves have no
    parents and so get no Step of their own.
    """
    positions: dict[Value, int] = {}  # each Value's index in the pass's topological order
    for node, upstream, local_grads, order in _chain_rule(root, pause=True):
        if not positions:
            positions.update(zip(order, range(len(order))))
        yield Step(node, upstream, local_grads, positions)


def _chain_rule(root: Value, pause: bool) -> Iterator[tuple[Value, float, tuple[float, ...], list[Value]]]:
    """The pass itself.  With ``pause``, yields ``(node, upstream, local_grads, order)`` once a
    node's work is done (``order``: the topological order it walks); without, runs to the end in
    one go (the same lines, minus the yield)."""
    order = topological_order(root)
    with fresh_grads(order, root):
        for node in reversed(order):
            parents = node.parents
            if not parents:
                continue
            upstream = node.grad
            local_grads = node._local_grads(node)  # the op's rule: mul_local, tanh_local, ...
            i = 0  # (counting by hand is quicker than enumerate or zip in CPython 3.11-3.13)
            for parent in parents:
                local = local_grads[i]
                parent.grad += local * upstream  # the chain rule: the one line backprop is made of
                i += 1
            if pause:
                yield node, upstream, local_grads, order


@contextmanager
def fresh_grads(order: list[Value], root: Value) -> Iterator[None]:
    """Set up one backward pass over ``order`` and, when it ends, let the leaves accumulate.

    Every grad is set to 0 and ``root.grad`` to 1 (d root / d root).  What each leaf held
    before is added back at the end, also when the pass is stopped part-way.  If the
    pass fails, every grad is put back as it was: nothing is left half-filled.
    """
    held = [(node, node.grad) for node in order if node.grad != 0.0]  # what this pass overwrites
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    try:
        yield
    except GeneratorExit:  # a stepper stopped before the end: keep what was done
        _add_back_to_leaves(held)
        raise
    except BaseException:  # failed: put every grad back
        for node in order:
            node.grad = 0.0
        for node, grad in held:
            node.grad = grad
        raise
    _add_back_to_leaves(held)


def _add_back_to_leaves(held: list[tuple[Value, float]]) -> None:
    for node, grad in held:
        if not node.parents:  # leaves accumulate; every other grad is this pass's own
            node.grad = grad + node.grad


def backward(root: Value) -> None:
    """Fill in ``grad`` for every Value ``root`` depends on: ``backward_steps``'s pass, run to the end."""
    # Without pause the generator yields nothing: this loop runs the whole pass at once.
    for _ in _chain_rule(root, pause=False):
        pass
