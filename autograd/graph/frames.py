"""Watching backward: one picture per step of ``backward_steps()``, as things stood then.

``backward_frames(y)`` runs ``y``'s backward pass (exactly as ``y.backward()`` would,
grads included) and keeps, for every Step, the grads as they stood at that moment.
Frame k shows:

* the node of step k with a red border: its upstream grad is final, and it passes it on;
* the edges into its parents in red, labelled ``local × upstream = contribution``;
* edges already used, labelled the same way; edges not used yet grey, local only;
* nodes not reached yet (their step is still to come; for a leaf: some node it feeds
  has not had its step) grey and dashed;
* a grad that is not final yet (some node it feeds has not passed its grad back)
  marked "so far".

Look at them with ``frames.viewer()`` (ipywidgets), ``frames[k]`` (one picture), or
``frames.save_html("steps.html")`` (one self-contained page for any browser).
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..backward import Step, backward_steps
from ..value import Value
from .dot import (
    DEFAULT_MAX_NODES,
    EdgeLook,
    Scene,
    collect_values,
    display_name,
    fmt,
    formula,
    kinds_of,
    scene_to_dot,
)
from .picture import GraphPicture, write_atomically


class Frame:
    """The backward pass just after step ``index``: its Step, the grads then, and a picture."""

    def __init__(self, frames: BackwardFrames, index: int) -> None:
        self.frames = frames
        self.index = index
        self.step: Step = frames.steps[index]
        self.grads: dict[Value, float] = dict(zip(frames.nodes, frames.grads_after[index]))
        self._picture: GraphPicture | None = None

    @property
    def node(self) -> Value:
        """The Value whose grad is passed on to its parents in this step."""
        return self.step.node

    @property
    def text(self) -> str:
        """The step in words: node, upstream, and one line per term."""
        return self.frames.step_text(self.index)

    @property
    def picture(self) -> GraphPicture:
        if self._picture is None:
            self._picture = GraphPicture(self.frames.frame_source(self.index), len(self.frames.nodes))
        return self._picture

    def svg(self) -> str:
        return self.picture.svg()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Jupyter's hook: the step's text panel above its picture."""
        bundle = self.picture._repr_mimebundle_()
        if "image/svg+xml" in bundle:
            bundle["text/html"] = f"<pre>{html.escape(self.text)}</pre>{inline_svg(bundle['image/svg+xml'])}"
        bundle["text/plain"] = self.text
        return bundle

    def __repr__(self) -> str:
        return f"<Frame {self.index} of {len(self.frames)}: {self.text.splitlines()[0]}>"


class BackwardFrames:
    """All the steps of one backward pass, each with the grads as they stood then.

    ``len(frames)`` steps; ``frames[k]`` is a Frame; ``frames.viewer()`` is a notebook
    viewer; ``frames.save_html(path)`` writes a page with previous/next buttons.
    """

    def __init__(
        self,
        root: Value,
        nodes: list[Value],
        steps: list[Step],
        grads_after: list[list[float]],
        params: Iterable[Value],
        rankdir: str,
    ) -> None:
        self.root = root
        self.nodes = nodes
        self.steps = steps
        self.grads_after = grads_after
        self.rankdir = rankdir
        self.index = {node: i for i, node in enumerate(nodes)}
        self.data = [node.data for node in nodes]
        self.kinds = kinds_of(nodes, [root], params)
        self.step_of = {self.index[step.node]: k for k, step in enumerate(steps)}
        # Each node's consumers: the (child index, parent slot) edges that lead out of it.
        self.children: list[list[int]] = [[] for _ in nodes]
        for i, node in enumerate(nodes):
            for parent in node.parents:
                self.children[self.index[parent]].append(i)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, k: int) -> Frame:
        if not isinstance(k, int):
            raise TypeError(f"frame index must be an int, got {type(k).__name__}")
        if not -len(self) <= k < len(self):
            raise IndexError(f"frame {k} out of range: this backward pass has {len(self)} steps")
        return Frame(self, k % len(self))

    def __iter__(self) -> Iterator[Frame]:
        return (Frame(self, k) for k in range(len(self)))

    def name(self, node: Value) -> str:
        return display_name(node, self.index[node])

    def state_at(self, k: int, i: int) -> str:
        """'current', 'done' (already reached) or 'pending' (not reached yet by backward)."""
        own_step = self.step_of.get(i)
        if own_step == k:
            return "current"
        if own_step is not None:
            return "done" if own_step < k else "pending"
        # A leaf: final once every node it feeds has passed its grad on.
        return "done" if all(self.step_of[c] <= k for c in self.children[i]) else "pending"

    def frame_source(self, k: int) -> str:
        """The DOT text of frame ``k``."""
        edges: dict[int, list[EdgeLook]] = {}
        for child, j in self.step_of.items():
            step = self.steps[j]
            if j < k:
                edges[child] = [EdgeLook(local, step.upstream, c) for _p, local, c in step.terms]
            elif j == k:
                edges[child] = [EdgeLook(local, step.upstream, c, "current") for _p, local, c in step.terms]
            else:
                edges[child] = [EdgeLook(local, state="idle") for _p, local, _c in step.terms]
        step = self.steps[k]
        title = (
            f"step {k + 1} of {len(self)}: {self.name(step.node)} passes upstream "
            f"{fmt(step.upstream)} to its {len(step.terms)} parent(s)"
        )
        scene = Scene(
            nodes=self.nodes,
            data=self.data,
            grads=self.grads_after[k],
            kinds=self.kinds,
            edges=edges,
            states=[self.state_at(k, i) for i in range(len(self.nodes))],
            edge_labels=True,
            rankdir=self.rankdir,
            id_prefix=f"f{k}_",
            title=title,
            number_unlabelled=True,
        )
        return scene_to_dot(scene)

    def step_text(self, k: int) -> str:
        """Frame ``k`` in words, for the text panel."""
        step = self.steps[k]
        node = step.node
        # Replay the step term by term, so each line shows the parent's grad right after it.
        running = dict(zip(self.nodes, self.grads_after[k]))
        for parent, _local, contribution in step.terms:
            running[parent] -= contribution
        parents = [self.name(p) for p in node.parents]
        lines = [
            f"step {k + 1} of {len(self)}",
            f"node: {self.name(node)} = {formula(node, parents)}, data {fmt(self.data[self.index[node]])}",
            f"upstream: ∂{self.name(self.root)}/∂{self.name(node)} = {fmt(step.upstream)}",
            "terms: parent: local × upstream = contribution  (parent's grad after adding it)",
        ]
        for parent, local, contribution in step.terms:
            running[parent] += contribution
            lines.append(
                f"  {self.name(parent)}: {fmt(local)} × {fmt(step.upstream)} = {fmt(contribution)}"
                f"  (grad now {fmt(running[parent])})"
            )
        return "\n".join(lines)

    def viewer(self) -> StepViewer:
        """A notebook viewer: previous/next buttons and a slider (needs ipywidgets)."""
        return StepViewer(self)

    def save_html(self, path: str | os.PathLike) -> Path:
        """Write ONE self-contained HTML page (inline SVG, a little JavaScript, no network)."""
        path = Path(path)
        write_atomically(path, self.html().encode("utf-8"))
        return path

    def html(self) -> str:
        """The page that ``save_html`` writes."""
        sections = []
        for frame in self:
            node_id = f"v{self.index[frame.node]}"
            sections.append(
                f'<section class="frame" data-step="{frame.index}" data-node="{node_id}" hidden>\n'
                f'<pre class="panel">{html.escape(frame.text)}</pre>\n'
                f'<div class="picture">{inline_svg(frame.svg())}</div>\n</section>'
            )
        title = f"backward() of {self.name(self.root)}, step by step"
        return HTML_PAGE.format(
            title=html.escape(title),
            last=len(self) - 1,
            count=len(self),
            frames="\n".join(sections),
            count_json=json.dumps(len(self)),
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """In a notebook: the slider viewer if ipywidgets is installed, else the first frame."""
        try:
            return self.viewer()._repr_mimebundle_(include=include, exclude=exclude)
        except ImportError:
            bundle = self[0]._repr_mimebundle_()
            bundle["text/plain"] += (
                f"\n(frames[k] shows step k, k < {len(self)}; pip install ipywidgets for a slider)"
            )
            return bundle

    def __repr__(self) -> str:
        return (
            f"<BackwardFrames: {len(self)} steps over {len(self.nodes)} Values; "
            "frames[k], .viewer(), .save_html(path)>"
        )


def backward_frames(
    root: Value,
    *,
    params: Iterable[Value] | None = None,
    rankdir: str = "LR",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> BackwardFrames:
    """Run ``root``'s backward pass step by step, keeping every step's grads: see the module docs.

    This IS a backward pass: afterwards the grads are what ``root.backward()`` leaves.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward_frames needs a Value, got {type(root).__name__}: {root!r}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    nodes = collect_values([root], limit=max_nodes)
    if not root.parents:
        raise ValueError(f"{root!r} is a leaf: its backward pass has no steps to show")
    steps: list[Step] = []
    grads_after: list[list[float]] = []
    for step in backward_steps(root):
        steps.append(step)
        grads_after.append([node.grad for node in nodes])
    return BackwardFrames(root, nodes, steps, grads_after, params or (), rankdir)


class StepViewer:
    """Previous/next buttons and a slider over the frames, as ipywidgets.

    Everything follows ``slider.value``: set it (or click a button) and the picture and
    the text panel change, with or without a browser.
    """

    def __init__(self, frames: BackwardFrames) -> None:
        try:
            import ipywidgets as widgets
        except ImportError:
            raise ImportError(
                "the step viewer needs ipywidgets: pip install ipywidgets "
                "(or show one step with frames[k], or write frames.save_html('steps.html'))"
            ) from None
        self.frames = frames
        self.slider = widgets.IntSlider(value=0, min=0, max=len(frames) - 1, description="step")
        self.prev_button = widgets.Button(description="◀ previous")
        self.next_button = widgets.Button(description="next ▶")
        self.panel = widgets.HTML()
        self.picture = widgets.HTML()
        self.prev_button.on_click(self._previous)
        self.next_button.on_click(self._next)
        self.slider.observe(self._show_current, names="value")
        self.widget = widgets.VBox(
            [widgets.HBox([self.prev_button, self.slider, self.next_button]), self.panel, self.picture]
        )
        self._show_current()

    @property
    def value(self) -> int:
        return self.slider.value

    def _previous(self, _button=None) -> None:
        self.slider.value = max(self.slider.value - 1, 0)

    def _next(self, _button=None) -> None:
        self.slider.value = min(self.slider.value + 1, self.slider.max)

    def _show_current(self, _change=None) -> None:
        frame = self.frames[self.slider.value]
        self.panel.value = f"<pre>{html.escape(frame.text)}</pre>"
        try:
            self.picture.value = inline_svg(frame.svg())
        except RuntimeError as error:  # no Graphviz: the text panel still works
            self.picture.value = f"<pre>{html.escape(str(error))}</pre>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return self.widget._repr_mimebundle_(include=include, exclude=exclude)


def inline_svg(svg: str) -> str:
    """SVG text without its XML prologue, ready to sit inside an HTML page."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #1f2937; }}
.controls {{ display: flex; gap: 0.8em; align-items: center; margin-bottom: 0.8em; }}
.controls input {{ width: 20em; }}
.panel {{ background: #f3f4f6; padding: 0.8em; border-radius: 6px; font-size: 0.95em; }}
.picture svg {{ max-width: 100%; height: auto; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>Red: the node of this step and the contributions it sends to its parents.
Grey and dashed: grads that are not final yet. Keys: ← and →.</p>
<div class="controls">
<button id="prev">◀ previous</button>
<input id="slider" type="range" min="0" max="{last}" value="0" aria-label="step">
<button id="next">next ▶</button>
<span id="counter">step 1 of {count}</span>
</div>
{frames}
<script>
(function () {{
  var frames = document.querySelectorAll(".frame");
  var slider = document.getElementById("slider");
  var counter = document.getElementById("counter");
  var current = 0;
  function show(k) {{
    current = Math.max(0, Math.min({count_json} - 1, k));
    frames.forEach(function (f, j) {{ f.hidden = (j !== current); }});
    slider.value = current;
    counter.textContent = "step " + (current + 1) + " of " + {count_json};
  }}
  document.getElementById("prev").addEventListener("click", function () {{ show(current - 1); }});
  document.getElementById("next").addEventListener("click", function () {{ show(current + 1); }});
  slider.addEventListener("input", function () {{ show(Number(slider.value)); }});
  document.addEventListener("keydown", function (e) {{
    if (e.target === slider) return;  /* the slider moves itself on arrow keys */
    if (e.key === "ArrowLeft") show(current - 1);
    if (e.key === "ArrowRight") show(current + 1);
  }});
  show(0);
}})();
</script>
</body>
</html>
"""
