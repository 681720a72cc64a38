"""Exercises of notebook 06 (matrices)."""

from __future__ import annotations

import math
import random
from typing import Any

from ._core import _as_count, _call, _close_list, _exercise, _items, _random_lists, _Wrong


@_exercise(
    "06.1",
    "the shape of W_diff",
    "W_diff has the shape of W; which way round is W, for z = W·a with a of 5 numbers and z of 3?",
    lambda: {
        "layer": "affine, 5 inputs → 3 outputs, a batch of 7 samples as rows",
        "asked": "W_diff.shape as a tuple",
    },
)
def _06_1(answer: Any) -> None:
    if not isinstance(answer, (tuple, list)):
        raise _Wrong("the answer should be a tuple such as (2, 4).")
    shape = tuple(_as_count(n, f"entry {i}") for i, n in enumerate(_items(answer, 2, "sizes")))
    if 7 in shape:
        raise _Wrong("the batch size does not appear: W_diff sums over the samples.")
    if shape != (3, 5):
        raise _Wrong("that shape is not W's: write z = W·a with sizes and see which way round W must be.")


@_exercise(
    "06.2",
    "an affine layer's backward",
    "each result has the shape of what it is the gradient of: in_diff like A, W_diff like W, b_diff like b; "
    "let the shapes tell you where the transposes go.",
    lambda: {
        "signature": "affine_backward(W, A, out_diff) -> (in_diff, W_diff, b_diff)",
        "shapes": "W (m, n), A (batch, n) rows are samples, out_diff (batch, m); numpy arrays",
    },
)
def _06_2(answer: Any) -> None:
    import numpy as np  # only here: numpy is a notebook dependency, not nn's

    rng = random.Random(6)
    for batch, n, m in ((1, 2, 1), (4, 3, 2)):
        W, A, D = (_random_lists(rng, m, n), _random_lists(rng, batch, n), _random_lists(rng, batch, m))
        got = _call(answer, np.array(W), np.array(A), np.array(D))
        try:
            in_diff, W_diff, b_diff = (np.asarray(t, dtype=float) for t in got)
        except (TypeError, ValueError):
            raise _Wrong("return three arrays: (in_diff, W_diff, b_diff).") from None
        want_in = [[math.fsum(D[s][j] * W[j][k] for j in range(m)) for k in range(n)] for s in range(batch)]
        want_W = [[math.fsum(D[s][j] * A[s][k] for s in range(batch)) for k in range(n)] for j in range(m)]
        want_b = [math.fsum(D[s][j] for s in range(batch)) for j in range(m)]
        for name, got_t, want in (
            ("in_diff", in_diff, want_in),
            ("W_diff", W_diff, want_W),
            ("b_diff", b_diff, want_b),
        ):
            want_a = np.array(want)
            if got_t.shape != want_a.shape:
                raise _Wrong(
                    f"{name} has shape {got_t.shape} for a batch of {batch}, {n} inputs, {m} outputs."
                )
            if not np.allclose(got_t, want_a, rtol=1e-9, atol=1e-12):
                raise _Wrong(f"{name} has the right shape but wrong numbers (batch {batch}).")


@_exercise(
    "06.3",
    "a sigmoid layer's backward",
    "the sigmoid layer multiplies out_diff element by element by out·(1 − out).",
    lambda: {"out": [0.2, 0.9], "out_diff": [1.0, -2.0], "asked": "in_diff as a list of 2 numbers"},
)
def _06_3(answer: Any) -> None:
    _close_list(answer, [d * o * (1 - o) for o, d in zip([0.2, 0.9], [1.0, -2.0])])
