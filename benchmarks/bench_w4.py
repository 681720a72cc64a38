"""W4: one epoch of the digits MLP, 64 → 32 (tanh) → 10 logits, softmax cross-entropy.

``nn.fit`` on the 1,438 training images of ``nn.datasets.digits()`` (scikit-learn's
8×8 digits), mini-batches of 32, learning rate 0.5, one epoch: a graph and a
``backward`` per mini-batch, exactly what a learner runs.  Reported: seconds per epoch,
one column per pass, each asked for by name:

- ``glassgrad-numpy``: ``fit(backward="numpy")``, the same traced program written as numpy
  matrix code by codegen's numpy backend (fit's default here, when numpy is installed);
  generation is part of the epoch;
- ``glassgrad-codegen``: ``fit(backward="codegen")``, one sample's cost graph traced
  once (the class as one-hot leaves, so one program for every label) and run as
  generated Python; generation is part of the epoch;
- ``glassgrad-fast``: ``fit(backward="fast")`` (``autograd.fast.backward``);
- ``glassgrad``: ``fit(backward="plain")`` (``cost.backward()``).

``direct_epoch`` drives ``autograd.codegen`` by hand with one program for all labels
(``codegen-1-program`` in run.py): what fit's codegen pass costs without fit around it.
Before anything is timed, ``check_direct`` checks that it, ``fit(backward="codegen")`` and
``fit(backward="numpy")`` train to ``fit(backward="fast")``'s weights (to 1e-9).
"""

from __future__ import annotations

from time import perf_counter

BATCH = 32
HIDDEN = 32


def available() -> str | None:
    """None when W4 can run, else why not."""
    try:
        import nn

        nn.datasets.digits  # noqa: B018
        import sklearn  # noqa: F401
    except (ImportError, AttributeError) as error:
        return f"W4 needs nn and scikit-learn ({error})"
    return None


def make_runs(limit: int | None = None):
    """``({name: run}, number of images)``: ``nn.fit`` with each pass it has, asked for by name
    (``backward=``); an older fit's ``fast=`` flag or its only pass where it has neither."""
    import inspect

    import nn

    data = nn.datasets.digits(seed=0)
    X, Y = data.X_train, data.y_train
    if limit is not None:
        X, Y = X[:limit], Y[:limit]

    def make(**options):
        def run():
            model = nn.MLP(64, [HIDDEN, 10], activation="tanh", output_activation="linear", seed=0)
            start = perf_counter()
            nn.fit(model, X, Y, cost="cross_entropy", lr=0.5, epochs=1, batch_size=BATCH, seed=0,
                   progress=False, **options)
            return {"epoch": perf_counter() - start}

        return run

    parameters = inspect.signature(nn.fit).parameters
    if "backward" in parameters:  # fit(backward='numpy' | 'codegen' | 'fast' | 'plain')
        runs = {"glassgrad-codegen": make(backward="codegen"), "glassgrad-fast": make(backward="fast"),
                "glassgrad": make(backward="plain")}
        if "numpy" in getattr(nn.train, "BACKWARDS", ()) and _numpy_installed():
            runs = {"glassgrad-numpy": make(backward="numpy"), **runs}
        return runs, len(X)
    if "fast" not in parameters:
        return {"glassgrad": make()}, len(X)
    return {"glassgrad-fast": make(), "glassgrad": make(fast=False)}, len(X)


def _numpy_installed() -> bool:
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def _one_program(model):
    """One sample's softmax cross-entropy with the target as 10 one-hot leaves, so one
    generated program serves every label: ``(batch program, parameters)``."""
    import autograd
    from autograd import Value
    from autograd.codegen import codegen

    x = [Value(0.0, label=f"x{i + 1}") for i in range(64)]
    t = [Value(0.0, label=f"t{k}") for k in range(10)]
    logits = model(x)
    shift = max(z.data for z in logits)  # the traced sample's, a constant (as nn.cross_entropy does)
    log_sum_exp = autograd.sum([(z - shift).exp() for z in logits]).log() + shift
    cost = log_sum_exp - autograd.dot(t, logits)
    params = model.parameters()
    return codegen(cost, [*params, *x, *t]).batch(len(params)), params


def direct_epoch(X, Y, lr: float = 0.5):
    """One epoch of mini-batch SGD (batches of BATCH in order, no shuffle) driving
    ``autograd.codegen`` directly with one program for all labels; returns the weights."""
    import nn

    model = nn.MLP(64, [HIDDEN, 10], activation="tanh", output_activation="linear", seed=0)
    program, params = _one_program(model)
    data = [p.data for p in params]
    rows = [(*map(float, x), *(1.0 if k == y else 0.0 for k in range(10))) for x, y in zip(X, Y)]
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        scale = lr / len(batch)
        grads = program(data, batch).grads
        data = [p - scale * g for p, g in zip(data, grads)]
    return data


def check_direct(limit: int | None = None) -> float:
    """The direct codegen epoch against ``fit(shuffle=False, backward='fast')``: largest |Δweight|.

    Also ``fit(backward='codegen')`` against the same weights: an AssertionError if either differs.
    """
    import nn

    data = nn.datasets.digits(seed=0)
    X, Y = data.X_train, data.y_train
    if limit is not None:
        X, Y = X[:limit], Y[:limit]
    trained = {}
    passes = ("fast", "codegen", "numpy") if _numpy_installed() else ("fast", "codegen")
    for backward in passes:
        model = nn.MLP(64, [HIDDEN, 10], activation="tanh", output_activation="linear", seed=0)
        nn.fit(model, X, Y, cost="cross_entropy", lr=0.5, epochs=1, batch_size=BATCH, seed=0, progress=False,
               shuffle=False, backward=backward)
        trained[backward] = [p.data for p in model.parameters()]
    diff = max(abs(a - b) for a, b in zip(direct_epoch(X, Y), trained["fast"]))
    checks = [(f"fit(backward={name!r})", max(abs(a - b) for a, b in zip(trained[name], trained["fast"])))
              for name in passes[1:]]
    for who, d in [*checks, ("the direct codegen epoch", diff)]:
        if d > 1e-9:
            raise AssertionError(f"W4: {who} disagrees with fit(backward='fast'): max |Δweight| = {d:.3g}")
    return diff


def direct_run(limit: int | None = None):
    import nn

    data = nn.datasets.digits(seed=0)
    X, Y = data.X_train, data.y_train
    if limit is not None:
        X, Y = X[:limit], Y[:limit]

    def run():
        start = perf_counter()
        direct_epoch(X, Y)
        return {"epoch": perf_counter() - start}

    return run
