"""Which pass should fit's default be? numpy's matrix code against codegen's Python, small to large.

    python benchmarks/fit_default.py

For each model and samples-per-step: fit's criterion figure (graph edges × samples per
step / numpy lines, the pass numpy is the default from: ``nn.numpy_training.WORK_PER_LINE``),
the pass ``fit`` picks by default, and the time of ``fit(backward="numpy")`` over that of
``fit(backward="codegen")`` for the same training, program generation excluded (median of
5, interleaved).  Below 1, numpy is the quicker.  The figures say where the threshold
should be; nothing here asserts a time.
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nn  # noqa: E402
from nn.losses import get_cost  # noqa: E402
from nn.numpy_training import WORK_PER_LINE, NumpyPrograms  # noqa: E402


def data(n: int, nin: int, nout: int) -> tuple[list, list]:
    X = [[math.sin(1.7 * i + j) for j in range(nin)] for i in range(n)]
    Y = [0.5 + 0.4 * math.cos(i) for i in range(n)]
    return X, Y if nout == 1 else [[float(i % nout == k) for k in range(nout)] for i in range(n)]


CASES = [  # (name, model maker, inputs, samples, batch_size, epochs)
    ("Neuron(2)", lambda: nn.Neuron(2, activation="sigmoid", seed=0), 2, 4, None, 300),
    ("Neuron(2)", lambda: nn.Neuron(2, activation="sigmoid", seed=0), 2, 100, 10, 10),
    ("Neuron(2)", lambda: nn.Neuron(2, activation="sigmoid", seed=0), 2, 100, 25, 20),
    ("Neuron(2)", lambda: nn.Neuron(2, activation="sigmoid", seed=0), 2, 100, None, 100),
    ("MLP 2-4-1", lambda: nn.MLP(2, [4, 1], "sigmoid", "linear", seed=0), 2, 4, None, 300),
    ("MLP 2-4-1", lambda: nn.MLP(2, [4, 1], "sigmoid", "linear", seed=0), 2, 100, 10, 10),
    ("MLP 2-4-1", lambda: nn.MLP(2, [4, 1], "sigmoid", "linear", seed=0), 2, 100, 25, 20),
    ("MLP 2-4-1", lambda: nn.MLP(2, [4, 1], "sigmoid", "linear", seed=0), 2, 100, None, 100),
    ("MLP 1-20-1", lambda: nn.MLP(1, [20, 1], "sigmoid", "linear", seed=1), 1, 100, 5, 10),
    ("MLP 1-20-1", lambda: nn.MLP(1, [20, 1], "sigmoid", "linear", seed=1), 1, 100, 10, 10),
    ("MLP 2-16-16-1", lambda: nn.MLP(2, [16, 16, 1], "tanh", "linear", seed=0), 2, 40, 1, 2),
    ("MLP 2-16-16-1", lambda: nn.MLP(2, [16, 16, 1], "tanh", "linear", seed=0), 2, 100, 10, 5),
    ("MLP 64-32-10", lambda: nn.MLP(64, [32, 10], "tanh", "linear", seed=0), 64, 320, 10, 1),
    ("MLP 64-32-10", lambda: nn.MLP(64, [32, 10], "tanh", "linear", seed=0), 64, 320, 32, 2),
]


def figure(make, X, Y, per_step: int) -> float:
    """fit's criterion for this model and samples per step: edges × samples / numpy lines."""
    model = make()
    programs = NumpyPrograms(model, get_cost("quadratic"), X, (len(X[0]),))  # fit's own weighing
    programs.program_for(0, Y[0])
    edges, lines = programs.sizes[programs._key(Y[0])]
    return edges * per_step / lines


def seconds(make, X, Y, backward: str | None, batch_size, epochs) -> tuple[float, str]:
    model = make()
    start = perf_counter()
    history = nn.fit(model, X, Y, lr=0.1, epochs=epochs, batch_size=batch_size, progress=False,
                     backward=backward)
    return perf_counter() - start - history.seconds_generating, history.backward


def main() -> None:
    print(f"fit's default: numpy from {WORK_PER_LINE} graph edges per numpy line per step, else codegen")
    print(f"{'model':<14} {'samples/step':>12} {'edges/line':>10} {'default':>8} {'numpy/codegen':>14}")
    for name, make, nin, n, batch_size, epochs in CASES:
        X, Y = data(n, nin, 10 if "-10" in name else 1)
        per_step = batch_size or n
        times: dict[str, list[float]] = {"numpy": [], "codegen": []}
        for _ in range(5):
            for backward in times:
                times[backward].append(seconds(make, X, Y, backward, batch_size, epochs)[0])
        chosen = seconds(make, X, Y, None, batch_size, 1)[1]
        ratio = statistics.median(times["numpy"]) / statistics.median(times["codegen"])
        print(f"{name:<14} {per_step:>12} {figure(make, X, Y, per_step):>10.1f} {chosen:>8} {ratio:>14.2f}",
              flush=True)


if __name__ == "__main__":
    main()
