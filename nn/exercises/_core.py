"""The machinery of the exercises: verdicts, the registry, judging tools.

Checkers for the notebooks' exercises: right or wrong, with a hint, never the answer.

    >>> from nn import exercises
    >>> exercises.task("03.1")                  # the givens of an exercise
    >>> exercises.check("03.1", my_answer)      # ✓ or ✗ with a hint

An answer left as ``None`` (or a function that still returns ``None``) is "not answered
yet", so a notebook whose exercises are not done still runs top to bottom.  A number
worked out by hand is right to 3 significant digits; a function is tried on several
inputs and must be right to rounding.  Each
checker computes the expected result itself from the givens; it says whether the
answer is right and, if not, what to look at, without printing the expected value.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# ----------------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Verdict:
    """The result of ``check``: ``ok`` is True for a right answer; ``message`` says why."""

    exercise: str
    ok: bool
    answered: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__


class _Wrong(Exception):
    """Raised inside a judge: the answer is wrong; the text says what is off (never the answer)."""


class _NotAnswered(Exception):
    """Raised inside a judge: the learner's function still returns None (the exercise is not done)."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its title, its givens, how to judge an answer and a hint."""

    id: str
    title: str
    givens: Callable[[], dict[str, Any]]
    judge: Callable[[Any], None]  # raises _Wrong for a wrong answer
    hint: str


_EXERCISES: dict[str, Exercise] = {}


def _exercise(id: str, title: str, hint: str, givens: Callable[[], dict[str, Any]] | None = None):
    def register(judge: Callable[[Any], None]) -> Callable[[Any], None]:
        _EXERCISES[id] = Exercise(id, title, givens or (lambda: {}), judge, hint)
        return judge

    return register


def _known(exercise: object) -> Exercise:
    if not isinstance(exercise, str) or exercise not in _EXERCISES:
        raise ValueError(f"exercise must be one of {sorted(_EXERCISES)}, got {exercise!r}")
    return _EXERCISES[exercise]


def ids() -> list[str]:
    """Every exercise id, in notebook order."""
    return sorted(_EXERCISES)


def task(exercise: str) -> dict[str, Any]:
    """The givens of ``exercise`` (a fresh copy each call: changing it changes nothing)."""
    return _known(exercise).givens()


def check(exercise: str, answer: Any) -> Verdict:
    """Judge ``answer`` to ``exercise`` ('03.1', ...): right, wrong with a hint, or not answered."""
    ex = _known(exercise)
    if answer is None:
        return Verdict(exercise, False, False, f"{exercise} ({ex.title}): not answered yet. Hint: {ex.hint}")
    try:
        ex.judge(answer)
    except _NotAnswered:
        return Verdict(
            exercise,
            False,
            False,
            f"{exercise} ({ex.title}): not answered yet (your function returns None). Hint: {ex.hint}",
        )
    except _Wrong as wrong:
        return Verdict(exercise, False, True, f"{exercise} ({ex.title}): ✗ not yet: {wrong} Hint: {ex.hint}")
    return Verdict(exercise, True, True, f"{exercise} ({ex.title}): ✓ right.")


# ------------------------------------------------------------------------- judging tools


def _as_number(answer: Any, what: str = "the answer") -> float:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) and not hasattr(answer, "__float__"):
        raise _Wrong(f"{what} should be a number, got {type(answer).__name__}.")
    try:
        number = float(answer)
    except (TypeError, ValueError) as error:
        raise _Wrong(f"{what} should be a number ({error}).") from None
    if not math.isfinite(number):
        raise _Wrong(f"{what} is {number}, not a finite number.")
    return number


def _close(
    answer: Any, expected: float, rel: float = 1e-3, abs_: float = 1e-6, what: str = "the answer"
) -> None:
    """Accept ``answer`` within ``rel`` (default: 3 significant digits, enough for a hand computation)."""
    number = _as_number(answer, what)
    if math.isclose(number, expected, rel_tol=rel, abs_tol=abs_):
        return
    if expected != 0 and number != 0 and (number > 0) != (expected > 0):
        raise _Wrong(f"{what} has the wrong sign.")
    if expected != 0 and math.isclose(abs(number), 2 * abs(expected), rel_tol=1e-3):
        raise _Wrong(f"{what} is about twice too big.")
    if expected != 0 and math.isclose(2 * abs(number), abs(expected), rel_tol=1e-3):
        raise _Wrong(f"{what} is about half of what it should be.")
    raise _Wrong(f"{what} is too {'big' if number > expected else 'small'}.")


def _close_list(answer: Any, expected: Sequence[float], rel: float = 1e-3, abs_: float = 1e-6) -> None:
    try:
        items = [float(v) for v in answer]
    except (TypeError, ValueError):
        raise _Wrong(f"the answer should be a list of {len(expected)} numbers.") from None
    if len(items) != len(expected):
        raise _Wrong(f"the answer has {len(items)} numbers, it should have {len(expected)}.")
    for i, (got, want) in enumerate(zip(items, expected)):
        _close(got, want, rel, abs_, what=f"entry {i}")


def _call(function: Any, *args: Any) -> Any:
    if not callable(function):
        raise _Wrong(f"the answer should be your function, got {type(function).__name__}.")
    try:
        result = function(*args)
    except Exception as error:  # the learner's code: report it, do not crash the notebook
        raise _Wrong(f"your function raised {type(error).__name__}: {error}.") from None
    if result is None:
        raise _NotAnswered
    return result


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _random_lists(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    return [[rng.uniform(-2, 2) for _ in range(cols)] for _ in range(rows)]


def _mlp_from(g: dict[str, Any], w1_key: str, b1_key: str, w2_key: str, b2_key: str, nin: int):
    from ..layers import MLP  # here, so that importing this module stays light

    hidden = len(g[w1_key]) // nin if nin > 1 else len(g[w1_key])
    model = MLP(nin, [hidden, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    flat = list(g[w1_key])
    for j, neuron in enumerate(model.layers[0].neurons):
        for k in range(nin):
            neuron.w[k].data = flat[j * nin + k]
        neuron.b.data = g[b1_key][j]
    out = model.layers[1].neurons[0]
    for k, w in enumerate(g[w2_key]):
        out.w[k].data = w
    out.b.data = g[b2_key]
    return model
