"""Finding the layers in a scalar graph: which nodes one line of numpy can compute at once.

Part of codegen's numpy backend (``autograd.vectorize``); this module knows nothing of numpy.
One pass, linear in the number of nodes and edges:

* every node gets a *level*, 1 + the largest level of its parents (leaves: 0), so two
  nodes of one level never depend on each other and a group is always computable at once;
* ``dot`` nodes of one level whose weights are leaves and whose inputs are the same list
  form one matrix product (a layer);
* every other node joins the nodes of the same level with the same rule and as many
  parents: one elementwise line over a vector (σ, tanh, relu, exp, log, +, ·, ...);
* a ``sum`` of three or more terms, or of terms that all lie in one vector, is a sum over
  a vector.

A node that groups with nothing is a unit of one: a scalar line.  ``Plan`` holds the units
in an order that computes every operand before it is read; ``autograd.numpy_source``
writes them out.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from itertools import repeat
from operator import attrgetter

from . import value as _value
from .codegen import evaluation_order  # the one walk both backends use
from .value import Value

__all__ = ["Operand", "Plan", "Unit", "contiguous"]

_SUM_OVER_VECTOR = 3  # a sum node of this many terms or more is a sum over a vector of its terms


class Unit:
    """One line of the program: ``k`` scalar nodes computed at once (k = 1: a scalar line)."""

    __slots__ = ("kind", "nodes", "rule", "name", "batched", "operands", "layer", "needed", "weights")

    def __init__(self, kind: str, nodes: list[Value], rule) -> None:
        self.kind = kind  # "matmul", "elementwise" or "sum" (a sum over a vector)
        self.nodes = nodes
        self.rule = rule
        self.name = ""
        self.batched = False  # has a column per sample (else one column, the same for all)
        self.operands: list[Operand] = []
        self.layer: int | None = None  # the matmul's number, inherited by the lines over it
        self.needed = False  # a wanted leaf's gradient flows through it
        self.weights: Operand | None = None  # a matmul's W, as k·n leaf positions


class Operand:
    """A vector of scalar nodes as one expression: its pieces (segments) from units and leaves."""

    __slots__ = ("segments", "expr", "batched", "size", "broadcast")

    def __init__(self, segments: list[tuple[object, list[int]]]) -> None:
        self.segments = segments  # (source, rows): source is "F", "R" or a Unit
        self.size = sum(len(rows) for _, rows in segments)
        self.expr = ""
        self.batched = False
        self.broadcast = False  # one row of a one-row unit standing for all k rows


def contiguous(rows: Sequence[int]) -> bool:
    return rows[-1] - rows[0] == len(rows) - 1 and all(b - a == 1 for a, b in zip(rows, rows[1:]))


class Plan:
    """The units, in an order that computes every operand before it is read."""

    def __init__(self, root: Value, leaves: list[Value], n_fixed: int, keep: Sequence[Value]) -> None:
        started = time.perf_counter()
        self.root, self.leaves, self.n_fixed = root, leaves, n_fixed
        # Evaluation order (operands left to right) keeps a layer's neurons in order: slices, not gathers.
        ops, met = evaluation_order(root)
        self.n_nodes = len(ops) + len(met)
        # Leaves: the fixed ones (then the constants) are rows of F, the others rows of R.
        where: dict[int, tuple[object, int]] = {}
        for i, leaf in enumerate(leaves):
            where[id(leaf)] = ("F", i) if i < n_fixed else ("R", i - n_fixed)
        self.row_ids = {id(leaf) for leaf in leaves[n_fixed:]}
        constants: list[float] = []
        for leaf in met:
            if id(leaf) not in where:
                where[id(leaf)] = ("F", n_fixed + len(constants))
                constants.append(leaf.data)
        level: dict[int, int] = {}  # leaves: 0, not stored
        level_of = level.get
        groups: dict[tuple, Unit] = {}
        units: list[Unit] = []
        for node in ops:
            parents = node.parents
            depth = 1 + max(map(level_of, map(id, parents), repeat(0)))
            level[id(node)] = depth
            rule = _value.rule_for(node)
            key = self._matmul_key(node, depth)
            if key is None:
                kind = "sum" if node.op == "sum" and _sums_a_vector(parents, where) else "elementwise"
                key = (depth, id(node)) if kind == "sum" else (depth, "elementwise", id(rule), len(parents))
            else:
                kind = "matmul"
            unit = groups.get(key)
            if unit is None:
                unit = groups[key] = Unit(kind, [], rule)
                units.append(unit)
            where[id(node)] = (unit, len(unit.nodes))
            unit.nodes.append(node)
        units.sort(key=lambda u: level[id(u.nodes[0])])  # stable: each level's units in first-seen order
        self.units, self.where, self.constants = units, where, constants
        self.keep = list(keep)
        self.grouping_seconds = time.perf_counter() - started

    def _matmul_key(self, node: Value, depth: int) -> tuple | None:
        """A dot node whose weights are leaves: its layer is the dots reading the same inputs."""
        if node.op != "dot" or _value.rule_for(node) is not _value.dot_local.rule:
            return None
        parents = node.parents
        n = len(parents) // 2
        weights = parents[:n]
        if any(map(_parents_of, weights)) or not self.row_ids.isdisjoint(map(id, weights)):
            return None  # a weight that is computed or a sample's input: no fixed matrix
        return (depth, "matmul", len(parents) % 2, tuple(map(id, parents[n : 2 * n])))


_parents_of = attrgetter("parents")



def _sums_a_vector(parents: tuple[Value, ...], where: dict) -> bool:
    """Many terms, or terms that all lie in one vector: a sum over a vector, not a scalar line."""
    if len(parents) >= _SUM_OVER_VECTOR:
        return True
    sources = {id(where[id(p)][0]) for p in parents}
    return len(parents) > 1 and len(sources) == 1 and isinstance(where[id(parents[0])][0], Unit)
