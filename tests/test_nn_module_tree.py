"""The module tree (issue 27): registration, bias marks, Sequential, shapes, architectures, init."""

import json
import math
import random
import statistics

import pytest

import nn
from autograd import Value
from nn.module import ARCHITECTURES, module_from_architecture


class Scaled(nn.Module):
    """A module of our own: y = s·x + c, its bias called 'offset' (not 'b')."""

    forward_state = ("last",)

    def __init__(self):
        self.s = Value(2.0)
        self.offset = self.bias(Value(0.5))
        self.last = None

    def __call__(self, x):
        self.last = self.s * x[0] + self.offset
        return self.last


def test_parameters_and_children_register_on_assignment_in_order():
    m = Scaled()
    assert [name for name, _ in m.named_parameters()] == ["s", "offset"]
    m([Value(1.0)])
    assert m.last is not None and len(m.parameters()) == 2  # forward_state is not a parameter
    assert m.weights() == [m.s] and m.biases() == [m.offset]  # the mark, not the name


def test_a_bias_is_known_by_its_mark_not_its_name():
    class Named(nn.Module):
        def __init__(self):
            self.b = Value(1.0)  # called b, but not marked: a weight
            self.shift = self.bias([Value(0.0), Value(0.0)])

    m = Named()
    assert m.weights() == [m.b]
    assert [name for name, _ in m.named_parameters()] == ["b", "shift.0", "shift.1"]
    # L2 acts on weights() only: 0.5 · 1² here, the biases left out
    assert nn.l2_penalty(m, 1.0).data == 0.5
    with pytest.raises(TypeError, match="bias"):
        m.other = m.bias(Scaled())


def test_mlp_names_and_weights_are_as_before():
    model = nn.MLP(2, [3, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b" and len(names) == 13
    biases = {id(p) for layer in model.layers for n in layer.neurons for p in [n.b]}
    assert {id(p) for p in model.weights()} == {id(p) for p in model.parameters()} - biases
    assert isinstance(model, nn.Sequential)
    assert [name for name, _ in model.named_children()] == ["layers.0", "layers.1"]


def test_default_init_keeps_todays_bits():
    # before init= existed a weight was rng.gauss(0.0, 1/sqrt(nin)), in order, biases 0
    rng = random.Random(7)
    expected = [rng.gauss(0.0, 1.0 / math.sqrt(3)) for _ in range(3 * 4)]
    layer = nn.Layer(3, 4, seed=7)
    assert [w.data for n in layer.neurons for w in n.w] == expected


@pytest.mark.parametrize(
    "init, variance", [("lecun", 1 / 50), ("normal", 1.0), ("glorot", 2 / (50 + 40)), ("he", 2 / 50)]
)
def test_each_init_draws_with_its_variance(init, variance):
    layer = nn.Layer(50, 40, seed=1, init=init)
    ws = [w.data for w in layer.weights()]
    assert all(b.data == 0.0 for b in layer.biases())
    # 2000 draws: the sample variance is within 10% of the rule's (about 3 standard errors)
    assert abs(statistics.pvariance(ws, mu=0.0) / variance - 1) < 0.1
    assert [w.data for w in nn.Layer(50, 40, seed=1, init=init).weights()] == ws  # seeded


def test_init_is_saved_and_old_files_load_as_lecun(tmp_path):
    he = nn.MLP(2, [3, 1], seed=0, init="he")
    assert he.architecture()["init"] == "he"
    he.save(tmp_path / "he.json")
    back = nn.load_model(tmp_path / "he.json")
    assert type(back) is nn.MLP and back.init == "he"
    assert [p.data for p in back.parameters()] == [p.data for p in he.parameters()]
    with pytest.raises(ValueError, match="architecture mismatch"):
        nn.MLP(2, [3, 1], seed=0).load(tmp_path / "he.json")
    # a file written before init= existed has no "init": it is a lecun model
    old = nn.MLP(2, [3, 1], seed=4)
    old.save(tmp_path / "old.json")
    assert "init" not in json.loads((tmp_path / "old.json").read_text())["architecture"]
    assert nn.load_model(tmp_path / "old.json").init == "lecun"
    document = json.loads((tmp_path / "old.json").read_text())
    document["architecture"]["init"] = "lecun"  # written out explicitly: the same model
    (tmp_path / "explicit.json").write_text(json.dumps(document))
    nn.MLP(2, [3, 1], seed=5).load(tmp_path / "explicit.json")


@pytest.mark.parametrize(
    "make", [nn.Neuron, lambda n, **k: nn.Layer(n, 2, **k), lambda n, **k: nn.MLP(n, [2], **k)]
)
def test_an_unknown_init_lists_the_choices(make):
    choices = r"\['glorot', 'he', 'lecun', 'normal'\]"
    with pytest.raises(ValueError, match=rf"init must be one of {choices}, got 'xavier'"):
        make(3, init="xavier")


def test_sequential_calls_in_turn_and_checks_its_chain():
    a, b = nn.Layer(2, 3, seed=0), nn.Layer(3, 1, "linear", seed=1)
    seq = nn.Sequential(a, b)
    out = seq([0.5, -1.0])
    assert [o.data for o in out] == [o.data for o in b([h.data for h in a([0.5, -1.0])])]
    assert seq.output_shape((2,)) == (1,) and seq.input_shape() == (2,)
    assert [name for name, _ in seq.named_parameters()][-1] == "layers.1.neurons.0.b"
    chain = r"^Layer at position 0 gives \(3,\) but Layer at position 1 takes \(4,\)$"
    with pytest.raises(ValueError, match=chain):
        nn.Sequential(a, nn.Layer(4, 1))
    with pytest.raises(ValueError, match=r"shape \(2,\), got shape \(5,\)"):
        seq.output_shape((5,))
    with pytest.raises(TypeError, match="module 1 must be an nn Module"):
        nn.Sequential(a, "relu")
    with pytest.raises(ValueError, match="at least one module"):
        nn.Sequential()


def test_output_shapes():
    assert nn.Neuron(3).output_shape((3,)) == ()
    assert nn.Layer(3, 4).output_shape((3,)) == (4,)
    assert nn.MLP(3, [4, 1]).output_shape((3,)) == ()  # one output: the call returns a Value
    assert nn.MLP(3, [4, 2]).output_shape((3,)) == (2,)
    with pytest.raises(ValueError, match=r"neuron N takes samples of shape \(3,\), got shape \(3, 1\)"):
        nn.Neuron(3).output_shape((3, 1))


def test_same_graph_every_sample_lives_on_the_module():
    assert nn.MLP(2, [3, 1]).same_graph_every_sample()
    assert nn.Sequential(nn.Layer(2, 2), nn.Layer(2, 1)).same_graph_every_sample()
    assert not Scaled().same_graph_every_sample()  # a module of your own: no promise
    assert not nn.Sequential(nn.Layer(1, 1), Scaled()).same_graph_every_sample()


def test_architecture_registry_rebuilds_every_kind(tmp_path):
    assert {"Neuron", "Layer", "MLP", "Sequential"} <= set(ARCHITECTURES)
    models = [
        nn.Neuron(3, "relu", seed=1),
        nn.Layer(3, 2, "sigmoid", seed=2, init="glorot"),
        nn.MLP(3, [4, 2], seed=3),
        nn.Sequential(nn.Layer(3, 4, seed=4), nn.Layer(4, 1, "linear", seed=5)),
    ]
    for i, model in enumerate(models):
        rebuilt = module_from_architecture(model.architecture())
        assert type(rebuilt) is type(model) and rebuilt.architecture() == model.architecture()
        model.save(tmp_path / f"{i}.json")
        loaded = nn.load_model(tmp_path / f"{i}.json")
        assert [p.data for p in loaded.parameters()] == [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=r"\"type\" must be one of"):
        module_from_architecture({"type": "Conv9d"})
    with pytest.raises(ValueError, match="architecture mismatch"):
        nn.Sequential(nn.Layer(3, 4), nn.Layer(4, 2)).load(tmp_path / "3.json")


def test_deltas_and_equations_name_what_they_support():
    seq = nn.Sequential(nn.Layer(2, 2), nn.Layer(2, 1))
    for call in (
        lambda: nn.deltas(seq),
        lambda: nn.explain_delta(seq, 0, 0),
        lambda: nn.bp_equations(seq, [1.0, 2.0], 0.5),
        lambda: nn.compare_with_autograd(Scaled(), [1.0], 0.5),
    ):
        with pytest.raises(TypeError, match=r"works on an nn\.MLP .*got (Sequential|Scaled)"):
            call()


def test_model_files_refuse_a_boolean_version_and_duplicated_keys(tmp_path):
    model = nn.MLP(2, [1], seed=0)
    path = tmp_path / "m.json"
    model.save(path)
    text = path.read_text()
    before = [p.data for p in model.parameters()]
    (tmp_path / "v.json").write_text(text.replace('"version": 1', '"version": true'))
    with pytest.raises(ValueError, match=r"v\.json: file version True"):
        model.load(tmp_path / "v.json")
    (tmp_path / "d.json").write_text(text.replace('"version": 1', '"version": 1, "format": "glassgrad.nn"'))
    with pytest.raises(ValueError, match=r"d\.json: .*the key 'format' appears twice"):
        model.load(tmp_path / "d.json")
    inner = text.replace('"nin": 2', '"nin": 2, "nin": 2')
    (tmp_path / "e.json").write_text(inner)
    with pytest.raises(ValueError, match=r"e\.json: .*the key 'nin' appears twice"):
        model.load(tmp_path / "e.json")
    assert [p.data for p in model.parameters()] == before
