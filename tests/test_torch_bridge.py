"""nn models in PyTorch and back: structure, exact weights, the same outputs and gradients.

Every expected number comes from PyTorch's own forward and autograd (float64), or from
the weights themselves read by index; none from the bridge under test.  The tests that
need torch skip where it is not installed; the ones about torch being optional do not.
"""

import math
import subprocess
import sys
from collections import OrderedDict

import pytest

import autograd
import nn
from nn import MLP, Layer, Neuron
from nn.torch_bridge import INSTALL_HINT, from_torch, parameter_values, to_torch

ACTS = ["tanh", "sigmoid", "relu", "linear"]
TORCH_NAMES = {"tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "ReLU"}


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def bits(x: float) -> str:
    return float.hex(x)  # tells 0.0 from -0.0, unlike ==


def inputs(n, nin, seed):
    import random

    rng = random.Random(seed)
    return [[rng.uniform(-2, 2) for _ in range(nin)] for _ in range(n)]


def layer_grads(linear):
    """A Linear's gradients in nn's order, read by index: neuron j's weights, then its bias."""
    out = []
    for j in range(linear.out_features):
        out.extend(float(linear.weight.grad[j, k]) for k in range(linear.in_features))
        out.append(float(linear.bias.grad[j]))
    return out


def linears(seq, torch):
    return [m for m in seq if type(m) is torch.nn.Linear]


# ----------------------------------------------------------------- torch stays optional
def test_importing_nn_and_the_bridge_never_imports_torch():
    code = "import sys, nn, nn.torch_bridge; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_without_torch_every_entry_point_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # "import torch" now raises ImportError
    model = MLP(2, [3, 1], seed=0)
    calls = [
        lambda: to_torch(model),
        lambda: to_torch(model.layers[0]),
        lambda: to_torch(model.layers[0].neurons[0]),
        lambda: from_torch(MLP, object()),
        lambda: parameter_values(object()),
    ]
    for call in calls:
        with pytest.raises(ImportError, match="pip install torch") as info:
            call()
        assert "PyTorch" in str(info.value)
    assert INSTALL_HINT == "pip install torch"


# ---------------------------------------------------------------------- to_torch
@pytest.mark.parametrize("hidden", ACTS)
@pytest.mark.parametrize("output", ACTS)
def test_mlp_becomes_linear_and_activation_modules_in_float64(torch, hidden, output):
    model = MLP(3, [4, 5, 2], activation=hidden, output_activation=output, seed=1)
    seq = to_torch(model)
    assert type(seq) is torch.nn.Sequential
    expected = []
    for act in (hidden, hidden, output):
        expected.append("Linear")
        if act != "linear":
            expected.append(TORCH_NAMES[act])
    assert [type(m).__name__ for m in seq] == expected
    for layer, linear in zip(model.layers, linears(seq, torch)):
        weight, bias = linear.weight.detach(), linear.bias.detach()
        assert linear.weight.dtype == torch.float64 and linear.bias.dtype == torch.float64
        assert tuple(linear.weight.shape) == (layer.nout, layer.nin)
        for j, neuron in enumerate(layer.neurons):
            assert [bits(float(weight[j, k])) for k in range(layer.nin)] == [bits(w.data) for w in neuron.w]
            assert bits(float(bias[j])) == bits(neuron.b.data)


@pytest.mark.parametrize("hidden", ACTS)
@pytest.mark.parametrize("output", ACTS)
def test_mlp_outputs_and_gradients_agree_with_torch_autograd(torch, hidden, output):
    model = MLP(3, [6, 5, 2], activation=hidden, output_activation=output, seed=2)
    for layer in model.layers:  # nonzero biases, so their gradients matter too
        for j, neuron in enumerate(layer.neurons):
            neuron.b.data = 0.1 * (j - 2)
    X = inputs(7, 3, seed=3)
    Y = inputs(7, 2, seed=4)
    seq = to_torch(model)

    cost = autograd.sum([(a - t) ** 2 for x, y in zip(X, Y) for a, t in zip(model(x), y)]) * (1 / len(X))
    model.zero_grad()
    cost.backward()

    out = seq(torch.tensor(X, dtype=torch.float64))
    for x, row in zip(X, out.tolist()):
        assert max(abs(a.data - b) for a, b in zip(model(x), row)) <= 1e-12
    torch_cost = ((out - torch.tensor(Y, dtype=torch.float64)) ** 2).sum() / len(X)
    torch_cost.backward()
    assert abs(cost.data - torch_cost.item()) <= 1e-12

    expected = [g for linear in linears(seq, torch) for g in layer_grads(linear)]
    ours = [p.grad for p in model.parameters()]
    assert len(ours) == len(expected)
    assert max(abs(a - b) for a, b in zip(ours, expected)) <= 1e-10
    assert any(g != 0.0 for g in expected)


def test_cross_entropy_on_a_digits_sized_model_agrees_with_torch(torch):
    F = torch.nn.functional
    import random

    model = MLP(64, [32, 10], activation="tanh", seed=0)
    rng = random.Random(0)
    X = [[rng.random() for _ in range(64)] for _ in range(16)]  # digits-sized images
    y = [rng.randrange(10) for _ in X]
    cost = autograd.sum([nn.cross_entropy(model(x), t) for x, t in zip(X, y)]) * (1 / len(X))
    cost.backward()
    seq = to_torch(model)
    torch_cost = F.cross_entropy(seq(torch.tensor(X, dtype=torch.float64)), torch.tensor(y))
    torch_cost.backward()
    assert abs(cost.data - torch_cost.item()) <= 1e-12
    expected = [g for linear in linears(seq, torch) for g in layer_grads(linear)]
    assert max(abs(p.grad - g) for p, g in zip(model.parameters(), expected)) <= 1e-10


@pytest.mark.parametrize("act", ACTS)
def test_layer_and_neuron_agree_with_torch(torch, act):
    X = inputs(5, 4, seed=5)
    for module in (Layer(4, 3, act, seed=6), Neuron(4, act, seed=7)):
        neurons = module.neurons if isinstance(module, Layer) else [module]
        for j, n in enumerate(neurons):
            n.b.data = 0.3 - 0.2 * j
        seq = to_torch(module)
        assert [type(m).__name__ for m in seq] == ["Linear"] + ([TORCH_NAMES[act]] if act != "linear" else [])
        out = seq(torch.tensor(X, dtype=torch.float64))
        assert tuple(out.shape) == (5, len(neurons))
        terms = []
        for x in X:
            a = module(x)
            terms.extend(a if isinstance(a, list) else [a])
        assert max(abs(t.data - o) for t, o in zip(terms, out.flatten().tolist())) <= 1e-12
        cost = autograd.sum([t * t * 0.5 + t for t in terms])
        module.zero_grad()
        cost.backward()
        (out * out * 0.5 + out).sum().backward()
        expected = layer_grads(seq[0])
        assert max(abs(p.grad - g) for p, g in zip(module.parameters(), expected)) <= 1e-10


def test_to_torch_leaves_torch_random_state_alone(torch):
    state = torch.random.get_rng_state()
    to_torch(MLP(8, [16, 4], seed=0))
    assert torch.equal(state, torch.random.get_rng_state())


def test_to_torch_refuses_what_is_not_an_nn_model(torch):
    for thing in (None, [Neuron(2)], torch.nn.Linear(2, 1), "MLP"):
        with pytest.raises(TypeError, match="nn.MLP, nn.Layer or nn.Neuron"):
            to_torch(thing)


def test_parameter_values_follows_parameters_order(torch):
    model = MLP(3, [4, 2], activation="relu", seed=8)
    seq = to_torch(model)
    assert [bits(v) for v in parameter_values(seq)] == [bits(p.data) for p in model.parameters()]
    with pytest.raises(ValueError, match="backward"):
        parameter_values(seq, grad=True)
    seq(torch.ones(2, 3, dtype=torch.float64)).sum().backward()
    expected = [g for linear in linears(seq, torch) for g in layer_grads(linear)]
    assert parameter_values(seq, grad=True) == expected


# -------------------------------------------------------------------- from_torch
@pytest.mark.parametrize("hidden", ACTS)
@pytest.mark.parametrize("output", ACTS)
def test_mlp_round_trips_bit_for_bit(torch, hidden, output):
    model = MLP(2, [5, 3, 1], activation=hidden, output_activation=output, seed=9)
    for p in model.parameters()[::3]:
        p.data = -p.data * 1.000001 + 1e-300  # odd bit patterns, subnormal-adjacent values
    back = from_torch(MLP, to_torch(model))
    assert type(back) is MLP
    assert back.architecture() == model.architecture()
    assert [bits(p.data) for p in back.parameters()] == [bits(p.data) for p in model.parameters()]


def test_single_layer_mlp_round_trips_its_weights(torch):
    model = MLP(3, [2], activation="relu", output_activation="sigmoid", seed=10)
    back = from_torch(MLP, to_torch(model))
    assert [bits(p.data) for p in back.parameters()] == [bits(p.data) for p in model.parameters()]
    # one Linear says nothing about a hidden activation: the default, which computes nothing here
    assert back.output_activation == "sigmoid" and back.activation == "tanh"


@pytest.mark.parametrize("act", ACTS)
def test_layer_and_neuron_round_trip_bit_for_bit(torch, act):
    for module in (Layer(3, 4, act, seed=11), Neuron(5, act, seed=12)):
        back = from_torch(type(module), to_torch(module))
        assert type(back) is type(module)
        assert back.architecture() == module.architecture()
        assert [bits(p.data) for p in back.parameters()] == [bits(p.data) for p in module.parameters()]


def test_a_torch_built_network_predicts_the_same_in_nn(torch):
    torch.manual_seed(0)
    seq = torch.nn.Sequential(
        torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2)
    ).double()
    model = from_torch(MLP, seq)
    assert model.architecture() == {
        "type": "MLP", "nin": 3, "nouts": [8, 8, 2], "activation": "relu", "output_activation": "linear",
    }
    X = inputs(6, 3, seed=13)
    expected = seq(torch.tensor(X, dtype=torch.float64)).tolist()
    for x, row in zip(X, expected):
        assert max(abs(a.data - b) for a, b in zip(model(x), row)) <= 1e-12


def test_identity_and_a_bare_linear_mean_no_activation(torch):
    T = torch.nn
    seq = T.Sequential(T.Linear(2, 3), T.Identity(), T.Linear(3, 1), T.Tanh())
    model = from_torch(MLP, seq.double())
    assert (model.activation, model.output_activation) == ("linear", "tanh")
    linear = torch.nn.Linear(4, 2, dtype=torch.float64)
    layer = from_torch(Layer, linear)
    assert layer.activation.name == "linear"
    assert [n.w[k].data for n in layer.neurons for k in range(4)] == linear.weight.flatten().tolist()


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_lower_precision_weights_are_taken_exactly(torch, dtype):
    torch.manual_seed(1)
    T = torch.nn
    seq = T.Sequential(T.Linear(3, 4), T.Sigmoid(), T.Linear(4, 1)).to(getattr(torch, dtype))
    model = from_torch(MLP, seq)
    # every float32/float16/bfloat16 number is exactly a float64: the same weights, no rounding
    assert [p.data for p in model.parameters()] == [float(v) for v in parameter_values(seq)]
    wide = seq.double()  # the same module computed in float64: what the nn model computes
    X = inputs(4, 3, seed=14)
    for x, out in zip(X, wide(torch.tensor(X, dtype=torch.float64)).flatten().tolist()):
        assert abs(model(x).data - out) <= 1e-12


@pytest.mark.parametrize("kind", [MLP, Layer, Neuron])
def test_from_torch_refuses_what_nn_cannot_hold(torch, kind):
    T = torch.nn
    L = T.Linear
    cases = [
        (T.Sequential(L(2, 1), T.GELU()), TypeError, r"GELU at position 1"),
        (T.Sequential(L(2, 1), T.LeakyReLU()), TypeError, r"LeakyReLU at position 1"),
        (T.Sequential(T.Conv1d(1, 1, 1)), TypeError, r"Conv1d at position 0"),
        (T.Sequential(T.Sequential(L(2, 1))), TypeError, r"Sequential at position 0"),
        (T.Sequential(T.Dropout(0.1), L(2, 1)), TypeError, r"Dropout at position 0"),
        (T.Sequential(T.Tanh(), L(2, 1)), ValueError, r"Tanh at position 0"),
        (T.Sequential(L(2, 1), T.Tanh(), T.Sigmoid()), ValueError, r"Sigmoid at position 2"),
        (T.Sequential(L(2, 1, bias=False)), ValueError, r"position 0 has no bias"),
        (T.Sequential(L(2, 1, dtype=torch.complex64)), ValueError, r"position 0 has weight of dtype"),
        (T.Sequential(), ValueError, r"empty"),
        (T.Tanh(), TypeError, r"expected a torch.nn.Sequential"),
        ([L(2, 1)], TypeError, r"expected a torch.nn.Sequential"),
        (None, TypeError, r"expected a torch.nn.Sequential"),
        (T.Sequential(OrderedDict(fc=L(2, 1), f=T.Softplus())), TypeError, r"Softplus at position 1 \('f'\)"),
    ]
    bad = L(2, 1, dtype=torch.float64)
    with torch.no_grad():
        bad.weight[0, 1] = math.nan
    cases.append((T.Sequential(bad), ValueError, r"position 0 has a non-finite weight"))

    class MyTanh(T.Tanh):
        pass

    cases.append((T.Sequential(L(2, 1), MyTanh()), TypeError, r"MyTanh at position 1"))
    for module, error, message in cases:
        with pytest.raises(error, match=message):
            from_torch(kind, module)


def test_from_torch_refuses_shapes_and_mixtures_a_kind_cannot_hold(torch):
    T, L = torch.nn, torch.nn.Linear
    with pytest.raises(ValueError, match=r"position 2 takes 4 inputs but the layer before it gives 3"):
        from_torch(MLP, T.Sequential(L(2, 3), T.Tanh(), L(4, 1)))
    with pytest.raises(ValueError, match=r"position 4 is followed by 'relu' but the first by 'tanh'"):
        from_torch(MLP, T.Sequential(L(2, 3), T.Tanh(), L(3, 3), T.Tanh(), L(3, 3), T.ReLU(), L(3, 1)))
    with pytest.raises(ValueError, match=r"position 2.*use nn.MLP"):
        from_torch(Layer, T.Sequential(L(2, 3), T.Tanh(), L(3, 1)))
    with pytest.raises(ValueError, match=r"Neuron has one output.*position 0 has 3; use nn.Layer"):
        from_torch(Neuron, T.Sequential(L(2, 3), T.Tanh()))
    for kind in (int, nn.Module, MLP(2, [1]), "MLP", None):
        with pytest.raises(TypeError, match="kind must be nn.MLP, nn.Layer or nn.Neuron"):
            from_torch(kind, T.Sequential(L(2, 1)))


def test_from_torch_keeps_the_torch_module_unchanged(torch):
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)).double()
    before = {k: v.clone() for k, v in seq.state_dict().items()}
    model = from_torch(MLP, seq)
    for p in model.parameters():
        p.data += 1.0  # the nn model holds copies
    assert all(torch.equal(before[k], v) for k, v in seq.state_dict().items())


# ------------------------------------------------- the methods on Neuron, Layer, MLP
def test_methods_give_what_the_functions_give(torch):
    modules = (MLP(3, [4, 2], activation="sigmoid", seed=15), Layer(3, 2, "relu", seed=16), Neuron(3))
    for module in modules:
        seq = module.to_torch()
        assert str(seq) == str(to_torch(module))
        assert parameter_values(seq) == [p.data for p in module.parameters()]
        back = type(module).from_torch(seq)
        assert type(back) is type(module) and back.architecture() == module.architecture()
        assert [bits(p.data) for p in back.parameters()] == [bits(p.data) for p in module.parameters()]


def test_methods_refuse_like_the_functions(torch):
    with pytest.raises(TypeError, match=r"GELU at position 1"):
        MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.GELU()))
    with pytest.raises(ValueError, match=r"Neuron has one output"):
        Neuron.from_torch(torch.nn.Linear(2, 3))


def test_methods_without_torch_say_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match="pip install torch"):
        MLP(2, [1], seed=0).to_torch()
    with pytest.raises(ImportError, match="pip install torch"):
        Layer.from_torch(object())
