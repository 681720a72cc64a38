"""CI: glassgrad as a user gets it from a wheel or sdist, used from a folder outside the source tree.

    python .ci/smoke.py SOURCE_ROOT OUT_DIR [--import-only] [--no-dot]

Imports both packages (and fails if either comes from SOURCE_ROOT), then saves a PNG of a
tanh neuron and its step-through HTML page into OUT_DIR, and checks that a render in a fresh
process prints nothing to stderr (no Fontconfig warning).  --no-dot: PATH has no `dot`
program, so the pictures must come from the Graphviz bundled in the pygraphviz wheel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def neuron():
    from autograd import Value, dot

    x1, x2 = Value(1.5, "x1"), Value(0.5, "x2")
    w1, w2, b = Value(-2.0, "w1"), Value(1.0, "w2"), Value(3.0, "b")
    a = dot([w1, w2], [x1, x2], b).tanh()
    a.label = "a"
    return a


def main(argv: list[str]) -> int:
    source, out = Path(argv[0]).resolve(), Path(argv[1])
    import autograd
    import nn

    for module in (autograd, nn):
        where = Path(module.__file__).resolve()
        if source in where.parents:
            print(f"{module.__name__} was imported from the source tree ({where}), not from the install")
            return 1
    print(f"glassgrad {autograd.__version__}: autograd from {Path(autograd.__file__).parent}, "
          f"nn from {Path(nn.__file__).parent}")
    if "--import-only" in argv:
        return 0

    from autograd import backward_frames, draw_graph
    from autograd.graph import render

    if "--no-dot" in argv:
        assert shutil.which("dot") is None, f"`dot` is still on PATH: {shutil.which('dot')}"
        assert render.choose_backend() == "pygraphviz", render.choose_backend()
    out.mkdir(parents=True, exist_ok=True)
    a = neuron()
    a.backward()
    png = draw_graph(a).save(out / "neuron.png")
    assert Path(png).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), "not a PNG"
    frames = backward_frames(neuron())  # a fresh graph: backward_frames runs its own backward
    page = Path(frames.save_html(out / "steps.html")).read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and page.count("<svg") >= len(frames) > 1
    print(f"backend {render.choose_backend()}: wrote {png} and {out / 'steps.html'} ({len(frames)} steps)")
    draw = "from autograd import Value, draw_graph; draw_graph(Value(1.0, 'x') * 2).svg()"
    # A fresh process: fontconfig speaks (if at all) on its first render.
    quiet = subprocess.run([sys.executable, "-c", draw], capture_output=True, text=True, cwd=out, check=False)
    assert quiet.returncode == 0 and quiet.stderr == "", f"a render printed to stderr: {quiet.stderr!r}"
    print("a render in a fresh process printed nothing to stderr")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
