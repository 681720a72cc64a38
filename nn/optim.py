"""Gradient descent: θ ← θ − η ∂C/∂θ, with optional weight decay on the weights.

Weight decay and Nielsen's L2 regularisation are the same thing.  Adding (λ/2n) Σ w²
to the cost turns the update of a weight into

    w ← (1 − ηλ/n) w − η ∂C₀/∂w

so ``weight_decay`` here is λ/n (for a cost that is averaged over n training
samples).  Biases are not decayed, as in the book: give the model (a Module), which
knows its weights from its biases.
"""

from __future__ import annotations

import collections
import math
import numbers
from collections.abc import Iterable

from autograd import Value

from .module import Module, _short


def check_number(
    name: str, value: object, *, minimum: float | None = None, positive: bool = False, what: str | None = None
) -> float:
    """``value`` as a float if it is a finite real number (≥ ``minimum``, > 0 if ``positive``).

    Otherwise a ValueError that names the argument and says what it accepts; the one
    home of this check for the numeric arguments of ``GradientDescent`` and ``fit``.
    """
    ok = not isinstance(value, bool) and isinstance(value, numbers.Real)
    try:
        ok = ok and math.isfinite(value)
    except OverflowError:  # an int too large for a float (10**400)
        ok = False
    ok = ok and (minimum is None or value >= minimum) and (not positive or value > 0)
    if not ok:
        if what is None:
            what = "a positive number" if positive else "a finite number"
            what = f"a number ≥ {minimum:g}" if minimum is not None else what
        raise ValueError(f"{name} must be {what}, got {_short(value)}")
    return float(value)


class GradientDescent:
    """Plain gradient descent on a Module's parameters (or on a list of Values).

    ``step()`` first computes every new value and checks that it is finite; otherwise it
    raises FloatingPointError naming the parameter and updates nothing.  Then it assigns
    them all in ONE call of C code (``_assign_all``): Python delivers KeyboardInterrupt
    between bytecodes, and no bytecode runs inside that call, so Ctrl-C lands before or
    after the update, never in the middle; a model is never left half-updated.
    """

    def __init__(self, params: Module | Iterable[Value], lr: float, weight_decay: float = 0.0) -> None:
        lr = check_number("lr (the learning rate η)", lr, positive=True)
        weight_decay = check_number("weight_decay", weight_decay, minimum=0.0)
        if isinstance(params, Module):
            named = params.named_parameters()
            weight_ids = {id(w) for w in params.weights()}
        else:
            values = list(params)
            for i, p in enumerate(values):
                if not isinstance(p, Value):
                    raise TypeError(f"params[{i}] must be a Value, got {type(p).__name__}")
            if weight_decay and values:
                raise ValueError(
                    "weight_decay needs the model (a Module), not a list of Values, "
                    "so that biases can be left out"
                )
            named = [(f"params[{i}]", p) for i, p in enumerate(values)]
            weight_ids = set()
        self.names = [name for name, _ in named]
        self.params = [p for _, p in named]
        # 1 − η·weight_decay for a weight, 1 for a bias: the factor that multiplies θ.
        self.shrink = [1.0 - lr * weight_decay if id(p) in weight_ids else 1.0 for p in self.params]
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.pending: list[float] | None = None  # the values of the update being made

    def forget_pending(self) -> None:
        """Forget the last update's values (``landed`` is then False until the next ``step``)."""
        self.pending = None

    def landed(self) -> bool:
        """Whether the parameters hold the values of the last ``step`` (after an interrupt: did it land?)."""
        return self.pending is not None and all(p.data == v for p, v in zip(self.params, self.pending))

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0 before the next backward (leaves accumulate)."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """θ ← shrink·θ − η·∂C/∂θ for every parameter, or nothing if a gradient is not finite."""
        lr = self.lr
        new_data = [shrink * p.data - lr * p.grad for shrink, p in zip(self.shrink, self.params)]
        for i, value in enumerate(new_data):
            if not math.isfinite(value):
                p = self.params[i]
                raise FloatingPointError(
                    f"gradient of parameter {self.names[i]} is {p.grad!r} (its value {p.data!r} would become "
                    f"{value!r}); no parameter was updated"
                )
        self.pending = new_data
        _assign_all(self.params, new_data)


_SET_DATA = Value.data.__set__  # the setter of the Value's data slot: C code, no bytecode


def _assign_all(params: list[Value], values: list[float]) -> None:
    """``p.data = v`` for every pair, in one C call (a deque of length 0 consumes the map)."""
    collections.deque(map(_SET_DATA, params, values), maxlen=0)
