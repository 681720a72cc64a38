"""Build glassgrad's documentation site with one command, from the checkout:

    python docs/build_site.py            # -> build/site/ (then open it through a local server)
    python docs/build_site.py --serve    # build, then serve it on http://127.0.0.1:8000/

Needs the ``docs`` extra (``pip install -e ".[docs]"``), Graphviz (``dot`` or pygraphviz: the
step-through pages are drawn at build time) and the npm packages (``npm ci``: Pyodide and Graphviz in
WebAssembly for the playground).

What it does: assembles the pages in build/site-src/, then runs ``mkdocs build --strict``
(a warning fails the build) on a config that inherits mkdocs.yml and adds the nav:

* the README, one page per ``##`` section (its links rewritten to the site's pages);
* every notebook ``notebooks/NN_*.ipynb`` with its stored outputs (not executed again), and
  notebooks/README.md as their index;
* an API reference: every name in ``__all__`` of autograd, autograd.graph and nn, and every
  public function of nn.datasets, from their docstrings (mkdocstrings);
* benchmarks/README.md;
* step-through pages (``backward_frames(...).save_html``) embedded in a page;
* the playground: the glassgrad wheel built from this checkout, tqdm, Pyodide's runtime files
  and @viz-js/viz copied from node_modules, so it runs from a local server with no internet.

Nothing is listed by hand: new README sections, notebooks and public names appear by themselves.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib
import inspect
import json
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGE = ROOT / "build" / "site-src"
OUT = ROOT / "build" / "site"
PLAYGROUND_SRC = ROOT / "docs" / "playground"

# The API reference starts from these modules; a module among their public names (nn.datasets,
# ...) gets a page of its own too, found when the site is built.
API_ROOTS = ["autograd", "autograd.graph", "nn"]
# Pyodide's runtime files (from the npm package ``pyodide``) the page loads.
PYODIDE_FILES = [
    "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json",
]
FENCE = re.compile(r"^(```|~~~)")
LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")


# ------------------------------------------------------------------ links
def slugify(heading: str) -> str:
    """The anchor GitHub and mkdocs' toc both give a heading: lower case, punctuation dropped."""
    text = re.sub(r"[`*_]", "", heading).strip().lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[-\s]+", "-", text).strip("-")


class Links:
    """Where each repository file (and each README anchor) lives on the site."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}  # repo path -> site path (a .md, .ipynb or asset)
        self.anchors: dict[str, str] = {}  # README anchor -> "page.md#anchor" (or "page.md")

    def rewrite(self, text: str, source: str, page: str, *, html: bool = False) -> str:
        """``text``'s links (written in repo file ``source``) made to work from site page ``page``.

        A link to a file the site does not carry becomes the file's path as code, not a dead link.
        ``html``: targets as built pages (a notebook's markdown is not seen by mkdocs' link fixer).
        """

        def one(match: re.Match) -> str:
            bang, label, target = match.groups()
            if re.match(r"^[a-z]+:", target):
                return match.group(0)  # http:, https:, mailto:
            path, _, anchor = target.partition("#")
            if not path:
                if source == "README.md" and anchor in self.anchors:
                    return f"{bang}[{label}]({relative(self.anchors[anchor], page, html)})"
                return match.group(0)
            repo_path = os.path.normpath(os.path.join(os.path.dirname(source), path))
            site_path = self.files.get(repo_path)
            if site_path is None:
                return f"{label} (`{repo_path}`)" if label.strip("`") != repo_path else f"`{repo_path}`"
            link = relative(site_path, page, html) + (f"#{anchor}" if anchor else "")
            return f"{bang}[{label}]({link})"

        return map_outside_fences(text, lambda line: LINK.sub(one, line))


def relative(target: str, page: str, html: bool) -> str:
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    if html:
        target = re.sub(r"\.(md|ipynb)$", ".html", target)
    return os.path.relpath(target, os.path.dirname(page) or ".").replace(os.sep, "/") + anchor


def map_outside_fences(text: str, change) -> str:
    out, fenced = [], False
    for line in text.split("\n"):
        if FENCE.match(line.strip()):
            fenced = not fenced
        out.append(line if fenced else change(line))
    return "\n".join(out)


# ------------------------------------------------------------------ pages
def readme_sections(readme: str) -> tuple[str, list[tuple[str, str]]]:
    """The README's introduction and its ``##`` sections as (heading, body), fences respected."""
    intro, sections, fenced = [], [], False
    for line in readme.split("\n"):
        if FENCE.match(line.strip()):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            intro.append(line)
    return "\n".join(intro), [(heading, "\n".join(body)) for heading, body in sections]


def readme_pages(stage: Path, links: Links) -> list:
    intro, sections = readme_sections((ROOT / "README.md").read_text(encoding="utf-8"))
    pages = []
    for heading, body in sections:
        page = f"guide/{slugify(heading)}.md"
        pages.append((heading, body, page))
        links.anchors[slugify(heading)] = page
        for line in map_outside_fences(body, lambda line: line).split("\n"):
            found = re.match(r"^(#{3,6}) (.+)$", line)
            if found:
                links.anchors[slugify(found.group(2))] = f"{page}#{slugify(found.group(2))}"
    links.files["README.md"] = "index.md"
    nav = []
    for heading, body, page in pages:
        demoted = map_outside_fences(body, lambda line: re.sub(r"^#(#{2,5}) ", r"\1 ", line))
        write(stage / page, f"# {heading}\n\n" + links.rewrite(demoted, "README.md", page))
        nav.append({strip_code(heading): page})
    home = links.rewrite(intro, "README.md", "index.md")
    listing = "\n".join(f"- [{strip_code(heading)}]({page})" for heading, _, page in pages)
    write(
        stage / "index.md",
        home
        + "\n\n## On this site\n\n"
        + "- [Notebooks](notebooks/index.md): the guided path, with every stored picture\n"
        + "- [Playground](playground.md): run glassgrad in this page, nothing to install\n"
        + "- [Step through backward](steps.md): the step-through viewer\n"
        + "- [API reference](api/autograd.md), [Benchmarks](benchmarks.md)\n\n"
        + "The README, section by section:\n\n"
        + listing
        + "\n",
    )
    return nav


def strip_code(heading: str) -> str:
    return heading.replace("`", "")


def notebook_pages(stage: Path, links: Links) -> list:
    notebooks = sorted(p for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    for notebook in notebooks:
        links.files[f"notebooks/{notebook.name}"] = f"notebooks/{notebook.name}"
    links.files["notebooks/README.md"] = "notebooks/index.md"
    nav = [{"About the notebooks": "notebooks/index.md"}]
    text = (ROOT / "notebooks" / "README.md").read_text(encoding="utf-8")
    write(stage / "notebooks/index.md", links.rewrite(text, "notebooks/README.md", "notebooks/index.md"))
    for notebook in notebooks:
        data = json.loads(notebook.read_text(encoding="utf-8"))
        page = f"notebooks/{notebook.name}"
        for cell in data["cells"]:
            if cell["cell_type"] == "markdown":
                source = "".join(cell["source"])
                cell["source"] = links.rewrite(source, page, page, html=True)
        write(stage / page, json.dumps(data, ensure_ascii=False))
        nav.append({title_of(notebook, data): page})
    return nav


def title_of(notebook: Path, data: dict) -> str:
    for cell in data["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).split("\n"):
                if line.startswith("# "):
                    return f"{notebook.name[:2]} {strip_code(line[2:].strip())}"
    return notebook.stem


def public_names(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:  # a module without __all__: its own public functions and classes
        names = [
            name
            for name, obj in vars(module).items()
            if not name.startswith("_")
            and (inspect.isfunction(obj) or inspect.isclass(obj))
            and obj.__module__ == module_name
        ]
    return sorted(names, key=str.lower)


def api_modules() -> list[str]:
    """API_ROOTS and every glassgrad module found among their public names, in that order."""
    found: list[str] = []
    todo = list(API_ROOTS)
    while todo:
        name = todo.pop(0)
        if name in found:
            continue
        found.append(name)
        module = importlib.import_module(name)
        for public in public_names(name):
            obj = getattr(module, public)
            if inspect.ismodule(obj) and obj.__name__.split(".")[0] in ("autograd", "nn"):
                todo.append(obj.__name__)
    return found


def api_page(module_name: str) -> str:
    return f"api/{module_name.replace('.', '-')}.md"


def api_pages(stage: Path) -> list:
    nav = []
    for module_name in api_modules():
        module = importlib.import_module(module_name)
        lines = [f"# `{module_name}`", "", inspect.getdoc(module) or "", ""]
        for name in public_names(module_name):
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                own = os.path.basename(api_page(obj.__name__))
                heading = f"## `{module_name}.{name}` {{#{module_name}.{name}}}"
                lines += [heading, "", f"The module: see [{obj.__name__}]({own}).", ""]
                continue
            lines += [f"::: {module_name}.{name}", ""]
        write(stage / api_page(module_name), "\n".join(lines))
        nav.append({module_name: api_page(module_name)})
    return nav


def benchmarks_page(stage: Path, links: Links) -> None:
    links.files["benchmarks/README.md"] = "benchmarks.md"
    text = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    write(stage / "benchmarks.md", links.rewrite(text, "benchmarks/README.md", "benchmarks.md"))


def images(stage: Path, links: Links) -> None:
    for image in sorted((ROOT / "docs" / "images").iterdir()):
        if image.is_file():
            shutil.copy2(image, stage / "images" / image.name)
            links.files[f"docs/images/{image.name}"] = f"images/{image.name}"
    for name in ("LICENSE",):
        text = (ROOT / name).read_text(encoding="utf-8")
        write(stage / "license.md", f"# License\n\n```text\n{text}\n```\n")
        links.files[name] = "license.md"


def step_pages(stage: Path) -> None:
    """The step-through viewer pages, drawn now with Graphviz, embedded in steps.md."""
    from autograd import Value, backward_frames

    x1, x2 = Value(1.5, label="x1"), Value(0.5, label="x2")
    w1, w2, b = Value(-2.0, label="w1"), Value(1.0, label="w2"), Value(3.0, label="b")
    neuron = (x1 * w1 + x2 * w2 + b).tanh()
    neuron.label = "a"
    a = Value(3.0, label="a")
    twice = a + a
    twice.label = "b"
    fan_out = twice + twice
    fan_out.label = "c"
    examples = [
        ("tanh_neuron", neuron, "The README's neuron: a = tanh(x1·w1 + x2·w2 + b)."),
        ("fan_out", fan_out, "b = a + a; c = b + b: grads add where a Value is used twice (dc/da = 4)."),
    ]
    text = [
        "# Step through backward",
        "",
        "Each viewer below is the page that `backward_frames(y).save_html(path)` writes, "
        "drawn when this site was built. Use the buttons, the slider, or ← and →.",
        "",
    ]
    for name, root, caption in examples:
        backward_frames(root).save_html(stage / "steps" / f"{name}.html")
        text += [
            f"## {caption}",
            "",
            f'<iframe class="glassgrad-steps" src="steps/{name}.html" title="{caption}" '
            'style="width:100%;height:640px;border:1px solid #ccc"></iframe>',
            "",
            f"[Open it on its own page](steps/{name}.html)",
            "",
        ]
    write(stage / "steps.md", "\n".join(text))


# ------------------------------------------------------------------ the playground
def build_wheel() -> Path:
    """glassgrad's wheel, built from this checkout (pip wheel: the same build as ``python -m build``)."""
    build = ROOT / "build" / "site-wheel"
    shutil.rmtree(build, ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(build), str(ROOT)],
        check=True,
    )
    (wheel,) = build.glob("glassgrad-*.whl")
    return wheel


def playground(stage: Path, wheel: Path | None) -> None:
    out = stage / "playground"
    wheels = out / "wheels"
    wheels.mkdir(parents=True)
    wheel = wheel or build_wheel()
    shutil.copy2(wheel, wheels / wheel.name)
    tqdm_archive = zip_package("tqdm", wheels)
    node_modules = ROOT / "node_modules"
    if not (node_modules / "pyodide" / "pyodide.mjs").exists():
        sys.exit("node_modules/pyodide is missing: run `npm ci` in the repository first")
    for name in PYODIDE_FILES:
        shutil.copy2(node_modules / "pyodide" / name, out / "vendor" / "pyodide" / name)
    shutil.copy2(node_modules / "@viz-js" / "viz" / "dist" / "viz.js", out / "vendor" / "viz.js")
    for name in ("boot.mjs", "worker.mjs", "playground.mjs", "playground.css", "runner.py"):
        shutil.copy2(PLAYGROUND_SRC / name, out / name)
    examples = [example(path) for path in sorted((PLAYGROUND_SRC / "examples").glob("*.py"))]
    examples.insert(0, {"name": "README's ten lines", "code": readme_ten_lines()})
    manifest = {
        "glassgrad": wheel.name,
        "tqdm": tqdm_archive.name,
        "pyodide": json.loads((node_modules / "pyodide" / "package.json").read_text())["version"],
        "examples": examples,
    }
    write(out / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    shutil.copy2(PLAYGROUND_SRC / "playground.md", stage / "playground.md")


def zip_package(name: str, folder: Path) -> Path:
    """An installed pure-Python package as a zip to unpack into Pyodide's site-packages."""
    module = importlib.import_module(name)
    package = Path(module.__file__).parent
    archive = folder / f"{name}-{module.__version__}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                out.write(path, Path(name) / path.relative_to(package))
    return archive


def example(path: Path) -> dict:
    """An example: its first comment line is its button's name."""
    code = path.read_text(encoding="utf-8")
    first = code.split("\n", 1)[0]
    return {"name": first.lstrip("# ").strip(), "code": code}


def readme_ten_lines() -> str:
    """The code block of the README's "Ten lines" section, as it is in the README today."""
    _, sections = readme_sections((ROOT / "README.md").read_text(encoding="utf-8"))
    for heading, body in sections:
        if heading == "Ten lines":
            found = re.search(r"```python\n(.*?)```", body, re.S)
            if found:
                return found.group(1)
    raise SystemExit("README.md has no '## Ten lines' section with a python code block")


# ------------------------------------------------------------------ build and serve
def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build(out: Path, wheel: Path | None = None) -> float:
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))  # this checkout's autograd and nn, whatever is installed
    shutil.rmtree(STAGE, ignore_errors=True)
    for folder in ("images", "steps", "playground/vendor/pyodide"):
        (STAGE / folder).mkdir(parents=True)
    links = Links()
    images(STAGE, links)
    benchmarks_page(STAGE, links)
    notebooks_nav = notebook_pages(STAGE, links)  # first: the README links to notebooks
    guide_nav = readme_pages(STAGE, links)
    api_nav = api_pages(STAGE)
    step_pages(STAGE)
    playground(STAGE, wheel)
    nav = [
        {"Home": "index.md"},
        {"Guide": guide_nav},
        {"Notebooks": notebooks_nav},
        {"Step through backward": "steps.md"},
        {"Playground": "playground.md"},
        {"API reference": api_nav},
        {"Benchmarks": "benchmarks.md"},
        {"License": "license.md"},
    ]
    config = STAGE.parent / "mkdocs.generated.yml"
    config.write_text(
        "# Written by docs/build_site.py: mkdocs.yml plus the pages found in the checkout.\n"
        + f"INHERIT: {os.path.relpath(ROOT / 'mkdocs.yml', config.parent)}\n"
        + f"docs_dir: {STAGE.name}\n"
        + f"site_dir: {os.path.relpath(out, config.parent)}\n"
        + "nav: "
        + json.dumps(nav, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=path)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)],
                   check=True, cwd=ROOT, env=env)
    for page in sorted((out / "notebooks").glob("*.html")):
        fix_notebook_toc(page)
    return time.perf_counter() - started


def fix_notebook_toc(page: Path) -> None:
    """Point a notebook page's table of contents at its headings' real ids.

    mkdocs-jupyter writes the contents' anchors from the markdown source, where a heading
    such as "1. A loop over `backward_steps()`" gets "#1-a-loop-over" while nbconvert gives the
    heading the id "1-a-loop-over-backward_steps": the one id that starts with the anchor is meant.
    """
    text = page.read_text(encoding="utf-8")
    ids = set(re.findall(r'\sid="([^"]+)"', text))

    def fix(match: re.Match) -> str:
        anchor = match.group(1)
        if anchor in ids:
            return match.group(0)
        candidates = [i for i in ids if i.startswith(anchor + "-")]
        return f'href="#{candidates[0]}"' if len(candidates) == 1 else match.group(0)

    page.write_text(re.sub(r'href="#([^"]+)"', fix, text), encoding="utf-8")


def size_of(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def handler(folder: Path):
    """A quiet static-file handler for ``folder`` that knows the types module scripts and wasm need."""
    mimetypes.add_type("text/javascript", ".mjs")
    mimetypes.add_type("text/javascript", ".js")
    mimetypes.add_type("application/wasm", ".wasm")

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                          ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm"}

        def log_message(self, *args) -> None:  # quiet
            pass

    return functools.partial(Handler, directory=str(folder))


def serve(folder: Path, port: int) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler(folder))
    print(f"serving {folder} on http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the site goes (default build/site)")
    parser.add_argument("--serve", action="store_true", help="then serve it on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--wheel", type=Path, help="glassgrad's wheel, already built from this checkout "
                        "(CI's); default: build one with pip wheel")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if args.wheel is not None and not args.wheel.name.startswith("glassgrad-"):
        parser.error(f"--wheel {args.wheel}: not a glassgrad wheel")
    seconds = build(out, args.wheel.resolve() if args.wheel else None)
    print(f"built {out} in {seconds:.1f} s: {size_of(out) / 1e6:.1f} MB")
    if args.serve:
        serve(out, args.port)


if __name__ == "__main__":
    main()
