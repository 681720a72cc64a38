"""The documentation site (docs/build_site.py): built strict, no dead internal link, nothing
fetched from another host, and its pages driven in a real headless Chromium on 127.0.0.1 —
the home page, a notebook's pictures, the API reference, the steps viewer and the playground
(Pyodide running the glassgrad wheel, Graphviz in WebAssembly drawing its DOT text).

The site: GLASSGRAD_SITE_DIR if set (CI builds it once in its own timed step), else built
here into a temporary folder by ``python docs/build_site.py --out``.  It needs the ``docs``
extra, Graphviz's ``dot`` and ``npm ci``; without them the tests skip on a developer's
machine and fail in CI.
"""

from __future__ import annotations

import contextlib
import html.parser
import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest
from browsers import missing

from autograd import Value

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs"))
import build_site  # noqa: E402

STARTUP = 180_000  # ms: Pyodide's start on a busy 2-core machine


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    given = os.environ.get("GLASSGRAD_SITE_DIR")
    if given:
        folder = Path(given)
        if not (folder / "index.html").exists():
            pytest.fail(f"GLASSGRAD_SITE_DIR={given} holds no built site")
        return folder
    if not (ROOT / "node_modules" / "pyodide").exists():
        missing("node_modules/pyodide is missing: run `npm ci`")
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
    except ImportError:
        missing('the docs toolchain is not installed: pip install -e ".[docs]"')
    folder = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, str(ROOT / "docs" / "build_site.py"), "--out", str(folder)], check=True)
    return folder


@pytest.fixture(scope="module")
def server(site):
    http = build_site.http.server.ThreadingHTTPServer(("127.0.0.1", 0), build_site.handler(site))
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    http.server_close()


class Offsite:
    """Every request the pages make (workers and frames included); any to another host fails."""

    def __init__(self, context) -> None:
        self.requests: list[str] = []
        self.foreign: list[str] = []
        context.route("**/*", self.route)
        context.on("request", self.seen)

    def allowed(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"

    def route(self, route) -> None:
        if self.allowed(route.request.url):
            route.continue_()
        else:
            self.seen(route.request)
            route.abort()

    def seen(self, request) -> None:
        if request.url not in self.requests:
            self.requests.append(request.url)
        if not self.allowed(request.url) and request.url not in self.foreign:
            self.foreign.append(request.url)


@contextlib.contextmanager
def checked_context(browser):
    """A browser context whose every request is watched: one to another host fails the test."""
    context = browser.new_context()
    offsite = Offsite(context)
    yield context
    context.close()
    assert offsite.requests, "the page made no request at all: the check saw nothing"
    assert not offsite.foreign, f"requests to hosts other than 127.0.0.1: {offsite.foreign}"


@pytest.fixture
def context(browser):
    with checked_context(browser) as context:
        yield context


@pytest.mark.browser
def test_the_offsite_check_sees_requests_of_the_page_and_of_a_worker(browser):
    """The check the other tests rely on can fail: an image and a worker's fetch off-site."""
    context = browser.new_context()
    offsite = Offsite(context)
    page = context.new_page()
    worker = "fetch('http://worker.invalid/b').catch(() => {})"
    page.set_content(
        '<img src="http://page.invalid/a.png"><script>new Worker(URL.createObjectURL('
        f'new Blob([{json.dumps(worker)}], {{type: "text/javascript"}})));</script>'
    )
    page.wait_for_function("() => true")
    page.wait_for_timeout(1000)
    context.close()
    assert sorted(offsite.foreign) == ["http://page.invalid/a.png", "http://worker.invalid/b"]


# ------------------------------------------------------------------ the built HTML
class Refs(html.parser.HTMLParser):
    """The ids of a page and the URLs it refers to (href of a/link, src of script/img/iframe)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []  # a, link: navigated to
        self.loads: list[str] = []  # script, img, iframe, link rel=stylesheet: fetched by the page

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag in ("a", "link") and attrs.get("href") is not None:
            (self.loads if tag == "link" and attrs.get("rel") in ("stylesheet", "preload", "icon")
             else self.links).append(attrs["href"])
        if tag in ("script", "img", "iframe", "source") and attrs.get("src"):
            self.loads.append(attrs["src"])


def parse(path: Path) -> Refs:
    refs = Refs()
    refs.feed(path.read_text(encoding="utf-8", errors="replace"))
    return refs


def test_every_internal_link_and_anchor_of_the_built_site_resolves(site):
    pages = {path: parse(path) for path in site.rglob("*.html")}
    assert len(pages) > 20, sorted(str(p.relative_to(site)) for p in pages)
    dead, checked = [], 0
    for page, refs in pages.items():
        for url in refs.links + refs.loads:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # a link off the site: checked below that nothing *loads* from there
            path = urllib.parse.unquote(parts.path)
            base = site if path.startswith("/") else page.parent  # 404.html's links start at the root
            target = page if not path else (base / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.exists():
                dead.append(f"{page.relative_to(site)}: {url}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if urllib.parse.unquote(parts.fragment) not in ids:
                    dead.append(f"{page.relative_to(site)}: {url} (no such anchor)")
    assert checked > 1000
    assert not dead, "\n".join(dead[:50])


def test_no_page_loads_anything_from_another_host(site):
    loaded = [
        (str(page.relative_to(site)), url)
        for page in site.rglob("*.html")
        for url in parse(page).loads
        if urllib.parse.urlsplit(url).netloc
    ]
    assert not loaded, loaded[:20]


def test_the_site_has_every_notebook_readme_section_and_public_name(site):
    """Nothing hand-listed: whatever the checkout has, the site has."""
    for notebook in (ROOT / "notebooks").glob("[0-9]*.ipynb"):
        assert (site / "notebooks" / notebook.with_suffix(".html").name).exists(), notebook.name
    _, sections = build_site.readme_sections((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(sections) > 10
    for heading, _ in sections:
        assert (site / "guide" / f"{build_site.slugify(heading)}.html").exists(), heading
    modules = build_site.api_modules()
    assert {"autograd", "autograd.graph", "nn", "nn.datasets"} <= set(modules)
    for module in modules:
        page = build_site.api_page(module)
        ids = parse(site / page.replace(".md", ".html")).ids
        for name in build_site.public_names(module):
            assert f"{module}.{name}" in ids, f"{module}.{name} is missing from {page}"
    manifest = json.loads((site / "playground" / "manifest.json").read_text(encoding="utf-8"))
    assert (site / "playground" / "wheels" / manifest["glassgrad"]).stat().st_size > 50_000


def test_links_are_rewritten_to_pages_or_to_plain_paths():
    links = build_site.Links()
    links.files["notebooks/01_x.ipynb"] = "notebooks/01_x.ipynb"
    links.anchors["guarantees"] = "guide/guarantees.md"
    text = "[nb](notebooks/01_x.ipynb) [g](#guarantees) [src](autograd/value.py) [w](https://x.org)"
    assert links.rewrite(text, "README.md", "guide/a.md") == (
        "[nb](../notebooks/01_x.ipynb) [g](guarantees.md) src (`autograd/value.py`) [w](https://x.org)"
    )
    fenced = "```\n[nb](notebooks/01_x.ipynb)\n```"
    assert links.rewrite(fenced, "README.md", "guide/a.md") == fenced
    assert links.rewrite("[n](01_x.ipynb)", "notebooks/01_x.ipynb", "notebooks/02.ipynb", html=True) == (
        "[n](01_x.html)"
    )


def test_the_node_smoke_test_runs_the_wheel_under_pyodide(site):
    node = shutil.which("node")
    if node is None:
        missing("no node on PATH")
    result = subprocess.run(
        [node, "--test", "tests/site/"],
        cwd=ROOT,
        env=dict(os.environ, GLASSGRAD_SITE_DIR=str(site)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# pass 1" in result.stdout and "# fail 0" in result.stdout


# ------------------------------------------------------------------ pages in Chromium
@pytest.mark.browser
def test_home_page_renders(context, server):
    page = context.new_page()
    page.goto(f"{server}/index.html")
    assert page.title().startswith("glassgrad")
    assert page.locator("article h1").first.inner_text().strip().rstrip("¶") == "glassgrad"
    assert page.locator("a[href='playground.html']").count() >= 1
    assert page.locator("article").inner_text().count("\n") > 10


def stored_pictures(notebook: Path) -> int:
    """How many picture outputs (PNG or SVG) the committed notebook holds, read from its JSON."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(
        any(kind.startswith("image/") for kind in output.get("data", {}))
        for cell in cells
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
    )


NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem[:2] for n in NOTEBOOKS])
def test_a_notebook_page_shows_its_pictures(context, server, notebook):
    page = context.new_page()
    page.goto(f"{server}/notebooks/{notebook.stem}.html")
    page.wait_for_load_state("load")
    widths = page.evaluate(
        """() => [...document.querySelectorAll('article .jp-OutputArea-output')]
            .map(output => output.querySelector('img, svg'))
            .filter(Boolean)
            .map(p => p.tagName === 'IMG' ? p.naturalWidth : p.getBoundingClientRect().width)"""
    )
    assert len(widths) == stored_pictures(notebook)
    assert all(width > 0 for width in widths), widths  # each is a real, visible picture


def test_notebooks_have_pictures_to_show():
    assert sum(stored_pictures(notebook) for notebook in NOTEBOOKS) >= 10


@pytest.mark.browser
def test_the_api_page_lists_value_backward(context, server):
    page = context.new_page()
    page.goto(f"{server}/api/autograd.html")
    heading = page.locator("[id='autograd.Value.backward']")
    assert heading.count() == 1 and heading.is_visible()
    assert "backward" in heading.inner_text()


@pytest.mark.browser
def test_the_embedded_step_through_viewer_changes_node_with_the_buttons(context, server):
    page = context.new_page()
    page.goto(f"{server}/steps.html")
    viewer = page.frame_locator("iframe.glassgrad-steps").first
    before = highlighted(viewer)
    viewer.locator("#next").click()
    after = highlighted(viewer)
    assert before["counter"] == "step 1 of 5" and after["counter"] == "step 2 of 5"
    assert before["node"] != after["node"] and before["panel"] != after["panel"]


def highlighted(viewer) -> dict:
    return viewer.locator("body").evaluate(
        """() => {
            const frame = [...document.querySelectorAll('.frame')].find(f => !f.hidden);
            return {
                node: frame.querySelector('g.node.current text').textContent.trim(),
                panel: document.getElementById('panel').textContent,
                counter: document.getElementById('counter').textContent,
            };
        }"""
    )


# ------------------------------------------------------------------ the playground
@pytest.fixture(scope="module")
def playground(browser, server):
    """One playground page for the tests below (Python starts once; each run has a fresh namespace)."""
    with checked_context(browser) as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{server}/playground.html")
        wait_ready(page)
        yield page
        assert not errors, errors


def wait_ready(page) -> None:
    page.wait_for_selector("#gg-status[data-state='ready']", timeout=STARTUP)


def run(page, code: str | None = None, example: str | None = None) -> str:
    """Run code (or click an example) and return the output once the run is over."""
    page.evaluate("window.scrollTo(0, 0)")  # nothing under the sticky header, where a click would land
    if example is not None:
        page.get_by_role("button", name=example, exact=True).click()
    else:
        page.fill("#gg-code", code)
        page.click("#gg-run")
    page.wait_for_selector("#gg-status:has-text('finished')", timeout=STARTUP)
    return page.inner_text("#gg-output")


def number_after(label: str, text: str) -> float:
    found = re.search(re.escape(label) + r"\s*=\s*(\S+)", text)
    assert found, f"no {label!r} in {text!r}"
    return float(found.group(1))


@pytest.mark.browser
def test_playground_draws_the_graph_and_gets_the_engines_grad(playground):
    # The engine here (CPython), and the closed form: tanh'(z)·x1 with z = 0.5.
    x1, x2 = Value(1.5), Value(0.5)
    w1, w2, b = Value(-2.0), Value(1.0), Value(3.0)
    (x1 * w1 + x2 * w2 + b).tanh().backward()
    output = run(playground, example="A neuron's graph and its grads")
    in_browser = number_after("w1.grad", output)
    assert math.isclose(in_browser, w1.grad, rel_tol=1e-12)
    assert math.isclose(in_browser, (1 - math.tanh(0.5) ** 2) * 1.5, rel_tol=1e-12)
    assert math.isclose(number_after("x1.grad", output), x1.grad, rel_tol=1e-12)
    svg = playground.locator("#gg-display svg")
    assert svg.count() == 1 and svg.is_visible()
    labels = [text.strip() for text in svg.locator("g.node text").all_text_contents()]
    assert "w1" in labels and "x1" in labels and "a" in labels


@pytest.mark.browser
def test_playground_runs_the_readmes_ten_lines(playground):
    x1, x2 = Value(1.5), Value(0.5)
    w1, w2, b = Value(-2.0), Value(1.0), Value(3.0)
    (x1 * w1 + x2 * w2 + b).tanh().backward()
    lines = run(playground, example="README's ten lines").strip().split("\n")
    first, last = [float(v) for v in lines[0].split()], float(lines[-1])
    assert math.isclose(first[0], w1.grad, rel_tol=1e-12) and math.isclose(first[1], x1.grad, rel_tol=1e-12)
    assert math.isclose(last, 2 * w1.grad, rel_tol=1e-12)  # the second backward added to it again
    assert sum(not line.startswith(" ") for line in lines[1:-1]) == 5  # one step per operation


@pytest.mark.browser
def test_playground_stepper_buttons_change_the_node(playground):
    output = run(playground, example="A neuron, stepped through")
    assert "5 steps" in output
    viewer = playground.frame_locator("#gg-display iframe.gg-steps")
    first = highlighted(viewer)
    viewer.locator("#next").click()
    second = highlighted(viewer)
    viewer.locator("#prev").click()
    assert first["node"] != second["node"] and first["panel"] != second["panel"]
    assert highlighted(viewer) == first


@pytest.mark.browser
def test_playground_codegen_and_fit_examples(playground):
    output = run(playground, example="codegen(...).source")
    assert "def program(x, w, b):" in output
    generated = re.search(r"generated: (\S+) \(([^)]*)\)", output)
    engine = re.search(r"backward\(\): (\S+) \[([^\]]*)\]", output)
    assert generated and engine and generated.groups() == engine.groups()
    output = run(playground, example="fit on two moons, with its cost curve")
    costs = re.search(r"cost: (\S+) in epoch 1 -> (\S+) in epoch 30", output)
    first, last = (float(v) for v in costs.groups())
    assert last < first
    assert playground.locator("#gg-display svg polyline").count() == 1


@pytest.mark.browser
def test_playground_errors_print_a_traceback_and_the_page_goes_on(playground):
    output = run(playground, code="x = 1\ndef f():\n    return x / 0\nf()\n")
    assert "Traceback (most recent call last)" in output and "ZeroDivisionError" in output
    assert 'File "<playground>", line 3, in f' in output
    assert "playground.py" not in output  # the runner's own frames are left out
    output = run(playground, example="A graph too big to draw")
    assert "GraphTooLargeError" in output and "more than 400 Values" in output
    assert run(playground, code="print(6 * 7)").strip() == "42"


@pytest.mark.browser
def test_playground_stop_ends_an_endless_loop_and_python_starts_again(playground):  # last: it restarts Python
    playground.evaluate("window.scrollTo(0, 0)")
    playground.get_by_role("button", name="An endless loop (press Stop)", exact=True).click()
    playground.wait_for_selector("#gg-status[data-state='running']")
    playground.wait_for_timeout(500)
    playground.click("#gg-stop")
    assert "stopped" in playground.inner_text("#gg-output")
    wait_ready(playground)
    assert run(playground, code="from autograd import Value\nprint(Value(2.0) * 3)").startswith("Value(")
