"""W4: one epoch of the digits MLP, 64 → 32 (tanh) → 10 logits, softmax cross-entropy.

``nn.fit`` on the 1,438 training images of ``nn.datasets.digits()`` (scikit-learn's
8×8 digits), mini-batches of 32, learning rate 0.5, one epoch: a graph and a
``backward`` per mini-batch, exactly what a learner runs.  Reported: seconds per epoch,
for ``fit`` as it is (its backward is ``autograd.fast.backward``) and with ``fast=False``
(``cost.backward()``).
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
    """``({name: run}, number of images)``: ``nn.fit`` as it is (``glassgrad-fast`` when fit
    has ``fast=``, its default) and, when it has, with ``fast=False`` (``glassgrad``)."""
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

    if "fast" not in inspect.signature(nn.fit).parameters:
        return {"glassgrad": make()}, len(X)
    return {"glassgrad-fast": make(), "glassgrad": make(fast=False)}, len(X)
