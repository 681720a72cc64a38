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


# ------------------------------------------------------------------ hostile files
def valid_text(model) -> str:
    return json.dumps(
        {
            "format": "glassgrad.nn",
            "version": 1,
            "architecture": model.architecture(),
            "parameters": [[name, p.data] for name, p in model.named_parameters()],
        }
    )


def with_last_parameter(text: str, literal: str) -> str:
    """The file text with the last parameter's number replaced by ``literal`` (raw JSON text)."""
    head, _, _ = text.rpartition(", ")
    return f"{head}, {literal}]]}}"


HOSTILE = {
    "100,000 nested lists": ("[" * 100_000 + "]" * 100_000, "nested 100000 levels deep"),
    "100,000 nested objects": ('{"a":' * 100_000 + "1" + "}" * 100_000, "nested 100000 levels deep"),
    "unclosed nesting": ("[" * 100_000, "nested 100000 levels deep"),
    "1 and 400 zeros": (lambda t: with_last_parameter(t, "1" + "0" * 400), "integer of 401 digits"),
    "a 5,001-digit integer": (lambda t: with_last_parameter(t, "9" * 5001), "integer of 5001 digits"),
    "minus 1 and 400 zeros": (lambda t: with_last_parameter(t, "-1" + "0" * 400), "integer of 401 digits"),
    "1e400": (lambda t: with_last_parameter(t, "1e400"), "too large for a float"),
    "-1e999": (lambda t: with_last_parameter(t, "-1e999"), "too large for a float"),
    "NaN": (lambda t: with_last_parameter(t, "NaN"), "finite number"),
    "-Infinity": (lambda t: with_last_parameter(t, "-Infinity"), "finite number"),
    "a deep value": (lambda t: with_last_parameter(t, "[" * 40 + "]" * 40), "nested"),
    "a string value": (lambda t: with_last_parameter(t, '"0.5"'), "finite number"),
    "null": (lambda t: with_last_parameter(t, "null"), "finite number"),
    "a huge version": (lambda t: t.replace('"version": 1', '"version": ' + "1" * 5001), "file version"),
    "a huge name": (lambda t: t.replace('"layers.0.neurons.0.w.0"', '"' + "n" * 1_000_000 + '"'), "named"),
    "empty": ("", "not valid JSON"),
    "a UTF-8 BOM": (lambda t: "\ufeff" + t, "not valid JSON"),
    "truncated": (lambda t: t[: len(t) // 2], "not valid JSON"),
    "trailing garbage": (lambda t: t + "]", "not valid JSON"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_are_value_errors_naming_the_file(tmp_path, case):
    make, what = HOSTILE[case]
    model = nn.MLP(3, [2, 1], seed=0)
    path = tmp_path / "hostile.json"
    path.write_text(make(valid_text(model)) if callable(make) else make, encoding="utf-8")
    before = snapshot(model)
    with pytest.raises(ValueError) as caught:
        model.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and what in message
    assert len(message) < 1000  # a readable message, never the whole file
    assert snapshot(model) == before


def test_bytes_that_are_not_utf8_and_non_files(tmp_path):
    model = nn.MLP(3, [2, 1], seed=0)
    before = snapshot(model)
    bad = tmp_path / "latin1.json"
    bad.write_bytes(valid_text(model).replace("layers", "l\xe4yers").encode("latin-1"))
    with pytest.raises(ValueError, match=f"{bad}: .*not UTF-8"):
        model.load(bad)
    if hasattr(os, "mkfifo"):  # reading a FIFO would wait forever
        fifo = tmp_path / "pipe.json"
        os.mkfifo(fifo)
        with pytest.raises(ValueError, match=f"{fifo}: .*not a regular file"):
            model.load(fifo)
    assert snapshot(model) == before


def test_path_must_be_a_path():
    model = nn.MLP(2, [1], seed=0)
    for bad in (None, 3, b"x".decode().encode(), ["m.json"]):
        for method in (model.save, model.load):
            with pytest.raises(TypeError, match="path must be a file path"):
                method(bad)


def test_the_check_still_accepts_every_float_exactly(tmp_path):
    model = nn.MLP(2, [2, 1], seed=0)
    extremes = [5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 0.1, -0.0, 1e-310]
    for p, value in zip(model.parameters(), extremes * 2):
        p.data = value
    model.save(tmp_path / "m.json")
    fresh = nn.MLP(2, [2, 1], seed=9).load(tmp_path / "m.json")
    assert [repr(v) for v in snapshot(fresh)] == [repr(v) for v in snapshot(model)]
    text = with_last_parameter(valid_text(model), "1" + "0" * 308)  # 309 digits: still a float
    (tmp_path / "big.json").write_text(text)
    assert snapshot(fresh.load(tmp_path / "big.json"))[-1] == 1e308
    text = with_last_parameter(valid_text(model), "2" + "0" * 308)  # 309 digits, above the largest float
    (tmp_path / "big.json").write_text(text)
    with pytest.raises(ValueError, match="integer of 309 digits, too large"):
        fresh.load(tmp_path / "big.json")


HOSTILE_TOKENS = [
    "[", "]", "{", "}", ",", ":", '"', "\\", "\x00", "NaN", "Infinity", "-", "1e400", "9" * 400,
    "[" * 50, "null", "true", '"format"', "0.5", "\ud800", "\u2028", " ", "1" * 5000, '{"a": ',
]  # fmt: skip


def mutate(text: str, rng) -> str:
    """One random corruption of a model file's text."""
    kind = rng.randrange(4)
    i = rng.randrange(len(text) + 1)
    if kind == 0:  # truncate
        return text[:i]
    if kind == 1:  # delete a span
        return text[:i] + text[i + rng.randrange(1, 40) :]
    if kind == 2:  # insert something hostile
        token = rng.choice(HOSTILE_TOKENS)
        return text[:i] + token * (rng.choice([1, 1, 3, 1000]) if len(token) == 1 else 1) + text[i:]
    j = rng.randrange(len(text))  # replace one character
    return text[:j] + rng.choice(HOSTILE_TOKENS + ["0", "7", "e", "."]) + text[j + 1 :]


def test_fuzz_every_corruption_is_a_clear_value_error_or_an_exact_load(tmp_path):
    """2,000 random corruptions: each file loads exactly as json reads it, or nothing changes."""
    import random

    rng = random.Random(1234)
    model = nn.MLP(3, [2, 1], seed=0)
    text = valid_text(model)
    outcomes = {"loaded": 0, "refused": 0}
    for i in range(2000):
        corrupted = mutate(mutate(text, rng) if rng.random() < 0.3 else text, rng)
        path = tmp_path / f"fuzzed{i}.json"  # a new file each time: rewriting one makes ext4 flush it
        path.write_bytes(corrupted.encode("utf-8", "surrogatepass"))
        for p, value in zip(model.parameters(), range(100)):
            p.data = value + 0.25
        before = snapshot(model)
        try:
            model.load(path)
        except ValueError as error:
            outcomes["refused"] += 1
            assert str(error).startswith(f"{path}: ") and len(str(error)) < 1000, corrupted[:200]
            assert snapshot(model) == before
        else:
            outcomes["loaded"] += 1
            expected = [float(v) for _, v in json.loads(corrupted)["parameters"]]  # read independently
            assert snapshot(model) == expected
    assert outcomes["refused"] > 1000 and outcomes["loaded"] > 10  # both paths were exercised
