"""Layer speeds ‖∂C/∂b‖ and ‖∂C/∂W‖ against BP1–BP4 in plain floats (nn.bp_equations) and numpy."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

import autograd
import nn
from nn.speeds import speeds_by_layer

X = [[0.3, -1.2, 0.5], [1.0, 0.1, -0.4], [-0.7, 0.8, 0.9], [0.2, 0.2, -1.5]]
Y_CLASS = [0, 2, 1, 2]


def oracle(model: nn.MLP, X, Y, cost: str) -> list[tuple[float, float]]:
    """(‖∂C/∂b‖, ‖∂C/∂W‖) per layer of C = mean of the samples' costs, from bp_equations and numpy."""
    per_sample = [nn.bp_equations(model, x, y, cost) for x, y in zip(X, Y)]
    result = []
    for l in range(len(model.layers)):
        grad_b = np.mean([np.array(e.grad_b[l]) for e in per_sample], axis=0)
        grad_w = np.mean([np.array(e.grad_w[l]) for e in per_sample], axis=0)
        result.append((float(np.linalg.norm(grad_b)), float(np.linalg.norm(grad_w))))
    return result


def backward_on(model, X, Y, cost):
    model.zero_grad()
    total = autograd.sum([nn.COSTS[cost](model(x), y) for x, y in zip(X, Y)]) * (1 / len(X))
    total.backward()


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_speeds_match_the_four_equations(activation):
    model = nn.MLP(3, [5, 4, 3], activation=activation, seed=3)
    backward_on(model, X, Y_CLASS, "cross_entropy")
    speeds = nn.layer_speeds(model)
    assert [s.layer for s in speeds] == ["L1", "L2", "L3"]
    for speed, (bias, weight) in zip(speeds, oracle(model, X, Y_CLASS, "cross_entropy")):
        assert speed.bias == pytest.approx(bias, rel=1e-12, abs=1e-15)
        assert speed.weight == pytest.approx(weight, rel=1e-12, abs=1e-15)
        assert bias > 0 and weight > 0  # a zero would make the comparison empty


def test_deep_sigmoid_first_layer_is_slowest():
    """The property notebook 14 shows: δ shrinks going back through sigmoid layers."""
    model = nn.MLP(3, [6, 6, 6, 6, 2], activation="sigmoid", seed=0)
    Y = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]
    backward_on(model, X, Y, "quadratic")
    speeds = nn.layer_speeds(model)
    expected = oracle(model, X, Y, "quadratic")
    assert [s.bias for s in speeds] == pytest.approx([b for b, _ in expected], rel=1e-12)
    assert speeds[0].bias < speeds[-1].bias / 10


def test_one_neuron_and_one_layer_are_their_own_layer():
    neuron = nn.Neuron(2, "linear", seed=1)
    neuron.zero_grad()
    out = neuron([2.0, -3.0])
    out.backward()  # C = z: ∂C/∂b = 1, ∂C/∂w = x
    (speed,) = nn.layer_speeds(neuron)
    assert speed.bias == 1.0 and speed.weight == pytest.approx(math.sqrt(13.0))
    layer = nn.Layer(2, 3, "linear", seed=1, name="hidden")
    layer.zero_grad()
    autograd.sum(layer([1.0, 2.0])).backward()  # every neuron: ∂C/∂b = 1, ∂C/∂w = x
    (speed,) = nn.layer_speeds(layer)
    assert speed.layer == "hidden"
    assert speed.bias == pytest.approx(math.sqrt(3.0)) and speed.weight == pytest.approx(math.sqrt(15.0))


def test_recorder_chooses_its_steps():
    model = nn.MLP(3, [2, 1], seed=0)
    every = nn.LayerSpeeds(every=3)
    assert [every(step, model) is not None for step in range(1, 8)] == [1, 0, 0, 1, 0, 0, 1]
    chosen = nn.LayerSpeeds(steps=[2, 5])
    assert [chosen(step, model) is not None for step in range(1, 8)] == [0, 1, 0, 0, 1, 0, 0]
    assert every.name == "layer_speeds" and nn.LayerSpeeds(name="s").name == "s"


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"every": 0}, "every must be a positive int"),
        ({"every": 1.5}, "every must be a positive int"),
        ({"every": True}, "every must be a positive int"),
        ({"steps": "12"}, "steps must be a list"),
        ({"steps": [1, 2.5]}, "steps must hold ints"),
        ({"name": ""}, "name must be a non-empty str"),
    ],
)
def test_recorder_refuses_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        nn.LayerSpeeds(**kwargs)


def test_layer_speeds_refuses_what_is_not_a_module():
    with pytest.raises(TypeError, match="needs an nn module"):
        nn.layer_speeds([1.0, 2.0])


def test_speeds_by_layer_makes_columns():
    a = (nn.Speed("L1", 1.0, 2.0), nn.Speed("L2", 3.0, 4.0))
    b = (nn.Speed("L1", 5.0, 6.0), nn.Speed("L2", 7.0, 8.0))
    assert speeds_by_layer([(1, a), (4, b)]) == {"steps": [1, 4], "L1": [1.0, 5.0], "L2": [3.0, 7.0]}
    assert speeds_by_layer([(1, a), (4, b)], "weight")["L2"] == [4.0, 8.0]
    with pytest.raises(ValueError, match="'bias' or 'weight'"):
        speeds_by_layer([(1, a)], "delta")


def test_plot_draws_one_line_per_layer():
    matplotlib = pytest.importorskip("matplotlib")  # the `plots` extra

    matplotlib.use("Agg")
    first = (nn.Speed("L1", 1.0, 2.0), nn.Speed("L2", 3.0, 4.0))
    records = [(1, first), (2, (nn.Speed("L1", 0.5, 1.0), nn.Speed("L2", 2.0, 3.0)))]
    ax = nn.plots.plot_layer_speeds(records)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["layer 1", "layer 2"]
    assert list(lines[1].get_ydata()) == [3.0, 2.0] and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="no layer speeds to draw"):
        nn.plots.plot_layer_speeds([])


def _weights_before_step(step: int, **fit_args) -> nn.MLP:
    """A fresh copy of the model, trained (full batch, deterministic) up to just before ``step``."""
    model = nn.MLP(3, [5, 4, 3], activation="sigmoid", seed=3)
    if step > 1:
        nn.fit(model, X, Y_CLASS, epochs=step - 1, progress=False, **fit_args)
    return model


@pytest.mark.parametrize("backward", ["plain", "fast", "codegen"])
@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_fit_records_every_steps_gradient_on_every_pass(backward, l2):
    """Step k's record is the gradient at the weights before step k (BP1–BP4 in floats + numpy)."""
    args = {"cost": "cross_entropy", "lr": 0.5, "l2": l2, "backward": backward}
    model = _weights_before_step(1, **args)
    history = nn.fit(model, X, Y_CLASS, epochs=3, progress=False, record=[nn.LayerSpeeds()], **args)
    assert history.backward == backward
    records = history.records["layer_speeds"]
    assert [step for step, _ in records] == [1, 2, 3]
    for step, speeds in records:
        before = _weights_before_step(step, **args)
        expected = oracle(before, X, Y_CLASS, "cross_entropy")
        for l, (speed, (bias, weight)) in enumerate(zip(speeds, expected)):
            assert speed.bias == pytest.approx(bias, rel=1e-9)
            if l2:  # the step descends C + (l2/2)·Σw²: ∂C/∂W gains l2·W, the biases nothing
                per_sample = [
                    nn.bp_equations(before, x, y, "cross_entropy").grad_w[l] for x, y in zip(X, Y_CLASS)
                ]
                W = np.array([[w.data for w in n.w] for n in before.layers[l].neurons])
                weight = float(np.linalg.norm(np.mean(per_sample, axis=0) + l2 * W))
            assert speed.weight == pytest.approx(weight, rel=1e-9)


def test_fit_records_only_the_chosen_steps():
    model = nn.MLP(3, [4, 3], seed=0)
    history = nn.fit(
        model,
        X,
        Y_CLASS,
        cost="cross_entropy",
        epochs=7,
        progress=False,
        record=[nn.LayerSpeeds(every=3), nn.LayerSpeeds(steps=[2, 6], name="chosen")],
    )
    assert [step for step, _ in history.records["layer_speeds"]] == [1, 4, 7]
    assert [step for step, _ in history.records["chosen"]] == [2, 6]


def test_import_nn_does_not_import_matplotlib():
    code = "import nn, sys; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
