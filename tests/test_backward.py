"""backward and backward_steps: the chain rule, node by node."""

import math

import pytest

import autograd
from autograd import Value, backward_steps, topological_order
from autograd.backward import TooManyValuesError


def test_fan_out_gradients_add_up():
    # a feeds two places: y = a*w3 + a*w4, so dy/da = w3 + w4 (the z', z'' sum)
    a, w3, w4 = Value(0.7), Value(-1.5), Value(2.25)
    y = (a * w3).tanh() + (a * w4).tanh()
    y.backward()
    expected = w3.data * (1 - math.tanh(0.7 * -1.5) ** 2) + w4.data * (1 - math.tanh(0.7 * 2.25) ** 2)
    assert a.grad == pytest.approx(expected, rel=1e-14)


def test_same_value_twice_in_one_op():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    x.grad = 0.0
    (x + x + x).backward()
    assert x.grad == 3.0


def test_neuron_by_hand():
    # z = w1 x1 + w2 x2 + b, a = σ(z); ∂a/∂w1 = σ'(z)·x1 (BACKPROP.md §2)
    x1, x2, w1, w2, b = (Value(v) for v in (2.0, -1.0, 0.3, 0.8, 0.1))
    a = (w1 * x1 + w2 * x2 + b).sigmoid()
    a.backward()
    z = 0.3 * 2 - 0.8 + 0.1
    s = 1 / (1 + math.exp(-z))
    assert w1.grad == pytest.approx(s * (1 - s) * 2.0, rel=1e-14)
    assert w2.grad == pytest.approx(s * (1 - s) * -1.0, rel=1e-14)
    assert b.grad == pytest.approx(s * (1 - s), rel=1e-14)


def test_second_backward_doubles_leaf_grads_exactly():
    x, y = Value(1.3), Value(-0.4)
    out = (x * y).exp() + x.tanh() * y
    out.backward()
    first = (x.grad, y.grad)
    out.backward()
    assert (x.grad, y.grad) == (2 * first[0], 2 * first[1])


def test_interior_grads_are_recomputed_not_accumulated():
    x = Value(2.0)
    h = x * 3
    y = h * h
    y.backward()
    y.backward()
    assert h.grad == 2 * h.data  # not doubled
    assert y.grad == 1.0


def test_interior_node_used_by_two_roots():
    x = Value(1.0)
    h = x * 2
    y1, y2 = h * 5, h * 7
    y1.backward()
    assert h.grad == 5.0
    y2.backward()
    assert h.grad == 7.0
    assert x.grad == 2 * 5 + 2 * 7


def test_backward_of_a_leaf():
    x = Value(4.0)
    x.backward()
    assert x.grad == 1.0


@pytest.mark.slow
def test_million_node_chain_works_without_recursion():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0
    assert y.data == 1_000_001.0


def test_topological_order_puts_parents_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert order[-1] is e
    assert len(order) == len(set(order)) == 5
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]


def test_each_step_comes_after_all_its_consumers():
    a, b = Value(0.5), Value(-1.0)
    c = a * b
    d = c.tanh() + c.exp()
    e = d * a + c
    steps = list(backward_steps(e))
    assert steps[0].node is e
    seen = {}
    for i, step in enumerate(steps):
        seen[step.node] = i
    for step in steps:
        for parent, _, _ in step.terms:
            if parent in seen:
                assert seen[parent] > seen[step.node]
    # one step per non-leaf node, none for leaves
    assert {s.node for s in steps} == {n for n in topological_order(e) if n.parents}


def test_steps_record_upstream_local_and_contribution():
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    z = x * w
    y = z.tanh()
    steps = list(y.backward_steps())
    assert [s.node for s in steps] == [y, z]
    first, second = steps
    assert first.upstream == 1.0
    ((parent, local, contribution),) = first.terms
    assert parent is z
    assert local == pytest.approx(1 - math.tanh(-6.0) ** 2)
    assert contribution == local * 1.0
    assert second.upstream == z.grad == contribution
    assert [t[0] for t in second.terms] == [x, w]
    assert [t[1] for t in second.terms] == [-3.0, 2.0]
    assert [t[2] for t in second.terms] == [-3.0 * z.grad, 2.0 * z.grad]
    assert "local" in str(second) and "upstream" in str(second)


def test_contribution_is_already_added_when_a_step_is_yielded():
    x = Value(1.5)
    y = x * x
    for step in y.backward_steps():
        assert x.grad == sum(c for p, _, c in step.terms if p is x)


def test_stepping_gives_exactly_what_backward_gives():
    def build():
        a, b, c = Value(0.3), Value(-1.1), Value(2.0)
        out = autograd.dot([a, b], [c, a], 0.5).sigmoid() * (b - c) ** 2 / (a.exp() + 1)
        return out, (a, b, c)

    y1, leaves1 = build()
    y1.backward()
    y2, leaves2 = build()
    for _ in y2.backward_steps():
        pass
    assert [v.grad for v in leaves1] == [v.grad for v in leaves2]


def test_local_derivative_errors_name_the_op_function():
    x = Value(2.0)
    y = x.log()
    x.data = 0.0  # local derivatives are read at backward time: 1/x now divides by zero
    with pytest.raises(ZeroDivisionError) as info:
        y.backward()
    names = [entry.name for entry in info.traceback]
    assert "log_local" in names
    assert "<lambda>" not in names


@pytest.mark.parametrize("run", [autograd.backward, autograd.fast.backward,
                                 lambda y: list(backward_steps(y))], ids=["backward", "fast", "steps"])
def test_a_failed_backward_puts_every_grad_back_as_it_was(run):
    x, w = Value(2.0), Value(-1.5)
    h = x.log() * w
    y = h * h + w
    y.backward()  # fill every grad with the results of a first pass
    x.grad, w.grad = 0.5, 0.25  # leaves holding something of their own
    before = [(node, node.grad) for node in topological_order(y)]
    x.data = 0.0  # log_local now divides by zero, after w and h got their contributions
    with pytest.raises(ZeroDivisionError):
        run(y)
    assert [(node, node.grad) for node, _ in before] == before


def test_a_stepper_that_stops_early_keeps_what_was_done():
    x, w = Value(2.0), Value(3.0)
    x.grad = 1.0
    y = (x * w).tanh()
    steps = backward_steps(y)
    next(steps)
    next(steps)  # the '*' node: x got its contribution
    steps.close()
    t = math.tanh(6.0)
    assert x.grad == 1.0 + (1 - t * t) * 3.0


def test_topological_order_of_several_roots_and_with_a_limit():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d, e = c + a, c * b
    order = topological_order(d, e)
    assert order == topological_order(d) + [e]
    assert topological_order(d, e, limit=5) == order
    with pytest.raises(TooManyValuesError, match="more than 4") as info:
        topological_order(d, e, limit=4)
    assert info.value.limit == 4
    with pytest.raises(TypeError, match="limit"):
        topological_order(d, limit="10")
    with pytest.raises(ValueError, match="limit"):
        topological_order(d, limit=-1)
    with pytest.raises(TypeError, match="root 1 must be a Value"):
        topological_order(d, [e])


def _depth_first_reference(*roots):
    """The order topological_order documents, written recursively (small graphs only):
    a node's parents are walked from the last one to the first, and the node comes after them."""
    order, seen = [], set()

    def visit(node):
        seen.add(node)
        for parent in reversed(node.parents):
            if parent not in seen:
                visit(parent)
        order.append(node)

    for root in roots:
        if root not in seen:
            visit(root)
    return order


def test_topological_order_is_the_documented_depth_first_order_on_random_graphs():
    # The order fixes the summation order of every gradient with fan-out, so it must not
    # drift when the walk is made quicker: compared with a recursive walk written here.
    import random

    rng = random.Random(13)
    for _ in range(400):
        nodes = [Value(rng.uniform(-1, 1)) for _ in range(rng.randint(1, 4))]
        for _ in range(rng.randint(0, 25)):
            picked = [rng.choice(nodes) for _ in range(rng.choice([1, 2, 2, 3, 5]))]
            if len(picked) == 1:
                nodes.append(picked[0].tanh())
            elif len(picked) == 2:
                nodes.append(picked[0] * picked[1] if rng.random() < 0.5 else picked[0] + picked[1])
            else:
                nodes.append(autograd.sum(picked))
        roots = rng.sample(nodes, rng.randint(1, min(3, len(nodes))))
        assert topological_order(*roots) == _depth_first_reference(*roots)


def test_topological_order_with_a_limit_stops_early_on_a_huge_graph():
    y = Value(1.0)
    for _ in range(200_000):
        y = y + 1.0
    with pytest.raises(ValueError, match="more than 100"):
        topological_order(y, limit=100)
