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

import itertools
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
    """Judge ``answer`` to ``exercise`` ('03.1', ...): right, wrong with a hint, or not answered.

    Whatever the answer is, this returns a Verdict: an answer that cannot be read as what
    the exercise asks for (its ``__float__``, ``__eq__`` or ``__iter__`` raises, it never
    ends, it is too large for a float) is a wrong answer that says why.
    """
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
        return _wrong(ex, str(wrong))
    except Exception as error:  # the learner's object misbehaved while being read: a wrong answer
        return _wrong(ex, f"your answer could not be read ({type(error).__name__}: {_short(error)}).")
    return Verdict(exercise, True, True, f"{exercise} ({ex.title}): ✓ right.")


def _wrong(ex: Exercise, why: str) -> Verdict:
    return Verdict(ex.id, False, True, f"{ex.id} ({ex.title}): ✗ not yet: {why} Hint: {ex.hint}")


def _short(error: BaseException, limit: int = 200) -> str:
    """An error's text, cut to ``limit`` characters (a learner's object may say a lot)."""
    try:
        text = str(error)
    except Exception:  # an exception whose __str__ raises too
        text = "(its message could not be read)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------- judging tools


# An answer is read through these, never through the answer's own __eq__: a number is
# turned into a float (or an int for counts) first, and a sequence is read to at most one
# item more than expected.  Messages say right or wrong and point at the method: never the
# expected value, never "too big" / "too small" (which would let a learner bisect).


def _as_number(answer: Any, what: str = "the answer") -> float:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) and not hasattr(answer, "__float__"):
        raise _Wrong(f"{what} should be a number, got {type(answer).__name__}.")
    try:
        number = float(answer)
    except OverflowError:
        raise _Wrong(f"{what} is an integer too large for a float; it is not the answer.") from None
    except Exception as error:  # a learner's object whose __float__ raises
        raise _Wrong(f"{what} should be a number ({type(error).__name__}: {_short(error)}).") from None
    if type(number) is not float:  # a __float__ that returns something else (float() refuses most)
        raise _Wrong(f"{what} should be a number.")
    if not math.isfinite(number):
        raise _Wrong(f"{what} is {number}, not a finite number.")
    return number


def _as_count(answer: Any, what: str = "the answer") -> int | None:
    """A whole number as an int, or None for a number that is not whole (so: not the count)."""
    if isinstance(answer, int) and not isinstance(answer, bool):
        return int(answer)  # exact, however large
    number = _as_number(answer, what)
    return int(number) if number.is_integer() else None


def _same_count(answer: Any, expected: int, what: str = "the count") -> None:
    """A count is right or wrong: never a direction to bisect on."""
    if _as_count(answer, what) != expected:
        raise _Wrong(f"{what} is not right.")


def _close(
    answer: Any, expected: float, rel: float = 1e-3, abs_: float = 1e-6, what: str = "the answer"
) -> None:
    """Accept ``answer`` within ``rel`` (default: 3 significant digits, enough for a hand computation)."""
    number = _as_number(answer, what)
    if not math.isclose(number, expected, rel_tol=rel, abs_tol=abs_):
        raise _Wrong(f"{what} is not right (to {_tolerance(rel, abs_)}).")


def _tolerance(rel: float, abs_: float) -> str:
    """How close an answer must be, in words."""
    if rel == 0:
        return f"within {abs_:g}"
    return {0.01: "1%", 1e-3: "3 significant digits"}.get(rel, "rounding")


def _items(answer: Any, count: int, what: str = "numbers") -> list[Any]:
    """The first ``count`` + 1 items of ``answer`` (so a list that never ends is read safely)."""
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        raise _Wrong(f"the answer should be a list of {count} {what}, got {type(answer).__name__}.")
    try:
        items = list(itertools.islice(iter(answer), count + 1))
    except Exception as error:
        raise _Wrong(
            f"the answer could not be read as a list ({type(error).__name__}: {_short(error)})."
        ) from None
    if len(items) != count:
        more = "more" if len(items) > count else str(len(items))
        raise _Wrong(f"the answer has {more} items; it should have {count} {what}.")
    return items


def _close_list(answer: Any, expected: Sequence[float], rel: float = 1e-3, abs_: float = 1e-6) -> None:
    items = [_as_number(v, f"entry {i}") for i, v in enumerate(_items(answer, len(expected)))]
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
