"""Turning DOT text into SVG, PNG or PDF bytes.

Two ways to run Graphviz's ``dot`` layout, tried in this order:

1. the ``dot`` program, if one is on PATH (a system Graphviz);
2. in-process, through the Graphviz library that the pygraphviz wheels bundle, so a plain
   ``pip install`` draws pictures with no system package.

Set ``GLASSGRAD_GRAPHVIZ_BACKEND=dot`` or ``=pygraphviz`` to force one.  When neither is
available, ``GraphvizNotFoundError`` says what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess

BACKEND_ENV = "GLASSGRAD_GRAPHVIZ_BACKEND"
BACKENDS = ("dot", "pygraphviz")
FORMATS = ("svg", "png", "pdf")

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


def choose_backend() -> str:
    """The backend ``render`` will use: 'dot' or 'pygraphviz' (or raise GraphvizNotFoundError)."""
    forced = os.environ.get(BACKEND_ENV, "").strip().lower()
    if forced:
        if forced not in BACKENDS:
            raise ValueError(f"{BACKEND_ENV}={forced!r}: expected one of {', '.join(BACKENDS)}")
        if forced == "dot" and shutil.which("dot") is None:
            raise GraphvizNotFoundError(
                f"{BACKEND_ENV}=dot, but no `dot` program is on PATH.\n{INSTALL_HINT}"
            )
        if forced == "pygraphviz":
            _import_pygraphviz()  # raises the clear error if missing
        return forced
    if shutil.which("dot") is not None:
        return "dot"
    _import_pygraphviz()
    return "pygraphviz"


def render(source: str, fmt: str) -> bytes:
    """Lay out DOT ``source`` with Graphviz's dot and return it as ``fmt`` ('svg', 'png', 'pdf')."""
    if fmt not in FORMATS:
        raise ValueError(f"cannot render format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if choose_backend() == "dot":
        return _render_with_dot_program(source, fmt)
    return _render_with_pygraphviz(source, fmt)


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
    result = subprocess.run(
        [executable, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, check=False
    )
    if result.returncode != 0 or not result.stdout:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"`dot -T{fmt}` failed (exit status {result.returncode}): {message}")
    return result.stdout


def _render_with_pygraphviz(source: str, fmt: str) -> bytes:
    pygraphviz = _import_pygraphviz()
    try:
        data = pygraphviz.AGraph(string=source).draw(format=fmt, prog="dot")
    except Exception as error:  # pygraphviz raises ValueError, DotError, ... for bad input
        raise RenderError(f"pygraphviz could not render {fmt}: {type(error).__name__}: {error}") from error
    if not data:
        raise RenderError(f"pygraphviz rendered an empty {fmt}")
    return bytes(data)
