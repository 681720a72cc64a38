"""GradientDescent: the update rule, weight decay = Nielsen's λ/n, all-or-nothing steps."""

import math

import pytest

import nn
from autograd import Value


def test_step_is_theta_minus_lr_times_grad():
    a, b = Value(1.0), Value(-2.0)
    a.grad, b.grad = 0.5, -4.0
    opt = nn.GradientDescent([a, b], lr=0.1)
    opt.step()
    assert a.data == pytest.approx(1.0 - 0.05) and b.data == pytest.approx(-2.0 + 0.4)
    opt.zero_grad()
    assert a.grad == b.grad == 0.0


def test_weight_decay_shrinks_weights_not_biases():
    neuron = nn.Neuron(2, seed=0)
    w0, b0 = neuron.w[0].data, 0.7
    neuron.b.data = b0
    for p in neuron.parameters():
        p.grad = 0.25
    eta, lam_over_n = 0.5, 0.2
    nn.GradientDescent(neuron, lr=eta, weight_decay=lam_over_n).step()
    assert neuron.w[0].data == pytest.approx((1 - eta * lam_over_n) * w0 - eta * 0.25, abs=1e-15)
    assert neuron.b.data == pytest.approx(b0 - eta * 0.25, abs=1e-15)


def test_weight_decay_equals_gradient_of_l2_penalty():
    x, y, strength, eta = [0.5, -1.0], 0.3, 0.05, 0.2
    decayed = nn.MLP(2, [3, 1], seed=4)
    penalised = nn.MLP(2, [3, 1], seed=4)
    nn.quadratic_cost(decayed(x), y).backward()
    nn.GradientDescent(decayed, eta, weight_decay=strength).step()
    (nn.quadratic_cost(penalised(x), y) + nn.l2_penalty(penalised, strength)).backward()
    nn.GradientDescent(penalised, eta).step()
    for p, q in zip(decayed.parameters(), penalised.parameters()):
        assert p.data == pytest.approx(q.data, abs=1e-14)


def test_weight_decay_needs_a_module():
    with pytest.raises(ValueError, match="biases"):
        nn.GradientDescent([Value(1.0)], lr=0.1, weight_decay=0.1)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_gradient_updates_nothing(bad):
    model = nn.MLP(2, [2, 1], seed=0)
    for p in model.parameters():
        p.grad = 1.0
    model.layers[1].neurons[0].w[1].grad = bad
    before = [p.data for p in model.parameters()]
    with pytest.raises(FloatingPointError, match=r"layers\.1\.neurons\.0\.w\.1"):
        nn.GradientDescent(model, lr=0.1).step()
    assert [p.data for p in model.parameters()] == before


@pytest.mark.parametrize("lr", [0, -0.1, math.nan, "0.1", True])
def test_bad_learning_rate(lr):
    with pytest.raises(ValueError, match="lr"):
        nn.GradientDescent([Value(1.0)], lr=lr)


def test_bad_params():
    with pytest.raises(TypeError, match="params\\[1\\]"):
        nn.GradientDescent([Value(1.0), 2.0], lr=0.1)
    with pytest.raises(ValueError, match="weight_decay"):
        nn.GradientDescent([Value(1.0)], lr=0.1, weight_decay=-1)
