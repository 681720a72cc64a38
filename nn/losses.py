"""Costs for ONE sample, built from Values so that ``backward`` differentiates them.

Each cost takes the network's output (a Value or a list of Values) and the target,
and returns a Value.  The training loop averages them over a batch: C = (1/n) Σₓ Cₓ,
as in Nielsen's book.  Sums use ``autograd.sum``: one node, however many terms.

=========================  ====================================  ======================
cost                        formula for one sample                target
=========================  ====================================  ======================
``quadratic_cost``          ½ ‖a − y‖²                            number or list
``mse``                     (1/m) Σⱼ (aⱼ − yⱼ)²                   number or list
``binary_cross_entropy``    −Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)]  numbers in [0, 1]
``..._with_logits``         the same, given z with a = σ(z)        numbers in [0, 1]
``cross_entropy``           −ln softmax(z)_y                       class index
``hinge``                   max(0, 1 − y·score)                    −1 or +1
=========================  ====================================  ======================
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence, Set

import autograd
from autograd import Value

from .module import Module

Output = Value | Sequence[Value]
Target = float | Sequence[float]
Cost = Callable[[Output, object], Value]


def outputs_and_targets(a: Output, y: Target, cost: str) -> tuple[list[Value], list[float]]:
    """Output and target as two lists of the same length (one entry per output neuron)."""
    outputs = [a] if isinstance(a, Value) else _as_list(a, "outputs", cost)
    targets = [y] if isinstance(y, (numbers.Real, Value)) else _as_list(y, "target", cost)
    for j, yj in enumerate(targets):
        if not isinstance(yj, (numbers.Real, Value)):
            raise ValueError(f"{cost}: target[{j}] must be a number, got {yj!r}")
    if len(outputs) != len(targets):
        raise ValueError(f"{cost}: {len(outputs)} outputs but {len(targets)} targets")
    if not outputs:
        raise ValueError(f"{cost}: no outputs")
    return outputs, targets


def _as_list(items: object, what: str, cost: str) -> list:
    """A list from a list, tuple or 1-D array; a dict, set, string or lone object is refused."""
    if isinstance(items, (str, bytes, Mapping, Set)) or not isinstance(items, Iterable):
        raise ValueError(f"{cost}: {what} must be a number or a list of numbers, got {type(items).__name__}")
    return list(items)


def _total(terms: list[Value]) -> Value:
    return terms[0] if len(terms) == 1 else autograd.sum(terms)


def quadratic_cost(a: Output, y: Target) -> Value:
    """½ ‖a − y‖², Nielsen's quadratic cost for one sample: ∂C/∂a = a − y."""
    outputs, targets = outputs_and_targets(a, y, "quadratic_cost")
    return 0.5 * _total([(ai - yi) ** 2 for ai, yi in zip(outputs, targets)])


def mse(a: Output, y: Target) -> Value:
    """Mean squared error over the output components: (1/m) Σⱼ (aⱼ − yⱼ)²."""
    outputs, targets = outputs_and_targets(a, y, "mse")
    return _total([(ai - yi) ** 2 for ai, yi in zip(outputs, targets)]) * (1.0 / len(outputs))


def check_probability_targets(targets: list, cost: str) -> None:
    for j, yj in enumerate(targets):
        if isinstance(yj, bool) or not isinstance(yj, numbers.Real) or not 0.0 <= yj <= 1.0:
            raise ValueError(f"{cost}: target[{j}] must be a number in [0, 1], got {yj!r}")


def _log_clipped(p: Value, eps: float) -> Value:
    """ln p, but ln eps (a constant, so no gradient) when p < eps: the cost stays finite.

    Written ``not p < eps`` so that NaN is not clipped away: ln(NaN) is NaN, as it should be.
    """
    return Value(math.log(eps)) if p.data < eps else p.log()


def binary_cross_entropy(a: Output, y: Target, eps: float = 1e-12) -> Value:
    """−Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)] for outputs aⱼ in (0, 1).

    Safe at a → 0 or 1: a term whose weight yⱼ or 1 − yⱼ is 0 is left out, and a log
    of something below ``eps`` is replaced by the constant ln eps (like PyTorch's
    clamp), so the cost is finite.  For a sigmoid output, σ′ cancels: δ = a − y.
    When you have z, ``binary_cross_entropy_with_logits`` is exact for any z.
    """
    outputs, targets = outputs_and_targets(a, y, "binary_cross_entropy")
    check_probability_targets(targets, "binary_cross_entropy")
    terms = []
    for aj, yj in zip(outputs, targets):
        if yj != 0.0:
            terms.append(-yj * _log_clipped(aj, eps))
        if yj != 1.0:
            terms.append(-(1.0 - yj) * _log_clipped(1.0 - aj, eps))
    if not terms:  # cannot happen for y in [0, 1], kept for clarity
        return Value(0.0)
    return _total(terms)


def binary_cross_entropy_with_logits(z: Output, y: Target) -> Value:
    """Binary cross-entropy of a = σ(z), computed from z: ln(1 + e^z) − y·z per output.

    Written as max(z, 0) − y·z + ln(1 + e^(−|z|)), so no exponential ever overflows;
    its derivative is σ(z) − y exactly.
    """
    logits, targets = outputs_and_targets(z, y, "binary_cross_entropy_with_logits")
    check_probability_targets(targets, "binary_cross_entropy_with_logits")
    terms = []
    for zj, yj in zip(logits, targets):
        minus_abs = -zj if zj.data > 0.0 else zj  # −|z|
        terms.append(zj.relu() - yj * zj + (minus_abs.exp() + 1.0).log())
    return _total(terms)


def cross_entropy(logits: Sequence[Value], target: int) -> Value:
    """Softmax cross-entropy: −ln( e^{z_y} / Σₖ e^{z_k} ) for the class index ``target``.

    Uses log-sum-exp with the largest logit subtracted first, so logits of ±1000 are
    fine.  Its gradient is softmax(z) − one_hot(y).
    """
    if isinstance(logits, Value):
        raise ValueError("cross_entropy needs a list of logits (one per class), got a single Value")
    logits = list(logits)
    if not logits:
        raise ValueError("cross_entropy: no logits")
    check_class_index(target, len(logits), "cross_entropy")
    shift = max(z.data for z in logits)  # a constant: it cancels in the softmax
    return log_sum_exp(logits, shift) - logits[target]


def log_sum_exp(logits: Sequence[Value], shift: float) -> Value:
    """ln Σₖ e^(zₖ − shift) + shift, which is ln Σₖ e^zₖ; ``shift`` = max z keeps every e^… ≤ 1.

    ``cross_entropy`` and ``fit``'s one-program form of it both build their graph here.
    """
    return autograd.sum([(z - shift).exp() for z in logits]).log() + shift


def check_class_index(target: object, classes: int, who: str) -> int:
    """``target`` if it is a class index 0 … classes − 1 (no negative indexing), else ValueError."""
    if isinstance(target, bool) or not isinstance(target, numbers.Integral):
        raise ValueError(f"{who}: target must be a class index (int), got {target!r}")
    if not 0 <= target < classes:
        raise ValueError(f"{who}: class index {target} out of range for {classes} logits")
    return int(target)


def hinge(score: Output, y: float) -> Value:
    """max(0, 1 − y·score) for a label y of −1 or +1 (an SVM's "max-margin" cost)."""
    if isinstance(score, Value):
        outputs, targets = [score], [y]
    else:
        outputs, targets = outputs_and_targets(score, y, "hinge")
    if len(outputs) != 1:
        raise ValueError(f"hinge: needs one output score, got {len(outputs)}")
    label = targets[0]
    if label not in (-1, 1) or isinstance(label, bool):
        raise ValueError(f"hinge: label must be -1 or +1, got {label!r}")
    return (1.0 - label * outputs[0]).relu()


def l2_penalty(weights: Module | Iterable[Value], strength: float) -> Value:
    """(strength / 2) · Σ w² over the weights (a Module's biases are left out).

    Nielsen's regularised cost adds (λ/2n) Σ w², so strength = λ/n; its gradient
    strength·w is what ``GradientDescent(weight_decay=strength)`` applies directly.
    Σ w² is one ``dot(w, w)`` node.
    """
    ws = weights.weights() if isinstance(weights, Module) else list(weights)
    if not ws:
        raise ValueError("l2_penalty: no weights")
    return autograd.dot(ws, ws) * (0.5 * strength)


COSTS: dict[str, Cost] = {
    "quadratic": quadratic_cost,
    "mse": mse,
    "binary_cross_entropy": binary_cross_entropy,
    "binary_cross_entropy_with_logits": binary_cross_entropy_with_logits,
    "cross_entropy": cross_entropy,
    "hinge": hinge,
}


def get_cost(cost: str | Cost) -> Cost:
    """A cost function by name (see ``COSTS``), or ``cost`` itself if it is callable."""
    if callable(cost):
        return cost
    try:
        return COSTS[cost]
    except (KeyError, TypeError):
        raise ValueError(f"unknown cost {cost!r}; choose one of {sorted(COSTS)} or pass a function") from None
