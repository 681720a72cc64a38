"""Two ways to step through BackwardFrames on screen: a notebook widget and one HTML page.

Both follow one step number: the picture, the text panel (an ARIA live region, so a screen
reader reads each step) and the controls change together.  Both work from the keyboard.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .text import markup, markup_lines

if TYPE_CHECKING:
    from .frames import BackwardFrames

# Follows a dark notebook (JupyterLab marks its body) or a dark system setting (the page).
DARK_PICTURE = "filter: invert(0.9) hue-rotate(180deg);"
WIDGET_STYLE = (
    "<style>body[data-jp-theme-light='false'] .glassgrad-picture svg {" + DARK_PICTURE + "}</style>"
)


def inline_svg(svg: str) -> str:
    """SVG text without its XML prologue, ready to sit inside an HTML page."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


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
        self.prev_button = widgets.Button(description="◀ previous", tooltip="previous step")
        self.next_button = widgets.Button(description="next ▶", tooltip="next step")
        self.panel = widgets.HTML()
        self.picture = widgets.HTML()
        self.prev_button.add_class("glassgrad-prev")
        self.next_button.add_class("glassgrad-next")
        self.panel.add_class("glassgrad-panel")
        self.picture.add_class("glassgrad-picture")
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
        self.panel.value = f'<pre aria-live="polite" aria-atomic="true">{markup_lines(frame.text)}</pre>'
        try:
            self.picture.value = WIDGET_STYLE + inline_svg(frame.svg())
        except Exception as error:  # no Graphviz, a bad backend setting: the text panel still works
            reason = f"cannot draw it: {type(error).__name__}: {error}"
            self.picture.value = f"<pre>{markup_lines(reason)}</pre>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return self.widget._repr_mimebundle_(include=include, exclude=exclude)


def html_page(frames: BackwardFrames) -> str:
    """One self-contained page: every frame's SVG inline, buttons, slider, keys, no network."""
    sections = []
    for frame in frames:
        node_id = f"v{frames.index[frame.node]}"
        sections.append(
            f'<section class="frame" data-step="{frame.index}" data-node="{node_id}" '
            f'data-text="{markup_lines(frame.text)}" hidden>\n'
            f'<div class="picture">{inline_svg(frame.svg())}</div>\n</section>'
        )
    title = f"backward() of {frames.name(frames.root)}, step by step"
    return HTML_PAGE.format(
        title=markup(title, None),
        last=len(frames) - 1,
        count=len(frames),
        frames="\n".join(sections),
        count_json=json.dumps(len(frames)),
        dark_picture=DARK_PICTURE if frames.theme == "light" else "",
    )


HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #1f2937; background: #ffffff; }}
.controls {{ display: flex; gap: 0.8em; align-items: center; margin-bottom: 0.8em; }}
.controls input {{ width: 20em; }}
button {{ font-size: 1em; padding: 0.3em 0.8em; }}
:focus-visible {{ outline: 3px solid #0072B2; outline-offset: 2px; }}
.panel {{ background: #f3f4f6; padding: 0.8em; border-radius: 6px; font-size: 0.95em;
          white-space: pre-wrap; }}
.picture svg {{ max-width: 100%; height: auto; }}
@media (prefers-color-scheme: dark) {{
  body {{ color: #e5e7eb; background: #111827; }}
  .panel {{ background: #1f2937; }}
  :focus-visible {{ outline-color: #56B4E9; }}
  .picture svg {{ {dark_picture} }}
}}
</style>
</head>
<body>
<h1>{title}</h1>
<p id="key">The node of this step has a double orange-red border; the thick orange-red edges are
the contributions it sends to its parents. Grey and dashed: nodes and edges that backward has not
reached yet. A grad marked "so far" is not final yet. Keys: ← and → (or the buttons and slider),
Home and End.</p>
<div class="controls" role="group" aria-label="step controls">
<button id="prev" type="button">◀ previous</button>
<input id="slider" type="range" min="0" max="{last}" value="0" aria-label="step" aria-describedby="counter">
<button id="next" type="button">next ▶</button>
<span id="counter">step 1 of {count}</span>
</div>
<pre id="panel" class="panel" aria-live="polite" aria-atomic="true"></pre>
{frames}
<script>
(function () {{
  var frames = document.querySelectorAll(".frame");
  var slider = document.getElementById("slider");
  var counter = document.getElementById("counter");
  var panel = document.getElementById("panel");
  var current = 0;
  function show(k) {{
    current = Math.max(0, Math.min({count_json} - 1, k));
    frames.forEach(function (f, j) {{ f.hidden = (j !== current); }});
    slider.value = current;
    var where = "step " + (current + 1) + " of " + {count_json};
    counter.textContent = where;
    slider.setAttribute("aria-valuetext", where);
    panel.textContent = frames[current].dataset.text;
  }}
  document.getElementById("prev").addEventListener("click", function () {{ show(current - 1); }});
  document.getElementById("next").addEventListener("click", function () {{ show(current + 1); }});
  slider.addEventListener("input", function () {{ show(Number(slider.value)); }});
  document.addEventListener("keydown", function (e) {{
    if (e.target === slider) return;  /* the slider moves itself on arrow keys */
    if (e.key === "ArrowLeft") show(current - 1);
    if (e.key === "ArrowRight") show(current + 1);
    if (e.key === "Home") show(0);
    if (e.key === "End") show({count_json} - 1);
  }});
  show(0);
}})();
</script>
</body>
</html>
"""
