"""W2: a chain of N ops, y ← y · a, N times (one new node per op; ``a`` is one shared leaf).

Forward time per node (building the chain) and backward time per node (``backward()``
from the last node, topological sort included; for ``glassgrad-fast``,
``autograd.fast.backward``), at N = 1,000 and N = 1,000,000.
micrograd's ``backward`` is recursive: with Python's default recursion limit it raises
RecursionError long before N = 1,000, so for its N = 1,000 figure the limit is raised
for that run only, and its largest N at the default limit is found by bisection in a
fresh interpreter (``micrograd_max_chain``).
"""

from __future__ import annotations

import subprocess
import sys
from time import perf_counter

FACTOR = 1.0000001  # keeps y near 1 for any N


def _timed_chain(Value, n: int, backward=None) -> dict[str, float]:
    """Build y = 1 · a · a · … (n ops) with this engine's Value, then time backward and freeing.

    ``backward(y)`` if given, else ``y.backward()``.
    """
    a = Value(FACTOR)
    start = perf_counter()
    y = Value(1.0)
    for _ in range(n):
        y = y * a
    built = perf_counter()
    if backward is None:
        y.backward()
    else:
        backward(y)
    done = perf_counter()
    # glassgrad frees the chain by reference counting, node by node; micrograd has a
    # cycle per node and leaves it to the cyclic GC, later.
    del y
    freed = perf_counter()
    return {"forward": built - start, "backward": done - built, "free": freed - done}


def glassgrad_run(n: int):
    from autograd import Value

    def run():
        return _timed_chain(Value, n)

    return run


def glassgrad_fast_run(n: int):
    """The chain with ``autograd.fast.backward``, or None when this engine has no ``autograd.fast``."""
    from autograd import Value

    try:
        from autograd.fast import backward
    except ImportError:
        return None

    def run():
        return _timed_chain(Value, n, backward)

    return run


def micrograd_run(n: int):
    from micrograd.engine import Value

    def run():
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 3 * n + 1000))
        try:
            return _timed_chain(Value, n)
        finally:
            sys.setrecursionlimit(limit)

    return run


_PROBE = """
import sys
from micrograd.engine import Value

def works(n):
    a = Value(1.0000001)
    y = Value(1.0)
    for _ in range(n):
        y = y * a
    try:
        y.backward()
    except RecursionError:
        return False
    return True

lo, hi = 1, 2
while works(hi):
    lo, hi = hi, hi * 2
while hi - lo > 1:          # works(lo) and not works(hi)
    mid = (lo + hi) // 2
    if works(mid):
        lo = mid
    else:
        hi = mid
print(lo, sys.getrecursionlimit())
"""


def micrograd_max_chain() -> tuple[int, int] | None:
    """``(largest N whose backward works, recursion limit)`` in a fresh interpreter, or None."""
    try:
        out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    n, limit = out.stdout.split()
    return int(n), int(limit)


def check(n: int = 1_000, with_micrograd: bool = True) -> dict[str, float]:
    """Before timing: every engine's chain gives y = a^n and ∂y/∂a = n·a^(n-1) (closed form,
    to 1e-9 relative); returns each engine's relative error of ∂y/∂a."""
    from autograd import Value

    engines = {"glassgrad": (Value, None)}
    try:
        from autograd.fast import backward

        engines["glassgrad-fast"] = (Value, backward)
    except ImportError:
        pass
    if with_micrograd:
        from micrograd.engine import Value as MValue

        engines["micrograd"] = (MValue, None)
    want_y, want_grad = FACTOR**n, n * FACTOR ** (n - 1)
    report = {}
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 3 * n + 1000))  # micrograd's backward recurses
    try:
        for name, (V, backward) in engines.items():
            a = V(FACTOR)
            y = V(1.0)
            for _ in range(n):
                y = y * a
            y.backward() if backward is None else backward(y)
            error = abs(a.grad - want_grad) / want_grad
            if error > 1e-9 or abs(y.data - want_y) > 1e-9 * want_y:
                raise AssertionError(f"W2: {name}'s chain gives y = {y.data!r}, dy/da = {a.grad!r}; "
                                     f"closed form {want_y!r}, {want_grad!r}")
            report[name] = error
    finally:
        sys.setrecursionlimit(limit)
    return report
