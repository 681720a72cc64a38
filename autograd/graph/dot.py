"""DOT text for a graph of Values: one box per Value, one bubble per op, numbers on the edges.

A Value is drawn as a box ``label | data | grad``; the op that made it is a small bubble
in front of it, so an edge runs parent → op bubble → child.  The edge from a parent into
the bubble carries the chain rule for that edge:

    local 0.5          the local derivative ∂child/∂parent
    × 2 = 1            times the child's grad (the upstream) = the contribution to parent.grad

A Value that feeds several others receives one contribution from each, and its grad box
shows the sum: ``grad 3 = 1 + 2``.

This module only builds text.  ``render.py`` runs Graphviz on it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..value import Value

DEFAULT_MAX_NODES = 400

# Colours: one look per kind of Value, and one for "look here".
FILL = {"leaf": "#ffffff", "param": "#dbeafe", "inner": "#f3f4f6", "output": "#fef3c7"}
BORDER = {"leaf": "#4b5563", "param": "#1d4ed8", "inner": "#4b5563", "output": "#b45309"}
PENWIDTH = {"leaf": "1", "param": "1.5", "inner": "1", "output": "2.5"}
RED = "#dc2626"
GREY = "#9ca3af"
INK = "#1f2937"
FONT = "Helvetica"


class GraphTooLargeError(ValueError):
    """The graph has more Values than a readable picture can show."""


def fmt(x: float) -> str:
    """A number in at most 4 significant digits: 0.7616, -1.5, 2e-06 (and never '-0')."""
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


def collect_values(roots: Sequence[Value], limit: int | None = None) -> list[Value]:
    """Every Value the roots depend on, parents before children (no recursion).

    Stops with GraphTooLargeError as soon as more than ``limit`` Values are found, so a
    huge graph is refused without walking all of it.
    """
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(root, False) for root in reversed(roots)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        if limit is not None and len(visited) > limit:
            raise GraphTooLargeError(too_large_message(limit))
        stack.append((node, True))
        for parent in reversed(node.parents):
            if parent not in visited:
                stack.append((parent, False))
    return order


def too_large_message(limit: int) -> str:
    return (
        f"this graph has more than {limit} Values: a picture that big is an unreadable wall. "
        "Draw a part of it instead:\n"
        "  * draw_graph(node) from a Value nearer the inputs (for example one neuron's z or a), or\n"
        "  * draw_graph(root, collapse_groups=True) to draw each group (e.g. each nn neuron) as one box, or\n"
        f"  * raise the limit: draw_graph(root, max_nodes=N) with N > {limit}."
    )


def as_values(things: Value | Iterable[Value] | None, what: str) -> list[Value]:
    """One Value or an iterable of Values as a list; anything else is a TypeError naming ``what``."""
    if things is None:
        return []
    if isinstance(things, Value):
        return [things]
    try:
        items = list(things)
    except TypeError:
        raise TypeError(f"{what} must be a Value or an iterable of Values, got {things!r}") from None
    for i, item in enumerate(items):
        if not isinstance(item, Value):
            raise TypeError(f"{what}[{i}] must be a Value, got {type(item).__name__}: {item!r}")
    return items


def kinds_of(nodes: Sequence[Value], roots: Sequence[Value], params: Iterable[Value]) -> list[str]:
    """'output' for a root, 'param' for a parameter leaf, 'leaf' for other leaves, else 'inner'.

    A parameter is a leaf that the caller names in ``params`` or whose ``group`` is set
    (``nn`` tags every weight and bias with its neuron's name).
    """
    root_set, param_set = set(roots), set(params)
    kinds = []
    for node in nodes:
        if node in root_set:
            kinds.append("output")
        elif node.parents:
            kinds.append("inner")
        elif node in param_set or node.group is not None:
            kinds.append("param")
        else:
            kinds.append("leaf")
    return kinds


def display_name(node: Value, index: int) -> str:
    """How the step-through names a Value: its label, else ``#index`` (drawn in its box too)."""
    return node.label if node.label else f"#{index}"


def formula(node: Value, names: Sequence[str]) -> str:
    """How a Value was made, in words: 'a * b', 'tanh(z)', 'dot(w1, w2, x1, x2, b)'."""
    if len(names) == 2 and node.op in ("+", "-", "*", "/", "**"):
        return f"{names[0]} {node.op} {names[1]}"
    if len(names) == 1 and node.op.startswith("**"):
        return f"{names[0]} {node.op}"
    if node.op == "neg":
        return f"-{names[0]}"
    return f"{node.op}({', '.join(names)})"


@dataclass
class EdgeLook:
    """What the edge parent → child's op shows.

    ``state``: 'done' (the contribution has flowed), 'current' (flowing in this step), or
    'idle' (not yet: only the local derivative is known).
    """

    local: float | None
    upstream: float | None = None
    contribution: float | None = None
    state: str = "done"
    error: str | None = None


@dataclass
class Scene:
    """Everything needed to draw one picture; ``nodes[i]`` is drawn as DOT node ``v{i}``."""

    nodes: list[Value]
    data: list[float]
    grads: list[float]
    kinds: list[str]
    edges: dict[int, list[EdgeLook]]  # child index -> one EdgeLook per parent slot
    states: list[str] | None = None  # per node: 'done' | 'current' | 'pending'
    highlighted: set[int] = field(default_factory=set)
    edge_labels: bool = True
    rankdir: str = "LR"
    id_prefix: str = ""
    title: str | None = None
    number_unlabelled: bool = False  # show '#i' in the box of a Value without a label


def received_terms(scene: Scene) -> tuple[list[list[float]], list[int]]:
    """Per node: the contributions that have reached it, and how many have yet to come."""
    index = {node: i for i, node in enumerate(scene.nodes)}
    received: list[list[float]] = [[] for _ in scene.nodes]
    waiting = [0] * len(scene.nodes)
    for child, looks in scene.edges.items():
        for parent, look in zip(scene.nodes[child].parents, looks):
            p = index[parent]
            if look.state == "idle":
                waiting[p] += 1
            elif look.contribution is not None:
                received[p].append(look.contribution)
    return received, waiting


def grad_text(grad: float, received: list[float], waiting: int) -> str:
    """'grad 3 = 1 + 2' when a Value's grad is visibly a sum of contributions, else 'grad 3'.

    The sum is shown only when it adds up (a leaf can also hold grads from earlier
    ``backward`` calls, and a Value may feed Values outside the picture).
    """
    text = f"grad {fmt(grad)}"
    if len(received) + waiting < 2:
        return text
    if not math.isclose(math.fsum(received), grad, rel_tol=1e-9, abs_tol=1e-12):
        return text
    terms = [fmt(c) for c in received] + (["…"] if waiting else [])
    return text + " = " + " + ".join(terms)


def value_label(node: Value, data: float, grad_line: str, so_far: bool, number: str | None = None) -> str:
    """The HTML-like label of a Value box: label (bold) | data | grad."""
    cells = []
    if node.label:
        cells.append(f"<TD><B>{html.escape(node.label)}</B></TD>")
    elif number is not None:
        cells.append(f"<TD><I>{number}</I></TD>")
    cells.append(f"<TD>data {fmt(data)}</TD>")
    grad_cell = html.escape(grad_line) + (" <I>(so far)</I>" if so_far else "")
    cells.append(f"<TD>{grad_cell}</TD>")
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLUMNS="*"><TR>'
        + "".join(cells)
        + "</TR></TABLE>>"
    )


def edge_label(look: EdgeLook) -> str:
    """'local 0.5' over '× 2 = 1' (local × upstream = contribution)."""
    if look.error is not None:
        lines = [f"local: {html.escape(look.error)}"]
    else:
        lines = [f"local {fmt(look.local)}"]
        if look.upstream is not None and look.contribution is not None:
            lines.append(f"× {fmt(look.upstream)} = {fmt(look.contribution)}")
    rows = "".join(f"<TR><TD>{line}</TD></TR>" for line in lines)
    # The padding keeps the labels of neighbouring edges apart.
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="0">{rows}</TABLE>>'



def scene_to_dot(scene: Scene) -> str:
    """The DOT text of a Scene (see the module docstring for what is drawn)."""
    import graphviz  # only when drawing: keeps ``import autograd`` light
    pre = scene.id_prefix
    graph = graphviz.Digraph(
        name="glassgrad",
        graph_attr={"rankdir": scene.rankdir, "id": f"{pre}graph", "nodesep": "0.3", "ranksep": "0.4"},
        node_attr={"fontname": FONT, "fontsize": "12", "fontcolor": INK},
        edge_attr={"fontname": FONT, "fontsize": "10", "color": "#4b5563", "fontcolor": INK},
    )
    if scene.title:
        graph.attr(label=scene.title, labelloc="t", labeljust="l", fontname=FONT, fontsize="13")

    received, waiting = received_terms(scene)
    states = scene.states or ["done"] * len(scene.nodes)
    clusters: dict[str, list[int]] = {}
    for i, node in enumerate(scene.nodes):
        if node.group is not None:
            clusters.setdefault(node.group, []).append(i)

    def add_value(target: graphviz.Digraph, i: int) -> None:
        node, kind, state = scene.nodes[i], scene.kinds[i], states[i]
        pending = state == "pending"
        classes = ["value", kind, state] + (["highlight"] if i in scene.highlighted else [])
        attrs = {
            "id": f"{pre}v{i}",
            "class": " ".join(classes),
            "shape": "box",
            "style": "rounded,filled" + (",dashed" if pending else ""),
            "fillcolor": FILL[kind],
            "color": GREY if pending else BORDER[kind],
            "penwidth": PENWIDTH[kind],
        }
        if pending:
            attrs["fontcolor"] = GREY
        if i in scene.highlighted or state == "current":
            attrs.update(color=RED, penwidth="3.5")
        line = grad_text(scene.grads[i], received[i], waiting[i])
        number = f"#{i}" if scene.number_unlabelled else None
        so_far = waiting[i] > 0  # some Value it feeds has not passed its grad back yet
        target.node(f"v{i}", label=value_label(node, scene.data[i], line, so_far, number), **attrs)
        if node.parents:
            target.node(
                f"v{i}op",
                label=node.op,
                id=f"{pre}v{i}op",
                **{"class": "op"},
                shape="ellipse",
                style="filled",
                fillcolor="#ffffff",
                margin="0.04,0.02",
                height="0.3",
                fontsize="11",
                color=GREY if pending else "#4b5563",
            )
            target.edge(f"v{i}op", f"v{i}", id=f"{pre}v{i}out", arrowsize="0.6")

    for number, (name, members) in enumerate(clusters.items()):
        with graph.subgraph(name=f"cluster_{number}") as cluster:
            cluster.attr(
                label=name, id=f"{pre}cluster{number}", style="rounded,dashed", color="#6b7280", fontsize="11"
            )
            for i in members:
                add_value(cluster, i)
    for i, node in enumerate(scene.nodes):
        if node.group is None:
            add_value(graph, i)

    index = {node: i for i, node in enumerate(scene.nodes)}
    for child, looks in scene.edges.items():
        for slot, (parent, look) in enumerate(zip(scene.nodes[child].parents, looks)):
            attrs = {"id": f"{pre}e{child}_{slot}", "class": f"edge-{look.state}"}
            if scene.edge_labels:
                attrs["label"] = edge_label(look)
            if look.state == "current":
                attrs.update(color=RED, fontcolor=RED, penwidth="2.5")
            elif look.state == "idle":
                attrs.update(color=GREY, fontcolor=GREY, style="dashed")
            graph.edge(f"v{index[parent]}", f"v{child}op", **attrs)
    return graph.source


def collapsed_dot(nodes: Sequence[Value], kinds: Sequence[str], rankdir: str, max_nodes: int) -> str:
    """DOT text with every group drawn as ONE box (for graphs too big to draw Value by Value)."""
    import graphviz
    groups: dict[str, list[int]] = {}
    for i, node in enumerate(nodes):
        if node.group is not None:
            groups.setdefault(node.group, []).append(i)
    group_number = {name: n for n, name in enumerate(groups)}
    drawn = len(groups) + sum(1 for node in nodes if node.group is None)
    if drawn > max_nodes:
        raise GraphTooLargeError(
            f"even with each group as one box this graph has {drawn} boxes (limit {max_nodes}). "
            "Draw a part of it: draw_graph(node) from a Value nearer the inputs, or raise max_nodes."
        )

    def box(i: int) -> str:
        group = nodes[i].group
        return f"v{i}" if group is None else f"g{group_number[group]}"

    graph = graphviz.Digraph(
        name="glassgrad",
        graph_attr={"rankdir": rankdir, "id": "graph"},
        node_attr={"fontname": FONT, "fontsize": "12", "fontcolor": INK},
        edge_attr={"color": "#4b5563"},
    )
    for name, members in groups.items():
        params = sum(1 for i in members if kinds[i] == "param")
        graph.node(
            f"g{group_number[name]}",
            label=f"{name}\\n{len(members)} values ({params} parameters)",
            shape="box3d",
            style="filled",
            fillcolor=FILL["param"],
            color=BORDER["param"],
            **{"class": "group"},
        )
    for i, node in enumerate(nodes):
        if node.group is None:
            name = node.label or (node.op if node.parents else fmt(node.data))
            graph.node(
                f"v{i}",
                label=f"{name}\\ndata {fmt(node.data)}  grad {fmt(node.grad)}",
                shape="box",
                style="rounded,filled",
                fillcolor=FILL[kinds[i]],
                color=BORDER[kinds[i]],
                **{"class": f"value {kinds[i]}"},
            )
    index = {node: i for i, node in enumerate(nodes)}
    seen: set[tuple[str, str]] = set()
    for i, node in enumerate(nodes):
        for parent in node.parents:
            edge = (box(index[parent]), box(i))
            if edge[0] != edge[1] and edge not in seen:
                seen.add(edge)
                graph.edge(*edge)
    return graph.source
