"""Deltas: explain_delta's sum equals δ (engine and finite differences); BP1–BP4 equal autograd."""

import math

import pytest

import nn
from autograd import no_grad

CASES = [
    # (nin, nouts, hidden activation, output activation, cost, target)
    (3, [4, 1], "sigmoid", "sigmoid", "quadratic", 0.3),
    (2, [3, 3, 2], "tanh", "sigmoid", "quadratic", [1.0, 0.0]),
    (4, [5, 3], "relu", "sigmoid", "binary_cross_entropy", [1.0, 0.0, 1.0]),
    (3, [4, 4, 2], "sigmoid", "sigmoid", "binary_cross_entropy", [0.2, 0.9]),
    (2, [6, 1], "tanh", "linear", "quadratic", -1.5),
    (5, [4, 3], "tanh", "linear", "cross_entropy", 2),
    (3, [2, 2, 2, 4], "relu", "linear", "cross_entropy", 0),
]
X = [0.4, -0.9, 1.3, 0.2, -0.5]


def cost_at(model, x, y, cost):
    with no_grad():
        return nn.losses.COSTS[cost](model(x), y).data


@pytest.mark.parametrize("case", CASES)
def test_bp_equations_equal_autograd(case):
    nin, nouts, act, out_act, cost, y = case
    for seed in (0, 1, 2):
        model = nn.MLP(nin, nouts, activation=act, output_activation=out_act, seed=seed)
        for p in model.parameters():
            if p.data != 0:
                continue
            p.data = 0.1  # biases off zero, so every term is exercised
        assert nn.compare_with_autograd(model, X[:nin], y, cost) <= 1e-12


@pytest.mark.parametrize("case", CASES)
def test_bp_equations_match_finite_differences(case):
    """BP3/BP4 against the plain-float cost nudged up and down: independent of both codes."""
    nin, nouts, act, out_act, cost, y = case
    model = nn.MLP(nin, nouts, activation=act, output_activation=out_act, seed=3)
    x = X[:nin]
    eq = nn.bp_equations(model, x, y, cost)
    assert eq.cost == pytest.approx(cost_at(model, x, y, cost), abs=1e-12)
    h = 1e-6
    for l, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            for p, analytic in [(neuron.b, eq.grad_b[l][j]), (neuron.w[0], eq.grad_w[l][j][0])]:
                p.data += h
                up = nn.bp_equations(model, x, y, cost).cost
                p.data -= 2 * h
                down = nn.bp_equations(model, x, y, cost).cost
                p.data += h
                assert analytic == pytest.approx((up - down) / (2 * h), abs=1e-6)


def test_bp_equations_rejects_unknown_cost():
    with pytest.raises(ValueError, match="quadratic"):
        nn.bp_equations(nn.MLP(2, [1]), [1, 2], 0.0, "hinge")


def backward_once(model, x, y, cost="quadratic"):
    model.zero_grad()
    c = nn.losses.COSTS[cost](model(x), y)
    c.backward()
    return c


def test_explain_delta_terms_sum_to_delta_of_hidden_neurons():
    model = nn.MLP(3, [4, 3, 2], activation="sigmoid", output_activation="sigmoid", seed=11)
    x, y = [0.5, -1.2, 0.8], [1.0, 0.0]
    backward_once(model, x, y)
    # explain first: the finite differences below run the model again, replacing its z and a
    explanations = {
        (l, j): nn.explain_delta(model, l, j) for l in (0, 1) for j in range(len(model.layers[l].neurons))
    }
    grads = {(l, j): n.z.grad for l, layer in enumerate(model.layers) for j, n in enumerate(layer.neurons)}
    h = 1e-6
    for l in (0, 1):
        for j, neuron in enumerate(model.layers[l].neurons):
            e = explanations[l, j]
            assert len(e.terms) == len(model.layers[l + 1].neurons)
            for t in e.terms:
                nxt = model.layers[l + 1].neurons[t.k]
                assert t.weight == nxt.w[j].data and t.delta == grads[l + 1, t.k]
                assert t.product == t.weight * t.delta
            a = e.a
            assert e.sigma_prime == pytest.approx(a * (1 - a), abs=1e-16)
            assert e.recomputed == pytest.approx(grads[l, j], abs=1e-15)  # the engine's δ
            assert e.delta == grads[l, j]
            # δ = ∂C/∂z = ∂C/∂b (z moves one for one with b): finite differences
            neuron.b.data += h
            up = cost_at(model, x, y, "quadratic")
            neuron.b.data -= 2 * h
            down = cost_at(model, x, y, "quadratic")
            neuron.b.data += h
            assert e.recomputed == pytest.approx((up - down) / (2 * h), abs=1e-8)


def test_explain_delta_output_neuron_is_dC_da_times_sigma_prime():
    model = nn.MLP(2, [3, 2], activation="tanh", output_activation="sigmoid", seed=2)
    x, y = [0.3, 0.7], [0.0, 1.0]
    backward_once(model, x, y)
    for j in range(2):
        e = nn.explain_delta(model, -1, j)
        a = model.layers[1].neurons[j].a.data
        assert e.is_output and not e.terms
        assert e.dC_da == pytest.approx(a - y[j], abs=1e-15)  # quadratic cost: ∂C/∂a = a − y
        assert e.recomputed == pytest.approx((a - y[j]) * a * (1 - a), abs=1e-15)
        assert e.delta == pytest.approx(e.recomputed, abs=1e-15)


def test_explain_delta_reads_like_the_formula():
    model = nn.MLP(2, [2, 2], activation="sigmoid", output_activation="sigmoid", seed=0)
    backward_once(model, [1.0, -1.0], [0.0, 1.0])
    text = str(nn.explain_delta(model, 0, 1))
    e = nn.explain_delta(model, 0, 1)
    assert text.startswith("L1.N1")
    assert "δ = σ′(z)·[Σₖ w_kj·δ_k] = " in text
    assert f"{abs(e.terms[0].weight):.4g}" in text
    assert text.count("·") >= 2 + 2 * 2
    out = str(nn.explain_delta(model, 1, 0))
    assert "δ = ∂C/∂a · σ′(z) = " in out


def test_deltas_lists_every_z_grad():
    model = nn.MLP(2, [3, 1], seed=0)
    backward_once(model, [1.0, 2.0], 0.5)
    assert nn.deltas(model) == [[n.z.grad for n in layer.neurons] for layer in model.layers]


def test_explain_delta_needs_a_forward_pass_and_valid_indices():
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="forward"):
        nn.explain_delta(model, 0, 0)
    model([1.0, 2.0])
    with pytest.raises(IndexError, match="layer 5"):
        nn.explain_delta(model, 5, 0)
    with pytest.raises(IndexError, match="neuron 3"):
        nn.explain_delta(model, 0, 3)


def test_sigmoid_helper_matches_math():
    assert nn.ACTIVATIONS["sigmoid"].value(0.3) == pytest.approx(1 / (1 + math.exp(-0.3)), abs=1e-16)
