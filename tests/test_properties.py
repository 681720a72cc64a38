"""Property tests: random compositions of ops, differentiated by backward, against
central differences of the same formula evaluated in plain floats with ``math``.

The ops and their textbook float formulas are the table in conftest.py; each op's
``domain`` keeps its inputs where the formula is defined, and ops marked ``kink`` (relu)
are left out, so central differences are meaningful.
"""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    xs=st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=3, max_size=3),
)
def test_random_compositions_match_central_differences(data, xs, programs):
    prog = data.draw(programs.strategy)
    leaves = [Value(x) for x in xs]
    out = programs.run(prog, leaves, on_values=True)
    try:
        on_floats = programs.run(prog, xs, on_values=False)
    except OverflowError:  # a textbook formula (1 / (1 + e^-x)) overflowing where the op does not
        return
    # the same formula on floats gives the same value
    assert math.isclose(out.data, on_floats, rel_tol=1e-12, abs_tol=1e-12)
    if not math.isfinite(out.data) or abs(out.data) > 1e6:
        return
    out.backward()
    eps = 1e-6
    for i in range(len(xs)):
        plus, minus = list(xs), list(xs)
        plus[i] += eps
        minus[i] -= eps
        numeric = (programs.run(prog, plus, False) - programs.run(prog, minus, False)) / (2 * eps)
        scale = max(1.0, abs(numeric))
        assert abs(leaves[i].grad - numeric) <= 2e-5 * scale, (i, leaves[i].grad, numeric)
