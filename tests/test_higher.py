"""autograd.grad / hessian / hvp / gradcheck(order=2): derivatives of derivatives.

Checked against independent computation (closed forms, central differences, PyTorch's
torch.autograd.functional.hessian and hvp) and against backward() bit for bit; the
semantics PyTorch has (no side effects, repeated and unused inputs, no_grad); that the
gradient graph works with the rest of the engine (pictures, stepping, codegen); no
reference cycles; bad input.  Every op to third order against torch: test_higher_torch.py;
hvp on every op, extremes included: test_higher_hvp.py.
"""

import gc
import math

import pytest
from graphs import erf_without_a_second_rule
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import GradcheckError, Value, grad, gradcheck, hessian, hvp, no_grad
from autograd.higher import local_values


def net(x1, x2, w):
    """A tiny network: one tanh neuron (a dot node) into a sigmoid, squared error against 0.3."""
    h = autograd.dot([w[0], w[1]], [x1, x2], w[2]).tanh()
    a = (h * w[3] + w[4]).sigmoid()
    return (a - 0.3) ** 2


def torch_net(t):
    """The same network on a float64 tensor of its 7 numbers."""
    h = (t[2] * t[0] + t[3] * t[1] + t[4]).tanh()
    a = (h * t[5] + t[6]).sigmoid()
    return (a - 0.3) ** 2


def leaves(*xs):
    return [Value(x) for x in xs]


# ------------------------------------------------------------------ first order
def test_first_order_is_backwards_bits_and_changes_no_grad(programs, bits):
    @settings(max_examples=60, deadline=None)
    @given(data=st.data(), xs=st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=3, max_size=3))
    def run(data, xs):
        prog = data.draw(programs.strategy)
        ours = leaves(*xs)
        out = programs.run(prog, ours, on_values=True)
        for i, x in enumerate(ours):
            x.grad = 0.25 * i  # held before: grad must leave it so
        order = autograd.topological_order(out)
        before = [node.grad for node in order]
        floats = grad(out, ours, allow_unused=True)
        as_values = grad(out, ours, create_graph=True, allow_unused=True)
        assert [node.grad for node in order] == before
        for x in ours:
            x.grad = 0.0
        out.backward()
        assert bits.all_same(floats, [x.grad for x in ours])
        assert [g.data for g in as_values] == list(floats)  # == : a zero may keep its sign

    run()


def test_grad_of_a_closed_form_and_its_second_and_third_derivative():
    x = Value(0.6, label="x")
    y = x.tanh()
    y.label = "y"
    (d1,) = grad(y, [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x])
    t = math.tanh(0.6)
    assert d1.data == pytest.approx(1 - t * t, rel=1e-15)
    assert d2.data == pytest.approx(-2 * t * (1 - t * t), rel=1e-14)
    assert d3 == pytest.approx(-2 * (1 - t * t) ** 2 + 4 * t * t * (1 - t * t), rel=1e-13)
    assert d1.label == "∂y/∂x" and d2.label == "∂(∂y/∂x)/∂x"


def test_repeated_inputs_get_the_same_gradient_twice_and_unused_ones_an_error_or_zero():
    x, y, z = leaves(1.5, -2.0, 4.0)
    out = x * y
    assert grad(out, [x, x, y]) == (-2.0, -2.0, 1.5)  # as torch.autograd.grad
    with pytest.raises(ValueError, match=r"inputs\[1\].*not used.*allow_unused=True"):
        grad(out, [x, z])
    assert grad(out, [x, z], allow_unused=True) == (-2.0, 0.0)
    g = grad(out, [z], create_graph=True, allow_unused=True)[0]
    assert isinstance(g, Value) and g.data == 0.0 and g.is_leaf()


def test_an_inner_node_can_be_an_input_and_the_output_its_own():
    x = Value(0.3)
    h = x * 2.0
    y = h.exp()
    assert grad(y, [h]) == (math.exp(0.6),)
    assert grad(y, [y]) == (1.0,)
    (g,) = grad(y, y, create_graph=True)
    assert g.data == 1.0


# ------------------------------------------------------------------ second order
def test_hessian_of_a_tiny_network_matches_torch():
    torch = pytest.importorskip("torch")
    xs = [0.5, -1.2, 0.3, -0.7, 0.1, 1.4, -0.2]
    ours = leaves(*xs)
    H = hessian(net(ours[0], ours[1], ours[2:]), ours)
    expected = torch.autograd.functional.hessian(torch_net, torch.tensor(xs, dtype=torch.float64))
    for i in range(7):
        for j in range(7):
            assert H[i][j] == pytest.approx(expected[i, j].item(), rel=1e-12, abs=1e-15), (i, j)
        assert H[i] == pytest.approx([row[i] for row in H], rel=1e-12, abs=1e-15)  # symmetric


def test_hvp_equals_hessian_times_v_and_torch():
    torch = pytest.importorskip("torch")
    xs = [0.5, -1.2, 0.3, -0.7, 0.1, 1.4, -0.2]
    v = [1.0, -0.5, 0.25, 2.0, -1.0, 0.5, 3.0]
    ours = leaves(*xs)
    out = net(ours[0], ours[1], ours[2:])
    product = hvp(out, ours, v)
    H = hessian(out, ours)
    assert product == pytest.approx([sum(H[i][j] * v[j] for j in range(7)) for i in range(7)], rel=1e-12)

    _, expected = torch.autograd.functional.hvp(
        torch_net, torch.tensor(xs, dtype=torch.float64), torch.tensor(v, dtype=torch.float64)
    )
    assert product == pytest.approx(expected.tolist(), rel=1e-12, abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), xs=st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=3, max_size=3))
def test_random_compositions_hessian_matches_central_differences_of_the_gradient(data, xs, programs):
    prog = data.draw(programs.strategy)

    def f(*vs):
        return programs.run(prog, list(vs), on_values=True)

    ours = leaves(*xs)
    out = f(*ours)
    if not math.isfinite(out.data) or abs(out.data) > 1e4:
        return
    try:
        gradcheck(f, ours, eps=1e-5, atol=1e-4, rtol=1e-3, order=2)
    except GradcheckError as error:
        if "non-finite" not in str(error):
            raise


def test_gradcheck_order_2_catches_a_wrong_second_derivative():
    x = Value(0.4)
    assert gradcheck(lambda a: a.sin() * a.exp(), [x], order=2)
    # a function whose gradient graph is right but cut off: detach makes it 0 at second order
    with pytest.raises(GradcheckError, match="second derivatives disagree"):
        gradcheck(lambda a: a * a.detach() + a * a, [x], order=2)
    with pytest.raises(ValueError, match="order must be 1 or 2"):
        gradcheck(lambda a: a * a, [x], order=3)


def test_relu_second_derivative_is_zero_everywhere_including_the_kink_as_torch():
    torch = pytest.importorskip("torch")
    for x0 in (-1.0, -0.0, 0.0, 1e-300, 2.0):
        x = Value(x0)
        (g,) = grad((x * x).relu() + x.relu() * 3.0, [x], create_graph=True)
        (h,) = grad(g, [x], allow_unused=True)
        t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        (tg,) = torch.autograd.grad((t * t).relu() + t.relu() * 3.0, t, create_graph=True)
        (th,) = torch.autograd.grad(tg, t, allow_unused=True)
        assert g.data == tg.item()
        assert h == (0.0 if th is None else th.item()), x0


# ------------------------------------------------------- with the rest of the engine
def test_a_newton_step_compiles_and_runs_bit_identical():
    x = Value(0.8, label="x")
    f = (x - 1.5) ** 4 + x.sin()
    (g,) = grad(f, [x], create_graph=True)
    (h,) = grad(g, [x], create_graph=True)
    step = x - g / h
    prog = autograd.codegen(step, [x])
    out, (d_step,) = prog(0.8)
    assert out == step.data
    step_grad = grad(step, [x])[0]
    assert d_step == step_grad
    out2, _ = prog(out)  # the next Newton step at other data: the same graph rebuilt from it
    x2 = Value(out)
    f2 = (x2 - 1.5) ** 4 + x2.sin()
    (g2,) = grad(f2, [x2], create_graph=True)
    (h2,) = grad(g2, [x2], create_graph=True)
    assert out2 == (x2 - g2 / h2).data


def test_hvp_graph_compiles_bit_identical():
    ws = leaves(0.5, -1.2, 0.3, -0.7, 0.1, 1.4, -0.2)
    out = net(ws[0], ws[1], ws[2:])
    g = grad(out, ws, create_graph=True)
    s = autograd.dot(list(g), [1.0, 0.0, -1.0, 0.5, 0.0, 2.0, 1.0])
    prog = autograd.codegen(s, ws)
    value, grads = prog(*[w.data for w in ws])
    assert value == s.data
    assert list(grads) == list(grad(s, ws))


def test_backward_steps_walk_the_gradient_graph_and_draw_graph_draws_it():
    x = Value(0.5, label="x")
    y = (x * x).tanh()
    y.label = "y"
    (g,) = grad(y, [x], create_graph=True)
    steps = list(g.backward_steps())
    assert steps and steps[0].node is g
    labels = {node.label for node in autograd.topological_order(g)}
    assert {"∂y/∂x", "∂y/∂*"} <= labels  # ∂y/∂(x·x), the local derivative of tanh
    picture = autograd.draw_graph(g)  # .source is the DOT text, without running Graphviz
    assert "∂y/∂x" in picture.source and "∂y/∂*" in picture.source


def test_local_values_read_every_ops_rule_text_to_the_same_numbers(op, bits):
    """The rule's own text read over Values gives the numbers of its local function."""
    for xs in op.points:
        node = op.build(*leaves(*xs))
        got = [v.data if isinstance(v, Value) else v for v in local_values(node)]
        assert bits.all_same(got, node.local_grads()), op.name


def test_a_rule_whose_text_calls_no_ops_forward_cannot_be_differentiated_again():
    x, node = erf_without_a_second_rule()
    with pytest.raises(NotImplementedError, match=r"erf_prime\(\) is not the forward of any registered op"):
        local_values(node)


# ------------------------------------------------------------------ no_grad, cycles
def test_no_grad_around_grad_gives_the_numbers_without_a_graph_as_torch():
    x = Value(0.7)
    y = x.sin() * x
    with no_grad():
        (g,) = grad(y, [x], create_graph=True)
        (f,) = grad(y, [x])
    assert g.is_leaf() and g.data == f == grad(y, [x])[0]


def test_gradient_graphs_have_no_reference_cycles():
    def count_values():
        return sum(1 for obj in gc.get_objects() if type(obj) is Value)

    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        before = count_values()
        ws = leaves(0.5, -1.2, 0.3, -0.7, 0.1, 1.4, -0.2)
        out = net(ws[0], ws[1], ws[2:])
        g = grad(out, ws, create_graph=True)
        h = grad(g[2], ws, create_graph=True)
        assert count_values() > before + 50
        del ws, out, g, h
        assert count_values() == before  # freed by reference counting alone: no cycle
    finally:
        if was:
            gc.enable()


# ------------------------------------------------------------------ bad input
def test_bad_input_is_refused_naming_the_argument_before_anything_changes():
    x, y = leaves(1.0, 2.0)
    out = x * y
    x.grad = 0.5
    cases = [
        (lambda: grad(3.0, [x]), TypeError, "output must be a Value"),
        (lambda: grad([out], [x]), TypeError, "output must be a Value"),
        (lambda: grad(out, []), ValueError, "inputs is empty"),
        (lambda: grad(out, "x"), TypeError, "inputs must be a Value or a sequence"),
        (lambda: grad(out, [x, 2.0]), TypeError, r"inputs\[1\] must be a Value"),
        (lambda: grad(out, [x], create_graph=1), TypeError, "create_graph must be True or False"),
        (lambda: grad(out, [x], allow_unused="yes"), TypeError, "allow_unused must be True or False"),
        (lambda: hvp(out, [x, y], [1.0]), ValueError, "v has 1 numbers for 2 inputs"),
        (lambda: hvp(out, [x, y], [1.0, "a"]), TypeError, r"v\[1\] must be a real number"),
        (lambda: hvp(out, [x, y], 1.0), TypeError, "v must be a sequence"),
        (lambda: hessian(out, 5), TypeError, "inputs must be"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
    assert (x.grad, y.grad, out.grad) == (0.5, 0.0, 0.0)
