"""draw_graph: a picture of the graph behind a Value, with the chain rule written on its edges."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ..files import write_atomically
from ..value import Value
from .dot import collapsed_dot, scene_to_dot
from .render import FORMATS, GraphvizNotFoundError, RenderError, render
from .scene import (
    DEFAULT_MAX_NODES,
    EdgeLook,
    GraphTooLargeError,
    Scene,
    as_values,
    check_max_nodes,
    check_max_width,
    check_rankdir,
    check_theme,
    collapse,
    collect_values,
    describe,
    display_name,
    kinds_of,
    warn_if_slow,
)
from .text import markup_lines

# Widths in the SVG are points; a screen (and Graphviz's PNG, at 96 dpi) has 96 px per 72 pt.
PX_PER_PT = 96 / 72
# Monospace fonts whose advance width is the same ~0.6 em as Courier's, which Graphviz measured.
FONT_STACK = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', 'Courier New', monospace"


def text_bundle(what: object, error: BaseException) -> dict:
    """A display hook's answer when the picture cannot be drawn: the reason, as plain text."""
    try:
        name = repr(what)
    except Exception:  # a display hook never raises, not even over its own name
        name = object.__repr__(what)
    return {"text/plain": f"{name}\ncannot draw it: {type(error).__name__}: {error}"}


def svg_width_px(svg: str) -> float:
    """The width of an SVG written by Graphviz, in screen pixels."""
    found = re.search(r'<svg[^>]*?\swidth="([\d.]+)pt"', svg)
    return float(found.group(1)) * PX_PER_PT if found else 0.0


def finish_svg(svg: str, alt: str) -> str:
    """Graphviz's SVG with a text alternative (role, aria-label, title) and the font stack."""
    svg = svg.replace('font-family="Courier,monospace"', f'font-family="{FONT_STACK}"')
    text = markup_lines(alt)
    svg = svg.replace("<title>glassgrad</title>", f"<title>{text}</title>", 1)
    opening = f'<svg role="img" aria-label="{text.replace(chr(10), "&#10;")}"'
    return re.sub(r"<svg\b", lambda _match: opening, svg, count=1)  # a function: no escapes in text


class GraphPicture:
    """A drawn graph: shown inline (SVG) by Jupyter, saved with ``.save(path)``.

    ``.source`` is the DOT text of the layout drawn and ``.layout`` names it; ``.alt`` is the
    text alternative.  ``max_width`` (pixels) is a width budget: a picture wider than that is
    laid out again top to bottom, then with each group as one box, and the first that fits
    is drawn.  Finding it needs Graphviz; without it (or when no layout renders) ``.source``
    is the layout as asked and ``.layout`` says that it was not fitted, and why.
    """

    def __init__(
        self,
        source: str,
        values: int | None = None,
        *,
        alt: str = "a computation graph",
        alternatives: Iterable[tuple[str, Callable[[], str]]] = (),
        max_width: int | None = None,
        layout: str = "as asked",
    ) -> None:
        self._source = source  # the layout as asked
        self.values = values  # how many Values are drawn (None: not counted)
        self.alt = alt
        self._layout = layout
        self.max_width = check_max_width(max_width)
        self._alternatives = list(alternatives)
        self._svg: str | None = None
        self._fitted: dict[int, GraphPicture] = {}

    # -------------------------------------------------------------- width budget
    def fit(self, max_width: int) -> GraphPicture:
        """The first of this picture and its alternative layouts that is at most ``max_width`` px wide.

        If none fits, the narrowest; ``.layout`` of the result says which one it is.
        """
        if max_width not in self._fitted:
            tried = [self]
            if svg_width_px(self._own_svg()) > max_width:
                for layout, build in self._alternatives:
                    try:
                        candidate = GraphPicture(build(), self.values, alt=self.alt, layout=layout)
                        candidate._own_svg()
                    except GraphTooLargeError:
                        continue
                    tried.append(candidate)
                    if svg_width_px(candidate._own_svg()) <= max_width:
                        break
            # The first that fits; if none does, the first within 10% of the narrowest (the
            # earlier layouts show more, so a collapsed picture must be clearly narrower).
            narrowest = min(svg_width_px(p._own_svg()) for p in tried)
            self._fitted[max_width] = next(
                p for p in tried if svg_width_px(p._own_svg()) <= max(max_width, 1.1 * narrowest)
            )
        return self._fitted[max_width]

    def _chosen(self) -> GraphPicture:
        return self.fit(self.max_width) if isinstance(self.max_width, int) else self

    @property
    def source(self) -> str:
        """The DOT text of the layout drawn (within the width budget); as asked if none can be fitted."""
        try:
            return self._chosen()._source
        except (GraphvizNotFoundError, RenderError):
            return self._source

    @property
    def layout(self) -> str:
        """Which layout is drawn: 'as asked', 'top to bottom', 'collapsed', 'collapsed, top to bottom'."""
        try:
            return self._chosen()._layout
        except (GraphvizNotFoundError, RenderError) as error:
            return f"{self._layout} (not fitted to max_width={self.max_width}: {type(error).__name__})"

    # -------------------------------------------------------------- output
    def pipe(self, format: str = "svg") -> bytes:
        """The picture as bytes in ``format``: 'svg', 'png' or 'pdf'."""
        chosen = self._chosen()
        if format == "svg":
            return chosen._own_svg().encode("utf-8")
        return render(chosen._source, format, values=self.values)

    def _own_svg(self) -> str:
        if self._svg is None:
            raw = render(self._source, "svg", values=self.values).decode("utf-8")
            self._svg = finish_svg(raw, self.alt)
        return self._svg

    def svg(self) -> str:
        """The picture as SVG text (rendered once, then kept)."""
        return self._chosen()._own_svg()

    def save(self, path: str | os.PathLike) -> Path:
        """Write the picture to ``path``; the suffix (.png, .svg, .pdf, or .dot) picks the format.

        ``.dot`` writes the DOT text of the layout the other formats draw (within the width
        budget; as asked when Graphviz is missing).  The file is written atomically: the
        picture is rendered first, written to a temporary file in the same folder, then
        renamed over ``path``, so a failed render never leaves a half-written or emptied file.
        """
        path = Path(path)
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in (*FORMATS, "dot"):
            raise ValueError(
                f"cannot tell the picture format from the suffix {path.suffix!r} of {str(path)!r}: "
                "use .png, .svg, .pdf or .dot"
            )
        if suffix == "dot":
            data = self.source.encode("utf-8")  # the layout drawn; as asked without Graphviz
        else:
            data = self.pipe(suffix)
        write_atomically(path, data)
        return path

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Jupyter's hook: the SVG (within the width budget), or the reason it cannot be drawn as
        text (what to install, a bad GLASSGRAD_GRAPHVIZ_BACKEND, ...).  It never raises."""
        try:
            return {"image/svg+xml": self.svg(), "text/plain": f"{self!r}\n{self.alt}"}
        except Exception as error:  # a display hook that raises shows the learner a traceback
            return text_bundle(self, error)

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
    max_width: int | None = 900,
    theme: str = "light",
) -> GraphPicture:
    """Draw ``root`` (a Value, or several outputs) and every Value it depends on.

    Each Value is a box ``label | data | grad``; the op that made it is a bubble in
    front of it.  Inputs, parameters (leaves named in ``params`` or with a ``group``
    tag, as nn's weights and biases have) and the output are styled differently;
    Values in ``highlight`` get a thick double border; Values with the same ``group``
    (and the unnamed steps between them) share a dashed cluster.

    ``edge_labels`` (default: on once ``backward`` has run, i.e. when a root's grad is
    not 0) writes the chain rule on each edge parent → child: the local derivative
    ∂child/∂parent, then ``× upstream = contribution``.  A Value that feeds several
    others shows its grad as the sum of what it received.

    More than ``max_nodes`` Values raise GraphTooLargeError, whose message says how to
    draw a part; ``collapse_groups=True`` draws each group as a single box.  A picture
    wider than ``max_width`` pixels (default 900: a page, a notebook) is laid out top to
    bottom, then with each group as one box, to fit; ``max_width=None`` keeps it as asked.
    ``theme='dark'`` draws light lines on a dark background.
    """
    check_rankdir(rankdir)
    max_nodes = check_max_nodes(max_nodes)
    check_max_width(max_width)
    check_theme(theme)
    if edge_labels is not None and not isinstance(edge_labels, bool):
        raise TypeError(f"edge_labels must be True, False or None, got {edge_labels!r}")
    if not isinstance(collapse_groups, bool):
        raise TypeError(f"collapse_groups must be True or False, got {collapse_groups!r}")
    roots = as_values(root, "root")
    if not roots:
        raise ValueError("draw_graph needs at least one Value to draw")
    parameters = as_values(params, "params")
    highlighted = as_values(highlight, "highlight")

    if collapse_groups:
        nodes = collect_values(roots)
        kinds = kinds_of(nodes, roots, parameters)
        collapsed = collapse(nodes, kinds, max_nodes)
        alt = "Each group drawn as one box. " + describe(nodes, kinds, names_of(nodes))
        tb = [("collapsed, top to bottom", lambda: collapsed_dot(collapsed, "TB", theme))]
        source = collapsed_dot(collapsed, rankdir, theme)
        alternatives = tb if rankdir in ("LR", "RL") else []
        return GraphPicture(
            source, len(nodes), alt=alt, layout="collapsed", alternatives=alternatives, max_width=max_width
        )

    nodes = collect_values(roots, limit=max_nodes)
    warn_if_slow(len(nodes))
    if edge_labels is None:
        edge_labels = any(r.grad != 0.0 for r in roots)
    index = {node: i for i, node in enumerate(nodes)}
    for n, value in enumerate(highlighted):
        if value not in index:
            raise ValueError(f"highlight[{n}] = {value!r} is not part of the graph being drawn")
    kinds = kinds_of(nodes, roots, parameters)
    scene = Scene(
        nodes=nodes,
        data=[node.data for node in nodes],
        grads=[node.grad for node in nodes],
        kinds=kinds,
        edges={i: edge_looks(node) for i, node in enumerate(nodes) if node.parents},
        highlighted={index[v] for v in highlighted},
        edge_labels=edge_labels,
        rankdir=rankdir,
        theme=theme,
    )
    alternatives = []
    if rankdir in ("LR", "RL"):
        alternatives.append(("top to bottom", lambda: scene_to_dot(replace(scene, rankdir="TB"))))
    if any(node.group is not None for node in nodes):

        def collapsed(direction: str) -> Callable[[], str]:
            return lambda: collapsed_dot(collapse(nodes, kinds, max_nodes), direction, theme)

        alternatives.append(("collapsed", collapsed(rankdir)))
        alternatives.append(("collapsed, top to bottom", collapsed("TB")))
    alt = describe(nodes, kinds, names_of(nodes))
    return GraphPicture(
        scene_to_dot(scene), len(nodes), alt=alt, alternatives=alternatives, max_width=max_width
    )


def names_of(nodes: list[Value]) -> list[str]:
    return [display_name(node, i) for i, node in enumerate(nodes)]


def edge_looks(child: Value) -> list[EdgeLook]:
    """The chain rule on each edge into ``child``, from its local derivatives and its grad now."""
    try:
        locals_ = child.local_grads()
    except Exception as error:  # e.g. log_local at data 0: draw the graph anyway, say what failed
        return [EdgeLook(None, error=type(error).__name__) for _ in child.parents]
    upstream = child.grad
    return [EdgeLook(local, upstream, local * upstream) for local in locals_]
