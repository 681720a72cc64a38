"""Every neuron's δ = ∂C/∂z made explicit, and Nielsen's four equations in plain floats.

After ``cost.backward()`` a neuron's δ is simply ``neuron.z.grad``.  Where does that
number come from?  A hidden neuron's a feeds every neuron k of the next layer (through
the weight w_kj), so the chain rule sums over them:

    δ = σ′(z) · Σₖ w_kj · δ_k          (the documents' σ′(z)·[w₃·∂C/∂z′ + w₄·∂C/∂z″])

and an output neuron's δ is ∂C/∂a · σ′(z).  ``explain_delta`` shows those terms with
their numbers; ``bp_equations`` recomputes every δ and gradient without the engine:

    BP1  δᴸ = ∇ₐC ⊙ σ′(zᴸ)          BP3  ∂C/∂bˡⱼ = δˡⱼ
    BP2  δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)  BP4  ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from autograd.graph.text import fmt

from .layers import MLP, Neuron, check_inputs
from .losses import check_class_index, check_probability_targets, cost_record, get_cost, outputs_and_targets


def _num(x: float) -> str:
    """A number to read: the pictures' ``fmt`` (4 significant digits, never −0) with a real minus sign."""
    return fmt(x).replace("-", "−")


def _fmt(x: float) -> str:
    """A number inside a formula: like ``_num``, negatives in parentheses."""
    return f"({_num(x)})" if x < 0 else _num(x)


def _require_mlp(model: object, who: str) -> MLP:
    """``model`` if it is an nn.MLP: the equations are written for its dense layers of neurons."""
    if not isinstance(model, MLP):
        raise TypeError(
            f"{who} works on an nn.MLP (layers of neurons, as in Nielsen's four equations), "
            f"got {type(model).__name__}"
        )
    return model


def _neuron(model: MLP, layer: int, j: int, who: str = "explain_delta") -> tuple[int, Neuron]:
    layers = _require_mlp(model, who).layers
    if not -len(layers) <= layer < len(layers):
        raise IndexError(f"layer {layer} out of range: the model has {len(layers)} layers (0-based)")
    layer = layer % len(layers)
    neurons = layers[layer].neurons
    if not 0 <= j < len(neurons):
        raise IndexError(f"neuron {j} out of range: layer {layer} has {len(neurons)} neurons")
    neuron = neurons[j]
    if neuron.z is None:
        raise ValueError("no forward pass yet: call the model on an input, then cost.backward()")
    return layer, neuron


def deltas(model: MLP) -> list[list[float]]:
    """δ = z.grad of every neuron, layer by layer (after a forward and a backward pass)."""
    result = []
    for i, layer in enumerate(_require_mlp(model, "deltas").layers):
        for j in range(len(layer.neurons)):
            _neuron(model, i, j, "deltas")  # checks that there was a forward pass
        result.append([neuron.z.grad for neuron in layer.neurons])
    return result


@dataclass
class DeltaTerm:
    """One neuron k of the next layer: the weight w_kj from our neuron, its δ_k, and w_kj·δ_k."""

    k: int
    weight: float
    delta: float
    product: float


@dataclass
class DeltaExplanation:
    """Why neuron j of a layer has the δ it has (see ``explain_delta``)."""

    name: str
    z: float
    a: float
    sigma_prime: float
    delta: float  # what the engine computed: neuron.z.grad
    terms: list[DeltaTerm] = field(default_factory=list)  # hidden neurons
    dC_da: float | None = None  # output neurons

    @property
    def is_output(self) -> bool:
        return self.dC_da is not None

    @property
    def total(self) -> float:
        """Σₖ w_kj·δ_k for a hidden neuron (that is ∂C/∂a), ∂C/∂a for an output neuron."""
        return self.dC_da if self.dC_da is not None else sum(t.product for t in self.terms)

    @property
    def recomputed(self) -> float:
        """σ′(z) times the total: should equal ``delta`` up to rounding."""
        return self.sigma_prime * self.total

    def __str__(self) -> str:
        head = f"{self.name}: z = {_num(self.z)}, a = {_num(self.a)}, σ′(z) = {_num(self.sigma_prime)}\n"
        if self.is_output:
            formula = (
                f"δ = ∂C/∂a · σ′(z) = {_fmt(self.dC_da)}·{_fmt(self.sigma_prime)} = {_num(self.recomputed)}"
            )
        else:
            products = " + ".join(f"{_fmt(t.weight)}·{_fmt(t.delta)}" for t in self.terms)
            formula = (
                f"δ = σ′(z)·[Σₖ w_kj·δ_k] = {_fmt(self.sigma_prime)}·[{products}]"
                f" = {_fmt(self.sigma_prime)}·{_fmt(self.total)} = {_num(self.recomputed)}"
            )
        return head + formula + f"\n   (the engine's z.grad: {_num(self.delta)})"


def explain_delta(model: MLP, layer: int, j: int) -> DeltaExplanation:
    """The sum that makes neuron ``j`` of ``layer`` (0-based; −1 is the output layer) have its δ.

    Call it after ``cost.backward()`` on ONE sample.  For a hidden neuron there is one
    term (w_kj, δ_k, w_kj·δ_k) per neuron k of the next layer; for an output neuron,
    ∂C/∂a.  In both cases ``sigma_prime * total`` equals ``delta`` (= ``z.grad``).
    """
    layer, neuron = _neuron(model, layer, j)
    sigma_prime = neuron.activation.prime_from_a(neuron.a.data)
    explanation = DeltaExplanation(
        name=neuron.name, z=neuron.z.data, a=neuron.a.data, sigma_prime=sigma_prime, delta=neuron.z.grad
    )
    if layer == len(model.layers) - 1:
        explanation.dC_da = neuron.a.grad
    else:
        for k, next_neuron in enumerate(model.layers[layer + 1].neurons):
            weight, delta_k = next_neuron.w[j].data, next_neuron.z.grad
            explanation.terms.append(DeltaTerm(k, weight, delta_k, weight * delta_k))
    return explanation


# ----------------------------------------------------------------- BP1–BP4 in floats
@dataclass
class BackpropEquations:
    """Everything the four equations give for one sample, in plain floats.

    ``a[0]`` is the input; ``z[l]``, ``a[l + 1]``, ``delta[l]``, ``grad_b[l]`` and
    ``grad_w[l][j][k]`` belong to ``model.layers[l]``.
    """

    cost: float
    z: list[list[float]]
    a: list[list[float]]
    delta: list[list[float]]
    grad_b: list[list[float]]
    grad_w: list[list[list[float]]]


_BY_HAND = ("quadratic", "binary_cross_entropy", "cross_entropy")  # the costs _cost_and_gradient knows


def _bp_cost_name(cost: object) -> str:
    """The name of ``cost`` (a name or nn's cost function: its record's name) if BP1 is written for it."""
    record = cost_record(cost)
    name = record.name if record is not None else None
    if name not in _BY_HAND:
        raise ValueError(
            f"bp_equations knows the costs 'quadratic', 'binary_cross_entropy' (Nielsen's cross-entropy) "
            f"and 'cross_entropy' (softmax), got {cost!r}"
        )
    return name


def _cost_and_gradient(name: str, a: list[float], y: object) -> tuple[float, list[float]]:
    """C and ∇ₐC for one sample, by hand (``y`` checked as the Value costs check it)."""
    if name == "cross_entropy":  # softmax over the outputs, y is a class index
        y = check_class_index(y, len(a), "bp_equations")
        shift = max(a)
        exps = [math.exp(ai - shift) for ai in a]
        total = sum(exps)
        cost = math.log(total) + shift - a[y]
        return cost, [e / total - (1.0 if k == y else 0.0) for k, e in enumerate(exps)]
    _, targets = outputs_and_targets(a, y, "bp_equations")
    if name == "binary_cross_entropy":
        check_probability_targets(targets, "bp_equations")
    targets = [float(t) for t in targets]
    if name == "quadratic":  # C = ½ Σ (a − y)²
        cost = 0.5 * sum((ai - yi) ** 2 for ai, yi in zip(a, targets))
        return cost, [ai - yi for ai, yi in zip(a, targets)]
    # Nielsen's cross-entropy: C = −Σ [y ln a + (1 − y) ln(1 − a)]
    cost = -sum(yi * math.log(ai) + (1.0 - yi) * math.log(1.0 - ai) for ai, yi in zip(a, targets))
    return cost, [-yi / ai + (1.0 - yi) / (1.0 - ai) for ai, yi in zip(a, targets)]


def bp_equations(model: MLP, x: Sequence[float], y: object, cost: object = "quadratic") -> BackpropEquations:
    """Forward pass, then BP1–BP4, for one sample, in plain Python floats (no Values).

    ``cost`` is 'quadratic' (½‖a − y‖²), 'binary_cross_entropy' (Nielsen's
    cross-entropy) or 'cross_entropy' (softmax; y is a class index).
    """
    _require_mlp(model, "bp_equations")
    name = _bp_cost_name(cost)
    check_inputs(x, model.nin, "bp_equations")
    activations = [[float(xi) for xi in x]]
    zs: list[list[float]] = []
    weights = [[[w.data for w in neuron.w] for neuron in layer.neurons] for layer in model.layers]
    for layer, W in zip(model.layers, weights):  # z = W a + b, a = σ(z)
        previous = activations[-1]
        z = []
        for neuron, row in zip(layer.neurons, W):
            total = 0.0
            for w, ak in zip(row, previous):
                total += w * ak
            z.append(total + neuron.b.data)
        zs.append(z)
        activations.append([layer.activation.value(zj) for zj in z])

    def sigma_prime(l: int) -> list[float]:
        return [model.layers[l].activation.prime_from_a(aj) for aj in activations[l + 1]]

    cost_value, grad_a = _cost_and_gradient(name, activations[-1], y)
    last = len(model.layers) - 1
    delta = [[] for _ in model.layers]
    delta[last] = [g * s for g, s in zip(grad_a, sigma_prime(last))]  # BP1
    for l in range(last - 1, -1, -1):  # BP2
        W_next = weights[l + 1]
        delta[l] = [
            sum(W_next[k][j] * delta[l + 1][k] for k in range(len(W_next))) * s
            for j, s in enumerate(sigma_prime(l))
        ]
    grad_b = [list(d) for d in delta]  # BP3
    grad_w = [[[ak * dj for ak in activations[l]] for dj in delta[l]] for l in range(len(delta))]  # BP4
    return BackpropEquations(cost_value, zs, activations, delta, grad_b, grad_w)


def compare_with_autograd(model: MLP, x: Sequence[float], y: object, cost: object = "quadratic") -> float:
    """The largest |difference| between BP1–BP4 (plain floats) and the engine's gradients.

    Runs the model on ``x`` with Values and calls ``backward`` (after ``zero_grad``), then
    compares every δ (``z.grad``), ∂C/∂b and ∂C/∂w, and the cost itself.
    """
    _require_mlp(model, "compare_with_autograd")
    name = _bp_cost_name(cost)
    expected = bp_equations(model, x, y, name)
    model.zero_grad()
    c = get_cost(name)(model(x), y)
    c.backward()
    worst = abs(c.data - expected.cost)
    for l, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            worst = max(worst, abs(neuron.z.grad - expected.delta[l][j]))
            worst = max(worst, abs(neuron.b.grad - expected.grad_b[l][j]))
            for k, w in enumerate(neuron.w):
                worst = max(worst, abs(w.grad - expected.grad_w[l][j][k]))
    return worst
