"""Watching backward: one picture per step of ``backward_steps()``, as things stood then.

``backward_frames(y)`` runs ``y``'s backward pass (exactly as ``y.backward()`` would,
grads included) and keeps, for every Step, the grads as they stood at that moment.
Frame k shows:

* the node of step k with a double orange-red border: its upstream grad is final, and
  it passes it on;
* the edges into its parents thick and orange-red, labelled ``local × upstream = contribution``;
* edges already used, labelled the same way; edges not used yet grey and dashed, local only;
* nodes not reached yet (their step is still to come; for a leaf: some node it feeds
  has not had its step) grey and dashed;
* a grad that is not final yet (some node it feeds has not passed its grad back)
  marked "so far".

A pass starts every grad at 0 and the leaves add back what they held before when it ends
(as ``backward`` does, so two passes give exactly twice the gradient).  After an earlier
``backward``, the frames say so: a leaf's box shows "+ 1.18 earlier, at the end", each
step's text says it, and the final state shows the grads ``.grad`` then holds
("grad 2.36 = 1.18 earlier + 1.18").  Values without a label are numbered as
``print(step)`` names them: ``#7``, their index in ``topological_order(root)``.

Look at them with ``frames.viewer()`` (ipywidgets), ``frames[k]`` (one picture),
``frames.save_html("steps.html")`` (one self-contained page for any browser) or
``frames.save("steps.gif")`` (an animation for slides and chat; ``viewer.py`` and
``animation.py`` hold those three).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ..backward import Step, backward_steps
from ..files import write_atomically
from ..value import Value
from .dot import scene_to_dot
from .picture import GraphPicture, svg_width_px, text_bundle
from .scene import (
    DEFAULT_MAX_NODES,
    EdgeLook,
    Scene,
    as_values,
    check_layout_size,
    check_max_nodes,
    check_max_width,
    check_rankdir,
    check_theme,
    collect_values,
    consumers_of,
    display_name,
    formula,
    kinds_of,
    warn_if_slow,
)
from .text import fmt, markup_lines


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
            source = self.frames.frame_source(self.index)  # decides the frames' direction first
            frames = self.frames
            layout = "as asked" if frames.rankdir == frames.asked_rankdir else "top to bottom"
            self._picture = GraphPicture(source, len(frames.nodes), alt=self.text, layout=layout)
        return self._picture

    def svg(self) -> str:
        return self.picture.svg()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Jupyter's hook: the step's text panel above its picture; the text and the reason
        when the picture cannot be drawn.  It never raises."""
        from .viewer import inline_svg

        try:
            bundle = self.picture._repr_mimebundle_()
        except Exception as error:  # choosing the frames' layout needs Graphviz too
            bundle = text_bundle(self, error)
        if "image/svg+xml" in bundle:
            bundle["text/html"] = f"<pre>{markup_lines(self.text)}</pre>{inline_svg(bundle['image/svg+xml'])}"
            bundle["text/plain"] = self.text
        else:
            bundle["text/plain"] = f"{self.text}\n{bundle['text/plain'].split(chr(10), 1)[-1]}"
        return bundle

    def __repr__(self) -> str:
        return f"<Frame {self.index} of {len(self.frames)}: {self.text.splitlines()[0]}>"


class BackwardFrames:
    """All the steps of one backward pass, each with the grads as they stood then.

    ``len(frames)`` steps; ``frames[k]`` is a Frame; ``frames.viewer()`` is a notebook
    viewer; ``frames.save_html(path)`` writes a page with previous/next buttons;
    ``frames.save(path)`` an animated GIF or PNG.
    """

    def __init__(
        self,
        root: Value,
        nodes: list[Value],
        steps: list[Step],
        grads_after: list[list[float]],
        params: Iterable[Value],
        rankdir: str,
        *,
        edge_labels: bool = True,
        max_width: int | None = 900,
        theme: str = "light",
        earlier: list[float] | None = None,
        final_grads: list[float] | None = None,
    ) -> None:
        self.root = root
        self.nodes = nodes
        self.steps = steps
        self.grads_after = grads_after
        # What each leaf held before this pass (added back at the end), and every grad after it.
        self.earlier = earlier if earlier is not None else [0.0] * len(nodes)
        self.final_grads = final_grads if final_grads is not None else grads_after[-1]
        positions = steps[0].positions if steps and steps[0].positions else {}
        self.numbers = [positions.get(node, i) for i, node in enumerate(nodes)]
        self.asked_rankdir = rankdir
        self.edge_labels = edge_labels
        self.max_width = max_width
        self.theme = theme
        self._rankdir: str | None = None
        self.index = {node: i for i, node in enumerate(nodes)}
        self.data = [node.data for node in nodes]
        self.kinds = kinds_of(nodes, [root], params)
        self.step_of = {self.index[step.node]: k for k, step in enumerate(steps)}
        # Each node's consumers: the nodes it feeds, whose steps send grads back to it.
        self.children = consumers_of(nodes)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, k: int) -> Frame:
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"frame index must be an int, got {type(k).__name__}")
        if not -len(self) <= k < len(self):
            raise IndexError(f"frame {k} out of range: this backward pass has {len(self)} steps")
        return Frame(self, k % len(self))

    def __iter__(self) -> Iterator[Frame]:
        return (Frame(self, k) for k in range(len(self)))

    def name(self, node: Value) -> str:
        return display_name(node, self.numbers[self.index[node]])

    @property
    def rankdir(self) -> str:
        """The direction every frame is laid out in: as asked, or top to bottom if that is too wide.

        Decided once, on the last frame (all its labels filled in), so all frames match.
        """
        if self._rankdir is None:
            self._rankdir = self.asked_rankdir
            if self.max_width is not None and self.asked_rankdir in ("LR", "RL"):
                wide = GraphPicture(scene_to_dot(self.scene(len(self) - 1)), len(self.nodes))
                if svg_width_px(wide.svg()) > self.max_width:
                    self._rankdir = "TB"
        return self._rankdir

    def state_at(self, k: int, i: int) -> str:
        """'current', 'done' (already reached) or 'pending' (not reached yet by backward)."""
        own_step = self.step_of.get(i)
        if own_step == k:
            return "current"
        if own_step is not None:
            return "done" if own_step < k else "pending"
        # A leaf: final once every node it feeds has passed its grad on.
        return "done" if all(self.step_of[c] <= k for c in self.children[i]) else "pending"

    def scene(self, k: int, rankdir: str | None = None, caption: str | None = None) -> Scene:
        """What frame ``k`` shows, laid out ``rankdir`` (default: the frames' direction)."""
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
        return Scene(
            nodes=self.nodes,
            data=self.data,
            grads=self.grads_after[k],
            kinds=self.kinds,
            edges=edges,
            states=[self.state_at(k, i) for i in range(len(self.nodes))],
            edge_labels=self.edge_labels,
            rankdir=rankdir or (self._rankdir or self.asked_rankdir),
            id_prefix=f"f{k}_",
            title=title,
            caption=caption,
            number_unlabelled=True,
            numbers=self.numbers,
            earlier=self.earlier if any(self.earlier) else None,
            theme=self.theme,
        )

    def frame_source(self, k: int) -> str:
        """The DOT text of frame ``k``."""
        return scene_to_dot(self.scene(k, self.rankdir))

    def final_scene(self) -> Scene:
        """The state after the whole pass: every edge used, every grad final."""
        last = self.scene(len(self) - 1, self.rankdir)
        edges = {
            child: [replace(look, state="done") for look in looks] for child, looks in last.edges.items()
        }
        return replace(
            last, edges=edges, states=["done"] * len(self.nodes), id_prefix="final_",
            title=f"after backward: every grad is final ({len(self)} steps)",
            grads=self.final_grads, earlier_added=True,
        )  # fmt: skip

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
        held = [(self.name(n), e) for n, e in zip(self.nodes, self.earlier) if e != 0.0]
        if held:
            lines.append(
                "this pass starts every grad at 0; when it ends, each leaf adds back what it held "
                "before: " + ", ".join(f"{name} {fmt(e)}" for name, e in held)
            )
        return "\n".join(lines)

    # -------------------------------------------------------------- ways to look at them
    def viewer(self):
        """A notebook viewer: previous/next buttons and a slider (needs ipywidgets)."""
        from .viewer import StepViewer

        return StepViewer(self)

    def html(self) -> str:
        """The page that ``save_html`` writes."""
        from .viewer import html_page

        warn_if_slow(len(self.nodes), len(self), "this step-through page")
        return html_page(self)

    def save_html(self, path: str | os.PathLike) -> Path:
        """Write ONE self-contained HTML page (inline SVG, a little JavaScript, no network)."""
        path = Path(path)
        write_atomically(path, self.html().encode("utf-8"))
        return path

    def save(
        self, path: str | os.PathLike, *, seconds_per_step: float = 2.0, final_seconds: float = 5.0
    ) -> Path:
        """Write the steps as an animation: ``.gif``, or ``.png`` (an animated PNG); needs Pillow.

        Each frame carries its step's text; a still of the final state ends the loop.
        """
        from .animation import save_animation

        warn_if_slow(len(self.nodes), len(self) + 1, "this animation")
        return save_animation(self, Path(path), seconds_per_step, final_seconds)

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
        except Exception as error:  # a display hook never raises: the reason, as text
            return text_bundle(self, error)

    def __repr__(self) -> str:
        return (
            f"<BackwardFrames: {len(self)} steps over {len(self.nodes)} Values; "
            "frames[k], .viewer(), .save_html(path), .save('steps.gif')>"
        )


def backward_frames(
    root: Value,
    *,
    params: Iterable[Value] | None = None,
    rankdir: str = "LR",
    max_nodes: int = DEFAULT_MAX_NODES,
    edge_labels: bool = True,
    max_width: int | None = 900,
    theme: str = "light",
) -> BackwardFrames:
    """Run ``root``'s backward pass step by step, keeping every step's grads: see the module docs.

    This IS a backward pass: afterwards the grads are what ``root.backward()`` leaves.
    ``max_nodes``, ``params``, ``rankdir``, ``edge_labels`` and ``theme`` mean what they mean
    for ``draw_graph``; frames wider than ``max_width`` pixels (None: no budget) are all
    laid out top to bottom instead.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward_frames needs a Value, got {type(root).__name__}: {root!r}")
    check_rankdir(rankdir)
    max_nodes = check_max_nodes(max_nodes)
    check_theme(theme)
    check_max_width(max_width)
    if not isinstance(edge_labels, bool):
        raise TypeError(f"edge_labels must be True or False, got {edge_labels!r}")
    parameters = as_values(params, "params")
    nodes = collect_values([root], limit=max_nodes)
    check_layout_size(len(nodes))
    if not root.parents:
        raise ValueError(f"{root!r} is a leaf: its backward pass has no steps to show")
    earlier = [0.0 if node.parents else node.grad for node in nodes]  # leaves get it back at the end
    steps: list[Step] = []
    grads_after: list[list[float]] = []
    for step in backward_steps(root):
        steps.append(step)
        grads_after.append([node.grad for node in nodes])
    return BackwardFrames(
        root, nodes, steps, grads_after, parameters, rankdir,
        edge_labels=edge_labels, max_width=max_width, theme=theme,
        earlier=earlier, final_grads=[node.grad for node in nodes],
    )  # fmt: skip
