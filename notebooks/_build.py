"""Build the notebooks from their plain-text sources and execute them in place.

Each notebook is written as a Python file in "percent" format in ``_src/``: a line
``# %%`` starts a code cell, ``# %% [markdown]`` a Markdown cell whose lines start with
``# ``.  Plain text diffs well and reviews well; the generated ``.ipynb`` is committed
WITH its outputs, so GitHub shows the pictures and plots without running anything.

    .venv/bin/python notebooks/_build.py            # every notebook
    .venv/bin/python notebooks/_build.py 01 03      # only those whose name starts so

Execution uses the ``python3`` kernel, records no timings and no widget state, so
re-running an unchanged notebook gives an unchanged file.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
SRC = HERE / "_src"
WIDGET = "application/vnd.jupyter.widget-view+json"


def parse(text: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("# %%"):
            kind = "markdown" if "[markdown]" in line else "code"
            cells.append((kind, []))
        elif cells:
            cells[-1][1].append(line)
    for kind, lines in cells:
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if kind == "markdown":
            body = "\n".join(ln[2:] if ln.startswith("# ") else ln.lstrip("#") for ln in lines)
            nb.cells.append(nbformat.v4.new_markdown_cell(body))
        else:
            nb.cells.append(nbformat.v4.new_code_cell("\n".join(lines)))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:02d}"  # stable ids: no random churn in diffs
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def build(src: Path) -> float:
    nb = parse(src.read_text(encoding="utf-8"))
    out = HERE / (src.stem + ".ipynb")
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(HERE)}},
        record_timing=False,
        store_widget_state=False,
    )
    client.execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:  # a live widget's output is a random model id: keep a stable note
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET in data:
                del data[WIDGET]
                data["text/plain"] = "[interactive viewer: run the notebook to use it]"

    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, out)
    return elapsed


def main(prefixes: list[str]) -> None:
    for src in sorted(SRC.glob("*.py")):
        if prefixes and not any(src.stem.startswith(p) for p in prefixes):
            continue
        print(f"{src.stem}: {build(src):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
