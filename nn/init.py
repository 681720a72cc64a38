"""How a module's weights start: the one home of the initialisation rules.

Each rule is a Gaussian with mean 0 and a standard deviation that depends on the
weight's fan-in n_in (how many inputs the neuron or filter reads) and fan-out n_out
(how many outputs the layer has).  Biases always start at 0.

==========  =========================  =============================================
name         variance                   why
==========  =========================  =============================================
``lecun``    1 / n_in                   z = Σ w·a + b has a spread of about 1 whatever
                                        n_in (Nielsen ch. 3); nn's default
``normal``   1                          N(0, 1): Nielsen's first ("large") init, which
                                        saturates sigmoid neurons when n_in is large
``glorot``   2 / (n_in + n_out)         Glorot & Bengio (Xavier): keeps the spread of
                                        the δs of the backward pass too
``he``       2 / n_in                   He et al.: for relu, which zeroes half its z's
==========  =========================  =============================================

A module passes its own fan-in and fan-out (a dense neuron: n_in inputs, n_out the
neurons of its layer; a convolution: C·k·k and C_out·k·k) and its ``random.Random``, so
``seed=`` makes the draw reproducible.  ``lecun`` draws ``rng.gauss(0.0, 1/√n_in)``,
the very call nn made before ``init=`` existed, so default models keep their bits.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

DEFAULT = "lecun"

#: name -> standard deviation as a function of (fan_in, fan_out)
INITS: dict[str, Callable[[int, int], float]] = {
    "lecun": lambda fan_in, fan_out: 1.0 / math.sqrt(fan_in),
    "normal": lambda fan_in, fan_out: 1.0,
    "glorot": lambda fan_in, fan_out: math.sqrt(2.0 / (fan_in + fan_out)),
    "he": lambda fan_in, fan_out: math.sqrt(2.0 / fan_in),
}


def check_init(init: object) -> str:
    """``init`` if it names a rule of ``INITS``; ValueError listing the choices otherwise."""
    if not isinstance(init, str) or init not in INITS:
        raise ValueError(f"init must be one of {sorted(INITS)}, got {init!r}")
    return init


def std(init: str, fan_in: int, fan_out: int) -> float:
    """The standard deviation of rule ``init`` for a weight with this fan-in and fan-out."""
    return INITS[check_init(init)](fan_in, fan_out)


def draw(init: str, rng: random.Random, count: int, fan_in: int, fan_out: int) -> list[float]:
    """``count`` weights drawn from rule ``init`` with ``rng``, in order."""
    scale = std(init, fan_in, fan_out)
    return [rng.gauss(0.0, scale) for _ in range(count)]


__all__ = ["DEFAULT", "INITS", "check_init", "draw", "std"]
