"""PyTorch as an independent oracle for the engine: every op alone, then random graphs
(through backward(), autograd.fast and autograd.codegen), values and gradients compared
with torch's float64 autograd.

torch computes its derivatives with its own formulas, so agreement here is evidence
independent of the central differences in test_properties.py.  Tolerance: each op
alone agrees to 1e-12 relative (the two libraries may round one last bit apart, e.g. in
tanh or pow); a random graph of up to 12 ops to 1e-9 relative, room for those last
bits to grow along the chain.  Skipped where torch is not installed.
"""

import math

import pytest
from conftest import OPS as TABLE
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value

torch = pytest.importorskip("torch")

# The ops are the shared table of tests/conftest.py, each row with its torch twin.
OPS = {op.name: op for op in TABLE}


def on_values(name, *args):
    return OPS[name].build(*args)


def on_tensors(name, *args):
    return OPS[name].on_tensors(*args)


def leaves(xs):
    values = [Value(x) for x in xs]
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    return values, tensors


def torch_grads(out, tensors):
    grads = torch.autograd.grad(out, tensors, allow_unused=True)
    return [0.0 if g is None else g.item() for g in grads]


def close(a, b, rel):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def test_the_table_covers_every_op_of_the_engine():
    """Each local-derivative function in autograd.value (one per op) is reached by the
    table, so an op added to the engine without an oracle here fails this test."""
    import autograd.value as value_module

    rules = {
        name
        for name, f in vars(value_module).items()
        if name.endswith("_local") and callable(f) and getattr(f, "__module__", "") == value_module.__name__
    }
    reached = set()
    for name, op in OPS.items():
        reached.add(on_values(name, *[Value(x) for x in op.points[0]])._local_grads.__name__)
    assert rules and reached == rules, (rules - reached, reached - rules)


# ----------------------------------------------------------------- each op alone
def inputs_for(name):
    return st.tuples(*[st.floats(-3.0, 3.0, allow_nan=False)] * OPS[name].arity)


def in_domain(name, xs):
    """The row's own map into its domain (log: x*x + 1), the same on Values and tensors;
    relu's kink is no problem here (torch's convention at 0 is the engine's)."""
    return OPS[name].domain(*xs)


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_op_alone_matches_torch(name):
    @settings(max_examples=25 if OPS[name].arity < 9 else 3, deadline=None, derandomize=True)
    @given(xs=inputs_for(name))
    def check(xs):
        values, tensors = leaves(xs)
        out = on_values(name, *in_domain(name, values))
        t_out = on_tensors(name, *in_domain(name, tensors))
        assert close(out.data, t_out.item(), 1e-12), (xs, out.data, t_out.item())
        out.backward()
        expected = torch_grads(t_out, tensors)
        for i, (v, g) in enumerate(zip(values, expected)):
            assert close(v.grad, g, 1e-12), (name, xs, i, v.grad, g)

    check()


# The points where derivative conventions could differ: kinks, zeros, saturation,
# under- and overflow of exp, a negative base.  At each the engine gives what torch gives.
EDGES = [
    ("relu", (0.0,)),
    ("relu", (-0.0,)),
    ("relu", (1e-300,)),
    ("sigmoid", (40.0,)),
    ("sigmoid", (-40.0,)),
    ("sigmoid", (-800.0,)),
    ("sigmoid", (800.0,)),
    ("tanh", (20.0,)),
    ("tanh", (-400.0,)),
    ("exp", (-800.0,)),
    ("exp", (700.0,)),
    ("log", (1e-300,)),
    ("cube", (0.0,)),
    ("pow", (0.0, 2.0)),
    ("pow", (0.0, 0.0)),
    ("pow", (-2.0, 2.0)),
    ("pow", (-2.0, 3.0)),
    ("pow", (2.0, 0.0)),
    ("mul", (0.0, -0.0)),
    ("dot with a constant", (0.0, 0.0, 0.0)),
    # derivatives that over- or underflow: IEEE inf and nan, as torch, never an exception
    ("div", (0.0, 1e-300)),
    ("div", (3.0, 1e-300)),
    ("rdiv", (1e-300,)),
    ("pow 0.7", (0.0,)),
    ("pow", (0.0, 0.5)),
    ("pow", (0.0, -0.0)),
    ("log", (5e-324,)),
    ("mul", (1e300, 1e300)),
    ("exp", (709.0,)),
]


@pytest.mark.parametrize(("name", "xs"), EDGES, ids=[f"{n}{xs}" for n, xs in EDGES])
def test_each_op_at_its_edge_points_matches_torch(name, xs):
    values, tensors = leaves(xs)
    out = on_values(name, *values)
    t_out = on_tensors(name, *tensors)
    assert close(out.data, t_out.item(), 1e-12), (out.data, t_out.item())
    out.backward()
    for i, (v, g) in enumerate(zip(values, torch_grads(t_out, tensors))):
        assert close(v.grad, g, 1e-12), (i, v.grad, g)


# ------------------------------------------------------------------ random graphs
# Inputs to each op are first mapped into its domain by the row's own map, the same way on
# both sides (x*x + 1 is positive and away from 0).  Rows of up to 4 inputs.
GRAPH_OPS = sorted(name for name, op in OPS.items() if op.arity <= 4)
program = st.lists(
    st.tuples(st.sampled_from(GRAPH_OPS), *[st.integers(0, 20)] * 4),
    min_size=1,
    max_size=12,
)


def run(prog, inputs, on):
    stack = list(inputs)
    for name, *picks in prog:
        args = in_domain(name, [stack[k % len(stack)] for k in picks[: OPS[name].arity]])
        result = on(name, *args)
        stack.append(result.tanh() * 3)  # keep magnitudes in range for the next ops (no overflow)
    out = stack[-1]
    for extra in stack[len(inputs) : -1]:  # every intermediate reaches the output: fan-out
        out = out + extra * 0.1
    return out


def _by_backward(out, values, xs):
    out.backward()
    return out.data, [v.grad for v in values]


def _by_fast_pass(out, values, xs):
    autograd.fast.backward(out)
    return out.data, [v.grad for v in values]


def _by_generated_code(out, values, xs):
    from autograd.codegen import codegen

    return codegen(out, values)(*xs)


@pytest.mark.parametrize("gradients", [_by_backward, _by_fast_pass, _by_generated_code])
@settings(max_examples=120, deadline=None)
@given(prog=program, xs=st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=3, max_size=3))
def test_random_graphs_match_torch_autograd_in_every_pass(gradients, prog, xs):
    """backward(), the fast pass and the generated code, each against torch.autograd."""
    values, tensors = leaves(xs)
    out = run(prog, values, on_values)
    t_out = run(prog, tensors, on_tensors)
    value, grads = gradients(out, values, xs)
    assert close(value, t_out.item(), 1e-9), (value, t_out.item())
    for i, (g, expected) in enumerate(zip(grads, torch_grads(t_out, tensors))):
        assert close(g, expected, 1e-9), (i, g, expected)
