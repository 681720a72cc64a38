"""Cases for notebook 12's exercises, worked out in closed form with plain floats."""

from __future__ import annotations

import math


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# 12.1: σ″ = σ(1 − σ)(1 − 2σ), the product rule on σ′ = σ(1 − σ).
S = sig(-1.3)
SIGMA_SECOND = S * (1 - S) * (1 - 2 * S)

# 12.2: f = x⁴ − 3x + sin x, f′ = 4x³ − 3 + cos x, f″ = 12x² − sin x; from x₀ = 0.9.
X0 = 0.9
F1 = 4 * X0**3 - 3 + math.cos(X0)
F2 = 12 * X0**2 - math.sin(X0)
NEWTON = X0 - F1 / F2

# 12.3: C = 3u² + 2uv + v² − u has Hessian [[6, 2], [2, 2]]; its eigenvalues are the roots
# of μ² − 8μ + 8 = 0, so μ_max = 4 + 2√2 and the edge is 2/μ_max.
EDGE = 2 / (4 + 2 * math.sqrt(2))

CASES = {
    "12.1": (SIGMA_SECOND, [S * (1 - S), -SIGMA_SECOND, 0.0]),
    "12.2": (NEWTON, [X0 - F1, X0 + F1 / F2, X0 - F2 / F1]),
    "12.3": (EDGE, [1 / (4 + 2 * math.sqrt(2)), 2 / (4 - 2 * math.sqrt(2)), 2 / 6]),
}
