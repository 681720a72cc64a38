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
    assert c.data == pytest.approx(1.125) and a.grad == pytest.approx(1.5)


def test_mse_is_the_mean_square():
    a = leaves(1.0, 2.0, 4.0)
    c = nn.mse(a, [0.0, 0.0, 0.0])
    assert c.data == pytest.approx((1 + 4 + 16) / 3)
    c.backward()
    assert [v.grad for v in a] == pytest.approx([2 / 3, 4 / 3, 8 / 3])


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
    assert c.data == pytest.approx(2000.0)
    c.backward()
    assert [v.grad for v in logits] == pytest.approx([1.0, -1.0, 0.0])
    assert nn.cross_entropy(leaves(1000.0, -1000.0), 0).data == pytest.approx(0.0, abs=1e-300)


def test_cross_entropy_gradcheck():
    assert gradcheck(lambda a, b, c: nn.cross_entropy([a, b, c], 2), leaves(0.1, -0.4, 0.9))


def test_hinge():
    s = Value(0.3)
    c = nn.hinge(s, -1)
    assert c.data == pytest.approx(1.3)
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
    assert penalty.data == pytest.approx(0.05 * 9.0 * n_weights)
    penalty.backward()
    assert all(w.grad == pytest.approx(0.1 * 3.0) for w in model.weights())
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
