"""draw_graph: a picture of the graph behind a Value, with the chain rule written on its edges."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .._files import write_atomically
from ..value import Value
from .dot import (
    DEFAULT_MAX_NODES,
    EdgeLook,
    Scene,
    as_values,
    collapsed_dot,
    collect_values,
    kinds_of,
    scene_to_dot,
)
from .render import FORMATS, GraphvizNotFoundError, RenderError, render


class GraphPicture:
    """A drawn graph: shown inline (SVG) by Jupyter, saved with ``.save(path)``.

    ``.source`` is the DOT text.  Nothing is rendered until it is needed, so ``.source``
    works even without Graphviz.
    """

    def __init__(self, source: str, values: int | None = None) -> None:
        self.source = source
        self.values = values  # how many Values are drawn (None: not counted)
        self._svg: str | None = None

    def pipe(self, format: str = "svg") -> bytes:
        """The picture as bytes in ``format``: 'svg', 'png' or 'pdf'."""
        return render(self.source, format)

    def svg(self) -> str:
        """The picture as SVG text (rendered once, then kept)."""
        if self._svg is None:
            self._svg = self.pipe("svg").decode("utf-8")
        return self._svg

    def save(self, path: str | os.PathLike) -> Path:
        """Write the picture to ``path``; the suffix (.png, .svg or .pdf) picks the format.

        The file is written atomically: the picture is rendered first, written to a
        temporary file in the same folder, then renamed over ``path``, so a failed
        render never leaves a half-written or emptied file behind.
        """
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise ValueError(
                f"cannot tell the picture format from the suffix {path.suffix!r} of {str(path)!r}: "
                "use .png, .svg or .pdf"
            )
        data = self.svg().encode("utf-8") if fmt == "svg" else self.pipe(fmt)
        write_atomically(path, data)
        return path

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Jupyter's hook: the SVG, or (without Graphviz) a plain message saying what to install."""
        try:
            return {"image/svg+xml": self.svg(), "text/plain": repr(self)}
        except (GraphvizNotFoundError, RenderError) as error:
            return {"text/plain": f"{self!r}\ncannot draw it: {error}"}

    def __repr__(self) -> str:
        what = "a graph" if self.values is None else f"{self.values} Values"
        return f"<GraphPicture of {what}: .save('graph.png') writes it, .source is the DOT text>"


def draw_graph(
    root: Value | Iterable[Value],
    rankdir: str = "LR",
    *,
    edge_labels: bool | None = None,
    highlight: Value | Iterable[Value] | None = None,
    params: Iterable[Value] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    collapse_groups: bool = False,
) -> GraphPicture:
    """Draw ``root`` (a Value, or several outputs) and every Value it depends on.

    Each Value is a box ``label | data | grad``; the op that made it is a bubble in
    front of it.  Inputs, parameters (leaves named in ``params`` or with a ``group``
    tag, as nn's weights and biases have) and the output are styled differently;
    Values in ``highlight`` get a thick red border; Values with the same ``group``
    share a dashed cluster.

    ``edge_labels`` (default: on once ``backward`` has run, i.e. when a root's grad is
    not 0) writes the chain rule on each edge parent → child: the local derivative
    ∂child/∂parent, then ``× upstream = contribution``.  A Value that feeds several
    others shows its grad as the sum of what it received.

    More than ``max_nodes`` Values raise GraphTooLargeError, whose message says how to
    draw a part; ``collapse_groups=True`` draws each group as a single box.
    """
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    roots = as_values(root, "root")
    if not roots:
        raise ValueError("draw_graph needs at least one Value to draw")
    parameters = as_values(params, "params")
    highlighted = as_values(highlight, "highlight")
    if collapse_groups:
        nodes = collect_values(roots)
        source = collapsed_dot(nodes, kinds_of(nodes, roots, parameters), rankdir, max_nodes)
        return GraphPicture(source, len(nodes))

    nodes = collect_values(roots, limit=max_nodes)
    if edge_labels is None:
        edge_labels = any(r.grad != 0.0 for r in roots)
    edges = {i: edge_looks(node) for i, node in enumerate(nodes) if node.parents}
    index = {node: i for i, node in enumerate(nodes)}
    for n, value in enumerate(highlighted):
        if value not in index:
            raise ValueError(f"highlight[{n}] = {value!r} is not part of the graph being drawn")
    scene = Scene(
        nodes=nodes,
        data=[node.data for node in nodes],
        grads=[node.grad for node in nodes],
        kinds=kinds_of(nodes, roots, parameters),
        edges=edges,
        highlighted={index[v] for v in highlighted},
        edge_labels=edge_labels,
        rankdir=rankdir,
    )
    return GraphPicture(scene_to_dot(scene), len(nodes))


def edge_looks(child: Value) -> list[EdgeLook]:
    """The chain rule on each edge into ``child``, from its local derivatives and its grad now."""
    try:
        locals_ = child.local_grads()
    except Exception as error:  # e.g. log_local at data 0: draw the graph anyway, say what failed
        return [EdgeLook(None, error=type(error).__name__) for _ in child.parents]
    upstream = child.grad
    return [EdgeLook(local, upstream, local * upstream) for local in locals_]
