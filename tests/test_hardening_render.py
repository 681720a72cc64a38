"""A render prints nothing unless something is wrong: no Fontconfig warning from the Graphviz
bundled in pygraphviz, in this process or in the child process that lays out big graphs."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import sys
from autograd import Value, backward_frames, draw_graph
from autograd.graph import render

x = Value(1.0, "x")
y = (x * x).tanh()
y.label = "y"
y.backward()
assert render.choose_backend() == sys.argv[1], render.choose_backend()
svg = draw_graph(y).svg()
png = draw_graph(y).pipe("png")
child = render.render(draw_graph(y).source, "png", values=None)  # pygraphviz: in a child process
frames = backward_frames((Value(2.0, "a") * 3.0).tanh())
page = frames.html()
print(len(svg), len(png), len(child), page.count("<svg"))
"""


def run_script(backend: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GLASSGRAD_GRAPHVIZ_BACKEND": backend}
    if backend == "pygraphviz":
        env["PATH"] = str(tmp_path)  # no `dot` program: the bundled Graphviz draws
    return subprocess.run([sys.executable, "-c", SCRIPT, backend], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)


def test_the_bundled_graphviz_prints_nothing(tmp_path):
    pytest.importorskip("pygraphviz")
    result = run_script("pygraphviz", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no "Fontconfig warning: ... unknown element"
    sizes = [int(n) for n in result.stdout.split()]
    assert sizes[0] > 1000 and sizes[1] > 1000 and sizes[2] > 1000 and sizes[3] == 2


def test_the_dot_program_prints_nothing(tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("no `dot` program on PATH")
    result = run_script("dot", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_quieting_changes_no_picture(tmp_path):
    """The same PNG bytes with and without the quieted fontconfig (each in a fresh process)."""
    pytest.importorskip("pygraphviz")
    draw = (
        "import sys\n"
        "from autograd import Value, draw_graph\n"
        "from autograd.graph import fontconfig\n"
        "if sys.argv[1] == 'plain':\n"
        "    fontconfig._done = True  # as if already done: leave fontconfig to itself\n"
        "x = Value(1.5, 'x'); y = (x * x).tanh(); y.label = 'y'; y.backward()\n"
        "sys.stdout.buffer.write(draw_graph(y).pipe('png'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GLASSGRAD_GRAPHVIZ_BACKEND": "pygraphviz",
           "PATH": str(tmp_path)}
    pictures = {}
    for mode in ("plain", "quiet"):
        result = subprocess.run([sys.executable, "-c", draw, mode], capture_output=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        pictures[mode] = result.stdout
    assert pictures["plain"] == pictures["quiet"] and pictures["quiet"].startswith(b"\x89PNG")
