"""autograd.hvp (forward-over-reverse over dual numbers) against independent computation.

H·v is checked against PyTorch float64 (``torch.autograd.functional.hvp``, which also
computes H·v with H's row i the gradient of ∂y/∂xᵢ), against the engine's own Hessian
(``autograd.hessian``, built by double backward through Values) times v, and against
double backward itself (``grad(dot(grad(y, xs, create_graph=True), v), xs)``): on every
op of the table in tests/conftest.py (Hypothesis inputs and the grid of extreme inputs,
NaN and ±inf where torch has them), on random graphs, and on ops that are in no table
(a new rule works with no change to autograd/higher.py).  Plus PyTorch's semantics
(repeated, inner and unused inputs), no side effects on ``.grad``, and bad input.

"Equal to 1e-12 relative" is relative to the size of the terms: an entry of H·v is a sum
Σⱼ Hᵢⱼvⱼ, and two correct ways of adding it up differ by rounding of the largest term.  On
random graphs torch is matched as closely as the engine's own Hessian is (1e-9, see there).
"""

import itertools
import math

import pytest
from conftest import OPS
from graphs import erf_without_a_second_rule
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_higher_torch import FORWARD_ERRORS, known_difference, run
from test_higher_torch import program as random_program

import autograd
from autograd import Value, grad, hessian, hvp, no_grad

torch = pytest.importorskip("torch")

V = (1.0, -0.5, 0.25, 2.0, -1.5, 0.75, 3.0)


def direction(n):
    return [V[i % len(V)] for i in range(n)]


def close(a, b, scale=0.0, rel=1e-12):
    """a and b equal to ``rel`` relative to the larger of them and the terms' size ``scale``;
    NaN where the other is NaN, ±inf where the other is the same infinity."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= rel * max(abs(a), abs(b), scale) or abs(a - b) <= 1e-300


def hessian_times(H, v):
    """(Σⱼ Hᵢⱼvⱼ for each i, Σⱼ |Hᵢⱼvⱼ| for each i): H·v in textbook order and its terms' size."""
    rows = [[h * vj for h, vj in zip(row, v)] for row in H]
    return [sum(terms) for terms in rows], [sum(abs(t) for t in terms) for terms in rows]


def torch_hvp(f, xs, v):
    """torch.autograd.functional.hvp and H·v from torch's own Hessian, float64."""
    point = torch.tensor(xs, dtype=torch.float64)
    direction_ = torch.tensor(v, dtype=torch.float64)
    _, product = torch.autograd.functional.hvp(f, point, direction_)
    H = torch.autograd.functional.hessian(f, point).tolist()
    return product.tolist(), H


def op_on_tensor(op, n):
    return lambda t: op.on_tensors(*[t[i] for i in range(n)])


def check_op(op, xs, note=lambda text: None):
    """hvp of ``op`` at ``xs`` against torch, the engine's Hessian and double backward."""
    leaves = [Value(x) for x in xs]
    try:
        out = op.build(*leaves)
    except FORWARD_ERRORS:
        note("the forward raised: nothing to differentiate")
        return
    v = direction(len(xs))
    ours = hvp(out, leaves, v)
    assert [x.grad for x in leaves] == [0.0] * len(xs) and out.grad == 0.0
    # the engine's own Hessian (double backward through Values) times v
    ours_H, ours_size = hessian_times(hessian(out, leaves), v)
    theirs, torch_H = torch_hvp(op_on_tensor(op, len(xs)), xs, v)
    torch_Hv, torch_size = hessian_times(torch_H, v)
    for i, a in enumerate(ours):
        if not close(a, ours_H[i], ours_size[i]):
            # only where a term Hᵢⱼvⱼ is ±inf or NaN: then the textbook sum is NaN (+inf - inf, 0·inf)
            # or ±inf where Hᵢⱼ overflows although Hᵢⱼvⱼ does not; forward-over-reverse meets the
            # large numbers in another order (as torch's hvp does): torch's decides below
            assert not math.isfinite(ours_size[i]), (op.name, xs, i, a, ours_H[i])
            note("H·v with a non-finite term: the textbook order is no reference")
        if close(a, theirs[i], max(ours_size[i], torch_size[i])):
            continue
        if close(a, torch_Hv[i], torch_size[i]) and not close(theirs[i], torch_Hv[i], torch_size[i]):
            note("torch's hvp differs from torch's own Hessian times v; ours equals the latter")
            continue
        why = [known_difference(op, xs, (i, j), a, theirs[i]) for j in range(len(xs))]
        assert any(why), (op.name, xs, i, a, theirs[i], torch_Hv[i])
        note(next(w for w in why if w))


def test_hvp_of_every_op_matches_torch_and_the_hessian_on_hypothesis_inputs(op, extremes):
    pick = st.one_of(st.sampled_from(extremes), st.floats(-3.0, 3.0, allow_nan=False))

    @settings(max_examples=30 if op.arity <= 4 else 2, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(xs=st.tuples(*[pick] * op.arity))
    def check(xs):
        check_op(op, xs, event)

    check()
    for xs in op.points:
        check_op(op, xs)


SMALL_OPS = [op for op in OPS if op.arity <= 2]


@pytest.mark.parametrize("small_op", SMALL_OPS, ids=[op.name for op in SMALL_OPS])
def test_hvp_of_every_small_op_on_every_extreme_input_has_nan_and_inf_where_torch_has(small_op, extremes):
    for xs in itertools.product(extremes, repeat=small_op.arity):
        check_op(small_op, xs)


@settings(max_examples=40, deadline=None)
@given(prog=random_program, xs=st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=3, max_size=3),
       v=st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=3, max_size=3))
def test_random_graphs_hvp_matches_torch_hessian_and_double_backward(prog, xs, v):
    values = [Value(x) for x in xs]
    out = run(prog, values, False)
    ours = hvp(out, values, v)
    expected, H = torch_hvp(lambda t: run(prog, [t[0], t[1], t[2]], True), xs, v)
    _, size = hessian_times(H, v)
    H_ours = hessian(out, values)
    ours_H, ours_size = hessian_times(H_ours, v)
    g = grad(out, values, create_graph=True, allow_unused=True)
    double_backward = grad(autograd.dot(list(g), v), values, allow_unused=True)
    # double backward gives vᵀH: equal where H is symmetric (not at a ** b with b = 0, where
    # the rule's branch makes ∂²/∂a∂b 0 one way and not the other, in torch too)
    symmetric = all(close(H_ours[i][j], H_ours[j][i], 1.0) for i in range(3) for j in range(3))
    for i in range(3):
        assert close(ours[i], ours_H[i], ours_size[i]), (i, ours[i], ours_H[i])
        if symmetric:
            assert close(ours[i], double_backward[i], ours_size[i]), (i, ours[i], double_backward[i])
        # torch: as the engine's own Hessian in test_higher_torch.py, 1e-9 · max(1, |H·v|) (through
        # saturated tanh the two libraries' second derivatives part by ~1e-11: 1 - t² from t = tanh z)
        assert abs(ours[i] - expected[i]) <= 1e-9 * max(1.0, abs(expected[i])), (i, ours[i], expected[i])
    event("H symmetric" if symmetric else "H not symmetric (a ** b at b = 0)")


def test_a_tiny_network_against_torch_and_one_column_of_the_hessian_per_unit_vector():
    from test_higher import net, torch_net

    xs = [0.5, -1.2, 0.3, -0.7, 0.1, 1.4, -0.2]
    ws = [Value(x) for x in xs]
    out = net(ws[0], ws[1], ws[2:])
    H = hessian(out, ws)
    for j in range(7):  # H·eⱼ is column j of H
        unit = [1.0 if i == j else 0.0 for i in range(7)]
        assert hvp(out, ws, unit) == pytest.approx([row[j] for row in H], rel=1e-12, abs=1e-15)
    v = direction(7)
    expected, _ = torch_hvp(torch_net, xs, v)
    assert hvp(out, ws, v) == pytest.approx(expected, rel=1e-12, abs=1e-15)


# ---------------------------------------------------------------- ops in no table
def test_a_new_op_works_in_hvp_with_no_change_to_higher_py():
    """Rules that are in no table and not even registered: hvp reads their texts as it reads
    every other's (a call of an op's forward is that op; an ``if`` is decided by the data)."""
    from autograd.operators import cos, sin
    from autograd.value import Rule, _result

    def sin_squared_local(out):
        (x,) = out.parents
        return (2.0 * sin(x.data) * cos(x.data),)

    sin_squared_local.rule = Rule("sin²", sin_squared_local, "sin({0}) * sin({0})",
                                  ("2.0 * sin({0}) * cos({0})",))

    def scaled_abs_local(out):
        x, s = out.parents
        return (s.data if x.data > 0.0 else -s.data, abs(x.data))

    scaled_abs_local.rule = Rule("s|x|", scaled_abs_local, "s|x|",
                                 ("{1} if {0} > 0.0 else -{1}", "{0} if {0} > 0.0 else -{0}"))
    for x0, s0 in ((0.7, 1.3), (-1.1, 0.4)):
        x, s = Value(x0), Value(s0)
        y = _result(math.sin(x0) ** 2, (x,), "sin²", sin_squared_local)
        z = _result(s0 * abs(x0), (x, s), "s|x|", scaled_abs_local)
        out = y * z
        # closed forms: f = sin²x · s|x|;  d/dx sin²x = sin 2x, d²/dx² = 2 cos 2x
        a, da, d2a = math.sin(x0) ** 2, math.sin(2 * x0), 2 * math.cos(2 * x0)
        sign = 1.0 if x0 > 0 else -1.0
        b, db, d2b, dbds, dbdsdx = s0 * abs(x0), s0 * sign, 0.0, abs(x0), sign
        H = [[d2a * b + 2 * da * db + a * d2b, da * dbds + a * dbdsdx], [da * dbds + a * dbdsdx, 0.0]]
        v = [0.6, -1.7]
        assert hvp(out, [x, s], v) == pytest.approx([H[0][0] * v[0] + H[0][1] * v[1], H[1][0] * v[0]],
                                                    rel=1e-12)


def test_a_rule_whose_text_calls_no_ops_forward_is_refused_by_hvp_naming_it():
    x, node = erf_without_a_second_rule()
    with pytest.raises(NotImplementedError, match=r"erf_prime\(\) is not the forward of any registered op"):
        hvp(node * x, [x], [1.0])


# ---------------------------------------------------------------- semantics
def test_repeated_inner_and_unused_inputs_as_the_hessian_and_torch():
    """H·v = Σⱼ Hᵢⱼvⱼ with H's row i the gradient of ∂y/∂inputᵢ, for any inputs.  With an inner
    node among them H need not be symmetric (tanh's local derivative 1 - h² reads the node h
    itself, in torch as here): then H·v is not double backward's vᵀH, and hvp gives H·v."""
    x0, w0 = 0.4, -1.3
    x, w, unused = Value(x0), Value(w0), Value(5.0)
    h = (x * w).tanh()
    out = (h * x).exp() + h.sin()
    inputs = [x, h, w, x, unused]
    v = [0.5, -2.0, 1.5, 0.25, 3.0]
    H = hessian(out, inputs)
    ours = hvp(out, inputs, v)
    assert ours == pytest.approx([sum(H[i][j] * v[j] for j in range(5)) for i in range(5)], rel=1e-12)
    assert ours[0] == ours[3] and ours[4] == 0.0
    # torch: the same graph, H's rows by grad of grad, then H·v
    tx, tw = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (x0, w0))
    th = (tx * tw).tanh()
    tout = (th * tx).exp() + th.sin()
    t_inputs = [tx, th, tw, tx]
    tg = torch.autograd.grad(tout, t_inputs, create_graph=True)
    rows = [[d.item() for d in torch.autograd.grad(gi, t_inputs, retain_graph=True)] for gi in tg]
    assert ours[:4] == pytest.approx([sum(r * vj for r, vj in zip(row, v)) for row in rows], rel=1e-12)
    # and it is not symmetric here: double backward (vᵀH) gives other numbers for h
    g = grad(out, inputs, create_graph=True, allow_unused=True)
    double_backward = grad(autograd.dot(list(g), v), inputs, allow_unused=True)
    assert double_backward[1] != pytest.approx(ours[1], rel=1e-3)
    assert double_backward[1] == pytest.approx(sum(H[i][1] * v[i] for i in range(5)), rel=1e-12)


def test_hvp_changes_no_grad_and_works_inside_no_grad():
    x, y = Value(0.3), Value(-0.8)
    mid = x * y
    out = mid.sin() * x
    nodes = autograd.topological_order(out)
    for i, node in enumerate(nodes):
        node.grad = 0.5 * i - 1.0
    before = [node.grad for node in nodes]
    first = hvp(out, [x, y], [1.0, 2.0])
    assert [node.grad for node in nodes] == before
    with no_grad():
        assert hvp(out, [x, y], [1.0, 2.0]) == first
    assert hvp(out, [x, y], [1, 2]) == first  # ints are real numbers too


def test_bad_input_to_hvp_is_refused_naming_the_argument_before_anything_changes():
    x, y = Value(1.0), Value(2.0)
    out = x * y
    x.grad = 0.5
    cases = [
        (lambda: hvp(3.0, [x], [1.0]), TypeError, "output must be a Value"),
        (lambda: hvp(out, [x, 2.0], [1.0, 1.0]), TypeError, r"inputs\[1\] must be a Value"),
        (lambda: hvp(out, [], []), ValueError, "inputs is empty"),
        (lambda: hvp(out, [x, y], [1.0]), ValueError, "v has 1 numbers for 2 inputs"),
        (lambda: hvp(out, [x, y], [1.0, 2.0, 3.0]), ValueError, "v has 3 numbers for 2 inputs"),
        (lambda: hvp(out, [x, y], [1.0, True]), TypeError, r"v\[1\] must be a real number"),
        (lambda: hvp(out, [x, y], [1j, 1.0]), TypeError, r"v\[0\] must be a real number"),
        (lambda: hvp(out, [x, y], [None, 1.0]), TypeError, r"v\[0\] must be a real number"),
        (lambda: hvp(out, [x, y], "ab"), TypeError, "v must be a sequence"),
        (lambda: hvp(out, [x, y], {1.0, 2.0}), TypeError, "v must be a sequence"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
    assert (x.grad, y.grad, out.grad) == (0.5, 0.0, 0.0)


# ---------------------------------------------------------------- the dual reading of a rule
def test_every_ops_rule_text_read_over_floats_and_duals_gives_its_local_derivatives(op, bits):
    """Over floats, the compiled text gives ``node.local_grads()`` bit for bit; over Duals, the
    same values, and tangents equal to central differences of the local derivatives (away
    from kinks)."""
    from autograd.dual import Dual, locals_function
    from autograd.value import rule_for

    for xs in op.points:
        leaves = [Value(x) for x in xs]
        node = op.build(*leaves)
        parents = node.parents
        local = locals_function(rule_for(node), len(parents))
        floats = local(node.data, *[p.data for p in parents])
        assert bits.all_same(floats, node.local_grads()), op.name
        # along the direction of the leaves moving by v (parents that are leaves: their own v)
        v = {leaf: vi for leaf, vi in zip(leaves, direction(len(leaves)))}
        rates = [v.get(p, 0.0) for p in parents]
        out_rate = sum(d * r for d, r in zip(node.local_grads(), rates))
        duals = local(Dual(node.data, out_rate), *[Dual(p.data, r) for p, r in zip(parents, rates)])
        values = [d.v if isinstance(d, Dual) else d for d in duals]
        assert bits.all_same(values, floats), op.name
        if op.kink:  # (relu, a base at 0: no central differences across the kink)
            continue
        h = 1e-6
        ahead = op.build(*[Value(x + h * vi) for x, vi in zip(xs, v.values())]).local_grads()
        behind = op.build(*[Value(x - h * vi) for x, vi in zip(xs, v.values())]).local_grads()
        for d, a, b in zip(duals, ahead, behind):
            tangent = d.t if isinstance(d, Dual) else 0.0
            assert tangent == pytest.approx((a - b) / (2 * h), rel=1e-6, abs=1e-8), op.name
