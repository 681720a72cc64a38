"""The ``browser`` picture backend (autograd/graph/browser.py) under CPython.

In a page, Pyodide's ``glassgrad_graphviz`` module is JavaScript (Graphviz in WebAssembly);
the site's tests drive that for real (tests/test_site.py, tests/site/).  Here a stand-in
module with the same ``render(dot, format)`` runs the real ``dot`` program, so the Python
side is checked on its own: backend choice, what goes through, and the errors.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import types

import pytest
from graphs import tanh_neuron

import autograd.graph.render as render_module
from autograd import Value, draw_graph
from autograd.graph import GraphvizNotFoundError, RenderError, browser


@pytest.fixture
def page_graphviz(monkeypatch):
    """A registered ``glassgrad_graphviz`` that renders with the `dot` program, recording its calls."""
    if shutil.which("dot") is None:
        pytest.skip("no Graphviz `dot` program on PATH (apt install graphviz to run this test)")
    calls = []

    def render(source: str, fmt: str) -> str:
        calls.append(fmt)
        if "syntax error here" in source:
            raise RuntimeError("Error: syntax error in line 1")
        done = subprocess.run(["dot", f"-T{fmt}"], input=source, capture_output=True, text=True, check=True)
        return done.stdout

    module = types.ModuleType(browser.MODULE)
    module.render = render
    monkeypatch.setitem(sys.modules, browser.MODULE, module)
    monkeypatch.setenv(render_module.BACKEND_ENV, "browser")
    return calls


def test_the_forced_browser_backend_draws_through_the_pages_module(page_graphviz, monkeypatch):
    assert render_module.choose_backend() == "browser"
    svg = draw_graph(tanh_neuron()["a"]).svg()
    assert page_graphviz == ["svg"]
    monkeypatch.setenv(render_module.BACKEND_ENV, "dot")
    assert draw_graph(tanh_neuron()["a"]).svg() == svg  # the same picture as the `dot` backend's
    assert 'role="img"' in svg and ">w1<" in svg  # finished like any backend's picture


def test_only_svg_exists_in_the_browser(page_graphviz, tmp_path):
    picture = draw_graph(Value(2.0, "x"))
    with pytest.raises(RenderError, match="SVG only, not 'png'"):
        picture.save(tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()
    assert "png" not in page_graphviz  # refused before Graphviz was asked for a PNG
    picture.save(tmp_path / "x.svg")
    assert (tmp_path / "x.svg").read_text().lstrip().startswith("<?xml")


def test_a_graphviz_failure_in_the_page_is_a_render_error(page_graphviz):
    with pytest.raises(RenderError, match="Graphviz \\(WebAssembly\\) could not render svg: Error: syntax"):
        render_module.render("digraph { syntax error here", "svg")


def test_without_the_pages_module_the_error_says_what_to_register(monkeypatch):
    monkeypatch.setitem(sys.modules, browser.MODULE, None)  # `import glassgrad_graphviz` fails
    monkeypatch.setenv(render_module.BACKEND_ENV, "browser")
    with pytest.raises(GraphvizNotFoundError, match="registerJsModule\\('glassgrad_graphviz'"):
        render_module.choose_backend()


def test_pyodide_is_detected_and_picks_the_browser_backend(monkeypatch):
    monkeypatch.delenv(render_module.BACKEND_ENV, raising=False)
    assert browser.in_pyodide() is False
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert browser.in_pyodide() is True
    assert render_module.choose_backend() == "browser"


def test_tqdm_is_made_thread_free(monkeypatch):
    tqdm = pytest.importorskip("tqdm")
    monkeypatch.setattr(tqdm.tqdm, "monitor_interval", 10)
    browser.thread_free_tqdm()
    assert tqdm.tqdm.monitor_interval == 0
    bar = tqdm.tqdm(total=2, disable=False, file=open(subprocess.os.devnull, "w"))  # noqa: SIM115
    bar.update(2)
    bar.close()
    assert tqdm.tqdm.monitor is None  # no monitor thread was started
