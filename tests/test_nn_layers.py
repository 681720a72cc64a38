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


# ------------------------------------------------------------------ bad input names the argument


def test_numpy_sizes_and_inputs_work_as_plain_ints_and_lists(tmp_path):
    numpy = pytest.importorskip("numpy")
    model = nn.MLP(numpy.int64(2), numpy.array([3, 1]), seed=0)
    assert model.nouts == [3, 1] and all(type(n) is int for n in [model.nin, *model.nouts])
    model.save(tmp_path / "m.json")  # the architecture is plain JSON
    twin = nn.MLP(2, [3, 1], seed=0)
    x = numpy.array([0.5, -1.5])
    assert model(x).data == twin([0.5, -1.5]).data
    assert model(numpy.array([1, 2])).data == twin([1.0, 2.0]).data


@pytest.mark.parametrize(
    "kwargs, error, names",
    [
        ({"nin": 2.0, "nouts": [3]}, ValueError, "nin must be a positive int"),
        ({"nin": True, "nouts": [3]}, ValueError, "nin must be a positive int"),
        ({"nin": 2, "nouts": [3, 0]}, ValueError, r"nouts\[1\] must be a positive int"),
        ({"nin": 2, "nouts": "31"}, ValueError, "nouts must be a non-empty list of layer sizes"),
        ({"nin": 2, "nouts": {3: 1}}, ValueError, "nouts must be a non-empty list of layer sizes"),
        ({"nin": 2, "nouts": {3}}, ValueError, "nouts must be a non-empty list of layer sizes"),
        ({"nin": 2, "nouts": None}, ValueError, "nouts must be a non-empty list of layer sizes"),
        ({"nin": 2, "nouts": [3], "rng": 5}, TypeError, "rng must be a random.Random"),
        ({"nin": 2, "nouts": [3], "seed": "a"}, TypeError, "seed must be an int or None"),
        ({"nin": 2, "nouts": [3], "seed": 1.5}, TypeError, "seed must be an int or None"),
        ({"nin": 2, "nouts": [3], "activation": 5}, ValueError, "activation must be one of"),
        ({"nin": 2, "nouts": [3], "output_activation": "x"}, ValueError, "output_activation must be one of"),
        ({"nin": 2, "nouts": [3], "elementary": "yes"}, TypeError, "elementary must be True or False"),
    ],
)
def test_bad_mlp_arguments_name_the_argument_and_what_it_accepts(kwargs, error, names):
    with pytest.raises(error, match=names):
        nn.MLP(**kwargs)


def test_bad_numpy_sizes():
    numpy = pytest.importorskip("numpy")
    with pytest.raises(ValueError, match="nouts must be a non-empty list"):
        nn.MLP(2, numpy.array(3))
    with pytest.raises(ValueError, match="nouts must be a non-empty list"):
        nn.MLP(2, numpy.array([], dtype=int))
    with pytest.raises(ValueError, match=r"nouts\[0\] must be a positive int"):
        nn.MLP(2, numpy.array([2.5]))


def test_bad_neuron_and_layer_arguments():
    with pytest.raises(TypeError, match="name must be a str"):
        nn.Neuron(2, name=5)
    with pytest.raises(TypeError, match="name must be a str"):
        nn.Layer(2, 3, name=None)
    with pytest.raises(TypeError, match="rng must be a random.Random"):
        nn.Layer(2, 3, rng=5)
    with pytest.raises(ValueError, match="nout must be a positive int"):
        nn.Layer(2, 0)
    with pytest.raises(ValueError, match="activation must be one of"):
        nn.Layer(2, 3, "softplus")


@pytest.mark.parametrize(
    "x, error, names",
    [
        ({0: 1.0, 1: 2.0}, TypeError, "x must be a list, tuple or 1-D array of 2 numbers or Values, got d"),
        ({1.0, 2.0}, TypeError, "got set"),
        ("ab", TypeError, "got str"),
        (5, TypeError, "got int"),
        ((v for v in [1.0, 2.0]), TypeError, "got generator"),
        ([1.0, "a"], TypeError, r"x\[1\] must be a number or a Value"),
        ([None, 1.0], TypeError, r"x\[0\] must be a number or a Value"),
        ([1.0, 2.0, 3.0], ValueError, "expects 2 inputs, got 3"),
    ],
)
def test_bad_inputs_name_x_and_what_it_accepts_and_change_nothing(x, error, names):
    model = nn.MLP(2, [3, 1], seed=0)
    model([0.1, 0.2])
    neuron = model.layers[0].neurons[0]
    before = (neuron.z, neuron.a)
    with pytest.raises(error, match=names):
        model(x)
    assert (neuron.z, neuron.a) == before  # no half-done forward pass
    for part in (nn.Neuron(2, seed=0), nn.Layer(2, 2, seed=0)):
        with pytest.raises(error, match=names):
            part(x)


def test_a_batch_given_as_one_sample_is_refused_with_its_shape():
    numpy = pytest.importorskip("numpy")
    with pytest.raises(ValueError, match=r"ONE sample .* shape \(1, 2\)"):
        nn.MLP(2, [3, 1], seed=0)(numpy.array([[1.0, 2.0]]))


# ------------------------------------------------------------------ input labels, activations
def test_number_inputs_become_leaves_labelled_x1_x2_and_values_keep_theirs():
    model = nn.MLP(3, [2, 1], seed=0)
    out = model([0.5, -1.0, 2.0])
    first = model.layers[0].neurons[0]
    inputs = first.z.parents[3:6]  # dot's parents: w1..w3, x1..x3, b
    assert [x.label for x in inputs] == ["x1", "x2", "x3"]
    assert [x.data for x in inputs] == [0.5, -1.0, 2.0]
    leaves = {v.label for v in autograd.topological_order(out) if not v.parents and v.group is None}
    assert leaves == {"x1", "x2", "x3"}  # every leaf that is not a parameter is a labelled input
    mine = Value(0.5, label="height")
    model([mine, Value(1.0), 3.0])
    assert [x.label for x in model.layers[0].neurons[0].z.parents[3:6]] == ["height", None, "x3"]


def test_activation_reads_the_same_on_neuron_layer_and_mlp():
    model = nn.MLP(2, [3, 1], activation="relu", output_activation="sigmoid", seed=0)
    hidden, last = model.layers
    for part, name in [(model, "relu"), (hidden, "relu"), (hidden.neurons[0], "relu")]:
        assert part.activation == name and str(part.activation) == name and part.activation.name == name
    assert model.output_activation == last.activation == "sigmoid"
    assert model.output_activation.name == "sigmoid"
    assert model.activation == hidden.activation and model.activation != "tanh"
    assert {"relu": 1}[model.activation] == 1 and nn.ACTIVATIONS[hidden.activation].name == "relu"
    assert f"{model.activation}" == "relu" and repr(model.activation) == "Activation('relu')"
    assert model.architecture()["activation"] == "relu"


# ------------------------------------------------------------------ the PyTorch methods
@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.MLP(3, [4, 2], activation="relu", output_activation="sigmoid", seed=0),
        lambda: nn.Layer(3, 2, "tanh", seed=1),
        lambda: nn.Neuron(3, "sigmoid", seed=2),
    ],
)
def test_to_torch_and_from_torch_methods_round_trip_bit_for_bit(make):
    torch = pytest.importorskip("torch")
    model = make()
    seq = model.to_torch()
    assert isinstance(seq, torch.nn.Sequential)
    back = type(model).from_torch(seq)
    assert type(back) is type(model) and back.architecture() == model.architecture()
    assert [p.data for p in back.parameters()] == [p.data for p in model.parameters()]
    x = [0.3, -1.2, 0.8]
    out = seq(torch.tensor([x], dtype=torch.float64))[0].tolist()
    ours = model(x)
    ours = [ours] if isinstance(ours, Value) else ours
    assert out == pytest.approx([v.data for v in ours], abs=1e-12)


def test_import_nn_never_imports_torch_and_without_torch_the_methods_say_what_to_install():
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['torch'] = None\n"  # as if torch were not installed
        "import nn\n"
        "assert [m for m in sys.modules if m == 'torch' or m.startswith('torch.')] == ['torch']\n"
        "try:\n"
        "    nn.MLP(2, [1], seed=0).to_torch()\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "pip install torch" in done.stdout
    plain = subprocess.run(
        [sys.executable, "-c", "import sys, nn; print('torch' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plain.stdout.strip() == "False", plain.stderr


def test_parameters_are_weights_then_bias_neuron_by_neuron_layer_by_layer():
    """The documented order, which save/load, the optimiser and to_torch rely on."""
    model = nn.MLP(2, [3, 1], seed=0)
    expected = []
    for layer in model.layers:
        for neuron in layer.neurons:
            expected += [*neuron.w, neuron.b]
    assert len(expected) == 2 * 3 + 3 + 3 * 1 + 1
    assert all(p is q for p, q in zip(model.parameters(), expected, strict=True))
    neuron = nn.Neuron(3, "tanh", seed=0)
    assert [p.label for p in neuron.parameters()] == ["w1", "w2", "w3", "b"]
