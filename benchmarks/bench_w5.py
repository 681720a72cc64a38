"""W5: one epoch of a small CNN on the digits, against W4's MLP epoch in the same run.

The CNN of notebook 11: Conv 1→4 channels 3×3 ReLU (8×8 → 4×6×6), MaxPool 2 (→ 4×3×3),
Flatten (36), Layer 36 → 10 logits; softmax cross-entropy, ``nn.fit`` on the 1,438
training images of ``nn.datasets.digits()`` as one-channel 8×8 images, mini-batches of
32, learning rate 0.5, one epoch.  Reported: seconds per epoch for

- ``cnn-codegen``: ``fit(backward="codegen")`` (generation included);
- ``cnn-fast``: ``fit(backward="fast")``;
- ``mlp-codegen``: W4's MLP 64 → 32 (tanh) → 10 with ``fit(backward="codegen")``: the
  baseline of the target "the CNN's epoch within 1.5× the MLP's".

And the generation time per node (``codegen(...).compile()``, median of fresh graphs) of
one CNN sample's cost graph against W1's sample graph (target: within 2×).  Before
anything is timed, ``check`` trains the CNN one epoch on the codegen and the plain pass
and raises if their weights differ by more than 1e-12 relative.
"""

from __future__ import annotations

import statistics
from time import perf_counter

BATCH = 32
LR = 0.5


def available() -> str | None:
    """None when W5 can run, else why not."""
    try:
        import nn

        nn.Conv2d  # noqa: B018
        import sklearn  # noqa: F401
    except (ImportError, AttributeError) as error:
        return f"W5 needs nn with Conv2d and scikit-learn ({error})"
    return None


def cnn():
    import nn

    return nn.Sequential(
        nn.Conv2d(1, 4, 3, activation="relu", seed=0, name="C1"),
        nn.MaxPool2d(2, name="P1"),
        nn.Flatten(),
        nn.Layer(36, 10, "linear", seed=1, name="L1"),
    )


def mlp():
    import nn

    return nn.MLP(64, [32, 10], activation="tanh", output_activation="linear", seed=0)


def data(limit: int | None = None):
    """(images, flat pixels, labels) of the training set, the first ``limit`` of them."""
    import nn

    digits = nn.datasets.digits(seed=0)
    X, Y = digits.X_train, digits.y_train
    if limit is not None:
        X, Y = X[:limit], Y[:limit]
    return [[[x[8 * r : 8 * r + 8] for r in range(8)]] for x in X], X, Y


def _epoch(make_model, X, Y, backward):
    import nn

    def run():
        model = make_model()
        start = perf_counter()
        nn.fit(model, X, Y, cost="cross_entropy", lr=LR, epochs=1, batch_size=BATCH, seed=0, progress=False,
               backward=backward)
        return {"epoch": perf_counter() - start}

    return run


def make_runs(limit: int | None = None):
    """``({name: run}, number of images)``."""
    images, flat, labels = data(limit)
    return {
        "cnn-codegen": _epoch(cnn, images, labels, "codegen"),
        "cnn-fast": _epoch(cnn, images, labels, "fast"),
        "mlp-codegen": _epoch(mlp, flat, labels, "codegen"),
    }, len(labels)


def check(limit: int | None = None) -> float:
    """Largest relative weight difference between the CNN trained by codegen and by the plain pass."""
    import nn

    images, _, labels = data(limit)
    trained = {}
    for backward in ("plain", "codegen"):
        model = cnn()
        nn.fit(model, images, labels, cost="cross_entropy", lr=LR, epochs=1, batch_size=BATCH, seed=0,
               progress=False, backward=backward)
        trained[backward] = [p.data for p in model.parameters()]
    worst = max(abs(a - b) / max(abs(b), 1e-300) for a, b in zip(trained["codegen"], trained["plain"]))
    if worst > 1e-12:
        message = f"W5: codegen's CNN weights differ from the plain pass's by {worst:.3g} relative"
        raise AssertionError(message)
    return worst


def _cnn_sample():
    import nn
    from autograd import Value

    model = cnn()
    x = [[[Value(0.1 * ((r * 8 + c) % 11), label=f"x{r}_{c}") for c in range(8)] for r in range(8)]]
    cost = nn.cross_entropy(model(x), 3)
    leaves = [v for row in x[0] for v in row]
    return cost, [*model.parameters(), *leaves]


def _w1_sample():
    import nn
    from autograd import Value

    model = nn.MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=0)
    x = [Value(0.3, label="x1"), Value(-0.2, label="x2")]
    return nn.hinge(model(x), 1), [*model.parameters(), *x]


def generation_per_node(repeats: int) -> dict:
    """Median seconds per node of ``codegen(...).compile()`` (the plan, the source, Python's
    compile; not building the graph) for a CNN sample and W1's sample.  The two are timed
    in turn, CNN then W1 ``repeats`` times, so that a burst of load on a shared machine
    falls on both sides rather than on one; before each timed call the garbage collector
    is emptied (untimed, as ``bench_common.interleave`` does), so that neither side pays
    for the other's garbage (a compiled program and its namespace are a cycle)."""
    import gc

    from autograd import topological_order
    from autograd.codegen import codegen

    samples = {"cnn_sample": _cnn_sample, "w1_sample": _w1_sample}
    times: dict[str, list[float]] = {name: [] for name in samples}
    nodes: dict[str, int] = {}
    for _ in range(repeats):
        for name, make in samples.items():
            root, leaves = make()
            nodes[name] = len(topological_order(root))
            gc.collect()
            start = perf_counter()
            codegen(root, leaves).compile()
            times[name].append(perf_counter() - start)
    result = {}
    for name in samples:
        median = statistics.median(times[name])
        result[name] = {"nodes": nodes[name], "seconds": median, "seconds_per_node": median / nodes[name]}
    return result
