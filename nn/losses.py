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
``huber``                   Σⱼ ½dⱼ² if |dⱼ| ≤ δ else δ(|dⱼ| − ½δ)   number or list
=========================  ====================================  ======================

Each cost has ONE record, a ``Cost`` in ``COSTS``: its name, its function, how ``fit``'s
generated code receives the target (``target``), how accuracy is judged for it
(``judge_for``) and whether its graph is the same for every sample (``traceable``).
``fit`` reads the record; ``cost_record`` finds it for a name, a function, a
``functools.partial`` of one (keyword arguments only), or a ``Cost`` of your own.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

import autograd
from autograd import Value

from .module import Module

Output = Value | Sequence[Value]
Target = float | Sequence[float]
CostFunction = Callable[[Output, object], Value]
Judge = Callable[[object, object], bool]


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


def huber(a: Output, y: Target, delta: float = 1.0) -> Value:
    """Σⱼ Huber(aⱼ − yⱼ): ½d² where |d| ≤ δ, δ(|d| − ½δ) beyond: quadratic near the
    target, linear far from it, so one outlier cannot dominate (torch's ``huber_loss``
    with ``reduction="sum"``).

    Written without a Python branch on the data, so its graph is the same for every
    sample (``fit`` generates code for it): with r = |d| = relu(d) + relu(−d) and the
    excess s = relu(r − δ), Huber = ½(r − s)² + δ·s.  Its derivative is d inside,
    ±δ beyond.
    """
    delta = _check_delta(delta)
    outputs, targets = outputs_and_targets(a, y, "huber")
    terms = []
    for aj, yj in zip(outputs, targets):
        d = aj - yj
        r = d.relu() + (-d).relu()
        s = (r - delta).relu()
        terms.append(0.5 * (r - s) ** 2 + delta * s)
    return _total(terms)


def _check_delta(delta: object) -> float:
    ok = not isinstance(delta, bool) and isinstance(delta, numbers.Real)
    try:
        ok = ok and math.isfinite(delta) and delta > 0
    except OverflowError:  # an int too large for a float
        ok = False
    if not ok:
        raise ValueError(f"huber: delta must be a positive finite number, got {delta!r}")
    return float(delta)


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


# ------------------------------------------------------------------ judges: right or wrong
def _argmax(values: Sequence[float]) -> int:
    return max(range(len(values)), key=values.__getitem__)


def output_data(output: Value | Sequence[Value]) -> float | list[float]:
    """The numbers of a model's output (a Value or a list of Values)."""
    return output.data if isinstance(output, Value) else [o.data for o in output]


def sign_judge(output: Output, y: object) -> bool:
    """Right when the score has the label's sign (hinge's labels ±1)."""
    return (output_data(output) > 0.0) == (y > 0)


def logit_judge(output: Output, y: object) -> bool:
    """Right when z > 0 exactly for the label 1 (a = σ(z) > 0.5)."""
    return (output_data(output) > 0.0) == (y > 0.5)


def half_judge(output: Output, y: object) -> bool:
    """Right when a > 0.5 exactly for the label 1."""
    return (output_data(output) > 0.5) == (y > 0.5)


def class_judge(output: Output, y: object) -> bool:
    """Right when the largest output is the class index y."""
    return _argmax(output_data(output)) == y


def one_hot_judge(output: Output, y: object) -> bool:
    """Right when the largest output is the hot entry of the one-hot target y."""
    return _argmax(output_data(output)) == _argmax(y)


def _is_vector(target: object) -> bool:
    return isinstance(target, Sequence) and not isinstance(target, str)


def _always(judge: Judge) -> Callable[[object], Judge]:
    return lambda example_target: judge


def _for_scalar_targets(judge: Judge) -> Callable[[object], Judge | None]:
    return lambda example_target: None if _is_vector(example_target) else judge


def _for_one_hot_targets(example_target: object) -> Judge | None:
    return one_hot_judge if _is_vector(example_target) and len(example_target) > 1 else None


# ------------------------------------------------------------------ the record of a cost
TARGET_KINDS = ("leaf", "one-hot", "in-key")


@dataclass(frozen=True)
class Cost:
    """One cost and everything ``fit`` needs to know about it.

    ``name``: how it is named (``cost="hinge"``).  ``function(output, target) → Value``:
    the cost of one sample.  ``traceable``: its graph has the same shape for every
    sample (no Python branch on the output's values), so ``fit`` may generate code
    for it; ``target`` then says how the program receives the target: ``"leaf"``
    (its numbers become leaves: quadratic, mse, huber), ``"one-hot"`` (a class index
    becomes one-hot leaves and ``one_hot_form(outputs, one_hot) → (cost, shift)`` builds
    the graph: cross_entropy), ``"in-key"`` (the graph depends on the target's value,
    one program per value: hinge's ±1).  ``judge_for(example_target)`` is the judge of
    accuracy for targets like that one, or None where accuracy does not apply.

    A Cost is called like its function.  ``nn.Cost("mine", f, target="leaf")`` makes a
    custom cost whose graph has the same shape for every sample generate code.
    """

    name: str
    function: CostFunction
    target: str = "leaf"
    traceable: bool = False
    judge_for: Callable[[object], Judge | None] | None = None
    one_hot_form: Callable[[list[Value], list[Value]], tuple[Value, float]] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"Cost: name must be a non-empty str, got {self.name!r}")
        if not callable(self.function):
            raise TypeError("Cost: function must be callable (output, target) → Value, "
                            f"got {self.function!r}")
        if self.target not in TARGET_KINDS:
            raise ValueError(f"Cost: target must be one of {TARGET_KINDS}, got {self.target!r}")
        if not isinstance(self.traceable, bool):
            raise TypeError(f"Cost: traceable must be True or False, got {self.traceable!r}")
        if self.judge_for is not None and not callable(self.judge_for):
            raise TypeError(
                f"Cost: judge_for must be callable (example target) → judge or None, got {self.judge_for!r}"
            )
        if self.target == "one-hot" and self.one_hot_form is None:
            raise ValueError("Cost: a one-hot target needs one_hot_form(outputs, one_hot) → (cost, shift)")

    def __call__(self, output: Output, target: object) -> Value:
        return self.function(output, target)

    def judge(self, example_target: object) -> Judge | None:
        """The judge for targets like ``example_target``, or None (no accuracy for this cost)."""
        return None if self.judge_for is None else self.judge_for(example_target)


def one_hot_cross_entropy(logits: list[Value], one_hot: list[Value]) -> tuple[Value, float]:
    """``cross_entropy``'s graph with the label's logit picked by a dot product with ``one_hot``.

    ln Σₖ e^(zₖ − shift) + shift − t·z with shift = max z: for a one-hot t, t·z is z_y
    exactly (0·z is 0), so this is ``cross_entropy(z, y)`` to the last bit, gradient too.
    Returns the cost and the shift (a constant of a generated program).
    """
    shift = max(z.data for z in logits)
    return log_sum_exp(logits, shift) - autograd.dot(one_hot, logits), shift


COSTS: dict[str, Cost] = {
    cost.name: cost
    for cost in (
        Cost("quadratic", quadratic_cost, "leaf", True, _for_one_hot_targets),
        Cost("mse", mse, "leaf", True, _for_one_hot_targets),
        Cost("binary_cross_entropy", binary_cross_entropy, "leaf", False, _for_scalar_targets(half_judge)),
        Cost(
            "binary_cross_entropy_with_logits",
            binary_cross_entropy_with_logits,
            "leaf",
            False,
            _for_scalar_targets(logit_judge),
        ),
        Cost("cross_entropy", cross_entropy, "one-hot", True, _always(class_judge), one_hot_cross_entropy),
        Cost("hinge", hinge, "in-key", True, _always(sign_judge)),
        Cost("huber", huber, "leaf", True, _for_one_hot_targets),
    )
}


def cost_record(cost: object) -> Cost | None:
    """The record of ``cost``: a name in ``COSTS``, one of nn's cost functions, a ``Cost``,
    or a ``functools.partial`` of one of these with keyword arguments only (the same
    record around the partial: ``partial(nn.huber, delta=0.5)`` is traceable and judged
    as huber).  None for a function of your own."""
    if isinstance(cost, Cost):
        return cost
    if isinstance(cost, str):
        return COSTS.get(cost)
    if isinstance(cost, functools.partial) and not cost.args:
        inner = cost_record(cost.func)
        if inner is None:
            return None
        keywords = ", ".join(f"{key}={value!r}" for key, value in cost.keywords.items())
        return dataclasses.replace(inner, name=f"{inner.name}({keywords})", function=cost)
    return next((record for record in COSTS.values() if record.function is cost), None)


def get_cost(cost: str | CostFunction) -> Cost:
    """The record of ``cost`` (see ``cost_record``); a function of your own gets a plain
    record (not traceable, no judge).  ValueError for an unknown name."""
    record = cost_record(cost)
    if record is not None:
        return record
    if isinstance(cost, str) or not callable(cost):
        raise ValueError(f"unknown cost {cost!r}; choose one of {sorted(COSTS)} or pass a function")
    return Cost(getattr(cost, "__name__", "custom cost"), cost)
