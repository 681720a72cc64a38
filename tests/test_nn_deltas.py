"""Deltas: explain_delta's sum equals δ (engine and finite differences); BP1–BP4 equal autograd."""

import importlib
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


def central(f, p, h=1e-5):
    """(f(p + h) − f(p − h)) / 2h, putting p.data back exactly as it was."""
    old = p.data
    p.data = old + h
    up = f()
    p.data = old - h
    down = f()
    p.data = old
    return (up - down) / (2 * h)


FLOAT_ACTIVATIONS = {  # written from the formulas, not taken from nn
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)),
    "tanh": math.tanh,
    "relu": lambda z: z if z > 0 else 0.0,
    "linear": lambda z: z,
}


def quadratic_cost_after(model, l, a, y):
    """½‖output − y‖² when layer ``l`` outputs ``a``: the rest of the network in plain floats."""
    for layer in model.layers[l + 1 :]:
        f = FLOAT_ACTIVATIONS[layer.activation.name]
        a = [f(sum(w.data * ak for w, ak in zip(n.w, a)) + n.b.data) for n in layer.neurons]
    return 0.5 * sum((ak - yk) ** 2 for ak, yk in zip(a, y))


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
    for l, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            for p, analytic in [(neuron.b, eq.grad_b[l][j]), (neuron.w[0], eq.grad_w[l][j][0])]:
                numeric = central(lambda: nn.bp_equations(model, x, y, cost).cost, p)
                # h = 1e-5 leaves ~2e-11 of truncation and rounding here (measured over CASES)
                assert analytic == pytest.approx(numeric, abs=1e-9)


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

    def cost():
        return cost_at(model, x, y, "quadratic")

    # every δ as ∂C/∂b by central differences (z moves one for one with b): independent of nn's code
    numeric = {}
    for l, layer in enumerate(model.layers):
        for j, n in enumerate(layer.neurons):
            numeric[l, j] = central(cost, n.b)
    for l in (0, 1):
        for j in range(len(model.layers[l].neurons)):
            e = explanations[l, j]
            assert len(e.terms) == len(model.layers[l + 1].neurons)
            for t in e.terms:
                assert t.weight == model.layers[l + 1].neurons[t.k].w[j].data  # w_kj: the weight from j to k
                assert t.delta == pytest.approx(numeric[l + 1, t.k], abs=1e-9)  # δ_k
                assert t.product == pytest.approx(t.weight * numeric[l + 1, t.k], abs=1e-9)
            # σ′(z) of a sigmoid from z (not from a), and by central differences of σ itself
            s = 1.0 / (1.0 + math.exp(-e.z))
            assert e.sigma_prime == pytest.approx(s * (1.0 - s), rel=1e-14)
            sigma = FLOAT_ACTIVATIONS["sigmoid"]
            h = 1e-5
            assert e.sigma_prime == pytest.approx((sigma(e.z + h) - sigma(e.z - h)) / (2 * h), abs=1e-10)
            # Σₖ w_kj·δ_k is ∂C/∂a_j: nudge a_j alone and run the rest of the network in floats
            a = [n.a.data for n in model.layers[l].neurons]
            up, down = list(a), list(a)
            up[j] += h
            down[j] -= h
            after = quadratic_cost_after
            dC_da = (after(model, l, up, y) - after(model, l, down, y)) / (2 * h)
            assert e.total == pytest.approx(dC_da, abs=1e-9)
            assert e.recomputed == pytest.approx(grads[l, j], abs=1e-15)  # the engine's δ
            assert e.delta == grads[l, j]
            assert e.recomputed == pytest.approx(numeric[l, j], abs=1e-9)


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


def test_deltas_are_dC_db_by_finite_differences():
    model = nn.MLP(2, [3, 2, 1], activation="tanh", seed=0)
    x, y = [1.0, 2.0], 0.5
    backward_once(model, x, y)
    found = nn.deltas(model)
    assert [len(row) for row in found] == [3, 2, 1]
    for l, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            numeric = central(lambda: cost_at(model, x, y, "quadratic"), neuron.b)
            assert found[l][j] == pytest.approx(numeric, abs=1e-9)


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


@pytest.mark.parametrize("y", [-1, 7, 2, 1.0, True, "0"])
def test_bp_equations_refuses_a_class_index_as_cross_entropy_does(y):
    model = nn.MLP(2, [3, 2], seed=0)
    with pytest.raises(ValueError) as ours:
        nn.bp_equations(model, [1.0, 2.0], y, "cross_entropy")
    with pytest.raises(ValueError) as theirs:
        nn.cross_entropy(model([1.0, 2.0]), y)
    assert str(ours.value).replace("bp_equations", "cross_entropy") == str(theirs.value)
    with pytest.raises(ValueError):
        nn.compare_with_autograd(model, [1.0, 2.0], y, "cross_entropy")


def test_bp_equations_checks_x_and_targets_like_the_model_and_the_costs():
    model = nn.MLP(2, [3, 2], activation="sigmoid", output_activation="sigmoid", seed=0)
    with pytest.raises(TypeError, match="bp_equations: x must be a list, tuple or 1-D array of 2 numbers"):
        nn.bp_equations(model, {0: 1.0, 1: 2.0}, [0.0, 1.0])
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        nn.bp_equations(model, [1.0, 2.0, 3.0], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"target\[1\] must be a number in \[0, 1\], got 2.0"):
        nn.bp_equations(model, [1.0, 2.0], [0.0, 2.0], "binary_cross_entropy")
    with pytest.raises(ValueError, match=r"target\[0\] must be a number, got 'a'"):
        nn.bp_equations(model, [1.0, 2.0], ["a", 1.0])
    with pytest.raises(ValueError, match="2 outputs but 1 targets"):
        nn.bp_equations(model, [1.0, 2.0], [1.0])


@pytest.mark.parametrize("part", ["cost", "delta", "grad_b", "grad_w"])
def test_compare_with_autograd_reports_a_difference_in_any_part(monkeypatch, part):
    """The judge can say "different": equations that are off by 0.25 in one number give 0.25."""
    model = nn.MLP(3, [4, 2], activation="tanh", output_activation="sigmoid", seed=1)
    x, y = X[:3], [0.0, 1.0]
    assert nn.compare_with_autograd(model, x, y) <= 1e-12
    honest = nn.bp_equations

    def off_by_a_quarter(*args, **kwargs):
        eq = honest(*args, **kwargs)
        if part == "cost":
            eq.cost += 0.25
        elif part == "grad_w":
            eq.grad_w[1][1][3] += 0.25  # the last weight of the last neuron
        else:
            getattr(eq, part)[0][2] += 0.25  # a hidden neuron
        return eq

    monkeypatch.setattr(importlib.import_module("nn.deltas"), "bp_equations", off_by_a_quarter)
    assert nn.compare_with_autograd(model, x, y) == pytest.approx(0.25, abs=1e-12)


def test_explain_delta_writes_numbers_as_the_pictures_do_with_a_real_minus_sign():
    model = nn.MLP(2, [2, 1], activation="tanh", seed=0)
    backward_once(model, [1.0, -1.0], 3.0)
    e = nn.explain_delta(model, 1, 0)
    assert e.dC_da < 0
    text = str(e)
    assert f"(−{abs(e.dC_da):.4g})" in text  # a negative factor in parentheses, U+2212 minus
    assert "-" not in text  # no ASCII hyphen-minus for any number
