"""Writing a grouped graph (a ``grouping.Plan``) as numpy source, forward and backward.

Part of codegen's numpy backend (``autograd.vectorize``).  Each unit of the plan becomes one
line: a matrix product ``z1 = W1 @ x + b1``, an elementwise line from the op's rule text over
arrays (``autograd.array_forms``), or a sum over a vector; then, from the output back, the
layer form of the documents: ``d_W1 = d_z1 @ x.T``, ``d_x = W1.T @ d_z1`` and the rules'
local derivatives times the upstream vector.  Every line says in a comment which scalar
nodes it stands for.

Names come from labels only when a label is a plain ASCII identifier (``codegen``'s check);
comments show labels only as ``ascii(str.__str__(label))`` of a ``str``: no user string
becomes code.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np

from . import value as _value
from .array_forms import array_namespace, over_arrays
from .codegen import _RESERVED, _literal, _usable, _word  # shared on purpose: see codegen.check_leaves
from .grouping import Operand, Plan, Unit, contiguous
from .value import Value

__all__ = ["Writer"]


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
    if len(nodes) > 1 and all(node.label is None and node.group is None for node in nodes):
        return "(no labels)"
    return _one(nodes[0]) if len(nodes) == 1 else f"{_one(nodes[0])} … {_one(nodes[-1])}"


def _describe(nodes: list[Value]) -> str:
    """``# 30 'dot' nodes: 'z' in 'L1.N0' … 'z' in 'L1.N29'``: which scalar nodes a line stands for."""
    if not nodes[0].parents:
        return f"  # {len(nodes)} leaves: {_span(nodes)}" if len(nodes) > 1 else f"  # leaf {_span(nodes)}"
    op = _shown(nodes[0].op)
    if len(nodes) == 1:
        return f"  # {op} node {_span(nodes)}"
    return f"  # {len(nodes)} {op} nodes: {_span(nodes)}"


# Names codegen's scalar batch loop uses and a numpy program does not: free for a cost's total.
_FREE_HERE = frozenset({"total", "rows", "keep", "batch"})


class _Names:
    def __init__(self, reserved: Iterable[str]) -> None:
        self.used = (set(_RESERVED) - _FREE_HERE) | set(reserved)
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


_FUNCTIONS = frozenset({"exp", "log", "tanh", "sigmoid", "relu", "softplus", "sin", "cos"})
_FACTOR_WORDS = {-1.0: "neg", 0.5: "half", 2.0: "twice"}
_LONGEST = 24  # a composed name longer than this reads worse than the op's word


def _composed(op: object, words: list) -> str | None:
    """A name for unlabeled nodes from what they compute, when that reads plainly:
    ``diff`` for a2 - y, ``diff_sq`` for its square, ``log_a2``, ``one_minus_a2``,
    ``half_total``, ``total`` for a sum.  ``words``: per operand the name of the vector it
    reads (a generated name or a leaf vector's), a float for a constant, ``...`` for a
    vector of constants, None otherwise.
    Made of generated names and fixed words only: never of a label that is not one."""
    if type(op) is not str:
        return None
    names = [w for w in words if type(w) is str]
    name: str | None = None
    if op == "sum":
        name = "total"
    elif len(words) == 1 and names:
        if op in _FUNCTIONS:
            name = f"{op}_{names[0]}"
        elif op == "neg":
            name = f"neg_{names[0]}"
        elif op.startswith("**"):
            name = f"{names[0]}_sq" if op == "**2" else f"{names[0]}_pow"
    elif len(words) == 2 and len(names) == 2:
        if op == "-":
            name = "diff"
        elif op == "+":
            name = f"{names[0]}_plus_{names[1]}"
        elif op == "*":
            name = f"{names[0]}_times_{names[1]}"
        elif op == "/":
            name = "ratio"
    elif len(words) == 2 and len(names) == 1 and any(type(w) is float or w is ... for w in words):
        constant = next(w for w in words if type(w) is float or w is ...)
        if op == "*":
            name = f"{_FACTOR_WORDS.get(constant, 'scaled')}_{names[0]}"
        elif op == "-" and type(words[1]) is str:
            name = f"one_minus_{names[0]}" if constant == 1.0 else f"minus_{names[0]}"
        elif op in ("+", "-"):
            name = f"shifted_{names[0]}"
        elif op == "/" and type(words[0]) is str:
            name = f"scaled_{names[0]}"
    if name is None or len(name) > _LONGEST or not _usable(name):
        return None
    return name


class Writer:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.namespace = array_namespace()
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
        if total is not None and len(rows) == total and contiguous(rows) and rows[0] == 0:
            return ""
        if contiguous(rows):
            return f"{rows[0]}:{rows[-1] + 1}"
        return self.bind(np.array(rows, dtype=np.intp))

    def operand(self, nodes: Sequence[Value], stem: str = "v", name: str | None = None,
                broadcast: bool = False) -> Operand:
        where = self.plan.where
        segments: list[tuple[object, list[int]]] = []
        for node in nodes:
            source, row = where[id(node)]
            if segments and segments[-1][0] is source:
                segments[-1][1].append(row)
            else:
                segments.append((source, [row]))
        operand = Operand(segments)
        operand.batched = any(s == "R" or (isinstance(s, Unit) and s.batched) for s, _ in segments)
        if len(segments) == 1:
            source, rows = segments[0]
            if isinstance(source, Unit):
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
            if isinstance(source, Unit):
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

    def matmul(self, unit: Unit) -> None:
        layer = unit.layer = next(self.layers)
        first = unit.nodes[0].parents
        n = len(first) // 2
        unit.name = self.names.take(_stem_of(unit.nodes, "z"), layer)
        where = self.plan.where
        flat = [where[id(w)][1] for node in unit.nodes for w in node.parents[:n]]
        k = len(unit.nodes)
        if contiguous(flat):
            matrix = f"F[{flat[0]}:{flat[-1] + 1}].reshape({k}, {n})"
        else:
            matrix = f"F[{self.bind(np.array(flat, dtype=np.intp).reshape(k, n))}]"
        weights = self.names.take("W", layer)
        leaves = [w for node in unit.nodes for w in node.parents[:n]]
        self.gather_lines.append(f"{weights} = {matrix}  # {k}×{n} weights: {_span(leaves)}")
        unit.weights = Operand([("F", flat)])
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

    def vector_sum(self, unit: Unit) -> None:
        (node,) = unit.nodes
        terms = self.operand(node.parents, "terms")
        unit.operands = [terms]
        unit.batched = terms.batched
        unit.name = self.names.take(_stem_of(unit.nodes, self.root_or("total", unit)))
        summed = f"{terms.expr}.sum(axis=0, keepdims=True)"
        self.forward_lines.append(f"{unit.name} = {summed}{_describe(unit.nodes)}")

    def elementwise(self, unit: Unit) -> None:
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
                op = Operand([("F", [row])])
                op.expr = _literal(self.plan.constants[row - n_fixed], self.namespace, self.nan_counter)
            else:
                op = self.operand([node.parents[p] for node in nodes], broadcast=True)
            unit.operands.append(op)
        if len(nodes) > 1 and all(op.broadcast for op in unit.operands):
            for op in unit.operands:  # k copies of one scalar: make the k rows explicit
                op.expr = f"np.broadcast_to({op.expr}, ({len(nodes)}, {op.expr}.shape[1]))"
        unit.batched = any(op.batched for op in unit.operands)
        sources = [s for op in unit.operands for s, _ in op.segments if isinstance(s, Unit)]
        unit.layer = sources[0].layer if sources else None
        words = [self.plan.constants[where[id(nodes[0].parents[p])][1] - n_fixed] if constant[p]
                 else self.word_of(op) for p, op in enumerate(unit.operands)]
        unlabeled = self.root_or(_composed(nodes[0].op, words) or _word(nodes[0]), unit)
        stem = _stem_of(nodes, unlabeled)
        if unit.layer is not None and stem != unlabeled:
            unit.name = self.names.take(stem, unit.layer)
        else:
            unit.name = self.names.take(stem)
        forward = over_arrays(unit.rule.forward_code([op.expr for op in unit.operands]))
        if forward is None:
            forward = self.vectorised(unit, "forward")
        self.forward_lines.append(f"{unit.name} = {forward}{_describe(nodes)}")

    def root_or(self, name: str, unit: Unit) -> str:
        """``C`` for the root (unlabeled): every ``d_v`` below is ∂C/∂v; else ``name``."""
        return "C" if unit.nodes[0] is self.plan.root else name

    def word_of(self, op: Operand) -> object:
        """The name of the one vector an operand reads whole or in part (``a2``, ``y``), if any."""
        if len(op.segments) != 1:
            return None  # gathered from several places
        source, rows = op.segments[0]
        if isinstance(source, Unit):
            return source.name
        if source == "F" and rows[0] >= self.plan.n_fixed:
            return ...  # a vector of constants: read as a constant
        return op.expr if op.expr.isidentifier() and not op.expr.startswith("_") else None

    def vectorised(self, unit: Unit, what: str, position: int = 0) -> str:
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
                (s == "F" and any(r < n_fixed for r in rows)) or (isinstance(s, Unit) and s.needed)
                for op in operands for s, rows in op.segments
            )

    def backward(self) -> list[str]:
        plan = self.plan
        contributions: list[tuple[object, str, str]] = []  # (target unit or "F", how, text)
        lines: list[tuple[str, object]] = []  # ("line", text) or ("add", contribution index)

        def add(target, how: str, text: str) -> None:
            contributions.append((target, how, text))
            lines.append(("add", len(contributions) - 1))

        def scatter(op: Operand, contribution: str, batched: bool) -> None:
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
                if len(rows) == len(source.nodes) and contiguous(rows) and rows[0] == 0:
                    add(source, "full", piece)
                elif contiguous(rows):
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
                    text = over_arrays(local)
                    if text is None:
                        text = self.vectorised(unit, "local", position)
                    scatter(op, _value.product_code(text, d), unit.batched)
        return self.render_backward(contributions, lines)

    def fixed_add(self, rows: list[int], wanted: list[int], column: str, add) -> None:
        if len(wanted) == len(rows) and contiguous(rows):
            add("F", f"[{rows[0]}:{rows[-1] + 1}]", column)
            return
        if len(wanted) < len(rows):
            column = f"{column}[{self.bind(np.array(wanted, dtype=np.intp))}]"
        index = np.array([rows[i] for i in wanted], dtype=np.intp)
        how = f"[{self.bind(index)}]" if len(set(index.tolist())) == len(index) else f"at {self.bind(index)}"
        add("F", how, column)

    def render_backward(self, contributions, lines) -> list[str]:
        shape_safe: dict[int, bool] = {}  # per target unit: every contribution a full one of its shape
        for target, how, _text in contributions:
            if isinstance(target, Unit):
                ok = how == "full"  # never written in place: a broadcast view (read-only) is fine
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
                lines.append(f"    # backward, from the output back: d_v = ∂{unit.name}/∂v; d_W = d_z @ x.T, "
                             "d_x = W.T @ d_z, elementwise lines by their ops' rules")
                lines += ["    " + line for line in backward]
        kept = []
        for node in plan.keep:
            source, row = plan.where[id(node)]
            if isinstance(source, Unit):
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


def _needs(op: Operand, n_fixed: int) -> bool:
    return any((s == "F" and any(r < n_fixed for r in rows)) or (isinstance(s, Unit) and s.needed)
               for s, rows in op.segments)
