"""The float math of the ops, as plain functions of floats (in the spirit of MiniTorch's operators.py).

``value.py`` builds its ops from these and ``nn`` (deltas, layers) uses the same functions
for the equations it writes out in floats, so both give the same bits.  Two kinds:

- forward functions, which raise the op's errors with a message naming the op and the
  value (``checked_log(0.0)`` is a ValueError, ``checked_div(1.0, 0.0)`` a ZeroDivisionError);
- derivative helpers, which never raise for a number: they give IEEE results
  (±inf, nan) as PyTorch's float64 does, so a backward pass whose forward succeeded
  cannot fail.  ``*_prime_from_a(a)`` is σ′ written from the output a = σ(z), the form
  the engine's local-derivative functions use.
"""

from __future__ import annotations

import functools
import math
import operator

__all__ = [
    "add_up",
    "checked_div",
    "checked_exp",
    "checked_log",
    "checked_pow",
    "cos",
    "ieee_pow",
    "relu",
    "relu_prime",
    "relu_prime_from_a",
    "sigmoid",
    "sigmoid_prime",
    "sigmoid_prime_from_a",
    "sin",
    "softplus",
    "tanh",
    "tanh_prime",
    "tanh_prime_from_a",
]

tanh = math.tanh


# ------------------------------------------------------------------ activations
def sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e^-x), written so that e^(±x) is never taken of a large positive x."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # also the branch NaN takes: exp(nan) is nan
    return e / (1.0 + e)


def add_up(values) -> float:
    """0.0 + v₁ + v₂ + …, left to right: the additions ``backward()`` makes with ``grad +=``.

    Python 3.12 made the built-in ``sum`` of floats compensated (more exact, other bits), so
    ``sum`` would give ``autograd.sum`` different last bits on different Pythons, and
    different bits from a gradient that ``backward()`` accumulates term by term.  This
    gives the same bits on every Python.
    """
    return functools.reduce(operator.add, values, 0.0)


def sigmoid_prime_from_a(a: float) -> float:
    """σ′(z) from a = σ(z): a(1 − a)."""
    return a * (1.0 - a)


def sigmoid_prime(x: float) -> float:
    """σ′(x), as the engine computes it: σ(x)(1 − σ(x))."""
    return sigmoid_prime_from_a(sigmoid(x))


def tanh_prime_from_a(a: float) -> float:
    """tanh′(z) from a = tanh(z): 1 − a²."""
    return 1.0 - a * a


def tanh_prime(x: float) -> float:
    """tanh′(x), as the engine computes it: 1 − tanh(x)²."""
    return tanh_prime_from_a(math.tanh(x))


def relu(x: float) -> float:
    """max(x, 0), except that NaN stays NaN (as in PyTorch): NaN is not <= 0."""
    return 0.0 if x <= 0.0 else x


def relu_prime_from_a(a: float) -> float:
    """relu′ from a = relu(z): 0 where a <= 0, else 1 (NaN passes the gradient on, as in PyTorch)."""
    return 0.0 if a <= 0.0 else 1.0


def relu_prime(x: float) -> float:
    """relu′(x), as the engine computes it."""
    return relu_prime_from_a(relu(x))


def softplus(x: float) -> float:
    """ln(1 + e^x), written as max(x, 0) + ln(1 + e^-|x|) so that e^x never overflows.

    Its derivative is σ(x).  NaN stays NaN (``max(nan, 0.0)`` is nan).
    """
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def sin(x: float) -> float:
    """sin x; nan for ±inf and nan (as PyTorch), where ``math.sin`` raises "math domain error"."""
    return math.sin(x) if math.isfinite(x) else math.nan


def cos(x: float) -> float:
    """cos x; nan for ±inf and nan (as PyTorch), where ``math.cos`` raises "math domain error"."""
    return math.cos(x) if math.isfinite(x) else math.nan


# ---------------------------------------------------------- forward with errors
def checked_exp(x: float) -> float:
    """e^x; OverflowError naming the input where the result does not fit in a float."""
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp overflows for input {x!r} (limit ≈ 709.78)") from None


def checked_log(x: float) -> float:
    """ln x; ValueError naming the input for x <= 0 (NaN gives NaN)."""
    if x <= 0.0:
        raise ValueError(f"log needs a positive input, got {x!r}")
    return math.log(x)


def checked_div(a: float, b: float) -> float:
    """a / b; ZeroDivisionError naming both values when b is zero."""
    if b == 0.0:
        raise ZeroDivisionError(f"division by zero in '/': {a!r} / {b!r}")
    return a / b


def checked_pow(base: float, exponent: float, shown: str | None = None) -> float:
    """base ** exponent as a real float, with errors that name the op and the values.

    ``shown`` is how the op is written in messages (default ``** exponent``).
    """
    what = f"** {exponent!r}" if shown is None else shown
    if base == 0.0 and exponent < 0.0:
        raise ZeroDivisionError(f"0.0 {what}: zero raised to a negative power")
    try:
        result = base**exponent
    except OverflowError:
        raise OverflowError(f"{base!r} {what} overflows") from None
    if isinstance(result, complex):
        raise ValueError(f"{base!r} {what} is not a real number (negative base, fractional power)")
    return result


# ------------------------------------------------------ derivative helpers (IEEE)
def _is_odd_integer(y: float) -> bool:
    return math.isfinite(y) and y % 2.0 == 1.0


def ieee_pow(x: float, y: float) -> float:
    """x ** y as C's pow (and PyTorch) gives it: never raises.

    0 ** negative is inf (-inf for -0.0 and an odd integer power), an overflow is ±inf,
    a negative base with a fractional power is nan.
    """
    try:
        result = x**y
    except ZeroDivisionError:  # 0 ** negative
        return -math.inf if math.copysign(1.0, x) < 0.0 and _is_odd_integer(y) else math.inf
    except OverflowError:  # |result| too large for a float
        return -math.inf if x < 0.0 and _is_odd_integer(y) else math.inf
    if isinstance(result, complex):
        return math.nan
    return result
