"""DOT text for a Scene: one box per Value, one bubble per op, numbers on the edges.

A Value is drawn as a box: its label over ``data`` over ``grad``; the op that made it is a
small bubble in front of it, so an edge runs parent → op bubble → child.  The edge from a
parent into the bubble carries the chain rule for that edge:

    local 0.5          the local derivative ∂child/∂parent
    × 2                times the child's grad (the upstream)
    = 1                gives the contribution to parent.grad

A Value that feeds several others receives one contribution from each, and its grad box
shows the sum: ``grad 3 = 1 + 2``.

This module only writes text: what to draw is decided in ``scene.py``.  Every user
string goes in through ``text.label_markup`` inside an HTML-like label (``html_label``).
"""

from __future__ import annotations

from ..value import Value
from .scene import Collapsed, EdgeLook, Scene, grad_text, natural_key, received_terms
from .text import fmt, label_markup

# Courier: the one font whose metrics every Graphviz knows (built in, or metric-compatible
# Liberation Mono / Nimbus Mono through fontconfig), and monospace in every viewer, so the
# widths the layout reserved are the widths the SVG, PNG and PDF show.
FONT = "Courier"

# Okabe-Ito colours (safe for the common colour-blindnesses); "look here" also has a
# double, thick border, "not reached yet" a dashed one, so no meaning is in colour alone.
PALETTES = {
    "light": {
        "background": "white", "ink": "#1f2937", "line": "#4b5563", "cluster": "#6b7280",
        "pending": "#8a8f98", "current": "#D55E00", "op_fill": "#ffffff",
        "fill": {"leaf": "#ffffff", "param": "#d7ebf8", "inner": "#f3f4f6", "output": "#fbe7c0"},
        "border": {"leaf": "#4b5563", "param": "#0072B2", "inner": "#4b5563", "output": "#9a6700"},
    },
    "dark": {
        "background": "#111827", "ink": "#e5e7eb", "line": "#9ca3af", "cluster": "#9ca3af",
        "pending": "#6b7280", "current": "#F5793A", "op_fill": "#1f2937",
        "fill": {"leaf": "#1f2937", "param": "#0b3552", "inner": "#273244", "output": "#4a3600"},
        "border": {"leaf": "#9ca3af", "param": "#56B4E9", "inner": "#9ca3af", "output": "#E69F00"},
    },
}  # fmt: skip
PENWIDTH = {"leaf": "1", "param": "1.5", "inner": "1", "output": "2.5"}


def html_label(inner_markup: str) -> str:
    """A DOT HTML-like label around text that is already markup (see ``text.label_markup``)."""
    return f"<{inner_markup}>"


def value_label(
    node: Value, data: float, grad_line: str, so_far: bool, number: str | None = None, note: str | None = None
) -> str:
    """The HTML-like label of a Value box: its label (bold) over ``data`` over ``grad`` (over a note).

    Stacked, not side by side, so that a box is as narrow as its longest line.
    """
    rows = []
    if node.label not in (None, ""):
        rows.append(f"<B>{label_markup(node.label)}</B>")
    elif number is not None:
        rows.append(f"<I>{number}</I>")
    rows.append(f"data {fmt(data)}")
    rows.append(label_markup(grad_line) + (" <I>(so far)</I>" if so_far else ""))
    if note is not None:
        rows.append(f"<I>{label_markup(note)}</I>")
    return html_label(
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" ROWS="*">'
        + "".join(f"<TR><TD>{row}</TD></TR>" for row in rows)
        + "</TABLE>"
    )


def edge_label(look: EdgeLook) -> str:
    """'local 0.5', '× 2', '= 1' on three short lines (local × upstream = contribution)."""
    if look.error is not None:
        lines = [f"local: {label_markup(look.error)}"]
    else:
        lines = [f"local {fmt(look.local)}"]
        if look.upstream is not None and look.contribution is not None:
            lines += [f"× {fmt(look.upstream)}", f"= {fmt(look.contribution)}"]
    rows = "".join(f"<TR><TD>{line}</TD></TR>" for line in lines)
    # The padding keeps the labels of neighbouring edges apart.
    return html_label(f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">{rows}</TABLE>')


def lines_label(title: str | None, caption: str | None) -> str:
    """The picture's title (bold) and caption lines, left-aligned."""
    parts = []
    if title:
        parts.append(f'<B>{label_markup(title, None)}</B><BR ALIGN="LEFT"/>')
    for line in (caption or "").splitlines():
        parts.append(f'{label_markup(line, None) or " "}<BR ALIGN="LEFT"/>')
    return html_label("".join(parts))


def attributes(attrs: dict[str, str]) -> str:
    """``[a="1" b=<...>]``: our own attribute values, quoted (HTML-like labels stay as they are)."""
    items = []
    for key, value in attrs.items():
        if value.startswith("<") and value.endswith(">"):
            items.append(f"{key}={value}")
        else:
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            items.append(f'{key}="{escaped}"')
    return "[" + " ".join(items) + "]"


def header(name_prefix: str, rankdir: str, palette: dict, graph_attrs: dict[str, str]) -> list[str]:
    font = {"fontname": FONT, "fontcolor": palette["ink"]}
    return [
        "digraph glassgrad {",
        "graph " + attributes({"rankdir": rankdir, "id": f"{name_prefix}graph", "nodesep": "0.2",
                               "ranksep": "0.4", "bgcolor": palette["background"], **font, "fontsize": "12",
                               **graph_attrs}),
        "node " + attributes({**font, "fontsize": "10"}),
        "edge " + attributes({**font, "fontsize": "9", "color": palette["line"]}),
    ]  # fmt: skip


def value_lines(scene: Scene, i: int, received: list[float], waiting: int, palette: dict) -> list[str]:
    """The DOT lines of Value ``i``: its box and, for a computed Value, its op bubble."""
    pre = scene.id_prefix
    node, kind = scene.nodes[i], scene.kinds[i]
    state = scene.states[i] if scene.states else "done"
    pending = state == "pending"
    classes = ["value", kind, state] + (["highlight"] if i in scene.highlighted else [])
    attrs = {
        "id": f"{pre}v{i}",
        "class": " ".join(classes),
        "shape": "box",
        "style": "rounded,filled" + (",dashed" if pending else ""),
        "fillcolor": palette["fill"][kind],
        "color": palette["pending"] if pending else palette["border"][kind],
        "penwidth": PENWIDTH[kind],
    }
    if pending:
        attrs["fontcolor"] = palette["pending"]
    if i in scene.highlighted or state == "current":
        attrs.update(color=palette["current"], penwidth="3", peripheries="2")
    number = f"#{scene.numbers[i] if scene.numbers else i}" if scene.number_unlabelled else None
    so_far = waiting > 0  # some Value it feeds has not passed its grad back yet
    earlier = scene.earlier[i] if scene.earlier else 0.0
    line = grad_text(scene.grads[i], received, waiting, earlier if scene.earlier_added else 0.0)
    note = f"+ {fmt(earlier)} earlier, at the end" if earlier and not scene.earlier_added else None
    attrs["label"] = value_label(node, scene.data[i], line, so_far, number, note)
    lines = [f"v{i} {attributes(attrs)}"]
    if node.parents:
        # Top to bottom, ordering=in keeps the operands left to right as written (w1 before
        # w2); from left to right Graphviz's own order already reads top down, and ordering
        # there would flip it inside clusters.
        ordering = {"ordering": "in"} if scene.rankdir in ("TB", "BT") else {}
        op = {
            "id": f"{pre}v{i}op", "class": "op", "label": html_label(label_markup(node.op)),
            "shape": "ellipse", "style": "filled", "fillcolor": palette["op_fill"], "margin": "0.04,0.02",
            "height": "0.3", **ordering,
            "color": palette["pending"] if pending else palette["line"],
        }  # fmt: skip
        lines.append(f"v{i}op {attributes(op)}")
        lines.append(f"v{i}op -> v{i} {attributes({'id': f'{pre}v{i}out', 'arrowsize': '0.6'})}")
    return lines


def edge_lines(scene: Scene, palette: dict) -> tuple[list[str], dict[str | None, list[str]]]:
    """One DOT edge per parent slot: parent → the child's op bubble, with the chain rule on it.

    The chain rule is a small label node of its own on the edge (``parent → label → op``),
    inside the child's cluster (or outside, with the child): Graphviz sizes clusters around
    nodes, not around edge labels, so a border never cuts a label and none spills out.
    Returns the edges, and those label nodes by the cluster they go in.
    """
    pre = scene.id_prefix
    index = {node: i for i, node in enumerate(scene.nodes)}
    lines: list[str] = []
    label_nodes: dict[str | None, list[str]] = {}
    for child, looks in scene.edges.items():
        for slot, (parent, look) in enumerate(zip(scene.nodes[child].parents, looks)):
            p = index[parent]
            attrs = {"id": f"{pre}e{child}_{slot}", "class": f"edge-{look.state}"}
            if parent.parents:  # a heavier edge between computed Values keeps a chain straight
                attrs["weight"] = "4"
            if look.state == "current":
                attrs.update(color=palette["current"], penwidth="3", style="bold")
            elif look.state == "idle":
                attrs.update(color=palette["pending"], style="dashed")
            if not scene.edge_labels:
                lines.append(f"v{p} -> v{child}op {attributes(attrs)}")
                continue
            name = f"e{child}_{slot}lab"
            label = {"id": f"{pre}{name}", "class": f"edge-label edge-{look.state}", "shape": "plain",
                     "label": edge_label(look), "fontsize": "9"}  # fmt: skip
            if look.state in ("current", "idle"):
                label["fontcolor"] = attrs["color"]
            label_nodes.setdefault(scene.groups[child], []).append(f"{name} {attributes(label)}")
            lines.append(f"v{p} -> {name} {attributes({**attrs, 'arrowhead': 'none'})}")
            lines.append(f"{name} -> v{child}op {attributes({**attrs, 'id': f'{pre}e{child}_{slot}b'})}")
    return lines, label_nodes


def scene_to_dot(scene: Scene) -> str:
    """The DOT text of a Scene (see the module docstring for what is drawn)."""
    palette = PALETTES[scene.theme]
    graph_attrs = {}
    if scene.title or scene.caption:
        graph_attrs = {"label": lines_label(scene.title, scene.caption), "labelloc": "t", "labeljust": "l"}
    lines = header(scene.id_prefix, scene.rankdir, palette, graph_attrs)
    received, waiting = received_terms(scene)
    edges, label_nodes = edge_lines(scene, palette)
    clusters: dict[str, list[int]] = {}
    for i, group in enumerate(scene.groups):
        if group is not None:
            clusters.setdefault(group, []).append(i)
    for number, name in enumerate(sorted(clusters, key=natural_key)):
        cluster = {
            "label": html_label(label_markup(name)), "id": f"{scene.id_prefix}cluster{number}",
            "class": "cluster-group", "style": "rounded,dashed", "color": palette["cluster"],
            "fontsize": "11",
        }  # fmt: skip
        lines.append(f"subgraph cluster_{number} {{")
        lines.append("graph " + attributes(cluster))
        for i in clusters[name]:
            lines.extend(value_lines(scene, i, received[i], waiting[i], palette))
        lines.extend(label_nodes.get(name, []))
        lines.append("}")
    for i, group in enumerate(scene.groups):
        if group is None:
            lines.extend(value_lines(scene, i, received[i], waiting[i], palette))
    lines.extend(label_nodes.get(None, []))
    lines.extend(edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def collapsed_dot(collapsed: Collapsed, rankdir: str, theme: str = "light") -> str:
    """DOT text with every group drawn as ONE box (see ``scene.collapse``)."""
    palette = PALETTES[theme]
    lines = header("", rankdir, palette, {"ordering": "out"})
    for number, (name, size, params) in enumerate(collapsed.groups):
        attrs = {
            "id": f"g{number}", "class": "group", "shape": "box3d", "style": "filled",
            "fillcolor": palette["fill"]["param"], "color": palette["border"]["param"],
            "label": html_label(f"{label_markup(name)}<BR/>{size} values ({params} parameters)"),
        }  # fmt: skip
        lines.append(f"g{number} {attributes(attrs)}")
    for i in collapsed.singles:
        node, kind = collapsed.nodes[i], collapsed.kinds[i]
        if node.label not in (None, ""):
            name = label_markup(node.label)
        else:
            name = label_markup(node.op) if node.parents else fmt(node.data)
        attrs = {
            "id": f"v{i}", "class": f"value {kind}", "shape": "box", "style": "rounded,filled",
            "fillcolor": palette["fill"][kind], "color": palette["border"][kind],
            "label": html_label(f"{name}<BR/>data {fmt(node.data)}  grad {fmt(node.grad)}"),
        }  # fmt: skip
        lines.append(f"v{i} {attributes(attrs)}")
    # With ordering=out, each box's outgoing edges keep this order: L1.N2 above L1.N10.
    lines.extend(f"{a} -> {b}" for a, b in collapsed.edges)
    lines.append("}")
    return "\n".join(lines) + "\n"
