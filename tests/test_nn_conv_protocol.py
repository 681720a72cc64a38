"""Conv modules in the module tree: names, save/load, PyTorch both ways, Sequential."""

import json
import random

import pytest

import nn
from nn import AvgPool2d, Conv1d, Conv2d, Flatten, Layer, MaxPool2d, Sequential

torch = pytest.importorskip("torch")


def cnn(seed=0):
    return Sequential(
        Conv2d(1, 2, 3, padding=1, activation="tanh", seed=seed, name="C1"),
        MaxPool2d(2, name="P1"),
        Conv2d(2, 3, 2, activation="relu", seed=seed + 1, init="he", name="C2"),
        AvgPool2d(2, stride=1, name="P2"),
        Flatten(),
        Layer(3, 4, "linear", seed=seed + 2),
    )


def image(seed, c=1, h=6, w=6):
    rng = random.Random(seed)
    return [[[rng.uniform(-1, 1) for _ in range(w)] for _ in range(h)] for _ in range(c)]


def bits(values):
    return [float.hex(v) for v in values]


def test_names_weights_and_biases():
    model = cnn()
    names = [n for n, _ in model.named_parameters()]
    assert names[0] == "layers.0.kernels.0.w.0" and names[9] == "layers.0.kernels.0.b"
    assert "layers.2.kernels.2.w.7" in names and names[-1] == "layers.5.neurons.3.b"
    biases = {id(p) for p in model.biases()}
    assert {id(k.b) for k in model.layers[0].kernels} <= biases
    assert not biases & {id(w) for k in model.layers[0].kernels for w in k.w}
    assert len(model.weights()) + len(model.biases()) == len(model.parameters()) == 2 * 10 + 3 * 9 + 16
    assert model.same_graph_every_sample()
    assert model.output_shape((1, 6, 6)) == (4,)


def test_save_load_round_trip_bit_for_bit_and_the_architecture_in_the_file(tmp_path):
    model = cnn(3)
    path = tmp_path / "cnn.json"
    model.save(path)
    document = json.loads(path.read_text())
    kinds = [m["type"] for m in document["architecture"]["modules"]]
    assert kinds == ["Conv2d", "MaxPool2d", "Conv2d", "AvgPool2d", "Flatten", "Layer"]
    assert document["architecture"]["modules"][2]["init"] == "he"
    loaded = nn.load_model(path)
    assert bits(p.data for p in loaded.parameters()) == bits(p.data for p in model.parameters())
    x = image(1)
    assert bits(v.data for v in loaded(x)) == bits(v.data for v in model(x))
    fresh = cnn(9).load(path)
    assert bits(p.data for p in fresh.parameters()) == bits(p.data for p in model.parameters())


def test_a_different_architecture_is_refused_naming_the_module(tmp_path):
    path = tmp_path / "cnn.json"
    cnn().save(path)
    other = Sequential(
        Conv2d(1, 2, 3, padding=0, activation="tanh"),
        MaxPool2d(2),
        Conv2d(2, 3, 2),
        AvgPool2d(2, 1),
        Flatten(),
        Layer(3, 4, "linear"),
    )
    before = bits(p.data for p in other.parameters())
    with pytest.raises(ValueError, match=r"architecture mismatch.*'type': 'Conv2d'.*'padding': \[0, 0\]"):
        other.load(path)
    assert bits(p.data for p in other.parameters()) == before


def test_to_torch_outputs_and_grads_equal_torch_float64():
    model = cnn(5)
    x = image(2)
    t = model.to_torch()
    xt = torch.tensor(x, dtype=torch.float64)
    expected = t(xt)
    out = model(x)
    assert max(abs(a.data - b) for a, b in zip(out, expected.tolist())) <= 1e-12
    target = [0.5, -0.5, 0.0, 1.0]
    nn.quadratic_cost(out, target).backward()
    (0.5 * ((expected - torch.tensor(target, dtype=torch.float64)) ** 2).sum()).backward()
    torch_grads = []
    for layer in t:
        if isinstance(layer, (torch.nn.Conv2d,)):
            for row, b in zip(
                layer.weight.grad.reshape(layer.out_channels, -1).tolist(), layer.bias.grad.tolist()
            ):
                torch_grads += [*row, b]
        elif isinstance(layer, torch.nn.Linear):
            for row, b in zip(layer.weight.grad.tolist(), layer.bias.grad.tolist()):
                torch_grads += [*row, b]
    ours = [p.grad for p in model.parameters()]
    assert len(ours) == len(torch_grads)
    assert max(abs(a - b) for a, b in zip(ours, torch_grads)) <= 1e-12


def test_from_torch_of_to_torch_is_bit_for_bit():
    model = cnn(7)
    back = Sequential.from_torch(model.to_torch())
    without_init = [{k: v for k, v in m.items() if k != "init"} for m in model.architecture()["modules"]]
    assert [
        {k: v for k, v in m.items() if k != "init"} for m in back.architecture()["modules"]
    ] == without_init  # torch keeps no init rule; the weights are kept
    assert bits(p.data for p in back.parameters()) == bits(p.data for p in model.parameters())
    one = Sequential(Conv1d(2, 3, 3, stride=2, padding=1, activation="sigmoid", seed=1), Flatten())
    again = Sequential.from_torch(one.to_torch())
    assert again.architecture() == one.architecture()
    assert bits(p.data for p in again.parameters()) == bits(p.data for p in one.parameters())


def test_from_torch_reads_a_torch_cnn_and_refuses_what_it_cannot_hold():
    torch.manual_seed(0)
    seq = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(16, 2),
    )
    model = Sequential.from_torch(seq)
    x = image(4)
    expected = seq(torch.tensor(x, dtype=torch.float32)[None])[0].double()
    assert max(abs(a.data - b) for a, b in zip(model(x), expected.tolist())) <= 1e-5  # torch ran in float32
    assert bits(w.data for w in model.layers[0].kernels[1].w) == bits(
        seq[0].weight[1].flatten().double().tolist()
    )
    for bad, message in [
        (torch.nn.Conv2d(1, 2, 3, dilation=2), r"Conv2d at position 0 has dilation=\(2, 2\)"),
        (torch.nn.Conv2d(1, 2, 3, groups=1, bias=False), r"Conv2d at position 0 has no bias"),
        (torch.nn.Conv2d(1, 2, 3, padding="same"), r"padding='same'"),
        (torch.nn.MaxPool2d(2, padding=1), r"MaxPool2d at position 0 has padding=1"),
        (torch.nn.AvgPool2d(2, ceil_mode=True), r"ceil_mode=True"),
    ]:
        with pytest.raises(ValueError, match=message):
            Sequential.from_torch(torch.nn.Sequential(bad))
    with pytest.raises(ValueError, match=r"MaxPool2d at position 0 is followed by an activation"):
        Sequential.from_torch(torch.nn.Sequential(torch.nn.MaxPool2d(2), torch.nn.ReLU()))
