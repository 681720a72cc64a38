"""Exercises of notebook 11 (convolution)."""

from __future__ import annotations

from typing import Any

from ._core import _as_count, _close_list, _exercise, _items, _Wrong

_SIGNAL = [3.0, -1.0, 2.0, 0.0, 1.0]
_DELTAS = [1.0, -2.0, 0.5, 1.0]


@_exercise(
    "11.1",
    "a shared weight's gradient",
    "w₀ is used at every position i: z_i = w₀·x_i + w₁·x_(i+1) + b, so ∂C/∂w₀ adds up one "
    "term δ_i·(what w₀ multiplied at position i) per position; the same for w₁.",
    lambda: {
        "x": list(_SIGNAL),
        "kernel": "two weights (w0, w1), stride 1, no padding: four outputs z_0 .. z_3",
        "delta": list(_DELTAS),
        "asked": "(dC/dw0, dC/dw1) as a pair of numbers",
    },
)
def _11_1(answer: Any) -> None:
    w0 = sum(d * x for d, x in zip(_DELTAS, _SIGNAL[:4]))
    w1 = sum(d * x for d, x in zip(_DELTAS, _SIGNAL[1:]))
    _close_list(answer, [w0, w1])


def _shape(answer: Any, what: str) -> tuple[int | None, ...]:
    if not isinstance(answer, (tuple, list)):
        raise _Wrong(f"{what} should be a pair such as (2, 4).")
    return tuple(_as_count(n, f"a size in {what}") for n in _items(answer, 2, "sizes"))


@_exercise(
    "11.2",
    "the shapes of im2col",
    "cols has one row per kernel place (channel, row, column of the kernel) and one column per "
    "output position; W has one row per kernel; W_diff = out_diff·colsᵀ has W's shape.",
    lambda: {
        "layer": "nn.Conv2d(3, 8, 5, padding=2) on one 3 × 32 × 32 image (stride 1)",
        "asked": "(shape of cols, shape of W_diff), two pairs (rows, columns)",
    },
)
def _11_2(answer: Any) -> None:
    cols, w_diff = _items(answer, 2, "shapes")
    cols, w_diff = _shape(cols, "the shape of cols"), _shape(w_diff, "the shape of W_diff")
    if cols != (75, 1024):
        raise _Wrong("cols has the wrong shape: count the places of one kernel, then the output positions.")
    if w_diff != (8, 75):
        raise _Wrong("W_diff has the wrong shape: it has the shape of W, one row per kernel.")


_POOLED = [[4.0, 1.0, 0.0, 2.0], [3.0, 4.0, 2.0, 1.0], [0.0, 5.0, 6.0, 6.0], [1.0, 2.0, 6.0, 3.0]]
_POOL_DELTAS = [[1.0, -1.0], [0.5, 2.0]]


def _routed() -> list[float]:
    out = [[0.0] * 4 for _ in range(4)]
    for i in range(2):
        for j in range(2):
            places = [(2 * i + p, 2 * j + q) for p in range(2) for q in range(2)]
            best = places[0]
            for r, s in places:
                if _POOLED[r][s] > _POOLED[best[0]][best[1]]:
                    best = (r, s)
            out[best[0]][best[1]] += _POOL_DELTAS[i][j]
    return [v for row in out for v in row]


@_exercise(
    "11.3",
    "where max-pooling sends δ",
    "each output of a 2×2 max-pool passes its δ to the place of its window's maximum only; the "
    "other places get 0; on a tie the first maximum in reading order (row by row) gets it.",
    lambda: {
        "x": [list(row) for row in _POOLED],
        "pool": "nn.MaxPool2d(2): four 2×2 windows, no overlap",
        "delta": [list(row) for row in _POOL_DELTAS],
        "asked": "∂C/∂x: the 16 numbers of the 4×4 input's gradient, row by row in one list",
    },
)
def _11_3(answer: Any) -> None:
    _close_list(answer, _routed())
