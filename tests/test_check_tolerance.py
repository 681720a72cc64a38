"""gradcheck's tolerance, pinned by a central difference whose error is known exactly.

For f(x) = x³ the central difference is ((x + h)³ − (x − h)³) / 2h = 3x² + h², so at
x = 1 the numeric gradient misses the true 3 by h² (up to rounding).  Choosing h sets
how far apart backward and the numeric estimate are, and so which tolerance must pass
and which must fail.
"""

from __future__ import annotations

import math

import pytest

from autograd import GradcheckError, Value, gradcheck, numeric_grads


def cube(x: Value) -> Value:
    return x**3


def test_the_central_difference_of_a_cube_misses_by_h_squared():
    for h in (0.1, 0.0125, 1e-3):
        (numeric,) = numeric_grads(cube, [Value(1.0)], eps=h)
        assert numeric == pytest.approx(3.0 + h * h, rel=1e-12)


def test_a_relative_miss_of_3e_3_fails_the_default_rtol():
    # |analytic − numeric| = 0.01 against a tolerance of 1e-5 + 1e-4 · 3.01 ≈ 3.1e-4
    with pytest.raises(GradcheckError, match="disagree"):
        gradcheck(cube, [Value(1.0)], eps=0.1)


def test_a_relative_miss_of_5e_5_passes_the_default_rtol():
    h = math.sqrt(1.5e-4)  # misses by 1.5e-4, inside 1e-5 + 1e-4 · 3.00015
    assert gradcheck(cube, [Value(1.0)], eps=h)


def test_rtol_and_atol_are_both_used():
    h = math.sqrt(1.5e-4)
    with pytest.raises(GradcheckError):
        gradcheck(cube, [Value(1.0)], eps=h, rtol=1e-5)  # 1e-5 + 3e-5 < 1.5e-4
    assert gradcheck(cube, [Value(1.0)], eps=h, atol=2e-4, rtol=0.0)
    with pytest.raises(GradcheckError):
        gradcheck(cube, [Value(1.0)], eps=h, atol=1e-4, rtol=0.0)
