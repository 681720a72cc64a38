"""glassgrad's smoke test under Pyodide's Python (run by tests/site/pyodide.test.mjs in Node).

Every expected number is computed here in plain floats with ``math``, not by the engine.
Prints one JSON line: what the Node test checks.
"""

import json
import math
import sys
import warnings

warnings.simplefilter("error")  # tqdm's "can't start new thread" warning would fail the run

import nn  # noqa: E402
from autograd import Value, backward_frames, codegen, draw_graph  # noqa: E402
from autograd.graph.render import choose_backend  # noqa: E402

assert sys.platform == "emscripten", sys.platform

# The README's ten lines: backward against the closed form.
x1, x2 = Value(1.5, label="x1"), Value(0.5, label="x2")
w1, w2, b = Value(-2.0, label="w1"), Value(1.0, label="w2"), Value(3.0, label="b")
a = (x1 * w1 + x2 * w2 + b).tanh()
a.backward()
z = 1.5 * -2.0 + 0.5 * 1.0 + 3.0
slope = 1.0 - math.tanh(z) ** 2
assert abs(w1.grad - slope * 1.5) < 1e-12 and abs(x1.grad - slope * -2.0) < 1e-12
w1_grad = w1.grad  # backward_frames below runs backward again (grads accumulate)

# codegen: the generated pass at other inputs against the closed form there.
program = codegen(a, [x1, x2, w1, w2, b])
out, grads = program(1.0, 2.0, 0.5, -0.25, 0.1)
z2 = 1.0 * 0.5 + 2.0 * -0.25 + 0.1
assert abs(out - math.tanh(z2)) < 1e-12
assert abs(grads[2] - (1 - math.tanh(z2) ** 2) * 1.0) < 1e-12
assert "def " in program.source

# Pictures: DOT text, then SVG from Graphviz-in-WebAssembly through the browser backend.
picture = draw_graph(a)
assert picture.source.lstrip().startswith("digraph"), picture.source[:40]
svg = picture.svg()
assert "<svg" in svg and "w1" in svg
frames = backward_frames(a)
page = frames.html()
assert page.count('class="frame"') == len(frames)

# fit on moons, with tqdm's bar on (thread-free here): the cost goes down.
X, y = nn.datasets.moons(60, noise=0.1, seed=0)
model = nn.MLP(2, [8, 1], activation="relu", seed=0)
history = nn.fit(model, X, y, cost="hinge", lr=0.1, epochs=15, batch_size=20, progress=True)
assert history.epoch_costs[-1] < history.epoch_costs[0], history.epoch_costs

print(json.dumps({
    "python": sys.version.split()[0],
    "backend": choose_backend(),
    "w1_grad": w1_grad,
    "expected_w1_grad": slope * 1.5,
    "codegen_lines": program.source.count("\n"),
    "dot_chars": len(picture.source),
    "svg_chars": len(svg),
    "steps": len(frames),
    "first_cost": history.epoch_costs[0],
    "last_cost": history.epoch_costs[-1],
}))
