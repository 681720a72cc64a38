"""What a picture shows, decided before any DOT text is written.

``draw_graph`` and ``backward_frames`` check their arguments here, collect the Values to
draw (with the engine's one topological sort), classify them (input, parameter, inner,
output), put each in its cluster and say what each edge carries.  The result is a
``Scene``; ``dot.py`` turns a Scene into text and decides nothing.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..backward import TooManyValuesError, topological_order
from ..value import Value
from .text import fmt, visible

DEFAULT_MAX_NODES = 400
RANKDIRS = ("LR", "RL", "TB", "BT")
THEMES = ("light", "dark")

# Layout time of Graphviz's dot for a chain of n Values with edge labels, measured on the
# 2-core CI machine: 499 Values 0.6 s, 999 2.5 s, 1,999 13 s, 3,999 73 s: about
# LAYOUT_SECONDS_AT_1000 · (n / 1000) ** LAYOUT_EXPONENT.
LAYOUT_SECONDS_AT_1000 = 2.5
LAYOUT_EXPONENT = 2.44
WARN_SECONDS = 10.0
# Above this, refused whatever max_nodes says: Graphviz would need over ten minutes, and a
# chain of 200,000 Values crashed it (SIGSEGV after 51 s, measured in a child process).
MAX_LAYOUT_VALUES = 10_000


class GraphTooLargeError(ValueError):
    """The graph has more Values than a readable picture can show."""


class GraphLayoutWarning(UserWarning):
    """Laying out this picture will take long, or give a picture too big to read."""


# ----------------------------------------------------------------- checking arguments
def check_max_nodes(max_nodes: object) -> int:
    """``max_nodes`` as a positive int, or a TypeError / ValueError that names it."""
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int):
        raise TypeError(f"max_nodes must be a positive int (a number of Values), got {max_nodes!r}")
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int (a number of Values), got {max_nodes}")
    return max_nodes


def check_rankdir(rankdir: object) -> str:
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    return rankdir  # type: ignore[return-value]


def check_theme(theme: object) -> str:
    if theme not in THEMES:
        raise ValueError(f"theme must be 'light' or 'dark', got {theme!r}")
    return theme  # type: ignore[return-value]


def check_max_width(max_width: object) -> int | None:
    """``max_width``: a width budget in pixels (an int >= 100), or None for no budget."""
    if max_width is None:
        return None
    if isinstance(max_width, bool) or not isinstance(max_width, int):
        raise TypeError(f"max_width must be a width in pixels (an int >= 100) or None, got {max_width!r}")
    if max_width < 100:
        raise ValueError(f"max_width must be a width in pixels (an int >= 100) or None, got {max_width}")
    return max_width


def as_values(things: Value | Iterable[Value] | None, what: str) -> list[Value]:
    """One Value or an iterable of Values as a list; anything else is a TypeError naming ``what``."""
    if things is None:
        return []
    if isinstance(things, Value):
        return [things]
    if isinstance(things, (str, bytes)):
        raise TypeError(f"{what} must be a Value or an iterable of Values, got {things!r}")
    try:
        items = list(things)
    except TypeError:
        raise TypeError(f"{what} must be a Value or an iterable of Values, got {things!r}") from None
    for i, item in enumerate(items):
        if not isinstance(item, Value):
            raise TypeError(f"{what}[{i}] must be a Value, got {type(item).__name__}: {item!r}")
    return items


# ----------------------------------------------------------------- collecting and sizing
def too_large_message(limit: int) -> str:
    return (
        f"this graph has more than {limit} Values: a picture that big is an unreadable wall. "
        "Draw a part of it instead:\n"
        "  * draw_graph(node) from a Value nearer the inputs (for example one neuron's z or a), or\n"
        "  * draw_graph(root, collapse_groups=True) to draw each group (e.g. each nn neuron) as one box, or\n"
        f"  * raise the limit: draw_graph(root, max_nodes=N) with N > {limit}."
    )


def collect_values(roots: Sequence[Value], limit: int | None = None) -> list[Value]:
    """Every Value the roots depend on, parents before children, in drawing order.

    The engine's one topological sort finds them (more than ``limit`` Values is a
    GraphTooLargeError, found without walking all of a huge graph); ``drawing_order``
    then sorts them so that operands appear in the order they were written.
    """
    try:
        found = topological_order(*roots, limit=limit)
    except TooManyValuesError:
        raise GraphTooLargeError(too_large_message(limit)) from None
    return drawing_order(found)


def drawing_order(nodes: Sequence[Value]) -> list[Value]:
    """``nodes`` (in topological order) sorted by depth, then by where they sit under the root.

    Depth (the longest path from a leaf) keeps every parent before its children; within
    one depth, a node's place is the interval its first consumer gives its operand slot
    (slot j of n gets the j-th n-th of the consumer's interval), so ``c*c + tanh(c)``
    draws and sums ``c*c`` before ``tanh(c)``, and inputs keep their written order.
    """
    index = {node: i for i, node in enumerate(nodes)}
    depth = [0] * len(nodes)
    for i, node in enumerate(nodes):
        if node.parents:
            depth[i] = 1 + max(depth[index[p]] for p in node.parents)
    start = [math.inf] * len(nodes)
    width = [1.0] * len(nodes)
    for i in reversed(range(len(nodes))):
        if start[i] == math.inf:  # a root (nothing drawn consumes it)
            start[i] = float(i)
        parents = nodes[i].parents
        for slot, parent in enumerate(parents):
            p = index[parent]
            place = start[i] + width[i] * slot / len(parents)
            if place < start[p]:
                start[p], width[p] = place, width[i] / len(parents)
    order = sorted(range(len(nodes)), key=lambda i: (depth[i], start[i], i))
    return [nodes[i] for i in order]


def check_layout_size(values: int) -> None:
    """Refuse a picture Graphviz cannot lay out in reasonable time (see MAX_LAYOUT_VALUES)."""
    if values > MAX_LAYOUT_VALUES:
        raise GraphTooLargeError(
            f"this picture would have {values} boxes; Graphviz cannot lay out more than "
            f"{MAX_LAYOUT_VALUES} in reasonable time (about {layout_seconds(values) / 60:.0f} min here) "
            "and crashes on much bigger ones. Draw a part of it: draw_graph(node) from a Value "
            "nearer the inputs, or draw_graph(root, collapse_groups=True)."
        )


def layout_seconds(values: int) -> float:
    """About how long Graphviz takes to lay out a picture of ``values`` Values (edge labels on)."""
    return LAYOUT_SECONDS_AT_1000 * (values / 1000) ** LAYOUT_EXPONENT


def warn_if_slow(values: int, pictures: int = 1, what: str = "this picture") -> None:
    """Refuse a picture too big to lay out; warn with the estimate when it takes over WARN_SECONDS."""
    check_layout_size(values)
    seconds = layout_seconds(values) * pictures
    if seconds > WARN_SECONDS:
        warnings.warn(
            f"{what} ({values} Values{f', {pictures} pictures' if pictures > 1 else ''}) will take "
            f"about {seconds:.0f} s to lay out and be far too big to read. Draw a part instead: "
            "draw_graph(node) from a Value nearer the inputs, or collapse_groups=True.",
            GraphLayoutWarning,
            stacklevel=3,
        )


# ----------------------------------------------------------------- classifying
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
        elif not node.is_leaf():
            kinds.append("inner")
        elif node in param_set or node.group is not None:
            kinds.append("param")
        else:
            kinds.append("leaf")
    return kinds


def consumers_of(nodes: Sequence[Value]) -> list[list[int]]:
    """Per node, the indices of the nodes it feeds (once per parent slot)."""
    index = {node: i for i, node in enumerate(nodes)}
    consumers: list[list[int]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for parent in node.parents:
            consumers[index[parent]].append(i)
    return consumers


def groups_of(nodes: Sequence[Value]) -> list[str | None]:
    """The cluster each node is drawn in: its ``group``, or the group it is a hidden step of.

    An untagged inner node joins group G when everything it feeds is in G and one of its
    parents is: the ``w·x`` products and partial sums of an nn neuron built from separate
    ``*`` and ``+`` nodes sit inside that neuron's box, with its z and a.  Inputs stay out.
    ``nodes`` are in topological order (parents first).
    """
    index = {node: i for i, node in enumerate(nodes)}
    consumers = consumers_of(nodes)
    below: list[str | None] = [None] * len(nodes)  # the one group everything downstream is in
    for i in reversed(range(len(nodes))):
        if nodes[i].group is not None:
            below[i] = visible(nodes[i].group)
        elif consumers[i]:
            downstream = {below[c] for c in consumers[i]}
            below[i] = downstream.pop() if len(downstream) == 1 else None
    groups: list[str | None] = [None] * len(nodes)
    for i, node in enumerate(nodes):
        if node.group is not None:
            groups[i] = visible(node.group)
        elif below[i] is not None and node.parents:
            if any(groups[index[p]] == below[i] for p in node.parents):
                groups[i] = below[i]
    return groups


@dataclass
class Collapsed:
    """A graph with every group as one box: ``groups`` (name, Values, parameters) in numeric
    order are boxes ``g0, g1, …``; ``singles`` are the indices of untagged Values (``v{i}``);
    ``edges`` join boxes, each once, in the order they are drawn."""

    nodes: Sequence[Value]
    kinds: Sequence[str]
    groups: list[tuple[str, int, int]]
    singles: list[int]
    edges: list[tuple[str, str]]


def collapse(nodes: Sequence[Value], kinds: Sequence[str], max_nodes: int) -> Collapsed:
    """Group the Values by ``group`` tag; more than ``max_nodes`` boxes is a GraphTooLargeError."""
    members: dict[str, list[int]] = {}
    for i, node in enumerate(nodes):
        if node.group is not None:
            members.setdefault(visible(node.group), []).append(i)
    names = sorted(members, key=natural_key)
    number = {name: n for n, name in enumerate(names)}
    singles = [i for i, node in enumerate(nodes) if node.group is None]
    drawn = len(names) + len(singles)
    if drawn > max_nodes:
        raise GraphTooLargeError(
            f"even with each group as one box this graph has {drawn} boxes (limit {max_nodes}). "
            "Draw a part of it: draw_graph(node) from a Value nearer the inputs, or raise max_nodes."
        )
    warn_if_slow(drawn)

    def box(i: int) -> tuple[str, int]:  # its DOT name, and its place: groups first, in order
        group = nodes[i].group
        if group is None:
            return f"v{i}", len(names) + i
        return f"g{number[visible(group)]}", number[visible(group)]

    index = {node: i for i, node in enumerate(nodes)}
    edges: dict[tuple[str, str], int] = {}
    for i, node in enumerate(nodes):
        head, place = box(i)
        for parent in node.parents:
            tail = box(index[parent])[0]
            if tail != head:
                edges.setdefault((tail, head), place)
    groups = [(name, len(members[name]), sum(kinds[i] == "param" for i in members[name])) for name in names]
    return Collapsed(nodes, kinds, groups, singles, sorted(edges, key=edges.__getitem__))


def natural_key(name: str) -> list:
    """Sort key that puts L1.N2 before L1.N10 (numbers compared as numbers)."""
    return [int(part) if part.isdecimal() else part.lower() for part in re.split(r"(\d+)", name)]


def display_name(node: Value, index: int) -> str:
    """How the step-through names a Value: its label, else ``#index`` (drawn in its box too)."""
    return visible(node.label) if node.label not in (None, "") else f"#{index}"


def formula(node: Value, names: Sequence[str]) -> str:
    """How a Value was made, in words: 'a * b', 'tanh(z)', 'dot(w1, w2, x1, x2, b)'."""
    op = visible(node.op)
    if len(names) == 2 and op in ("+", "-", "*", "/", "**"):
        return f"{names[0]} {op} {names[1]}"
    if len(names) == 1 and op.startswith("**"):
        return f"{names[0]} {op}"
    if op == "neg":
        return f"-{names[0]}"
    return f"{op}({', '.join(names)})"


# ----------------------------------------------------------------- the scene
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
    caption: str | None = None  # more lines under the title (the step's text in an animation)
    number_unlabelled: bool = False  # show '#i' in the box of a Value without a label
    numbers: list[int] | None = None  # per node, the i of its '#i' (default: its index here)
    earlier: list[float] | None = None  # per node, a grad held before this backward pass (leaves)
    earlier_added: bool = False  # grads include ``earlier`` (the pass is over), else not yet
    theme: str = "light"
    groups: list[str | None] = field(default_factory=list)  # per node: its cluster (see groups_of)

    def __post_init__(self) -> None:
        if not self.groups:
            self.groups = groups_of(self.nodes)


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


def grad_text(grad: float, received: list[float], waiting: int, earlier: float = 0.0) -> str:
    """'grad 3 = 1 + 2' when a Value's grad is visibly a sum of contributions, else 'grad 3'.

    ``earlier``: what a leaf held before this pass and has got back in ``grad`` (the first
    term, 'grad 4 = 1 earlier + 3').  The sum is shown only when it adds up (a Value may feed
    Values outside the picture).
    """
    text = f"grad {fmt(grad)}"
    if len(received) + waiting + (earlier != 0.0) < 2:
        return text
    if not math.isclose(math.fsum([earlier, *received]), grad, rel_tol=1e-9, abs_tol=1e-12):
        return text
    terms = ([f"{fmt(earlier)} earlier"] if earlier else []) + [fmt(c) for c in received]
    return text + " = " + " + ".join(terms + (["…"] if waiting else []))


def describe(nodes: Sequence[Value], kinds: Sequence[str], names: Sequence[str]) -> str:
    """A one-line text alternative of a picture: how many Values, and the output's numbers."""
    ops = sum(1 for kind in kinds if kind != "leaf" and kind != "param")
    outputs = [
        f"{name} = {fmt(node.data)} (grad {fmt(node.grad)})"
        for node, kind, name in zip(nodes, kinds, names)
        if kind == "output"
    ]
    return f"Computation graph of {len(nodes)} Values ({ops} made by ops); output " + ", ".join(outputs) + "."
