"""Checkers for the notebooks' exercises: right or wrong, with a hint, never the answer.

    >>> from nn import exercises
    >>> exercises.task("03.1")                  # the givens of an exercise
    >>> exercises.check("03.1", my_answer)      # ✓ or ✗ with a hint

One module per notebook (``nb03.py`` holds notebook 03's exercises); the verdicts, the
registry and the judging tools they share live in ``_core.py``.  Importing this package
registers every exercise.
"""

from __future__ import annotations

# Importing a notebook's module registers its exercises: one line per notebook, in order.
# Notebooks 11-14 add theirs at the end of this list.
from . import (  # noqa: F401
    nb01,
    nb02,
    nb03,
    nb04,
    nb05,
    nb06,
    nb07,
    nb08,
    nb09,
    nb10,
    nb11,
    nb12,
    nb13,
    nb14,
)
from ._core import Exercise, Verdict, check, ids, task

__all__ = ["Exercise", "Verdict", "check", "ids", "task"]
