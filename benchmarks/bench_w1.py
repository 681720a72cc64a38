"""W1: one step of micrograd's own demo, in every implementation.

MLP 2-16-16-1 (ReLU hidden layers, linear output) on 100 "moons" points with labels
±1; loss = mean hinge (SVM max-margin) relu(1 - y·score) + 1e-4 · Σ p² over all
parameters (weights and biases, as micrograd's demo does); then backward and one SGD
update.  Every implementation starts from the SAME weights and must end the step with
the same weights (``check``), so they provably do the same arithmetic.

Implementations:
- ``glassgrad``: this project (``nn.MLP`` and ``nn`` losses when ``nn`` has them, else
  the same network written against the engine with ``autograd.dot``), ``backward()``;
- ``glassgrad-fast``: the same, backward by ``autograd.fast.backward`` (as ``nn.fit``);
- ``micrograd``: PyPI's micrograd 0.1.0, its own ``nn.MLP`` and demo loss;
- ``torch-scalar``: PyTorch with one 0-d tensor per weight (when torch is installed);
- ``glassgrad-codegen``: each sample's cost graph through ``autograd.codegen``, traced once,
  its generated program run per sample;
- ``handwritten``: forward pass and backprop by hand on lists of floats, the four
  equations, written plainly (generator expressions, index loops);
- ``handwritten-tuned``: the same equations written for speed (transposed weights,
  ``sum(map(mul, ...))``, per-layer gradient sums): the practical limit for pure Python.
"""

from __future__ import annotations

import random
from operator import add, mul
from time import perf_counter

from bench_common import try_import

SIZES = (2, 16, 16, 1)
N_POINTS = 100
ALPHA = 1e-4
LR = 0.01  # small, so every implementation stays on (nearly) the same path


def moons() -> tuple[list[list[float]], list[float]]:
    """100 moons points (noise 0.1, seed 1), labels -1/+1, as in micrograd's demo."""
    try:
        from nn import datasets  # type: ignore[attr-defined]

        X, y = datasets.moons(N_POINTS, noise=0.1, seed=1)
        return [list(map(float, row)) for row in X], [1.0 if float(t) > 0 else -1.0 for t in y]
    except Exception:  # nn.datasets not there yet (or a different signature): scikit-learn directly
        from sklearn.datasets import make_moons

        X, y = make_moons(n_samples=N_POINTS, noise=0.1, random_state=1)
        return [[float(a), float(b)] for a, b in X], [1.0 if t else -1.0 for t in y]


def initial_weights(seed: int = 0) -> list[list[list[float]]]:
    """``W[layer][neuron] = [w_1..w_nin, b]``, uniform(-1, 1) weights and zero biases."""
    rng = random.Random(seed)
    return [[[rng.uniform(-1, 1) for _ in range(nin)] + [0.0] for _ in range(nout)]
            for nin, nout in zip(SIZES, SIZES[1:])]


def flat(weights: list[list[list[float]]]) -> list[float]:
    return [p for layer in weights for neuron in layer for p in neuron]


# --------------------------------------------------------------------- hand-written
class Handwritten:
    """Lists of floats; forward, then δ^L, δ^l = (W^{l+1})ᵀ δ^{l+1} ⊙ σ'(z^l), ∂C/∂w = a δ, ∂C/∂b = δ."""

    name = "handwritten"

    def __init__(self, weights, X, Y):
        self.W = [[list(n[:-1]) for n in layer] for layer in weights]
        self.B = [[n[-1] for n in layer] for layer in weights]
        self.X, self.Y = X, Y

    def step(self) -> float:
        W, B, X, Y = self.W, self.B, self.X, self.Y
        nl = len(W)
        gW = [[[0.0] * len(row) for row in layer] for layer in W]
        gB = [[0.0] * len(layer) for layer in B]
        inv_n = 1.0 / len(X)
        loss = 0.0
        for x, y in zip(X, Y):
            activations = [x]
            zs = []
            a = x
            for layer_index in range(nl):
                rows, biases = W[layer_index], B[layer_index]
                z = [sum(w * ai for w, ai in zip(row, a)) + b for row, b in zip(rows, biases)]
                zs.append(z)
                a = [v if v > 0.0 else 0.0 for v in z] if layer_index < nl - 1 else z
                activations.append(a)
            margin = 1.0 - y * a[0]
            if margin <= 0.0:
                continue  # relu(margin) = 0: no loss and no gradient from this point
            loss += margin * inv_n
            delta = [-y * inv_n]  # δ^L = ∂C/∂score (linear output)
            for layer_index in range(nl - 1, -1, -1):
                a_prev = activations[layer_index]
                g_layer, gb_layer = gW[layer_index], gB[layer_index]
                for j, d in enumerate(delta):
                    if d != 0.0:
                        row = g_layer[j]
                        for k, ak in enumerate(a_prev):
                            row[k] += d * ak
                        gb_layer[j] += d
                if layer_index:
                    z_prev = zs[layer_index - 1]
                    rows = W[layer_index]
                    delta = [
                        sum(rows[j][k] * delta[j] for j in range(len(delta))) if z_prev[k] > 0.0 else 0.0
                        for k in range(len(z_prev))
                    ]
        two_alpha = 2.0 * ALPHA
        for layer_index in range(nl):
            for j, row in enumerate(W[layer_index]):
                g = gW[layer_index][j]
                for k in range(len(row)):
                    loss += ALPHA * row[k] * row[k]
                    row[k] -= LR * (g[k] + two_alpha * row[k])
                b = B[layer_index][j]
                loss += ALPHA * b * b
                B[layer_index][j] = b - LR * (gB[layer_index][j] + two_alpha * b)
        return loss

    def params(self) -> list[float]:
        return [p for Wl, Bl in zip(self.W, self.B) for row, b in zip(Wl, Bl) for p in (*row, b)]


class HandwrittenTuned(Handwritten):
    """The same four equations written for speed: transposed weights, ``sum(map(mul, ...))``
    inner loops, and per-layer gradient sums ∂C/∂W = Σ δ aᵀ over the samples that contribute
    (a sample with hinge margin ≤ 0 contributes exactly zero).  The pure-Python limit."""

    name = "handwritten-tuned"  # the same weights, biases and data as Handwritten; its own step

    def step(self) -> float:
        W, B = self.W, self.B
        nl = len(W)
        last = nl - 1
        WT = [[list(col) for col in zip(*layer)] for layer in W]  # WT[l][k] = column k of W[l]
        inv_n = 1.0 / len(self.X)
        loss = 0.0
        # per layer: the δ rows and the input rows of the samples that contribute
        deltas: list[list[list[float]]] = [[] for _ in range(nl)]
        inputs: list[list[list[float]]] = [[] for _ in range(nl)]
        for x, y in zip(self.X, self.Y):
            acts = [x]
            a = x
            for li in range(nl):
                z = [sum(map(mul, row, a)) + b for row, b in zip(W[li], B[li])]
                a = z if li == last else [v if v > 0.0 else 0.0 for v in z]
                acts.append(a)
            margin = 1.0 - y * a[0]
            if margin <= 0.0:
                continue  # relu(margin) = 0: this sample adds exactly nothing
            loss += margin * inv_n
            delta = [-y * inv_n]
            for li in range(last, -1, -1):
                deltas[li].append(delta)
                inputs[li].append(acts[li])
                if li:
                    a_prev, cols = acts[li], WT[li]
                    delta = [sum(map(mul, col, delta)) if ak > 0.0 else 0.0 for col, ak in zip(cols, a_prev)]
        two_alpha = 2.0 * ALPHA
        for li in range(nl):
            d_cols = list(zip(*deltas[li])) or [()] * len(W[li])
            a_cols = list(zip(*inputs[li])) or [()] * len(W[li][0])
            for j, (row, d_j) in enumerate(zip(W[li], d_cols)):
                for k, a_k in enumerate(a_cols):
                    w = row[k]
                    loss += ALPHA * w * w
                    row[k] = w - LR * (sum(map(mul, d_j, a_k)) + two_alpha * w)
                b = B[li][j]
                loss += ALPHA * b * b
                B[li][j] = b - LR * (sum(d_j) + two_alpha * b)
        return loss

    def params(self) -> list[float]:
        return [p for Wl, Bl in zip(self.W, self.B) for row, b in zip(Wl, Bl) for p in (*row, b)]


# ----------------------------------------------------------------------- glassgrad
def _nn_mlp_api():
    """``(MLP, hinge, l2_penalty)`` from ``nn`` when it has them, else None."""
    nn = try_import("nn")
    if nn is None:
        return None
    try:
        return nn.MLP, nn.hinge, nn.l2_penalty
    except AttributeError:
        return None


class Glassgrad:
    """``nn.MLP`` + ``nn.hinge`` + ``nn.l2_penalty`` (all parameters, strength 2·α: α Σ p²)."""

    name = "glassgrad"

    def __init__(self, weights, X, Y):
        import autograd

        self.autograd = autograd
        api = _nn_mlp_api()
        self.uses_nn = api is not None
        if api is not None:
            MLP, self.hinge, self.l2 = api
            self.model = MLP(SIZES[0], list(SIZES[1:]), activation="relu", output_activation="linear")
            self.parameters = self.model.parameters()
        else:  # nn not there: the same network written against the engine
            V = autograd.Value
            self.layers = [[([V(w) for w in n[:-1]], V(n[-1])) for n in layer] for layer in weights]
            self.parameters = [p for layer in self.layers for w, b in layer for p in (*w, b)]
            self.model = self._local_forward
        for p, value in zip(self.parameters, flat(weights)):
            p.data = value
        V = autograd.Value
        self.inputs = [[V(v) for v in x] for x in X]
        self.Y = [int(y) for y in Y]

    def _local_forward(self, x):
        dot = self.autograd.dot
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            if i < last:
                x = [dot(w, x, b).relu() for w, b in layer]
            else:
                x = [dot(w, x, b) for w, b in layer]
        return x[0] if len(x) == 1 else x

    def loss(self):
        ag = self.autograd
        scores = [self.model(x) for x in self.inputs]
        if self.uses_nn:
            losses = [self.hinge(s, y) for s, y in zip(scores, self.Y)]
            return ag.sum(losses) * (1.0 / len(losses)) + self.l2(self.parameters, 2.0 * ALPHA)
        losses = [(1.0 - y * s).relu() for s, y in zip(scores, self.Y)]
        data_loss = ag.sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * ag.dot(self.parameters, self.parameters)  # Σ p² as one node
        return data_loss + reg_loss

    def step(self) -> float:
        start = perf_counter()
        for p in self.parameters:
            p.grad = 0.0
        total = self.loss()
        built = perf_counter()
        self.backward(total)
        back = perf_counter()
        for p in self.parameters:
            p.data -= LR * p.grad
        self.phases = {"forward": built - start, "backward": back - built, "update": perf_counter() - back}
        return total.data

    @staticmethod
    def backward(total) -> None:
        total.backward()

    def params(self) -> list[float]:
        return [p.data for p in self.parameters]


class GlassgradFast(Glassgrad):
    """The same, with the optional ``autograd.fast.backward`` (what ``nn.fit`` uses)."""

    name = "glassgrad-fast"

    @staticmethod
    def backward(total) -> None:
        from autograd.fast import backward

        backward(total)


class GlassgradCodegen(Glassgrad):
    """The same network and loss, each sample's hinge cost through ``autograd.codegen``:
    traced once per label (the label is a constant of ``nn.hinge``'s graph), its batch
    program runs every sample of that label and sums the cost and the gradients; the
    L2 term and the update are plain floats.  Generation happens in ``__init__`` (timed
    separately: ``generate_seconds``), as a training loop generates once and steps often."""

    name = "glassgrad-codegen"
    backend = "python"  # autograd.codegen's backend (bench_w6 runs the same tracing with "numpy")

    def __init__(self, weights, X, Y):
        super().__init__(weights, X, Y)
        from autograd.codegen import codegen

        V = self.autograd.Value
        start = perf_counter()
        self.programs = {}
        for label in sorted(set(self.Y)):
            x = [V(0.0, label=f"x{i + 1}") for i in range(SIZES[0])]
            score = self.model(x)
            if self.uses_nn:
                cost = self.hinge(score, label)
            else:
                cost = (1.0 - label * score).relu()
            prog = codegen(cost, [*self.parameters, *x], backend=self.backend)
            self.programs[label] = prog.batch(len(self.parameters))
        self.generate_seconds = perf_counter() - start
        self.rows = {label: [tuple(x) for x, y in zip(X, self.Y) if y == label] for label in self.programs}
        self.n = len(X)
        self.data = [p.data for p in self.parameters]

    def step(self) -> float:
        start = perf_counter()
        data = self.data
        total, grads = 0.0, [0.0] * len(data)
        for label, program in self.programs.items():
            result = program(data, self.rows[label])
            total += result.total
            grads = list(map(add, grads, result.grads))
        built = perf_counter()
        inv_n, two_alpha = 1.0 / self.n, 2.0 * ALPHA
        loss = total * inv_n + ALPHA * sum(map(mul, data, data))
        self.data = data = [p - LR * (g * inv_n + two_alpha * p) for p, g in zip(data, grads)]
        self.phases = {"forward+backward": built - start, "update": perf_counter() - built}
        return loss

    def params(self) -> list[float]:
        return list(self.data)


# ------------------------------------------------------------------------ micrograd
class Micrograd:
    name = "micrograd"

    def __init__(self, weights, X, Y):
        from micrograd.engine import Value
        from micrograd.nn import MLP

        self.model = MLP(SIZES[0], list(SIZES[1:]))
        self.parameters = self.model.parameters()
        for p, value in zip(self.parameters, flat(weights)):
            p.data = value
        self.inputs = [list(map(Value, x)) for x in X]  # as micrograd's demo does
        self.Y = Y

    def step(self) -> float:
        model = self.model
        scores = list(map(model, self.inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(self.Y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in self.parameters)
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        for p in self.parameters:
            p.data -= LR * p.grad
        return total.data

    def params(self) -> list[float]:
        return [p.data for p in self.parameters]


# ---------------------------------------------------------------------- torch scalar
class TorchScalar:
    """One 0-d float64 tensor per weight; the network written like micrograd's."""

    name = "torch-scalar"

    def __init__(self, weights, X, Y):
        import torch

        self.torch = torch
        T = torch.float64
        def leaf(x):
            return torch.tensor(x, dtype=T, requires_grad=True)

        self.layers = [[([leaf(w) for w in n[:-1]], leaf(n[-1])) for n in layer] for layer in weights]
        self.parameters = [p for layer in self.layers for w, b in layer for p in (*w, b)]
        self.X, self.Y = X, Y

    def step(self) -> float:
        torch = self.torch
        last = len(self.layers) - 1
        scores = []
        for x in self.X:
            for i, layer in enumerate(self.layers):
                z = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
                x = [torch.relu(v) for v in z] if i < last else z
            scores.append(x[0])
        losses = [torch.relu(1 - y * s) for s, y in zip(scores, self.Y)]
        total = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in self.parameters)
        total.backward()
        with torch.no_grad():
            for p in self.parameters:
                p -= LR * p.grad
                p.grad = None
        return float(total.detach())

    def params(self) -> list[float]:
        return [float(p.detach()) for p in self.parameters]


def implementations(notes: list[str]) -> list[type]:
    impls: list[type] = [Glassgrad]
    if try_import("autograd.fast") is not None:
        impls.append(GlassgradFast)
    else:
        notes.append("W1: this engine has no autograd.fast: glassgrad-fast skipped")
    if try_import("micrograd") is not None:
        impls.append(Micrograd)
    else:
        notes.append("W1: micrograd not installed (pip install -e '.[bench]'): skipped")
    if try_import("torch") is not None:
        impls.append(TorchScalar)
    else:
        notes.append("W1: torch not installed (pip install -e '.[torch]'): scalar PyTorch skipped")
    if try_import("autograd.codegen") is not None:
        impls.append(GlassgradCodegen)
    else:
        notes.append("W1: this engine has no autograd.codegen: glassgrad-codegen skipped")
    impls += [Handwritten, HandwrittenTuned]
    return impls


def check(impl_classes) -> dict[str, float]:
    """One step from the same weights; largest |difference| of the new weights vs hand-written."""
    X, Y = moons()
    weights = initial_weights()
    reference = Handwritten(weights, X, Y)
    ref_loss = reference.step()
    ref = reference.params()
    report = {}
    for cls in impl_classes:
        impl = cls(weights, X, Y)
        loss = impl.step()
        diff = max(abs(a - b) for a, b in zip(impl.params(), ref))
        if diff > 1e-9 or abs(loss - ref_loss) > 1e-9:
            raise AssertionError(f"W1: {cls.name} disagrees with the hand-written step: "
                                 f"max |Δweight| = {diff:.3g}, loss {loss!r} vs {ref_loss!r}")
        report[cls.name] = diff
    return report


def runs(impl_classes) -> dict:
    X, Y = moons()
    weights = initial_weights()
    out = {}
    for cls in impl_classes:
        impl = cls(weights, X, Y)

        def run(impl=impl):
            start = perf_counter()
            impl.step()
            return {"step": perf_counter() - start, **getattr(impl, "phases", {})}

        run.impl = impl  # what run.py reports on (generation time, whether nn is used)
        out[cls.name] = run
    return out
