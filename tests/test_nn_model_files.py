"""nn.load_model on hand-edited files: the refusal names the module and the field that does
not fit the weights the file lists; and a Sequential whose shapes do not chain is refused
naming both modules and the shapes, before any weight changes."""

import json

import pytest

import nn
from nn import Conv2d, Flatten, Layer, MaxPool2d, Sequential


def cnn():
    return Sequential(Conv2d(1, 4, 3, seed=0), MaxPool2d(2), Flatten(), Layer(36, 10, "linear", seed=1))


def dense():
    return Sequential(Layer(3, 4, seed=0), Layer(4, 2, "linear", seed=1))


def edited(tmp_path, model, edit):
    """``model`` saved, its architecture edited by hand (``edit`` changes the dict)."""
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text())
    edit(document["architecture"])
    path.write_text(json.dumps(document))
    return path


def refusal(path):
    with pytest.raises(ValueError) as caught:
        nn.load_model(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    return message[len(f"{path}: "):]


def test_an_edited_size_names_the_field_and_the_size_the_weights_fit(tmp_path):
    # the last layer's nout 2 -> 3: the model builds, but the file lists 2 neurons' weights (2 × 5)
    path = edited(tmp_path, dense(), lambda a: a["modules"][1].update(nout=3))
    assert refusal(path) == (
        "layers.1.nout is 3 in the file's architecture, but the file lists 10 parameters for layers.1 "
        "(Layer), which fit nout = 2 (3 makes 15): was the architecture edited?"
    )
    path = edited(tmp_path, dense(), lambda a: a["modules"][0].update(nin=2))
    assert refusal(path).startswith("layers.0.nin is 2 in the file's architecture, but the file lists 16 "
                                    "parameters for layers.0 (Layer), which fit nin = 3 (2 makes 12)")
    path = edited(tmp_path, nn.MLP(3, [4, 2], seed=0), lambda a: a["nouts"].__setitem__(0, 3))
    assert refusal(path).startswith("nouts[0] is 3 in the file's architecture, but the file lists 26 "
                                    "parameters for the model (MLP), which fit nouts[0] = 4 (3 makes 20)")


def test_an_edited_kernel_size_names_the_convolution_and_its_field(tmp_path):
    path = edited(tmp_path, cnn(), lambda a: a["modules"][0].update(kernel_size=[2, 2]))
    assert refusal(path).startswith("layers.0.kernel_size is [2, 2] in the file's architecture, but the "
                                    "file lists 40 parameters for layers.0 (Conv2d), which fit kernel_size = "
                                    "[3, 3]")
    path = edited(tmp_path, cnn(), lambda a: a["modules"][0].update(out_channels=3))
    assert refusal(path).startswith("layers.0.out_channels is 3 in the file's architecture")
    path = edited(tmp_path, cnn(), lambda a: a["modules"][3].update(nin=35))
    assert refusal(path).startswith("layers.3.nin is 35 in the file's architecture, but the file lists 370 "
                                    "parameters for layers.3 (Layer), which fit nin = 36")


def test_an_edited_activation_and_a_removed_key_name_the_module_and_the_field(tmp_path):
    path = edited(tmp_path, dense(), lambda a: a["modules"][1].update(activation="rleu"))
    assert refusal(path) == ("layers.1: architecture of a Layer: activation must be one of "
                             "['linear', 'relu', 'sigmoid', 'tanh'], got 'rleu'")
    path = edited(tmp_path, dense(), lambda a: a["modules"][1].pop("nout"))
    assert refusal(path).startswith("layers.1: architecture of a Layer: missing a required argument: 'nout' "
                                    "(a Layer takes nin, nout, activation,")
    path = edited(tmp_path, cnn(), lambda a: a["modules"][0].pop("kernel_size"))
    assert "layers.0: architecture of a Conv2d: missing a required argument: 'kernel_size'" in refusal(path)
    path = edited(tmp_path, cnn(), lambda a: a["modules"][2].update(size=3))
    assert "layers.2: architecture of a Flatten: got an unexpected keyword argument 'size'" in refusal(path)


def test_an_edited_size_that_breaks_the_chain_names_both_modules(tmp_path):
    path = edited(tmp_path, dense(), lambda a: a["modules"][0].update(nout=3))
    assert refusal(path) == ("architecture of a Sequential: Layer at position 0 gives (3,) but Layer at "
                             "position 1 takes (4,)")


def test_a_removed_parameter_is_still_counted_and_an_edit_that_fits_loads(tmp_path):
    path = tmp_path / "model.json"
    dense().save(path)
    document = json.loads(path.read_text())
    document["parameters"].pop()
    path.write_text(json.dumps(document))
    assert refusal(path) == "the file has 25 parameters, this model has 26"
    # an edit the weights still fit is a model of its own: relu instead of tanh loads
    path = edited(tmp_path, dense(), lambda a: a["modules"][0].update(activation="relu"))
    model = nn.load_model(path)
    assert model.layers[0].activation == "relu"
    assert [p.data for p in model.parameters()] == [p.data for p in dense().parameters()]


def test_a_loaded_model_is_the_saved_one_bit_for_bit(tmp_path):
    model = cnn()
    for k, p in enumerate(model.parameters()):
        p.data = (k - 200) / 7.0
    path = tmp_path / "model.json"
    model.save(path)
    loaded = nn.load_model(path)
    assert [p.data for p in loaded.parameters()] == [p.data for p in model.parameters()]
    assert [n for n, _ in loaded.named_parameters()] == [n for n, _ in model.named_parameters()]


# ------------------------------------------------------------ a Sequential whose shapes do not chain
def refused(pattern):
    """``pytest.raises(ValueError)`` whose message is exactly ``pattern`` (a regex)."""
    return pytest.raises(ValueError, match=rf"^{pattern}$")


def test_at_construction_where_sizes_are_known_both_modules_and_shapes_are_named():
    with refused(r"Layer at position 0 gives \(4,\) but Layer at position 1 takes \(5,\)"):
        Sequential(Layer(3, 4), Layer(5, 2))
    # a convolution first (any height and width): the dense end of the chain is still checked
    with refused(r"Layer at position 3 gives \(10,\) but Layer at position 4 takes \(5,\)"):
        Sequential(Conv2d(1, 4, 3), MaxPool2d(2), Flatten(), Layer(36, 10), Layer(5, 2))
    with refused(r"Flatten at position 1 gives \(4,\) but Conv2d at position 2 does not take it "
                 r"\(Conv2d\(1, 2, .*got shape \(4,\)\)"):
        Sequential(Layer(3, 4), Flatten(), Conv2d(1, 2, 3))


def test_at_the_first_call_when_sizes_are_not_known_before():
    image = [[[0.1 * (r + c) for c in range(8)] for r in range(8)]]
    model = Sequential(Conv2d(1, 4, 3), MaxPool2d(2), Flatten(), Layer(16, 10))  # 8×8 gives 36, not 16
    with refused(r"Flatten at position 2 gives \(36,\) but Layer at position 3 takes \(16,\)"):
        model(image)
    with refused(r"Conv2d at position 0 gives \(4, 6, 6\) but Conv2d at position 1 does not take it "
                 r"\(.*with C = 2, got shape \(4, 6, 6\)\)"):
        Sequential(Conv2d(1, 4, 3), Conv2d(2, 3, 3))(image)
    # an image that does not fit the first module: its own error, naming it
    with pytest.raises(ValueError, match=r"^Conv2d layers.0 expects \[C\]\[H\]\[W\] with C = 1 channel\(s\), "
                                         r"got 2"):
        model([[[0.1] * 8] * 8] * 2)
    # a 6×6 image fits: the same model works (only the sizes were unknown before)
    assert len(model([[[0.1] * 6] * 6])) == 10


@pytest.mark.parametrize("backward", ["codegen", "fast", "plain"])
def test_at_the_first_fit_before_any_update(backward):
    X, y = [[[[0.1 * k] * 8] * 8] for k in range(4)], [0, 1, 2, 3]
    model = Sequential(Conv2d(1, 2, 3, seed=0), Flatten(), Layer(70, 4, seed=1))  # gives 72
    before = [p.data for p in model.parameters()]
    with refused(r"X\[0\]: Flatten at position 1 gives \(72,\) but Layer at position 2 takes \(70,\)"):
        nn.fit(model, X, y, cost="cross_entropy", lr=0.5, epochs=1, progress=False, backward=backward)
    assert [p.data for p in model.parameters()] == before
