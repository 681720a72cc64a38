"""Matrix code from a scalar graph: ``codegen(root, leaves, backend="numpy")``.

The scalar graph of a network *contains* its matrices: the 30 ``dot`` nodes of a layer
read one input list, so together they are one product ``W @ x``; the σ applied to each of
them is one ``sigmoid(z)`` over a vector.  This module finds such groups and writes numpy
code over them, forward and backward, in the layer form of the documents::

    z1 = W1 @ x + b1          # in_diff = Wᵀ · out_diff,  W_diff = out_diff · xᵀ
    a1 = sigmoid(z1)
    ...
    d_z1 = (a1 * (1.0 - a1)) * d_a1
    d_W1 = d_z1 @ x.T
    d_x = W1.T @ d_z1

How nodes are grouped (one pass, linear in the number of nodes and edges):

* every node gets a *level*, 1 + the largest level of its parents (leaves: 0), so two
  nodes of one level never depend on each other and a group is always computable at once;
* ``dot`` nodes of one level whose weights are leaves and whose inputs are the same list
  form one matrix product (a layer);
* every other node joins the nodes of the same level with the same rule and as many
  parents: one elementwise line over a vector (σ, tanh, relu, exp, log, +, ·, ...), its
  operands gathered from the groups, leaves and constants they come from;
* a ``sum`` of three or more terms is a sum over the vector of its terms.

A node that groups with nothing is a vector of one: a scalar line.  So any graph compiles
and gives the right numbers; only the speed depends on how much groups.

The expressions of the elementwise lines and their derivatives are the ops' own rule texts
(``autograd.value.rule_for``), evaluated over arrays (``a if c else b`` becomes
``where(c, a, b)``): this file knows the derivative of no elementwise op.  It knows the
matrix form of ``dot`` (Wᵀ·δ and δ·xᵀ) and of a sum (a broadcast), which are not elementwise.

Not bit for bit: a matrix product and a vector sum add their terms in another order than
``dot`` and ``backward()`` do (and numpy's exp/log/tanh may differ from ``math``'s in the
last bit), so values and gradients agree with ``backward()`` to about 1e-15 relative, not
exactly (tests/test_vectorize.py checks 1e-12).  NaN and ±inf propagate as in the scalar
pass; where the scalar forward pass raises (log of 0, division by 0, exp overflow), so does
this one, for the first such op it meets.

No user string becomes code: names come from labels only when a label is a plain ASCII
identifier; comments show labels only as ``ascii(str.__str__(label))`` of a ``str``.

numpy is imported by this module only, which ``autograd`` imports only when the numpy
backend is asked for.
"""

from __future__ import annotations

import ast
import functools
import itertools
import math
import operator
import time
import weakref
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import attrgetter
from typing import NamedTuple

try:
    import numpy as np
except ImportError:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "autograd.codegen(..., backend='numpy') needs numpy: pip install numpy"
    ) from None

from . import value as _value
from .backward import topological_order
from .codegen import _RESERVED, _all_floats, _compile, _forget, _literal, _usable, _word
from .value import Value

__all__ = ["NumpyBatchProgram", "NumpyBatchResult", "NumpyProgram", "vectorize"]

_SUM_OVER_VECTOR = 3  # a sum node of this many terms or more is a sum over a vector of its terms


# ------------------------------------------------------------------ array forms of the rules' names
def _sigmoid(x):
    """σ as ``operators.sigmoid`` computes it, elementwise: e^(±x) only of -|x|."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _relu(x):
    return np.where(x <= 0.0, 0.0, x)  # NaN is not <= 0: it stays NaN, as operators.relu


def _softplus(x):
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _checked_div(a, b):
    if np.any(b == 0.0):
        raise ZeroDivisionError("division by zero in '/' (numpy program)")
    return a / b


def _checked_exp(x):
    out = np.exp(x)
    if np.any(np.isinf(out) & np.isfinite(x)):
        raise OverflowError("exp overflows (numpy program; limit ≈ 709.78)")
    return out


def _checked_log(x):
    if np.any(x <= 0.0):
        raise ValueError("log needs a positive input (numpy program)")
    return np.log(x)


def _checked_pow(base, exponent, shown=None):
    what = shown if type(shown) is str else "**"
    if np.any((base == 0.0) & (exponent < 0.0)):
        raise ZeroDivisionError(f"0.0 {what}: zero raised to a negative power (numpy program)")
    out = np.power(base, exponent)
    finite_in = np.isfinite(base) & np.isfinite(exponent)
    if np.any(np.isinf(out) & finite_in):
        raise OverflowError(f"{what} overflows (numpy program)")
    if np.any(np.isnan(out) & finite_in):
        raise ValueError(f"{what} of a negative base is not a real number (numpy program)")
    return out


def _add_up(values):
    """0.0 + v₁ + v₂ + … left to right over arrays: ``operators.add_up``'s order, elementwise."""
    return functools.reduce(operator.add, values, 0.0)


def _dot_data(weights, inputs):
    total = 0.0
    for w, x in zip(weights, inputs):
        total = total + w * x
    return total


class _ArrayMath:
    """``math`` for rule texts over arrays: each function vectorised, constants as they are."""

    def __getattr__(self, name: str):
        found = getattr(math, name)
        return np.vectorize(found, otypes=[float]) if callable(found) else found


_ARRAY_FORMS = {
    "math": _ArrayMath(),
    "inf": math.inf,
    "nan": math.nan,
    "log": np.log,
    "tanh": np.tanh,
    "sum": sum,
    "add_up": _add_up,
    "sigmoid": _sigmoid,
    "relu": _relu,
    "softplus": _softplus,
    "checked_div": _checked_div,
    "checked_exp": _checked_exp,
    "checked_log": _checked_log,
    "checked_pow": _checked_pow,
    "ieee_pow": np.power,
    "dot_data": _dot_data,
}


def _array_namespace() -> dict:
    """Every name the rule texts may use, in a form that works on arrays.  A name this file
    does not know yet (a new op's helper) is the scalar function vectorised: slow but right."""
    namespace: dict = {"np": np, "where": np.where}
    for name, thing in _value.CODE_NAMESPACE.items():
        if name in _ARRAY_FORMS:
            namespace[name] = _ARRAY_FORMS[name]
        elif callable(thing):
            namespace[name] = np.vectorize(thing, otypes=[float])
        else:
            namespace[name] = thing
    return namespace


class _IfToWhere(ast.NodeTransformer):
    """``a if c else b`` → ``where(c, a, b)``: the rule's branch taken per element."""

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        self.generic_visit(node)
        return ast.Call(ast.Name("where", ast.Load()), [node.test, node.body, node.orelse], [])


_NOT_ELEMENTWISE = (ast.BoolOp, ast.Lambda, ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.SetComp)


def _over_arrays(text: str) -> str | None:
    """A rule expression rewritten to work elementwise on arrays, or None when it cannot be."""
    tree = ast.parse(text, mode="eval")
    callable_names = set(_value.CODE_NAMESPACE) | {"where", "abs"}  # each has an array form above
    for node in ast.walk(tree):
        if isinstance(node, _NOT_ELEMENTWISE) or (isinstance(node, ast.Compare) and len(node.ops) > 1):
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id not in callable_names:
            return None  # min, max, round, ... of arrays: not elementwise
    if not any(isinstance(node, ast.IfExp) for node in ast.walk(tree)):
        return text
    return ast.unparse(_IfToWhere().visit(tree))


# ------------------------------------------------------------------ the plan
class _Unit:
    """One line of the program: ``k`` scalar nodes computed at once (k = 1: a scalar line)."""

    __slots__ = ("kind", "nodes", "rule", "name", "batched", "operands", "layer", "needed", "weights")

    def __init__(self, kind: str, nodes: list[Value], rule) -> None:
        self.kind = kind  # "matmul", "elementwise" or "sum" (a sum over a vector)
        self.nodes = nodes
        self.rule = rule
        self.name = ""
        self.batched = False  # has a column per sample (else one column, the same for all)
        self.operands: list[_Operand] = []
        self.layer: int | None = None  # the matmul's number, inherited by the lines over it
        self.needed = False  # a wanted leaf's gradient flows through it
        self.weights: _Operand | None = None  # a matmul's W, as k·n leaf positions


class _Operand:
    """A vector of scalar nodes as one expression: its pieces (segments) from units and leaves."""

    __slots__ = ("segments", "expr", "batched", "size", "broadcast")

    def __init__(self, segments: list[tuple[object, list[int]]]) -> None:
        self.segments = segments  # (source, rows): source is "F", "R" or a _Unit
        self.size = sum(len(rows) for _, rows in segments)
        self.expr = ""
        self.batched = False
        self.broadcast = False  # one row of a one-row unit standing for all k rows


def _contiguous(rows: Sequence[int]) -> bool:
    return rows[-1] - rows[0] == len(rows) - 1 and all(b - a == 1 for a, b in zip(rows, rows[1:]))


def _shown(text: object) -> str:
    """A label, group or op for a comment: ``ascii()`` of the str itself, cut to 40 characters."""
    if type(text) is not str:
        return "-"
    return ascii(str.__str__(text)[:40])


def _one(node: Value) -> str:
    where = f" in {_shown(node.group)}" if type(node.group) is str else ""
    return f"{_shown(node.label)}{where}" if type(node.label) is str else f"(no label){where}"


def _span(nodes: list[Value]) -> str:
    """The first and the last of the nodes, by label (and group): ``'z' in 'L1.N0' … 'z' in 'L1.N29'``."""
    return _one(nodes[0]) if len(nodes) == 1 else f"{_one(nodes[0])} … {_one(nodes[-1])}"


def _describe(nodes: list[Value]) -> str:
    """``# 30 'dot' nodes: 'z' in 'L1.N0' … 'z' in 'L1.N29'``: which scalar nodes a line stands for."""
    if not nodes[0].parents:
        return f"  # {len(nodes)} leaves: {_span(nodes)}" if len(nodes) > 1 else f"  # leaf {_span(nodes)}"
    op = _shown(nodes[0].op)
    if len(nodes) == 1:
        return f"  # {op} node {_span(nodes)}"
    return f"  # {len(nodes)} {op} nodes: {_span(nodes)}"


class _Names:
    def __init__(self, reserved: Iterable[str]) -> None:
        self.used = set(_RESERVED) | set(reserved)
        self.counts: dict[str, int] = {}

    def take(self, stem: str, number: int | None = None) -> str:
        if number is not None:
            stem = f"{stem}{number}"
        if stem not in self.used and f"d_{stem}" not in self.used:
            name = stem
        else:
            k = self.counts.get(stem, 2)
            while f"{stem}_{k}" in self.used or f"d_{stem}_{k}" in self.used:
                k += 1
            self.counts[stem] = k + 1
            name = f"{stem}_{k}"
        self.used.update((name, f"d_{name}"))
        return name


def _stem_of(nodes: list[Value], fallback: str) -> str:
    """A shared plain label of the nodes (``z``, ``a``; ``x`` for x1…x784), else ``fallback``."""
    stems = set()
    for node in nodes:
        label = node.label
        if not _usable(label):
            return fallback
        stems.add(label.rstrip("0123456789").rstrip("_") or label)
        if len(stems) > 1:
            return fallback
    stem = stems.pop()
    return stem if _usable(stem) and stem not in ("F", "R", "B", "g", "np", "where") else fallback


class _Plan:
    """The units, in an order that computes every operand before it is read."""

    def __init__(self, root: Value, leaves: list[Value], n_fixed: int, keep: Sequence[Value]) -> None:
        started = time.perf_counter()
        self.root, self.leaves, self.n_fixed = root, leaves, n_fixed
        # Evaluation order (operands left to right) keeps a layer's neurons in order: slices, not gathers.
        ops, met = _walk(root)
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
        groups: dict[tuple, _Unit] = {}
        units: list[_Unit] = []
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
                unit = groups[key] = _Unit(kind, [], rule)
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


def _walk(root: Value) -> tuple[list[Value], list[Value]]:
    """The ops ``root`` depends on in evaluation order (each after its operands, operands left
    to right, as codegen's ``_evaluation_order``), and the leaves met, each once."""
    if not root.parents:
        return [], [root]
    ops: list[Value] = []
    leaves: list[Value] = []
    seen = {id(root)}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                if parent.parents:
                    stack.append((parent, iter(parent.parents)))
                    break
                leaves.append(parent)  # a leaf is placed at once: no trip through the stack
        else:
            stack.pop()
            ops.append(node)
    return ops, leaves


def _sums_a_vector(parents: tuple[Value, ...], where: dict) -> bool:
    """Many terms, or terms that all lie in one vector: a sum over a vector, not a scalar line."""
    if len(parents) >= _SUM_OVER_VECTOR:
        return True
    sources = {id(where[id(p)][0]) for p in parents}
    return len(parents) > 1 and len(sources) == 1 and isinstance(where[id(parents[0])][0], _Unit)


# ------------------------------------------------------------------ writing the program
class _Writer:
    def __init__(self, plan: _Plan) -> None:
        self.plan = plan
        self.namespace = _array_namespace()
        self.names = _Names(self.namespace)
        self.names.used.update({"F", "R", "B", "g", "out", "kept", "np", "where", "d_out"})
        self.bound = itertools.count(1)
        self.leaf_operands: dict[tuple, str] = {}
        self.gather_lines: list[str] = []
        self.forward_lines: list[str] = []
        self.backward_lines: list[str] = []
        self.layers = itertools.count(1)
        self.nan_counter = [0]

    # ---- operands
    def bind(self, array) -> str:
        name = f"_ix{next(self.bound)}"
        self.namespace[name] = array
        return name

    def rows_text(self, rows: list[int], total: int | None) -> str:
        """An index for ``rows``: ``:`` for all of them, a slice, else a bound int array."""
        if total is not None and len(rows) == total and _contiguous(rows) and rows[0] == 0:
            return ""
        if _contiguous(rows):
            return f"{rows[0]}:{rows[-1] + 1}"
        return self.bind(np.array(rows, dtype=np.intp))

    def operand(self, nodes: Sequence[Value], stem: str = "v", name: str | None = None,
                broadcast: bool = False) -> _Operand:
        where = self.plan.where
        segments: list[tuple[object, list[int]]] = []
        for node in nodes:
            source, row = where[id(node)]
            if segments and segments[-1][0] is source:
                segments[-1][1].append(row)
            else:
                segments.append((source, [row]))
        operand = _Operand(segments)
        operand.batched = any(s == "R" or (isinstance(s, _Unit) and s.batched) for s, _ in segments)
        if len(segments) == 1:
            source, rows = segments[0]
            if isinstance(source, _Unit):
                if broadcast and len(source.nodes) == 1 and len(rows) > 1:
                    operand.expr, operand.broadcast = source.name, True
                else:
                    index = self.rows_text(rows, len(source.nodes))
                    operand.expr = source.name if not index else f"{source.name}[{index}]"
                return operand
            operand.expr = self.leaf_vector(source, rows, nodes, stem, name)
            return operand
        pieces = []
        for source, rows in segments:
            if isinstance(source, _Unit):
                index = self.rows_text(rows, len(source.nodes))
                text = source.name if not index else f"{source.name}[{index}]"
                wide = source.batched
            else:
                text = self.leaf_vector(source, rows, None, stem, None)
                wide = source == "R"
            if operand.batched and not wide:
                text = f"np.broadcast_to({text}, ({len(rows)}, B))"
            pieces.append(text)
        gathered = self.names.take(stem)
        self.forward_lines.append(f"{gathered} = np.vstack(({', '.join(pieces)},))"
                                  f"  # {operand.size} operands from {len(segments)} places")
        operand.expr = gathered
        return operand

    def leaf_vector(self, source: str, rows: list[int], nodes, stem: str, name: str | None) -> str:
        """A named vector of leaves (rows of F, one column; or rows of R, one column per sample)."""
        key = (source, tuple(rows))
        if key in self.leaf_operands:
            return self.leaf_operands[key]
        index = self.rows_text(rows, None)
        text = f"F[{index}, None]" if source == "F" else f"R[{index}]"
        if nodes is None:
            return text
        if name is None:
            name = self.names.take(_stem_of(list(nodes), stem))
        self.gather_lines.append(f"{name} = {text}{_describe(list(nodes))}")
        self.leaf_operands[key] = name
        return name

    # ---- units
    def write(self) -> tuple[str, dict]:
        plan = self.plan
        for unit in plan.units:
            if unit.kind == "matmul":
                self.matmul(unit)
            elif unit.kind == "sum":
                self.vector_sum(unit)
            else:
                self.elementwise(unit)
        self.mark_needed()
        return self.assemble()

    def matmul(self, unit: _Unit) -> None:
        layer = unit.layer = next(self.layers)
        first = unit.nodes[0].parents
        n = len(first) // 2
        unit.name = self.names.take(_stem_of(unit.nodes, "z"), layer)
        where = self.plan.where
        flat = [where[id(w)][1] for node in unit.nodes for w in node.parents[:n]]
        k = len(unit.nodes)
        if _contiguous(flat):
            matrix = f"F[{flat[0]}:{flat[-1] + 1}].reshape({k}, {n})"
        else:
            matrix = f"F[{self.bind(np.array(flat, dtype=np.intp).reshape(k, n))}]"
        weights = self.names.take("W", layer)
        leaves = [w for node in unit.nodes for w in node.parents[:n]]
        self.gather_lines.append(f"{weights} = {matrix}  # {k}×{n} weights: {_span(leaves)}")
        unit.weights = _Operand([("F", flat)])
        unit.weights.expr = weights
        x = self.operand(first[n : 2 * n], "x")
        unit.operands = [x]
        text = f"{weights} @ {x.expr}"
        if len(first) % 2:
            bias = self.operand([node.parents[-1] for node in unit.nodes], "b",
                                name=self.names.take("b", layer) if all(
                                    not node.parents[-1].parents for node in unit.nodes) else None)
            unit.operands.append(bias)
            text += f" + {bias.expr}"
        unit.batched = any(op.batched for op in unit.operands)
        self.forward_lines.append(f"{unit.name} = {text}{_describe(unit.nodes)}")

    def vector_sum(self, unit: _Unit) -> None:
        (node,) = unit.nodes
        terms = self.operand(node.parents, "terms")
        unit.operands = [terms]
        unit.batched = terms.batched
        unit.name = self.names.take(_stem_of(unit.nodes, "total"))
        summed = f"{terms.expr}.sum(axis=0, keepdims=True)"
        self.forward_lines.append(f"{unit.name} = {summed}{_describe(unit.nodes)}")

    def elementwise(self, unit: _Unit) -> None:
        nodes = unit.nodes
        arity = len(nodes[0].parents)
        where, n_fixed = self.plan.where, self.plan.n_fixed
        constant = [len(nodes) == 1 and where[id(p)][0] == "F" and where[id(p)][1] >= n_fixed
                    for p in nodes[0].parents]
        if all(constant):
            constant = [False] * arity  # a line of constants only: keep them arrays
        unit.operands = []
        for p in range(arity):
            if constant[p]:  # a scalar line: its constants as literals (next to at least one array)
                row = where[id(nodes[0].parents[p])][1]
                op = _Operand([("F", [row])])
                op.expr = _literal(self.plan.constants[row - n_fixed], self.namespace, self.nan_counter)
            else:
                op = self.operand([node.parents[p] for node in nodes], broadcast=True)
            unit.operands.append(op)
        if len(nodes) > 1 and all(op.broadcast for op in unit.operands):
            for op in unit.operands:  # k copies of one scalar: make the k rows explicit
                op.expr = f"np.broadcast_to({op.expr}, ({len(nodes)}, {op.expr}.shape[1]))"
        unit.batched = any(op.batched for op in unit.operands)
        sources = [s for op in unit.operands for s, _ in op.segments if isinstance(s, _Unit)]
        unit.layer = sources[0].layer if sources else None
        stem = _stem_of(nodes, _word(nodes[0]))
        if unit.layer is not None and stem != _word(nodes[0]):
            unit.name = self.names.take(stem, unit.layer)
        else:
            unit.name = self.names.take(stem)
        forward = _over_arrays(unit.rule.forward_code([op.expr for op in unit.operands]))
        if forward is None:
            forward = self.vectorised(unit, "forward")
        self.forward_lines.append(f"{unit.name} = {forward}{_describe(nodes)}")

    def vectorised(self, unit: _Unit, what: str, position: int = 0) -> str:
        """A rule text that cannot run on arrays, run once per element (np.vectorize)."""
        names = [f"p{i}" for i in range(len(unit.operands))]
        if what == "forward":
            body = unit.rule.forward_code(names)
        else:
            body = unit.rule.local_code("out", names)[position]
        scalar = dict(_value.CODE_NAMESPACE)
        function = eval(f"lambda out, {', '.join(names)}: {body}", scalar)  # the rule's text, no user text
        bound = f"_rule{next(self.bound)}"
        self.namespace[bound] = np.vectorize(function, otypes=[float])
        args = ", ".join([unit.name if what != "forward" else "0.0", *(op.expr for op in unit.operands)])
        return f"{bound}({args})"

    # ---- backward
    def mark_needed(self) -> None:
        n_fixed = self.plan.n_fixed
        for unit in self.plan.units:  # parents' units first
            operands = list(unit.operands) + ([unit.weights] if unit.weights is not None else [])
            unit.needed = any(
                (s == "F" and any(r < n_fixed for r in rows)) or (isinstance(s, _Unit) and s.needed)
                for op in operands for s, rows in op.segments
            )

    def backward(self) -> list[str]:
        plan = self.plan
        contributions: list[tuple[object, str, str]] = []  # (target unit or "F", how, text)
        lines: list[tuple[str, object]] = []  # ("line", text) or ("add", contribution index)

        def add(target, how: str, text: str) -> None:
            contributions.append((target, how, text))
            lines.append(("add", len(contributions) - 1))

        def scatter(op: _Operand, contribution: str, batched: bool) -> None:
            """Add ``contribution`` (rows like op's, columns like the consumer's) into op's sources."""
            if len(op.segments) > 1:  # a gathered operand: its gradient once, then a slice per source
                lines.append(("line", f"d_{op.expr} = {contribution}"))
                contribution = f"d_{op.expr}"
            offset = 0
            for source, rows in op.segments:
                piece = contribution
                if len(op.segments) > 1:
                    piece = f"{contribution}[{offset}:{offset + len(rows)}]"
                simple = piece.isidentifier() or (piece.endswith("]") and "(" not in piece)
                atom = piece if simple else f"({piece})"
                offset += len(rows)
                if source == "R":
                    continue
                if source == "F":
                    wanted = [i for i, r in enumerate(rows) if r < plan.n_fixed]
                    if not wanted:
                        continue
                    column = f"{atom}.sum(axis=1)" if batched else f"{atom}[:, 0]"
                    self.fixed_add(rows, wanted, column, add)
                    continue
                if not source.needed:
                    continue
                if batched and not source.batched:
                    piece = atom = f"{atom}.sum(axis=1, keepdims=True)"
                if op.broadcast:
                    add(source, "full", f"{atom}.sum(axis=0, keepdims=True)")
                    continue
                if len(rows) == len(source.nodes) and _contiguous(rows) and rows[0] == 0:
                    add(source, "full", piece)
                elif _contiguous(rows):
                    add(source, f"[{rows[0]}:{rows[-1] + 1}]", piece)
                elif len(set(rows)) == len(rows):
                    add(source, f"[{self.bind(np.array(rows, dtype=np.intp))}]", piece)
                else:
                    add(source, f"at {self.bind(np.array(rows, dtype=np.intp))}", piece)

        root_source, _ = plan.where[id(plan.root)]
        for unit in reversed(plan.units):
            if not unit.needed:
                continue
            d = f"d_{unit.name}"
            if unit is root_source:  # summed over B samples: ∂/∂out is 1 per sample
                seed = "np.ones((1, B))" if unit.batched else "np.full((1, 1), float(B))"
                lines.append(("line", f"{d} = {seed}"))
            if unit.kind == "matmul":
                x = unit.operands[0]
                if unit.weights is not None:
                    weights_name = f"d_{unit.weights.expr}"
                    upstream = f"{d}.sum(axis=1, keepdims=True)" if unit.batched and not x.batched else d
                    lines.append(("line", f"{weights_name} = {upstream} @ {x.expr}.T"))
                    flat = unit.weights.segments[0][1]
                    wanted = [i for i, r in enumerate(flat) if r < plan.n_fixed]
                    if wanted:
                        self.fixed_add(flat, wanted, f"{weights_name}.ravel()", add)
                if _needs(x, plan.n_fixed):
                    scatter(x, f"{unit.weights.expr}.T @ {d}", unit.batched)
                if len(unit.operands) > 1 and _needs(unit.operands[1], plan.n_fixed):
                    scatter(unit.operands[1], d, unit.batched)
            elif unit.kind == "sum":
                terms = unit.operands[0]
                if _needs(terms, plan.n_fixed):
                    k = terms.size
                    scatter(terms, f"np.broadcast_to({d}, ({k}, {d}.shape[1]))", unit.batched)
            else:
                names = [op.expr for op in unit.operands]
                locals_ = unit.rule.local_code(unit.name, names)
                for position, (op, local) in enumerate(zip(unit.operands, locals_)):
                    if not _needs(op, plan.n_fixed):
                        continue
                    text = _over_arrays(local)
                    if text is None:
                        text = self.vectorised(unit, "local", position)
                    scatter(op, _value.product_code(text, d), unit.batched)
        return self.render_backward(contributions, lines)

    def fixed_add(self, rows: list[int], wanted: list[int], column: str, add) -> None:
        if len(wanted) == len(rows) and _contiguous(rows):
            add("F", f"[{rows[0]}:{rows[-1] + 1}]", column)
            return
        if len(wanted) < len(rows):
            column = f"{column}[{self.bind(np.array(wanted, dtype=np.intp))}]"
        index = np.array([rows[i] for i in wanted], dtype=np.intp)
        how = f"[{self.bind(index)}]" if len(set(index.tolist())) == len(index) else f"at {self.bind(index)}"
        add("F", how, column)

    def render_backward(self, contributions, lines) -> list[str]:
        shape_safe: dict[int, bool] = {}  # per target unit: every contribution a full one of its shape
        for target, how, text in contributions:
            if isinstance(target, _Unit):
                ok = how == "full" and "np.broadcast_to" not in text and ".sum(axis=0" not in text
                shape_safe[id(target)] = shape_safe.get(id(target), True) and ok
        started: set[int] = set()
        out: list[str] = []
        for kind, item in lines:
            if kind == "line":
                out.append(item)
                continue
            target, how, text = contributions[item]
            if target == "F":
                if how.startswith("at "):
                    out.append(f"np.add.at(g, {how[3:]}, {text})")
                else:
                    out.append(f"g{how} += {text}")
                continue
            d = f"d_{target.name}"
            if id(target) not in started:
                started.add(id(target))
                if shape_safe[id(target)]:
                    out.append(f"{d} = {text}")
                    continue
                width = "B" if target.batched else "1"
                out.append(f"{d} = np.zeros(({len(target.nodes)}, {width}))")
            if shape_safe[id(target)]:
                out.append(f"{d} = {d} + {text}")
            elif how == "full":
                out.append(f"{d} += {text}")
            elif how.startswith("at "):
                out.append(f"np.add.at({d}, {how[3:]}, {text})")
            else:
                out.append(f"{d}{how} += {text}")
        return out

    def assemble(self) -> tuple[str, dict]:
        plan = self.plan
        grouped = sum(len(u.nodes) for u in plan.units if len(u.nodes) > 1 or u.kind != "elementwise")
        n_ops = sum(len(u.nodes) for u in plan.units)
        lines = ["def program(F, R, B):"]
        lines.append(f"    # {plan.n_nodes} scalar nodes ({n_ops} ops) in {len(plan.units)} lines of numpy: "
                     f"{sum(1 for u in plan.units if u.kind == 'matmul')} matrix products, "
                     f"{sum(1 for u in plan.units if len(u.nodes) > 1 and u.kind == 'elementwise')} "
                     f"vector lines, {sum(1 for u in plan.units if u.kind == 'sum')} vector sums, "
                     f"{sum(1 for u in plan.units if len(u.nodes) == 1 and u.kind == 'elementwise')} "
                     "scalar lines")
        if grouped == 0:
            lines.append("    # nothing here groups into vectors: every op is a scalar line (one row)")
        lines.append("    # F: the fixed leaves' floats, then the constants; R: the other leaves, one column "
                     "per sample; B: the number of samples")
        root = plan.root
        if not root.parents:
            source, row = plan.where[id(root)]
            out_expr = f"F[{row}:{row + 1}, None]" if source == "F" else f"R[{row}:{row + 1}]"
            lines.append(f"    out = {out_expr}")
            lines.append(f"    g = np.zeros({plan.n_fixed})")
            if source == "F" and row < plan.n_fixed:
                lines.append(f"    g[{row}] += float(B) if out.shape[1] == 1 else 1.0 * B")
        else:
            backward = self.backward()
            lines += ["    " + line for line in self.gather_lines]
            lines.append("    # forward: one line per group of nodes, level by level")
            lines += ["    " + line for line in self.forward_lines]
            unit, row = plan.where[id(root)]
            lines.append(f"    out = {unit.name}")
            lines.append(f"    g = np.zeros({plan.n_fixed})")
            if backward:
                lines.append("    # backward: from the output back; d_W = d_z @ x.T, d_x = W.T @ d_z, "
                             "elementwise lines by their ops' rules")
                lines += ["    " + line for line in backward]
        kept = []
        for node in plan.keep:
            source, row = plan.where[id(node)]
            if isinstance(source, _Unit):
                kept.append(f"{source.name}[{row}]")
            elif source == "F":
                kept.append(f"F[{row}]")
            else:
                kept.append(f"R[{row}]")
        if kept:
            lines.append(f"    kept = np.vstack([np.broadcast_to(k, (B,)) for k in ({', '.join(kept)},)]).T")
        else:
            lines.append("    kept = None")
        lines.append("    return out, g, kept")
        return "\n".join(lines) + "\n", self.namespace


def _needs(op: _Operand, n_fixed: int) -> bool:
    return any((s == "F" and any(r < n_fixed for r in rows)) or (isinstance(s, _Unit) and s.needed)
               for s, rows in op.segments)


# ------------------------------------------------------------------ the programs
class _Compiled:
    """A plan written out and compiled: ``run(F, R, B) -> (out, g, kept)``."""

    def __init__(self, root: Value, leaves: list[Value], n_fixed: int, keep: Sequence[Value]) -> None:
        started = time.perf_counter()
        self.plan = plan = _Plan(root, leaves, n_fixed, keep)
        self.source, namespace = _Writer(plan).write()
        self.constants = np.array(plan.constants, dtype=float)
        self._function, filename = _compile(self.source, dict(namespace), "program")
        weakref.finalize(self, _forget, filename)
        self.grouped = any(len(u.nodes) > 1 or u.kind != "elementwise" for u in plan.units)
        self.generation_seconds = time.perf_counter() - started

    def run(self, fixed, rows, n_samples: int):
        F = np.concatenate((fixed, self.constants)) if len(self.constants) else fixed
        with np.errstate(all="ignore"):
            return self._function(F, rows, n_samples)


def _check_leaves(root: object, leaves: object) -> list[Value]:
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    if isinstance(leaves, (str, bytes)) or not isinstance(leaves, Iterable):
        raise TypeError(f"leaves must be a sequence of leaf Values, got {type(leaves).__name__}")
    leaves = list(leaves)
    _check_each(leaves)
    return leaves


def _check_each(leaves: list) -> None:
    seen: set[int] = set()
    for i, leaf in enumerate(leaves):
        if not isinstance(leaf, Value):
            raise TypeError(f"leaves[{i}] must be a Value, got {type(leaf).__name__}")
        if leaf.parents:
            raise ValueError(f"leaves[{i}] is not a leaf (op {leaf.op!r}): only leaves can be arguments")
        if id(leaf) in seen:
            raise ValueError(f"leaves[{i}] appears twice in leaves: each argument must be another Value")
        seen.add(id(leaf))


class NumpyProgram:
    """``out, grads = prog(*floats)``: the root's value and ∂root/∂leaves[i], as ``backward()``
    gives them to about 1e-15 relative (matrix products add in another order).

    ``source`` is the numpy code that runs, one line per group of scalar nodes; ``grouped``
    says whether anything grouped at all.  ``batch(n_fixed)`` runs many samples at once.
    """

    def __init__(self, root: Value, leaves: list[Value]) -> None:
        self._root, self._leaves = root, leaves
        self._compiled = _Compiled(root, leaves, len(leaves), ())
        self.n_leaves = len(leaves)
        self.n_nodes = self._compiled.plan.n_nodes
        self._batches: dict[tuple, NumpyBatchProgram] = {}

    @property
    def source(self) -> str:
        return self._compiled.source

    @property
    def grouped(self) -> bool:
        """False when no two nodes formed a vector or matrix: every op is a scalar line."""
        return self._compiled.grouped

    @property
    def generation_seconds(self) -> float:
        return self._compiled.generation_seconds

    def __call__(self, *args: float) -> tuple[float, tuple[float, ...]]:
        if len(args) != self.n_leaves:
            raise TypeError(f"this program takes {self.n_leaves} arguments (one float per leaf), "
                            f"got {len(args)}")
        if not _all_floats(args):
            args = [_value._as_float(arg, f"argument {i}") for i, arg in enumerate(args)]
        out, g, _ = self._compiled.run(np.array(args, dtype=float), None, 1)
        return float(out[0, 0]), tuple((g + 0.0).tolist())

    def batch(self, n_fixed: int, keep: Sequence[Value] = ()) -> NumpyBatchProgram:
        """A program over many samples: ``leaves[:n_fixed]`` fixed, the rest one row per sample."""
        key = (n_fixed, tuple(map(id, keep)))
        if key not in self._batches:
            self._batches[key] = NumpyBatchProgram(self._root, self._leaves, n_fixed, list(keep))
        return self._batches[key]

    def __repr__(self) -> str:
        return (f"<autograd.vectorize.NumpyProgram: {self.n_leaves} leaves, {self.n_nodes} nodes, "
                f"{len(self._compiled.plan.units)} lines>")


class NumpyBatchResult(NamedTuple):
    total: float  # Σ over the samples of the root's value
    grads: np.ndarray  # Σ over the samples of ∂root/∂leaves[i], for the fixed leaves (one float each)
    kept: np.ndarray | None  # per sample (row), the values of the ``keep`` nodes; None without keep


class NumpyBatchProgram:
    """``batch(fixed, rows)``: all samples at once, samples as a second axis of every vector.

    ``fixed``: the floats of ``leaves[:n_fixed]`` (the parameters); ``rows``: one row per
    sample with the other leaves' floats (a 2-D array of shape (samples, leaves - n_fixed)).
    Returns ``NumpyBatchResult(total, grads, kept)``: the sums over the samples, as
    ``codegen``'s ``BatchProgram`` but with ``grads`` a numpy array and ``kept`` an array of
    shape (samples, len(keep)).
    """

    def __init__(self, root: Value, leaves: list[Value], n_fixed: int, keep: list[Value]) -> None:
        if isinstance(n_fixed, bool) or not isinstance(n_fixed, int) or not 0 <= n_fixed <= len(leaves):
            raise ValueError(f"n_fixed must be an int from 0 to {len(leaves)} (the number of leaves), "
                             f"got {n_fixed!r}")
        reachable = {id(node) for node in topological_order(root)}
        for i, node in enumerate(keep):
            if not isinstance(node, Value) or id(node) not in reachable:
                raise ValueError(f"keep[{i}] must be a Value the root depends on")
        self.n_fixed, self.n_row = n_fixed, len(leaves) - n_fixed
        self._compiled = _Compiled(root, leaves, n_fixed, keep)

    @property
    def source(self) -> str:
        return self._compiled.source

    @property
    def generation_seconds(self) -> float:
        return self._compiled.generation_seconds

    def __call__(self, fixed, rows) -> NumpyBatchResult:
        fixed = _as_array(fixed, "fixed")
        if fixed.shape != (self.n_fixed,):
            raise TypeError(f"fixed must hold {self.n_fixed} floats, got shape {fixed.shape}")
        rows = _as_array(rows, "rows")
        if rows.ndim != 2 or rows.shape[1] != self.n_row:
            raise TypeError(f"rows must be a 2-D array of shape (samples, {self.n_row}), "
                            f"got shape {rows.shape}")
        n = rows.shape[0]
        if n == 0:
            return NumpyBatchResult(0.0, np.zeros(self.n_fixed), np.zeros((0, len(self._compiled.plan.keep))))
        out, g, kept = self._compiled.run(fixed, rows.T, n)
        total = float(out.sum()) if out.shape[1] == n else float(out[0, 0]) * n
        return NumpyBatchResult(total, g + 0.0, kept)


def _as_array(data: object, what: str) -> np.ndarray:
    """``data`` as an array of floats; a TypeError naming ``what`` for text, None, bools or objects."""
    array = np.asarray(data) if not isinstance(data, np.ndarray) else data
    if array.dtype.kind not in "fiu":  # floats or ints; not bool, str, object
        raise TypeError(f"{what} must hold real numbers (floats or ints), got an array of {array.dtype}")
    return array.astype(float, copy=False)


def vectorize(root: Value, leaves: Sequence[Value]) -> NumpyProgram:
    """numpy code for ``root``'s forward and backward pass, ``leaves`` as arguments (see the module)."""
    return NumpyProgram(root, _check_leaves(root, leaves))
