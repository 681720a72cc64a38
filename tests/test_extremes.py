"""Extreme inputs: once a forward pass succeeded, no backward pass raises, and all passes agree.

Random graphs (every op of the table in conftest.py, fan-out, shared leaves) on inputs
drawn from the extremes (0, ±tiny, ±huge, ±700, nan, ±inf): ``backward()``,
``backward_steps`` and ``autograd.fast.backward`` give every node the same gradient to the
last bit (NaN equal to NaN) and never raise.  Where PyTorch is installed, finite gradients
are compared with its float64 autograd.  The issue's own examples are checked against
values worked out by hand.
"""

import math

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, fast

FORWARD_ERRORS = (ValueError, ZeroDivisionError, OverflowError)


def graph_ops(ops):
    return [op for op in ops if op.arity <= 4]


def programs(ops, extremes):
    """(leaf data, instructions): each instruction is an op and the indices of its operands."""
    usable = graph_ops(ops)
    leaf = st.one_of(st.sampled_from(extremes), st.floats(-3.0, 3.0, allow_nan=False))
    picks = st.lists(st.integers(0, 50), min_size=4, max_size=4)
    instruction = st.tuples(st.integers(0, len(usable) - 1), picks)
    return st.tuples(st.lists(leaf, min_size=2, max_size=4), st.lists(instruction, min_size=1, max_size=10))


def build(program, ops):
    """The graph of ``program``: (leaves, root, kept) or None when no instruction succeeded.

    An instruction whose forward raises is left out (the same ones on every rebuild);
    ``kept`` lists the others as (op, operand positions), to replay them with torch.
    The root is the sum of every result, so that results fan out.
    """
    data, instructions = program
    usable = graph_ops(ops)
    leaves = [Value(x) for x in data]
    results = list(leaves)
    kept = []
    for which, picks in instructions:
        op = usable[which]
        positions = [i % len(results) for i in picks[: op.arity]]
        try:
            results.append(op.build(*[results[i] for i in positions]))
        except FORWARD_ERRORS:
            continue
        kept.append((op, positions))
    if not kept:
        return None
    return leaves, autograd.sum(results[len(leaves) :]), kept


def torch_replay(torch, data, kept):
    """The same graph in PyTorch float64, each op by its torch twin from the table: (leaves, root)."""
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in data]
    results = list(leaves)
    for op, positions in kept:
        results.append(op.on_tensors(*[results[i] for i in positions]))
    root = results[len(leaves)]
    for extra in results[len(leaves) + 1 :]:
        root = root + extra  # autograd.sum adds in this order too
    return leaves, root


def grads_by(run, program, ops):
    leaves, root, _ = build(program, ops)
    run(root)
    return [v.grad for v in autograd.topological_order(root)], [v.grad for v in leaves]


def by_steps(root):
    for _ in root.backward_steps():
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_graphs_on_extreme_inputs_never_raise_and_agree_bit_for_bit(data, ops, extremes, bits):
    program = data.draw(programs(ops, extremes))
    if build(program, ops) is None:
        event("no op's forward succeeded")
        return
    plain_all, plain_leaves = grads_by(autograd.backward, program, ops)
    for run in (fast.backward, by_steps):
        other_all, other_leaves = grads_by(run, program, ops)
        assert bits.all_same(other_all, plain_all), (run, program)
        assert bits.all_same(other_leaves, plain_leaves)


# ---------------------------------------------------------------- against PyTorch
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_finite_gradients_match_pytorch_float64(data, ops, extremes):
    torch = pytest.importorskip("torch")
    program = data.draw(programs(ops, extremes))
    ours = build(program, ops)
    if ours is None:
        return
    leaves, root, kept = ours
    root.backward()
    locals_ = [local for node in autograd.topological_order(root) for local in node.local_grads()]
    if not all(math.isfinite(local) for local in locals_):
        event("skipped: a local derivative is not finite")
        return  # a local derivative overflowed of its own (1/b at a subnormal b): PyTorch divides instead
    t_leaves, t_root = torch_replay(torch, program[0], kept)
    t_root.backward()
    scale = magnitudes(root)
    for ours_leaf, t_leaf in zip(leaves, t_leaves):
        theirs = 0.0 if t_leaf.grad is None else t_leaf.grad.item()
        size = scale.get(ours_leaf, 0.0)
        if math.isfinite(theirs) and math.isfinite(ours_leaf.grad) and math.isfinite(size):
            event("finite gradient compared with PyTorch")
            # PyTorch adds a node's contributions in another order: allow rounding of the terms' size
            assert abs(ours_leaf.grad - theirs) <= 1e-12 * size + 1e-300, (program, kept)


def magnitudes(root):
    """For each node, Σ over paths of |local| · |upstream|: how big the terms are that its grad adds up."""
    size = {node: 0.0 for node in autograd.topological_order(root)}
    size[root] = 1.0
    for node in reversed(autograd.topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads()):
            size[parent] += abs(local) * size[node]
    return size


# ------------------------------------------------------------ the issue's examples
def grads(build_graph, *data):
    leaves = [Value(x) for x in data]
    out = build_graph(*leaves)
    out.backward()
    return [x.grad for x in leaves]


@pytest.mark.parametrize(
    "name, build_graph, data, expected",
    [
        # ∂(a/b)/∂b = -(a/b)/b: b*b would underflow to 0 (ZeroDivisionError) or lose the answer
        ("1 / 1e-200", lambda a, b: a / b, (1.0, 1e-200), [1e200, -math.inf]),
        ("1e300 / 1e200", lambda a, b: a / b, (1e300, 1e200), [1e-200, -1e-100]),
        ("x / x at 1e200", lambda x: x / x, (1e200,), [0.0]),
        # x ** n: n · x^(n-1) with C's pow: 0 ** negative is inf, an overflow is ±inf
        ("0 ** 0.5", lambda x: x**0.5, (0.0,), [math.inf]),
        ("1e-200 ** -1", lambda x: x**-1, (1e-200,), [-math.inf]),
        ("(-1e-100) ** -3", lambda x: x**-3, (-1e-100,), [-math.inf]),  # -3 · (+inf)
        ("0 ** Value(0.5)", lambda a, b: a**b, (0.0, 0.5), [math.inf, 0.0]),
        ("1e-200 ** Value(-1.0)", lambda a, b: a**b, (1e-200, -1.0), [-math.inf, 1e200 * math.log(1e-200)]),
        ("x ** 0 at 0", lambda x: x**0, (0.0,), [0.0]),
    ],
)
def test_the_issues_examples_give_the_ieee_answer(name, build_graph, data, expected):
    assert grads(build_graph, *data) == expected


def test_the_issues_examples_agree_with_pytorch():
    torch = pytest.importorskip("torch")

    def t(x):
        return torch.tensor(x, dtype=torch.float64, requires_grad=True)

    a, b = t(1.0), t(1e-200)
    (a / b).backward()
    assert [a.grad.item(), b.grad.item()] == grads(lambda p, q: p / q, 1.0, 1e-200)
    a, b = t(1e300), t(1e200)
    (a / b).backward()
    assert [a.grad.item(), b.grad.item()] == grads(lambda p, q: p / q, 1e300, 1e200)
    x = t(0.0)
    (x**0.5).backward()
    assert [x.grad.item()] == grads(lambda p: p**0.5, 0.0)
    x = t(1e-200)
    (x**-1).backward()
    assert [x.grad.item()] == grads(lambda p: p**-1, 1e-200)
    a, b = t(0.0), t(0.5)
    (a**b).backward()
    assert [a.grad.item(), b.grad.item()] == grads(lambda p, q: p**q, 0.0, 0.5)
