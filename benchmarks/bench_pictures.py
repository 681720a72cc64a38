"""How long pictures take and how wide they are, by graph size (the README's Pictures figures).

    python benchmarks/bench_pictures.py [--out DIR]

Prints, for python -m nn's neuron, a 2-16-16-1 MLP (collapsed and Value by Value) and chains
of 100 to 2,000 Values: the seconds `draw_graph(...).svg()` took, the Values drawn, the SVG's
width in pixels and the layout the width budget chose; then the step-through page and GIF of
the neuron.  One run, wall clock, on whatever else the machine is doing: read it as a scale.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import nn
from autograd import Value
from autograd.graph import backward_frames, draw_graph
from autograd.graph.picture import svg_width_px


def chain(n: int) -> Value:
    y = Value(1.0, "x")
    for _ in range(n - 1):
        y = y * 1.0001
    return y


def timed(label: str, picture) -> None:
    start = time.perf_counter()
    svg = picture.svg()
    seconds = time.perf_counter() - start
    print(f"{label:40s} {picture.values:6d} Values  {seconds:6.2f} s  {svg_width_px(svg):7.0f} px wide  "
          f"({picture._chosen().layout})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="for the page and GIF (default: a temp dir)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="glassgrad-pictures-"))
    warnings.simplefilter("ignore")  # the layout-time warnings are what is being measured
    neuron = nn.Neuron(2, activation="sigmoid", seed=0, name="neuron", elementary=True)
    cost = nn.quadratic_cost(neuron([0.5, -1.0]), 1.0)
    cost.backward()
    timed("python -m nn's neuron (default budget)", draw_graph(cost))
    model = nn.MLP(2, [16, 16, 1], seed=0)
    y = model([0.5, -1.0])
    y.backward()
    timed("MLP 2-16-16-1, collapse_groups=True", draw_graph(y, collapse_groups=True))
    timed("MLP 2-16-16-1, Value by Value", draw_graph(y, max_nodes=1000, max_width=None))
    for n in (100, 200, 500, 1000, 2000):
        y = chain(n)
        y.backward()
        timed("chain, edge labels, max_width=None", draw_graph(y, max_nodes=10**5, max_width=None))
    cost = nn.quadratic_cost(neuron([0.5, -1.0]), 1.0)
    start = time.perf_counter()
    frames = backward_frames(cost)
    frames.save_html(out / "steps.html")
    print(f"frames + save_html, the neuron: {len(frames)} steps, {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    frames.save(out / "steps.gif")
    print(f"frames.save('steps.gif'), the neuron: {time.perf_counter() - start:.2f} s, "
          f"{(out / 'steps.gif').stat().st_size:,} bytes (in {out})")


if __name__ == "__main__":
    main()
