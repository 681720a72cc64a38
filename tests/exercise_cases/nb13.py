"""Cases for notebook 13's exercises, worked out by hand."""

from __future__ import annotations

CASES = {
    # σ(250x − 85) = 0.5 where 250x = 85
    "13.1": (0.34, [85 / 250 + 0.01, -0.34, 250 / 85, 85.0]),
    # steps at 0.3 (b = −500·0.3) and 0.6 (b = −500·0.6), added as 0.7·a₀ − 0.7·a₁
    "13.2": (
        (-150.0, -300.0, 0.7, -0.7),
        [
            (150.0, 300.0, 0.7, -0.7),  # b = +w·s: steps at −0.3 and −0.6
            (-150.0, -300.0, -0.7, 0.7),  # upside down
            (-0.3, -0.6, 0.7, -0.7),  # the edges, not the biases
            (-150.0, -300.0, 0.7, 0.7),  # a step of 0.7 then 1.4
            (-150.0, -300.0, 0.7),
        ],
    ),
    # the largest error is 2.5 / (2N) ≤ 0.012  ⇔  N ≥ 104.17
    "13.3": (105, [104, 210, 53, 105.5]),
}
