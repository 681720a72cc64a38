"""Turning DOT text into SVG, PNG or PDF bytes.

Two ways to run Graphviz's ``dot`` layout, tried in this order:

1. the ``dot`` program, if one is on PATH (a system Graphviz);
2. the Graphviz library that the pygraphviz wheels bundle, so a plain ``pip install``
   draws pictures with no system package.  Small graphs are laid out in this process;
   bigger ones (over IN_PROCESS_MAX Values, or of unknown size) in a child Python process,
   because Graphviz's layout can crash on a huge graph (a chain of 100,000 Values overflows
   its stack) and must not take the learner's interpreter or notebook kernel with it.

Under Pyodide (Python on WebAssembly, in a web page) neither exists: the ``browser`` backend
(browser.py) draws with the Graphviz-in-WebAssembly that the page provides.

Set ``GLASSGRAD_GRAPHVIZ_BACKEND=dot``, ``=pygraphviz`` or ``=browser`` to force one.  A render
prints nothing unless something is wrong (``fontconfig.py`` quiets the bundled Graphviz's
fonts).  When none is
available, ``GraphvizNotFoundError`` says what to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

from . import browser, fontconfig

BACKEND_ENV = "GLASSGRAD_GRAPHVIZ_BACKEND"
BACKENDS = ("dot", "pygraphviz", "browser")
FORMATS = ("svg", "png", "pdf")
IN_PROCESS_MAX = 1000  # Values: a graph this small is laid out in-process by pygraphviz

# The child process that lays out a big graph with pygraphviz: DOT on stdin, the picture on stdout.
# It first quiets the bundled fontconfig, running fontconfig.py by path (argv[2]).
CHILD = (
    "import runpy, sys, pygraphviz\n"
    "runpy.run_path(sys.argv[2])['quiet_bundled_fontconfig']()\n"
    "source = sys.stdin.buffer.read().decode('utf-8')\n"
    "sys.stdout.buffer.write(pygraphviz.AGraph(string=source).draw(format=sys.argv[1], prog='dot'))\n"
)

INSTALL_HINT = (
    "Install either one:\n"
    "  * pygraphviz, whose wheels bundle Graphviz\n"
    "    (Linux x86_64/aarch64 with glibc >= 2.28, macOS 11+, Windows x64):\n"
    "      pip install 'pygraphviz>=2.0.4'\n"
    "  * or Graphviz itself, so that the `dot` program is on PATH:\n"
    "      apt install graphviz  |  apk add graphviz  |  brew install graphviz  |  "
    "conda install graphviz  |  winget install graphviz\n"
    "Where no pygraphviz wheel exists (Alpine/musllinux, older glibc, Windows on ARM), "
    "install Graphviz itself."
)


class GraphvizNotFoundError(RuntimeError):
    """No way to run Graphviz: neither a ``dot`` program on PATH nor an importable pygraphviz."""


class RenderError(RuntimeError):
    """Graphviz ran but failed to lay out or render the DOT text."""


class BackendChoiceError(GraphvizNotFoundError, ValueError):
    """``GLASSGRAD_GRAPHVIZ_BACKEND`` names no backend: no way to run Graphviz as asked.

    A ValueError (a bad setting) that is also a GraphvizNotFoundError, so that everything that
    copes with a missing Graphviz (display hooks, ``python -m nn``) copes with it too.
    """


def choose_backend() -> str:
    """The backend ``render`` will use: 'dot', 'pygraphviz' or 'browser' (or raise GraphvizNotFoundError)."""
    forced = os.environ.get(BACKEND_ENV, "").strip().lower()
    if forced:
        if forced not in BACKENDS:
            raise BackendChoiceError(f"{BACKEND_ENV}={forced!r}: expected one of {', '.join(BACKENDS)}")
        if forced == "dot" and shutil.which("dot") is None:
            raise GraphvizNotFoundError(
                f"{BACKEND_ENV}=dot, but no `dot` program is on PATH.\n{INSTALL_HINT}"
            )
        if forced == "pygraphviz":
            _import_pygraphviz()  # raises the clear error if missing
        if forced == "browser":
            browser.renderer()  # raises the clear error if the page registered no Graphviz
        return forced
    if browser.in_pyodide():
        return "browser"
    if shutil.which("dot") is not None:
        return "dot"
    _import_pygraphviz()
    return "pygraphviz"


def render(source: str, fmt: str, values: int | None = None) -> bytes:
    """Lay out DOT ``source`` with Graphviz's dot and return it as ``fmt`` ('svg', 'png', 'pdf').

    ``values``: how many Values the picture has; with pygraphviz, a graph over IN_PROCESS_MAX
    (or of unknown size) is laid out in a child process.
    """
    if fmt not in FORMATS:
        raise ValueError(f"cannot render format {fmt!r}: choose one of {', '.join(FORMATS)}")
    backend = choose_backend()
    if backend == "browser":
        return browser.render(source, fmt)
    if backend == "dot":
        return _render_with_dot_program(source, fmt)
    if values is not None and values <= IN_PROCESS_MAX:
        return _render_with_pygraphviz(source, fmt)
    _import_pygraphviz()  # the clear error if it is missing, before starting a child
    command = [sys.executable, "-c", CHILD, fmt, fontconfig.__file__]
    return _run(command, source, f"pygraphviz (in a child process) -T{fmt}")


def _import_pygraphviz():
    try:
        import pygraphviz
    except (ImportError, OSError) as error:  # OSError: a wheel whose bundled libraries fail to load
        raise GraphvizNotFoundError(
            "Pictures need Graphviz, and none was found: no `dot` program on PATH, and "
            f"pygraphviz cannot be imported ({type(error).__name__}: {error}).\n{INSTALL_HINT}"
        ) from None
    return pygraphviz


def _render_with_dot_program(source: str, fmt: str) -> bytes:
    executable = shutil.which("dot")
    if executable is None:
        raise GraphvizNotFoundError(f"the `dot` program is not on PATH.\n{INSTALL_HINT}")
    return _run([executable, f"-T{fmt}"], source, f"`dot -T{fmt}`")


def _run(command: list[str], source: str, what: str) -> bytes:
    """Run a Graphviz child process on ``source``; a crash or failure is a RenderError, never ours."""
    result = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, check=False)
    if result.returncode < 0:
        try:
            name = signal.Signals(-result.returncode).name
        except ValueError:
            name = f"signal {-result.returncode}"
        raise RenderError(
            f"Graphviz crashed ({name}) laying out this graph: it is too big for Graphviz. "
            "Draw a part of it: draw_graph(node) from a Value nearer the inputs, or collapse_groups=True."
        )
    if result.returncode != 0 or not result.stdout:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"{what} failed (exit status {result.returncode}): {message[-2000:]}")
    return result.stdout


def _render_with_pygraphviz(source: str, fmt: str) -> bytes:
    pygraphviz = _import_pygraphviz()
    fontconfig.quiet_bundled_fontconfig()  # no "Fontconfig warning" on stderr (see fontconfig.py)
    try:
        data = pygraphviz.AGraph(string=source).draw(format=fmt, prog="dot")
    except Exception as error:  # pygraphviz raises ValueError, DotError, ... for bad input
        raise RenderError(f"pygraphviz could not render {fmt}: {type(error).__name__}: {error}") from error
    if not data:
        raise RenderError(f"pygraphviz rendered an empty {fmt}")
    return bytes(data)
