"""The step-through of a 2-input tanh neuron, driven in a real headless Chromium: the HTML
page, and the widget viewer inside a JupyterLab started on loopback for the test.

Uses Playwright's Python package with Debian's Chromium (``apt install chromium``); it
never downloads a browser.  Without Chromium the test is skipped, except in CI (the
``CI`` environment variable is set), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from browsers import missing
from graphs import tanh_neuron  # the same 2-input tanh neuron the other picture tests draw

from autograd.graph import backward_frames

pytestmark = pytest.mark.browser

def visible_state(page) -> dict:
    """What a user sees now: the highlighted box's first text, the panel, the counter."""
    return page.evaluate(
        """() => {
            const frame = [...document.querySelectorAll('.frame')].find(f => !f.hidden);
            const current = frame.querySelector('g.node.current');
            return {
                step: frame.dataset.step,
                visibleFrames: [...document.querySelectorAll('.frame')].filter(f => !f.hidden).length,
                highlighted: current.querySelector('text').textContent.trim(),
                panel: document.getElementById('panel').textContent,
                counter: document.getElementById('counter').textContent,
                slider: document.getElementById('slider').value,
            };
        }"""
    )


def test_next_previous_slider_and_arrow_keys_move_through_the_steps(browser, tmp_path):
    path = backward_frames(tanh_neuron()["a"]).save_html(tmp_path / "steps.html")
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())

    first = visible_state(page)
    assert first["visibleFrames"] == 1
    assert first["highlighted"] == "a" and first["counter"] == "step 1 of 2"
    assert "upstream: ∂a/∂a = 1" in first["panel"]

    page.click("#next")
    second = visible_state(page)
    assert second["visibleFrames"] == 1
    assert second["highlighted"] == "z" and second["slider"] == "1"
    assert "upstream: ∂a/∂z = 0.5" in second["panel"] and "w1: 2 × 0.5 = 1" in second["panel"]
    assert second["panel"] != first["panel"]

    page.click("#next")  # at the last step: stays there
    assert visible_state(page)["step"] == "1"
    page.click("#prev")
    assert visible_state(page)["highlighted"] == "a"

    page.keyboard.press("ArrowRight")
    assert visible_state(page)["highlighted"] == "z"
    page.keyboard.press("ArrowLeft")
    assert visible_state(page)["highlighted"] == "a"

    page.fill("#slider", "1")  # sets the range input's value and fires 'input'
    assert visible_state(page)["highlighted"] == "z"

    assert [url for url in requests if not url.startswith("file://")] == []  # no network
    page.close()


def test_the_page_works_from_the_keyboard_with_visible_focus_and_a_live_panel(browser, tmp_path):
    path = backward_frames(tanh_neuron()["a"]).save_html(tmp_path / "steps.html")
    page = browser.new_page()
    page.goto(path.as_uri())
    panel = page.locator("#panel")
    assert panel.get_attribute("aria-live") == "polite"
    page.keyboard.press("Tab")  # the first control: previous
    assert page.evaluate("document.activeElement.id") == "prev"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "next"
    # The focused button shows a 3 px outline (the :focus-visible rule), not the browser's faint default.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert outline == "3px"
    page.keyboard.press("Enter")  # activates the focused button
    state = visible_state(page)
    assert state["highlighted"] == "z" and "upstream: ∂a/∂z = 0.5" in panel.text_content()
    page.keyboard.press("Home")
    assert visible_state(page)["highlighted"] == "a"
    page.keyboard.press("End")
    assert visible_state(page)["highlighted"] == "z"
    # Every picture carries its step's text as its text alternative.
    labels = page.evaluate("[...document.querySelectorAll('.frame svg')].map(s => s.ariaLabel)")
    assert len(labels) == 2 and labels[1].startswith("step 2 of 2") and "w1: 2 × 0.5 = 1" in labels[1]
    assert page.evaluate("document.querySelector('.frame svg').getAttribute('role')") == "img"
    page.close()


# ----------------------------------------------------------------- the widget viewer in JupyterLab
NOTEBOOK_CELL = """\
import math
from autograd import Value, dot
from autograd.graph import backward_frames
x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
w1, w2, b = Value(-3.0, "w1"), Value(1.0, "w2"), Value(6.0 + math.asinh(1.0), "b")
z = dot([w1, w2], [x1, x2], b); z.label = "z"
a = z.tanh(); a.label = "a"
frames = backward_frames(a)
frames.viewer()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 (random free port, a token, no browser) serving one notebook."""
    try:
        import jupyterlab  # noqa: F401
        import jupyterlab_widgets  # noqa: F401
    except ImportError:
        missing("JupyterLab or jupyterlab_widgets is not installed (pip install jupyterlab ipywidgets)")
    root = tmp_path_factory.mktemp("lab")
    notebook = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": "viewer", "metadata": {},
                   "outputs": [], "source": NOTEBOOK_CELL}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip
    (root / "viewer.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    token, port = secrets.token_hex(16), free_port()
    private = {name: str(root / f".{name.lower()}") for name in
               ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "JUPYTERLAB_WORKSPACES_DIR")}  # fmt: skip
    env = {**os.environ, **private}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--allow-root", "--ServerApp.terminals_enabled=False", "--LabApp.extension_manager=readonly"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start (exit status {server.poll()})")
                time.sleep(0.3)
        yield f"{base}/lab/tree/viewer.ipynb?token={token}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and the kernels it started
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def viewer_state(page) -> dict:
    return page.evaluate(
        """() => {
            const panel = document.querySelector('.glassgrad-panel pre');
            const current = document.querySelector('.glassgrad-picture g.node.current text');
            return {panel: panel ? panel.textContent : null,
                    highlighted: current ? current.textContent.trim() : null};
        }"""
    )


@pytest.mark.slow
def test_the_widget_viewer_steps_in_jupyterlab(browser, jupyterlab):
    page = browser.new_page()
    outside = []

    def only_loopback(route):
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.goto(jupyterlab)
    page.wait_for_selector(".jp-Notebook .jp-Cell .cm-content", timeout=60_000)
    # The kernel is ready once the status bar says so; a cell run before that is dropped.
    status_bar_idle = "() => /\\| Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent || '')"
    page.wait_for_function(status_bar_idle, timeout=60_000)
    page.click(".jp-Notebook .jp-Cell .cm-content")
    page.keyboard.press("Shift+Enter")  # run the cell
    page.wait_for_selector(".glassgrad-picture g.node.current", timeout=60_000)
    first = viewer_state(page)
    assert first["highlighted"] == "a" and "upstream: ∂a/∂a = 1" in first["panel"]
    page.click(".glassgrad-next")
    page.wait_for_function(  # the panel and the picture are two widgets: wait for both
        """() => document.querySelector('.glassgrad-panel pre').textContent.includes('∂a/∂z') &&
              document.querySelector('.glassgrad-picture g.node.current text').textContent.trim() === 'z'""",
        timeout=30_000,
    )
    second = viewer_state(page)
    assert second["highlighted"] == "z" and "w1: 2 × 0.5 = 1" in second["panel"]
    assert page.get_attribute(".glassgrad-panel pre", "aria-live") == "polite"
    page.close()
