"""Neuron, Layer, MLP: shapes, parameters, initialisation, input checks, the elementary option."""

import math
import statistics

import pytest

import autograd
import nn
from autograd import Value


def test_neuron_computes_sigma_of_weighted_sum():
    neuron = nn.Neuron(2, activation="sigmoid", seed=0)
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.5, -1.5, 0.25
    a = neuron([2.0, 3.0])
    z = 0.5 * 2.0 - 1.5 * 3.0 + 0.25
    assert neuron.z.data == pytest.approx(z, abs=1e-15)
    assert a.data == pytest.approx(1.0 / (1.0 + math.exp(-z)), abs=1e-15)
    assert neuron.a is a
    assert neuron.z.op == "dot"  # ONE n-ary node for z
    assert neuron.z.group == a.group == neuron.name


@pytest.mark.parametrize(
    "name, f", [("tanh", math.tanh), ("relu", lambda z: max(z, 0.0)), ("linear", lambda z: z)]
)
def test_activations(name, f):
    neuron = nn.Neuron(1, activation=name, seed=1)
    for x in (-2.0, 0.5, 3.0):
        z = neuron.w[0].data * x + neuron.b.data
        assert neuron([x]).data == pytest.approx(f(z), abs=1e-15)


def test_unknown_activation_is_a_value_error():
    with pytest.raises(ValueError, match="softplus"):
        nn.Neuron(2, activation="softplus")
    with pytest.raises(ValueError, match="sigmoid"):
        nn.MLP(2, [3, 1], output_activation="nope")


def test_wrong_input_length_names_both_sizes():
    for model in (nn.Neuron(3), nn.Layer(3, 2), nn.MLP(3, [2, 1])):
        with pytest.raises(ValueError, match=r"expects 3 inputs, got 2"):
            model([1.0, 2.0])


def test_inputs_may_be_numbers_or_values_and_gradients_reach_value_inputs():
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    x = [Value(0.3), Value(-0.7)]
    out = model(x)
    assert model([0.3, -0.7]).data == out.data
    out.backward()
    # gradient w.r.t. the first input, checked by central differences
    h = 1e-6
    numeric = (model([0.3 + h, -0.7]).data - model([0.3 - h, -0.7]).data) / (2 * h)
    assert x[0].grad == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_shapes_and_return_types():
    layer = nn.Layer(4, 3, seed=0)
    assert len(layer([1, 2, 3, 4])) == 3
    assert isinstance(nn.MLP(4, [5, 1], seed=0)([1, 2, 3, 4]), Value)
    out = nn.MLP(4, [5, 2], seed=0)([1, 2, 3, 4])
    assert isinstance(out, list) and len(out) == 2


def test_parameters_order_and_counts():
    model = nn.MLP(3, [4, 2], seed=0)
    params = model.parameters()
    assert len(params) == (3 + 1) * 4 + (4 + 1) * 2
    first = model.layers[0].neurons[0]
    assert params[:4] == [*first.w, first.b]  # weights then bias, neuron by neuron
    last = model.layers[1].neurons[1]
    assert params[-5:] == [*last.w, last.b]
    names = [name for name, _ in model.named_parameters()]
    assert names[0] == "layers.0.neurons.0.w.0" and names[3] == "layers.0.neurons.0.b"
    assert [p for _, p in model.named_parameters()] == params
    assert len(model.weights()) == 3 * 4 + 4 * 2
    assert all(w is not n.b for layer in model.layers for n in layer.neurons for w in model.weights())


def test_zero_grad():
    model = nn.MLP(2, [3, 1], seed=0)
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_seed_reproducible_and_rng_accepted():
    a = [p.data for p in nn.MLP(3, [4, 1], seed=7).parameters()]
    b = [p.data for p in nn.MLP(3, [4, 1], seed=7).parameters()]
    c = [p.data for p in nn.MLP(3, [4, 1], seed=8).parameters()]
    assert a == b and a != c
    import random

    d = [p.data for p in nn.MLP(3, [4, 1], rng=random.Random(7)).parameters()]
    assert d == a
    with pytest.raises(ValueError):
        nn.MLP(3, [4, 1], seed=1, rng=random.Random(1))


def test_default_init_scale_is_one_over_sqrt_nin():
    neuron = nn.Neuron(2500, seed=3)
    spread = statistics.pstdev(w.data for w in neuron.w)
    assert spread == pytest.approx(1 / 50, rel=0.05)
    assert neuron.b.data == 0.0


def test_group_tags_for_pictures():
    model = nn.MLP(2, [2, 1], seed=0)
    model([1.0, 2.0])
    neuron = model.layers[0].neurons[1]
    assert neuron.name == "L1.N1"
    assert neuron.w[0].group == neuron.b.group == neuron.z.group == neuron.a.group == "L1.N1"
    assert model.layers[1].neurons[0].z.group == "L2.N0"


def test_elementary_builds_the_same_numbers_from_mul_and_add_nodes():
    fast = nn.MLP(3, [4, 2], activation="sigmoid", seed=5)
    slow = nn.MLP(3, [4, 2], activation="sigmoid", seed=5, elementary=True)
    x = [0.2, -1.0, 0.7]
    out_fast, out_slow = fast(x), slow(x)
    cost_fast = nn.quadratic_cost(out_fast, [0.0, 1.0])
    cost_slow = nn.quadratic_cost(out_slow, [0.0, 1.0])
    cost_fast.backward()
    cost_slow.backward()
    assert cost_slow.data == pytest.approx(cost_fast.data, abs=1e-14)
    for p, q in zip(fast.parameters(), slow.parameters()):
        assert q.grad == pytest.approx(p.grad, abs=1e-14)
    ops = {v.op for v in autograd.topological_order(cost_slow)}
    assert "dot" not in ops and "*" in ops and "+" in ops


def test_bad_sizes():
    with pytest.raises(ValueError, match="nin"):
        nn.Neuron(0)
    with pytest.raises(ValueError, match="nouts"):
        nn.MLP(2, [])
    with pytest.raises(ValueError, match="nouts"):
        nn.MLP(2, 3)
