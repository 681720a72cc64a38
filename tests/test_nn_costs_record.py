"""One Cost record per cost (issue 27): fit reads it; partials keep it; nn.Cost wraps your own; huber."""

import functools
import math

import pytest

import nn
from autograd import Value
from nn.losses import COSTS, cost_record, get_cost

torch = pytest.importorskip("torch")


def test_every_cost_has_one_record_with_its_name_and_function():
    assert set(COSTS) == {
        "quadratic",
        "mse",
        "binary_cross_entropy",
        "binary_cross_entropy_with_logits",
        "cross_entropy",
        "hinge",
        "huber",
    }
    for name, record in COSTS.items():
        assert record.name == name and cost_record(record.function) is record and cost_record(name) is record
    assert [name for name, r in COSTS.items() if r.traceable] == [
        "quadratic",
        "mse",
        "cross_entropy",
        "hinge",
        "huber",
    ]
    assert cost_record(lambda a, y: a) is None


@pytest.mark.parametrize("delta", [1.0, 0.5, 2.5])
def test_huber_equals_torch_per_sample_value_and_gradient(delta):
    cases = [([0.3, -2.0, 1.7], [0.1, 0.4, -3.0]), ([5.0], [5.0]), ([0.5 + delta], [0.5]), ([-1e3], [1e3])]
    for a, y in cases:
        outputs = [Value(v) for v in a]
        cost = nn.huber(outputs, y, delta=delta) if delta != 1.0 else nn.huber(outputs, y)
        cost.backward()
        ta = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        expected = torch.nn.functional.huber_loss(
            ta, torch.tensor(y, dtype=torch.float64), reduction="sum", delta=delta
        )
        expected.backward()
        assert cost.data == pytest.approx(expected.item(), rel=1e-15, abs=1e-15)
        assert [o.grad for o in outputs] == pytest.approx(ta.grad.tolist(), rel=1e-15, abs=0.0)
    with pytest.raises(ValueError, match="delta must be a positive finite number"):
        nn.huber(Value(1.0), 0.0, delta=0)
    with pytest.raises(ValueError, match="delta must be a positive finite number"):
        nn.huber(Value(1.0), 0.0, delta=10**400)


@pytest.mark.parametrize("cost", ["huber", nn.huber, functools.partial(nn.huber, delta=0.5)])
def test_huber_trains_on_generated_code_like_the_plain_pass(cost):
    X, y = nn.datasets.moons(30, noise=0.2, seed=3)
    results = {}
    for backward in ("plain", None):
        model = nn.MLP(2, [4, 1], seed=5)
        history = nn.fit(
            model, X, y, cost=cost, lr=0.2, epochs=2, batch_size=1, progress=False, backward=backward
        )
        results[history.backward] = ([p.data for p in model.parameters()], history.costs)
    assert set(results) == {"plain", "codegen"}
    assert results["codegen"][0] == pytest.approx(results["plain"][0], rel=1e-12)
    assert results["codegen"][1] == pytest.approx(results["plain"][1], rel=1e-12)


def test_a_partial_keeps_the_record_and_the_judge():
    hinge_record = cost_record(functools.partial(nn.hinge))
    assert hinge_record.traceable and hinge_record.target == "in-key"
    half = cost_record(functools.partial(nn.huber, delta=0.5))
    assert (
        half.name == "huber(delta=0.5)"
        and half.traceable
        and half(Value(3.0), 0.0).data == 0.5 * (3.0 - 0.25)
    )
    X, y = nn.datasets.moons(20, seed=1)
    history = nn.fit(nn.MLP(2, [3, 1], seed=0), X, y, cost=functools.partial(nn.hinge), progress=False,
                     backward="codegen")  # generated code applies: the partial kept hinge's record
    assert history.backward == "codegen" and len(history.accuracy) == 1 and not history.notes
    assert cost_record(functools.partial(nn.huber, Value(1.0))) is None  # positional: not the same cost


def test_a_cost_of_your_own_wrapped_in_nn_cost_gets_codegen_and_a_judge():
    def squared(a, y):
        return (a - y) ** 2

    mine = nn.Cost(
        "squared",
        squared,
        target="leaf",
        traceable=True,
        judge_for=lambda example: lambda out, t: (out.data > 0.5) == (t > 0.5),
    )
    X, y = nn.datasets.moons(20, seed=1, signed=False)
    plain = nn.MLP(2, [3, 1], seed=0)
    nn.fit(plain, X, y, cost=squared, lr=0.1, epochs=2, batch_size=4, progress=False, backward="plain")
    model = nn.MLP(2, [3, 1], seed=0)
    history = nn.fit(model, X, y, cost=mine, lr=0.1, epochs=2, batch_size=4, progress=False)
    assert history.backward == "codegen" and len(history.accuracy) == 2
    assert [p.data for p in model.parameters()] == pytest.approx(
        [p.data for p in plain.parameters()], rel=1e-12
    )
    with pytest.raises(ValueError, match="target must be one of"):
        nn.Cost("x", squared, target="label")
    with pytest.raises(TypeError, match="function must be callable"):
        nn.Cost("x", 5)
    assert get_cost(squared).name == "squared" and not get_cost(squared).traceable


class Recorder:
    """Records ∂C/∂w of one weight after each update, the gradient fit used for that step."""

    name = "w0 grad"

    def __init__(self, weight):
        self.weight = weight

    def __call__(self, step, model):
        return self.weight.grad


def hand_gradient(w, b, x, y):
    """∂C/∂w for C = ½(w·x + b − y)² (one linear neuron, one input), in plain floats."""
    return (w * x[0] + b - y) * x[0]


@pytest.mark.parametrize("backward", ["plain", "fast", "codegen"])
def test_record_hook_sees_each_step_s_gradient(backward):
    X = [[0.5], [-1.0], [2.0], [0.25]]
    Y = [1.0, -0.5, 2.0, 0.0]
    neuron = nn.Neuron(1, activation="linear", seed=2)
    w, b = neuron.w[0].data, neuron.b.data
    expected = []
    for x, y in zip(X, Y):  # SGD without shuffling, lr 0.1, by hand
        g_w, g_b = hand_gradient(w, b, x, y), w * x[0] + b - y
        expected.append(g_w)
        w, b = w - 0.1 * g_w, b - 0.1 * g_b
    recorder = Recorder(neuron.w[0])
    history = nn.fit(
        neuron,
        X,
        Y,
        lr=0.1,
        batch_size=1,
        shuffle=False,
        progress=False,
        backward=backward,
        record=[recorder, type("Nothing", (), {"name": "none", "__call__": lambda s, i, m: None})()],
    )
    steps, grads = zip(*history.records["w0 grad"])
    assert steps == (1, 2, 3, 4) and history.records["none"] == []
    assert list(grads) == pytest.approx(expected, rel=1e-14)
    assert neuron.w[0].data == pytest.approx(w, rel=1e-14)


def test_record_must_be_named_callables():
    X, y = [[1.0]], [0.0]
    with pytest.raises(TypeError, match=r"record\[0\] must be a callable"):
        nn.fit(nn.Neuron(1), X, y, record=[lambda step, model: 1], progress=False)
    r = Recorder(Value(0.0))
    with pytest.raises(ValueError, match="two recorders are named 'w0 grad'"):
        nn.fit(nn.Neuron(1), X, y, record=[r, r], progress=False)
    with pytest.raises(TypeError, match="record must be a list"):
        nn.fit(nn.Neuron(1), X, y, record=r, progress=False)
    assert math.isfinite(nn.Neuron(1).w[0].data)
