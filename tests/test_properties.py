"""Property tests: random compositions of ops, differentiated by backward, against
central differences of the same formula evaluated in plain floats with ``math``."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value

# Each op is (name, arity, on Values, on floats, safe): "safe" keeps inputs in a domain
# where the float formula is smooth, so central differences are meaningful.
UNARY = {
    "tanh": (lambda v: v.tanh(), math.tanh),
    "sigmoid": (lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x))),
    "exp_small": (lambda v: (v * 0.3).exp(), lambda x: math.exp(x * 0.3)),
    "log_soft": (lambda v: (v * v + 1).log(), lambda x: math.log(x * x + 1)),
    "square": (lambda v: v**2, lambda x: x**2),
    "neg": (lambda v: -v, lambda x: -x),
    "cube_over": (lambda v: v**3 / 4, lambda x: x**3 / 4),
    "recip": (lambda v: 1 / (v * v + 0.5), lambda x: 1 / (x * x + 0.5)),
    "pow_pos": (lambda v: (v * v + 1) ** 0.7, lambda x: (x * x + 1) ** 0.7),
    "two_to": (lambda v: 2 ** (v * 0.5), lambda x: 2 ** (x * 0.5)),
}
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / (b * b + 1), lambda a, b: a / (b * b + 1)),
    "vpow": (lambda a, b: (a * a + 1) ** (b * 0.3), lambda a, b: (a * a + 1) ** (b * 0.3)),
    "sum3": (lambda a, b: autograd.sum([a, b, a]), lambda a, b: a + b + a),
    "dot": (lambda a, b: autograd.dot([a, b], [b, 0.5], a), lambda a, b: a * b + b * 0.5 + a),
}

program = st.lists(
    st.one_of(
        st.tuples(st.just("u"), st.sampled_from(sorted(UNARY)), st.integers(0, 10)),
        st.tuples(st.just("b"), st.sampled_from(sorted(BINARY)), st.integers(0, 10), st.integers(0, 10)),
    ),
    min_size=1,
    max_size=12,
)


def run(prog, inputs, on_values):
    """Apply the program; each op reads earlier results (fan-out happens often)."""
    slot = 0 if on_values else 1
    stack = list(inputs)
    for instruction in prog:
        if instruction[0] == "u":
            _, name, i = instruction
            stack.append(UNARY[name][slot](stack[i % len(stack)]))
        else:
            _, name, i, j = instruction
            stack.append(BINARY[name][slot](stack[i % len(stack)], stack[j % len(stack)]))
    # combine everything so every intermediate reaches the output (more fan-out)
    out = stack[-1]
    for extra in stack[len(inputs) : -1]:
        out = out + extra * 0.1 if on_values else out + extra * 0.1
    return out


@settings(max_examples=150, deadline=None)
@given(
    prog=program,
    xs=st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=3, max_size=3),
)
def test_random_compositions_match_central_differences(prog, xs):
    leaves = [Value(x) for x in xs]
    out = run(prog, leaves, on_values=True)
    # the same formula on floats gives the same value
    assert math.isclose(out.data, run(prog, xs, on_values=False), rel_tol=1e-12, abs_tol=1e-12)
    if not math.isfinite(out.data) or abs(out.data) > 1e6:
        return
    out.backward()
    eps = 1e-6
    for i in range(len(xs)):
        plus, minus = list(xs), list(xs)
        plus[i] += eps
        minus[i] -= eps
        numeric = (run(prog, plus, False) - run(prog, minus, False)) / (2 * eps)
        scale = max(1.0, abs(numeric))
        assert abs(leaves[i].grad - numeric) <= 2e-5 * scale, (i, leaves[i].grad, numeric)
