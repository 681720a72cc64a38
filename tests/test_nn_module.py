"""save / load: exact round trip, clear errors, the model untouched, atomic writes."""

import json
import math
import os

import pytest

import nn


def outputs(model, xs):
    return [nn.predict(model, x) for x in xs]


XS = [[0.1, 0.2, 0.3], [-1.0, 2.0, 0.5], [3.0, -2.0, 1.0]]


def snapshot(model):
    return [p.data for p in model.parameters()]


def test_save_load_gives_identical_predictions(tmp_path):
    trained = nn.MLP(3, [5, 4, 2], activation="sigmoid", seed=1)
    for p in trained.parameters():  # awkward floats that must survive the text round trip
        p.data = p.data / 3.0 + 1e-17
    path = tmp_path / "model.json"
    trained.save(path)
    fresh = nn.MLP(3, [5, 4, 2], activation="sigmoid", seed=2)
    assert outputs(fresh, XS) != outputs(trained, XS)
    assert fresh.load(path) is fresh
    assert snapshot(fresh) == snapshot(trained)  # bit for bit
    assert outputs(fresh, XS) == outputs(trained, XS)
    document = json.loads(path.read_text())
    assert document["architecture"]["nouts"] == [5, 4, 2]


def test_neuron_and_layer_save_too(tmp_path):
    for make in (lambda s: nn.Neuron(3, "tanh", seed=s), lambda s: nn.Layer(3, 2, "relu", seed=s)):
        a, b = make(0), make(1)
        a.save(tmp_path / "m.json")
        b.load(tmp_path / "m.json")
        assert snapshot(a) == snapshot(b)


def test_mismatched_architecture_is_a_clear_error_and_model_untouched(tmp_path):
    nn.MLP(3, [5, 1], seed=0).save(tmp_path / "small.json")
    for other in (nn.MLP(3, [4, 1], seed=3), nn.MLP(3, [5, 1], activation="relu", seed=3)):
        before = snapshot(other)
        with pytest.raises(ValueError, match="architecture mismatch"):
            other.load(tmp_path / "small.json")
        assert snapshot(other) == before


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a glassgrad model file"),
        ('{"format": "something else"}', "not a glassgrad model file"),
    ],
)
def test_corrupt_file_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    model = nn.MLP(3, [2, 1], seed=0)
    before = snapshot(model)
    with pytest.raises(ValueError, match=message):
        model.load(path)
    assert snapshot(model) == before


def tamper(tmp_path, change):
    model = nn.MLP(3, [2, 1], seed=0)
    path = tmp_path / "m.json"
    model.save(path)
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["parameters"].pop(), "has 10 parameters, this model has 11"),
        (lambda d: d["parameters"][-1].__setitem__(1, "zero"), "finite number"),
        (lambda d: d["parameters"][-1].__setitem__(1, True), "finite number"),
        (lambda d: d["parameters"][-1].__setitem__(1, 1e400), "finite number"),
        (lambda d: d["parameters"][-1].__setitem__(0, "layers.9.b"), "named 'layers.9.b'"),
        (lambda d: d.__setitem__("version", 99), "version"),
    ],
)
def test_bad_contents_change_nothing(tmp_path, change, message):
    path = tamper(tmp_path, change)
    model = nn.MLP(3, [2, 1], seed=5)
    before = snapshot(model)
    with pytest.raises(ValueError, match=message):
        model.load(path)
    assert snapshot(model) == before  # the valid first parameters were not copied either


def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    model = nn.MLP(2, [2, 1], seed=0)
    model.save(path)
    original = path.read_bytes()

    model.parameters()[0].data = math.nan  # cannot be written as JSON
    with pytest.raises(ValueError, match=r"layers\.0\.neurons\.0\.w\.0"):
        model.save(path)
    assert path.read_bytes() == original

    model.parameters()[0].data = 5.0

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["model.json"]  # no temporary file left behind


def test_saved_file_gets_ordinary_permissions(tmp_path):
    # the temporary file behind an atomic save is private; the saved file must not be
    mask = os.umask(0o022)
    try:
        target = tmp_path / "model.json"
        nn.MLP(2, [2, 1], seed=0).save(target)
        assert target.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(mask)
