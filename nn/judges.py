"""Right or wrong: the judges of accuracy, ``predict`` and ``accuracy``.

A judge is a function (output, target) → bool: is this prediction right?  For nn's
costs the cost's record knows its judge (``nn.losses.Cost.judge``): hinge: the sign of
the score; binary cross-entropy: a > 0.5 (z > 0 from logits); cross_entropy: the
largest logit is the class; quadratic, mse and huber with one-hot targets: the largest
output is the hot one.  Elsewhere accuracy does not apply unless you give a judge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autograd import Value, no_grad

from .checks import as_samples, check_samples
from .losses import COSTS, Judge, cost_record, output_data
from .module import Module


def judge_for(cost: object, example_target: object) -> Judge | None:
    """The judge of ``cost`` (a name, one of nn's cost functions, a partial of one, a
    ``Cost``) for targets like ``example_target``, or None where accuracy does not apply."""
    record = cost_record(cost)
    return None if record is None else record.judge(example_target)


def resolve_judge(judge: object, example_target: object, argument: str) -> tuple[Judge | None, str]:
    """(the judge, "") or (None, why there is none) for a cost (see ``judge_for``) or a judge function."""
    record = cost_record(judge)
    if record is not None:
        found = record.judge(example_target)
        if found is None:
            why = f"no rule judges predictions for cost {record.name!r} with targets like {example_target!r}"
            return None, why
        return found, ""
    if isinstance(judge, str):
        raise ValueError(f"{argument}: unknown cost {judge!r}; choose one of {sorted(COSTS)} or a judge")
    if callable(judge):
        return checked_judge(judge, argument), ""
    raise TypeError(
        f"{argument} must be a cost name such as 'hinge', one of nn's cost functions, or a function "
        f"(output, target) → bool; got {type(judge).__name__}"
    )


def checked_judge(judge: Callable, argument: str) -> Judge:
    """``judge`` with its answer checked: a cost function's Value is not a verdict."""

    def checked(output, target) -> bool:
        verdict = judge(output, target)
        if isinstance(verdict, bool) or type(verdict).__name__ in ("bool_", "bool"):  # numpy's bool too
            return bool(verdict)
        hint = " (a cost is not a judge: give the cost's name instead)" if isinstance(verdict, Value) else ""
        raise TypeError(
            f"{argument} must return True or False (is the output right for the target?), "
            f"it returned {type(verdict).__name__} {verdict!r}{hint}"
        )

    return checked


def predict(model: Module, x: Sequence[float]) -> float | list[float]:
    """The model's output for one input as plain floats, without building a graph."""
    with no_grad():
        return output_data(model(x))


def accuracy(model: Module, X: Sequence, Y: Sequence, judge: str | Judge | None = None) -> float:
    """Fraction of samples predicted right.

    ``judge`` says what "right" is: a cost name (``"hinge"``: see ``judge_for``), one of
    nn's cost functions (``nn.hinge``, the same rule), or a function (output, target) →
    bool.  A function that answers anything but True/False (a cost's Value, say) is a
    TypeError.
    """
    if judge is None:
        raise TypeError("accuracy needs judge: a cost name such as 'hinge' or a function (output, y) → bool")
    X, Y = as_samples(X), as_samples(Y)
    check_samples(X, Y, "X", "Y")
    found, why = resolve_judge(judge, Y[0], "judge")
    if found is None:
        raise ValueError(f"accuracy does not apply: {why}")
    with no_grad():
        right = sum(1 for x, y in zip(X, Y) if found(model(x), y))
    return right / len(X)
