"""autograd.fast.backward: the gradients of ``backward()`` to the last bit, and right.

Two kinds of checks: exact equality with the teaching ``backward()`` (the promise the
fast pass makes: same nodes, same order, same products, same sums), and the gradients
themselves against closed forms and central differences, so that agreeing with
``backward`` is never the only evidence.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value, fast, topological_order


def grads_both_ways(build, data, held=None):
    """Build the graph twice from ``data``; run backward on one, fast.backward on the other.

    ``held``: grads the leaves hold before the pass (leaves accumulate).  Returns the two
    lists of leaf grads, and of every node's grad in topological order.
    """
    results = []
    for backward in (autograd.backward, fast.backward):
        leaves = [Value(x) for x in data]
        if held is not None:
            for leaf, g in zip(leaves, held):
                leaf.grad = g
        root = build(*leaves)
        backward(root)
        results.append(([v.grad for v in leaves], [v.grad for v in topological_order(root)]))
    return results


def test_every_op_matches_backward_exactly_and_its_closed_form(op, bits):
    for data in op.points:
        (slow_leaves, slow_all), (fast_leaves, fast_all) = grads_both_ways(op.build, data)
        assert bits.all_same(fast_leaves, slow_leaves)
        assert bits.all_same(fast_all, slow_all)
        for got, expected in zip(fast_leaves, op.derivs(*data)):
            assert got == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_leaves_holding_grads_accumulate_exactly_as_backward(op, bits):
    for data in op.points:
        held = [0.1 * (i + 1) / 3 for i in range(len(data))]
        (slow_leaves, _), (fast_leaves, _) = grads_both_ways(op.build, data, held)
        assert bits.all_same(fast_leaves, slow_leaves)


def test_second_call_doubles_leaf_grads_exactly_and_recomputes_interior_nodes():
    x = Value(0.37)
    h = (x * 1.3).tanh()
    y = h * h + x.exp()
    fast.backward(y)
    first_x, first_h = x.grad, h.grad
    fast.backward(y)
    assert x.grad == 2 * first_x
    assert h.grad == first_h
    t = math.tanh(0.37 * 1.3)
    assert first_x == pytest.approx(2 * t * (1 - t * t) * 1.3 + math.exp(0.37), rel=1e-14)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), xs=st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=3, max_size=3))
def test_random_graphs_give_exactly_the_grads_of_backward(data, xs, programs, bits):
    prog = data.draw(programs.strategy)
    results = []
    for backward in (autograd.backward, fast.backward):
        leaves = [Value(x) for x in xs]
        out = programs.run(prog, leaves, on_values=True)
        order = topological_order(out)
        assert fast.topological_order(out) == order
        backward(out)
        results.append([v.grad for v in order])
    assert bits.all_same(results[1], results[0])


@settings(max_examples=60, deadline=None)
@given(data=st.data(), xs=st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=3, max_size=3))
def test_random_graphs_match_central_differences(data, xs, programs):
    prog = data.draw(programs.strategy)
    leaves = [Value(x) for x in xs]
    out = programs.run(prog, leaves, on_values=True)
    if not math.isfinite(out.data) or abs(out.data) > 1e6:
        return
    fast.backward(out)
    eps = 1e-6
    for i in range(len(xs)):
        plus, minus = list(xs), list(xs)
        plus[i] += eps
        minus[i] -= eps
        plus_out = programs.run(prog, plus, on_values=False)
        minus_out = programs.run(prog, minus, on_values=False)
        numeric = (plus_out - minus_out) / (2 * eps)
        assert leaves[i].grad == pytest.approx(numeric, rel=1e-4, abs=1e-5)


def test_nan_and_infinity_travel_as_in_backward(bits):
    # upstream inf through a relu that is off: 0.0 * inf is NaN in both passes
    def build(a, b):
        big = a * 1e308
        return (big * 10.0) * b.relu() + b

    (slow_leaves, slow_all), (fast_leaves, fast_all) = grads_both_ways(build, (5.0, -1.0))
    assert math.isnan(slow_leaves[1])
    assert bits.all_same(fast_leaves, slow_leaves)
    assert bits.all_same(fast_all, slow_all)


@pytest.mark.slow
def test_million_node_chain():
    a = Value(1.0000001)
    y = Value(1.0)
    for _ in range(1_000_000):
        y = y * a
    fast.backward(y)
    assert a.grad == pytest.approx(1_000_000 * 1.0000001**999_999, rel=1e-9)


def test_a_failing_local_derivative_raises_as_backward_does_and_restores_leaves():
    x = Value(2.0)
    x.grad = 0.5
    y = x.log() * 3.0
    x.data = 0.0  # local derivatives are read at backward time: 1/x now divides by zero
    with pytest.raises(ZeroDivisionError) as info:
        fast.backward(y)
    assert "log_local" in [entry.name for entry in info.traceback]
    assert x.grad == 0.5  # what the leaf held, plus nothing from the failed pass


def test_fit_fast_and_plain_train_to_the_same_weights():
    X, Y = nn.datasets.moons(40, noise=0.1, seed=3)
    trained = []
    for backward in ("fast", "plain"):
        model = nn.MLP(2, [8, 1], activation="tanh", output_activation="linear", seed=1)
        initial = [p.data for p in model.parameters()]
        nn.fit(model, X, Y, cost="hinge", lr=0.05, epochs=3, batch_size=8, l2=1e-3,
               progress=False, backward=backward)
        trained.append([p.data for p in model.parameters()])
        assert trained[-1] != initial
    assert trained[0] == trained[1]
