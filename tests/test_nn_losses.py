"""Costs: values and gradients against closed forms, stability at the extremes, bad input."""

import math

import pytest

import nn
from autograd import Value, gradcheck


def leaves(*xs):
    return [Value(x) for x in xs]


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_quadratic_cost_and_its_gradient_a_minus_y():
    a = leaves(0.3, 0.9)
    c = nn.quadratic_cost(a, [1.0, 0.0])
    assert c.data == pytest.approx(0.5 * (0.7**2 + 0.9**2), abs=1e-15)
    c.backward()
    assert [v.grad for v in a] == pytest.approx([0.3 - 1.0, 0.9 - 0.0], abs=1e-15)


def test_quadratic_cost_single_value():
    a = Value(2.5)
    c = nn.quadratic_cost(a, 1.0)
    c.backward()
    assert c.data == 1.125 and a.grad == 1.5  # ½·1.5² and 2.5 − 1: exact in binary


def test_mse_is_the_mean_square():
    a = leaves(1.0, 2.0, 4.0)
    c = nn.mse(a, [0.0, 0.0, 0.0])
    assert c.data == pytest.approx((1 + 4 + 16) / 3, rel=1e-15)
    c.backward()
    assert [v.grad for v in a] == pytest.approx([2 / 3, 4 / 3, 8 / 3], rel=1e-15)


def test_binary_cross_entropy_value_and_sigma_prime_cancels():
    z = Value(0.8)
    a = z.sigmoid()
    c = nn.binary_cross_entropy(a, 0.25)
    s = sigmoid(0.8)
    assert c.data == pytest.approx(-(0.25 * math.log(s) + 0.75 * math.log(1 - s)), abs=1e-14)
    c.backward()
    assert z.grad == pytest.approx(s - 0.25, abs=1e-14)  # δ = a − y: no σ′ factor


def test_binary_cross_entropy_safe_when_a_is_exactly_0_or_1():
    for z, y in [(40.0, 1.0), (40.0, 0.0), (-800.0, 0.0), (-800.0, 1.0)]:
        a = Value(z).sigmoid()
        c = nn.binary_cross_entropy(a, y)
        c.backward()
        assert math.isfinite(c.data) and math.isfinite(a.grad)
    assert nn.binary_cross_entropy(Value(40.0).sigmoid(), 1.0).data == pytest.approx(0.0, abs=1e-15)


def test_binary_cross_entropy_with_logits_stable_and_exact_gradient():
    for z0, y in [(1000.0, 0.0), (-1000.0, 1.0), (1000.0, 1.0), (0.3, 0.6), (-2.0, 0.0)]:
        z = Value(z0)
        c = nn.binary_cross_entropy_with_logits(z, y)
        c.backward()
        closed = max(z0, 0.0) - y * z0 + math.log1p(math.exp(-abs(z0)))
        assert c.data == pytest.approx(closed, rel=1e-12, abs=1e-12)
        assert z.grad == pytest.approx(sigmoid(z0) - y if abs(z0) < 700 else (z0 > 0) - y, abs=1e-12)


def test_cross_entropy_closed_form_and_softmax_gradient():
    logits = leaves(1.0, 2.0, 0.5)
    c = nn.cross_entropy(logits, 1)
    exps = [math.exp(v) for v in (1.0, 2.0, 0.5)]
    assert c.data == pytest.approx(-math.log(exps[1] / sum(exps)), abs=1e-14)
    c.backward()
    expected = [e / sum(exps) - (1.0 if k == 1 else 0.0) for k, e in enumerate(exps)]
    assert [v.grad for v in logits] == pytest.approx(expected, abs=1e-14)


def test_cross_entropy_stable_for_logits_of_plus_minus_1000():
    logits = leaves(1000.0, -1000.0, 0.0)
    c = nn.cross_entropy(logits, 1)
    assert c.data == 2000.0  # e^-1000 and e^-2000 vanish next to e^0: ln 1 + 1000 − (−1000)
    c.backward()
    assert [v.grad for v in logits] == [1.0, -1.0, 0.0]
    assert nn.cross_entropy(leaves(1000.0, -1000.0), 0).data == pytest.approx(0.0, abs=1e-300)


def test_cross_entropy_gradcheck():
    assert gradcheck(lambda a, b, c: nn.cross_entropy([a, b, c], 2), leaves(0.1, -0.4, 0.9))


def test_hinge():
    s = Value(0.3)
    c = nn.hinge(s, -1)
    assert c.data == pytest.approx(1.3, rel=1e-15)
    c.backward()
    assert s.grad == 1.0
    assert nn.hinge(Value(2.0), 1).data == 0.0


def test_l2_penalty_counts_weights_not_biases():
    model = nn.MLP(2, [2, 1], seed=0)
    for p in model.parameters():
        p.data = 3.0
    for layer in model.layers:
        for n in layer.neurons:
            n.b.data = 100.0
    penalty = nn.l2_penalty(model, 0.1)
    n_weights = 2 * 2 + 2 * 1
    assert penalty.data == pytest.approx(0.05 * 9.0 * n_weights, rel=1e-15)
    penalty.backward()
    assert all(w.grad == pytest.approx(0.1 * 3.0, rel=1e-15) for w in model.weights())
    assert all(n.b.grad == 0.0 for layer in model.layers for n in layer.neurons)


def test_bad_inputs_raise_value_errors():
    with pytest.raises(ValueError, match="2 outputs but 3 targets"):
        nn.quadratic_cost(leaves(1, 2), [1, 2, 3])
    with pytest.raises(ValueError, match="out of range"):
        nn.cross_entropy(leaves(1, 2), 2)
    with pytest.raises(ValueError, match="out of range"):
        nn.cross_entropy(leaves(1, 2), -1)
    with pytest.raises(ValueError, match="class index"):
        nn.cross_entropy(leaves(1, 2), 1.5)
    with pytest.raises(ValueError, match="-1 or \\+1"):
        nn.hinge(Value(1.0), 0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nn.binary_cross_entropy(Value(0.5), 2.0)


def test_binary_cross_entropy_is_exact_down_to_its_clip_of_1e_12():
    """−ln a and its gradient −1/a for a as small as 1e-11, then the constant −ln 1e-12."""
    for a0 in (1e-3, 1e-6, 1e-9, 1e-11):
        a = Value(a0)
        c = nn.binary_cross_entropy(a, 1.0)
        c.backward()
        assert c.data == pytest.approx(-math.log(a0), rel=1e-15)
        assert a.grad == pytest.approx(-1.0 / a0, rel=1e-15)
        one_minus = Value(1.0 - a0)  # the other side: y = 0 and a → 1
        c = nn.binary_cross_entropy(one_minus, 0.0)
        c.backward()
        assert c.data == pytest.approx(-math.log(1.0 - (1.0 - a0)), rel=1e-15)
        assert one_minus.grad == pytest.approx(1.0 / (1.0 - (1.0 - a0)), rel=1e-15)
    for a0 in (1e-13, 0.0):  # below the clip: the constant −ln 1e-12, no gradient
        a = Value(a0)
        c = nn.binary_cross_entropy(a, 1.0)
        c.backward()
        assert c.data == pytest.approx(12 * math.log(10), rel=1e-15) and a.grad == 0.0


NAN = math.nan


@pytest.mark.parametrize(
    "cost, make, y",
    [
        (nn.quadratic_cost, lambda: [Value(NAN), Value(0.5)], [0.0, 1.0]),
        (nn.mse, lambda: Value(NAN), 1.0),
        (nn.binary_cross_entropy, lambda: Value(NAN), 1.0),
        (nn.binary_cross_entropy, lambda: Value(NAN), 0.0),
        (nn.binary_cross_entropy, lambda: Value(NAN), 0.5),
        (nn.binary_cross_entropy_with_logits, lambda: Value(NAN), 0.0),
        (nn.binary_cross_entropy_with_logits, lambda: Value(NAN), 1.0),
        (nn.cross_entropy, lambda: [Value(1.0), Value(NAN)], 0),
        (nn.cross_entropy, lambda: [Value(NAN), Value(1.0)], 1),
        (nn.hinge, lambda: Value(NAN), 1),
        (nn.hinge, lambda: Value(NAN), -1),
    ],
)
def test_nan_in_gives_nan_out_for_every_cost(cost, make, y):
    assert math.isnan(cost(make(), y).data)


def test_hinge_of_nan_and_a_relu_mlp_of_nan_are_nan():
    assert math.isnan(nn.hinge(Value(NAN), 1).data)
    model = nn.MLP(2, [4, 1], activation="relu", seed=0)
    assert math.isnan(model([NAN, NAN]).data)
    assert math.isnan(nn.hinge(model([NAN, NAN]), 1).data)


def test_l2_penalty_of_a_nan_weight_is_nan():
    assert math.isnan(nn.l2_penalty([Value(1.0), Value(NAN)], 0.1).data)


def test_targets_that_are_not_numbers_are_refused_by_name():
    with pytest.raises(ValueError, match=r"quadratic_cost: target\[1\] must be a number"):
        nn.quadratic_cost(leaves(1, 2), [1.0, "x"])
    with pytest.raises(ValueError, match="mse: target must be a number or a list of numbers, got dict"):
        nn.mse(leaves(1, 2), {0: 1.0, 1: 2.0})
    with pytest.raises(ValueError, match="quadratic_cost: target must be a number or a list of .*, got str"):
        nn.quadratic_cost(Value(1.0), "1")
    with pytest.raises(ValueError, match="outputs must be a number or a list"):
        nn.quadratic_cost({Value(1.0)}, [1.0])
