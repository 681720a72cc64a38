"""The playground's runner, inside Pyodide (as the module ``playground``): runs the editor's
code like a notebook cell.

``run(code, display)`` executes ``code`` in a fresh namespace; the value of a last bare
expression is shown, as Jupyter shows it.  ``show(obj)`` shows anything on the way: a
``draw_graph`` picture or a frame as SVG, ``backward_frames(...)`` as the step-through viewer
(its own HTML page), anything else as its repr.  ``display(kind, data)`` is the page's
callback (kind: 'svg', 'html' or 'text').  An error prints its traceback (without this
runner's own frames) and ``run`` returns False: the page goes on.
"""

from __future__ import annotations

import ast
import html
import linecache
import sys
import traceback

FILENAME = "<playground>"
_display = None


def show(obj) -> None:
    """Show ``obj`` below the output: a picture as SVG, frames as the step-through viewer."""
    from autograd.graph import BackwardFrames

    if isinstance(obj, BackwardFrames):
        _display("html", obj.html())
        return
    mimebundle = getattr(obj, "_repr_mimebundle_", None)
    if mimebundle is not None:
        bundle = mimebundle()
        if "image/svg+xml" in bundle:
            _display("svg", bundle["image/svg+xml"])
        else:
            _display("text", bundle.get("text/plain", repr(obj)))
        return
    _display("text", repr(obj))


class LineChart:
    """A small SVG line chart of ``values`` (e.g. ``history.epoch_costs``); show() draws it."""

    def __init__(self, values, title: str = "", width: int = 480, height: int = 200) -> None:
        self.values = [float(v) for v in values]
        if not self.values:
            raise ValueError("line_chart needs at least one value")
        self.title, self.width, self.height = title, width, height

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        low, high = min(self.values), max(self.values)
        span = (high - low) or 1.0
        pad, w, h = 40, self.width, self.height
        step = (w - 2 * pad) / max(1, len(self.values) - 1)
        points = " ".join(
            f"{pad + i * step:.1f},{h - pad - (v - low) / span * (h - 2 * pad):.1f}"
            for i, v in enumerate(self.values)
        )
        title = html.escape(self.title)
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
            f'aria-label="{title}"><title>{title}</title>'
            f'<rect width="{w}" height="{h}" fill="white"/>'
            f'<polyline fill="none" stroke="#0072B2" stroke-width="2" points="{points}"/>'
            f'<text x="{pad}" y="16" font-size="13">{title}</text>'
            f'<text x="4" y="{pad}" font-size="11">{high:.4g}</text>'
            f'<text x="4" y="{h - pad}" font-size="11">{low:.4g}</text>'
            f'<text x="{pad}" y="{h - 8}" font-size="11">1</text>'
            f'<text x="{w - pad}" y="{h - 8}" font-size="11">{len(self.values)}</text></svg>'
        )
        return {"image/svg+xml": svg, "text/plain": f"{self.title}: {self.values}"}


def line_chart(values, title: str = "") -> LineChart:
    return LineChart(values, title)


def run(code: str, display) -> bool:
    """Run ``code``; True if it finished, False if it raised (its traceback is printed)."""
    global _display
    _display = display
    linecache.cache[FILENAME] = (len(code), None, code.splitlines(True), FILENAME)
    namespace = {"__name__": "__main__", "show": show, "line_chart": line_chart}
    try:
        tree = ast.parse(code, FILENAME, "exec")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, FILENAME, "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), FILENAME, "eval"), namespace)
            if value is not None:
                show(value)
        return True
    except BaseException as error:  # SystemExit and KeyboardInterrupt too: the page goes on
        frames = error.__traceback__
        while frames is not None and frames.tb_frame.f_code.co_filename == __file__:
            frames = frames.tb_next  # the runner's own frames are not the learner's concern
        traceback.print_exception(type(error), error, frames)
        return False
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
