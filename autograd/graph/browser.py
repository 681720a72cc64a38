"""Graphviz in a web page: the picture path where glassgrad runs in Pyodide (Python compiled
to WebAssembly, in a browser or in Node).

There is no ``dot`` program and no pygraphviz there, but Graphviz itself exists compiled to
WebAssembly (the npm package ``@viz-js/viz``).  The page that starts Pyodide registers a
JavaScript module named ``glassgrad_graphviz`` whose ``render(dot_text, format)`` returns
Graphviz's output as text, e.g.::

    const viz = await Viz.instance();
    pyodide.registerJsModule("glassgrad_graphviz",
        { render: (dot, format) => viz.renderString(dot, { format }) });

``render.py`` picks this backend by itself under Pyodide (``sys.platform == "emscripten"``)
or when ``GLASSGRAD_GRAPHVIZ_BACKEND=browser``.  Only SVG exists on this path: a browser
shows SVG, and PNG/PDF would need files the page cannot write anyway.

Pyodide has no threads, so importing this module there also turns off tqdm's monitor
thread (``tqdm.tqdm.monitor_interval = 0``): ``nn.fit``'s progress bar then neither warns
"can't start new thread" nor tries to start one.
"""

from __future__ import annotations

import importlib
import sys

MODULE = "glassgrad_graphviz"  # the JavaScript module the page registers
FORMATS = ("svg",)


def in_pyodide() -> bool:
    """True where Python runs on WebAssembly (Pyodide in a browser, a Web Worker or Node)."""
    return sys.platform == "emscripten"


def renderer():
    """The page's Graphviz module, or GraphvizNotFoundError saying what the page must register."""
    try:
        return importlib.import_module(MODULE)
    except ImportError:
        from .render import GraphvizNotFoundError

        raise GraphvizNotFoundError(
            f"the browser backend draws with a JavaScript module named {MODULE!r} that the page "
            "registers (render(dot_text, format) -> text, e.g. from @viz-js/viz), and none is "
            "registered: pyodide.registerJsModule(" + repr(MODULE) + ", {render: ...})"
        ) from None


def render(source: str, fmt: str) -> bytes:
    """Lay out DOT ``source`` with the page's Graphviz-in-WebAssembly; only 'svg' exists here."""
    from .render import RenderError

    if fmt not in FORMATS:
        raise RenderError(
            f"in the browser glassgrad draws SVG only, not {fmt!r}: use .svg() or save('graph.svg')"
        )
    module = renderer()
    try:
        text = module.render(source, fmt)
    except Exception as error:  # a JsException from Graphviz (bad DOT, out of memory)
        raise RenderError(f"Graphviz (WebAssembly) could not render {fmt}: {error}") from error
    if not text:
        raise RenderError(f"Graphviz (WebAssembly) rendered an empty {fmt}")
    return str(text).encode("utf-8")


def thread_free_tqdm() -> None:
    """Pyodide cannot start threads: stop tqdm's monitor thread before any bar exists."""
    try:
        import tqdm
    except ImportError:
        return
    tqdm.tqdm.monitor_interval = 0


if in_pyodide():
    thread_free_tqdm()
