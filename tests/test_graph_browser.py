"""The HTML step-through of a 2-input tanh neuron, driven in a real headless Chromium.

Uses Playwright's Python package with Debian's Chromium (``apt install chromium``); it
never downloads a browser.  Without Chromium the test is skipped, except in CI (the
``CI`` environment variable is set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest
from test_graph import tanh_neuron  # the same 2-input tanh neuron the other picture tests draw

from autograd.graph import backward_frames

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing(reason: str) -> None:
    """Skip on a developer's machine, fail in CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        missing("no Chromium at /usr/bin/chromium or on PATH (apt install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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
