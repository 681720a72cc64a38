"""Two modules of one kind with default names keep their Values apart in pictures: a
Sequential names a module still called by its class's default after its position."""

import re

from autograd import Value, draw_graph
from nn import Conv2d, Flatten, Layer, MaxPool2d, Sequential


def groups(root):
    """``{group box's name: its caption}`` from the DOT text of ``draw_graph(root)``."""
    source = draw_graph(root).source
    return dict(re.findall(r'class="group"[^\n]*label=<([^<]+)<BR/>([^>]+)>', source))


def test_two_default_layers_are_two_groups_each_of_its_own_neurons():
    model = Sequential(Layer(2, 2, seed=0), Layer(2, 1, seed=1))
    (out,) = model([Value(0.5), Value(-1.0)])
    # before: both layers were "L", and layer 1's neuron 0 fell into layer 0's "L.N0" box
    # ("L.N0: 10 values (6 parameters)")
    assert groups(out) == {
        "layers.0.N0": "5 values (3 parameters)",
        "layers.0.N1": "5 values (3 parameters)",
        "layers.1.N0": "5 values (3 parameters)",
    }
    assert [layer.name for layer in model.layers] == ["layers.0", "layers.1"]
    assert model.layers[1].neurons[0].b.group == "layers.1.N0"


def test_two_default_convolutions_and_a_pool_are_grouped_by_position_and_channel():
    image = [[[0.1 * (r - c) for c in range(4)] for r in range(4)]]
    model = Sequential(Conv2d(1, 2, 2, seed=0), Conv2d(2, 1, 2, seed=1), MaxPool2d(2), Flatten(),
                       Layer(1, 1, seed=2))
    (out,) = model(image)
    found = groups(out)
    assert set(found) == {"layers.0.k0", "layers.0.k1", "layers.1.k0", "layers.2.c0", "layers.4.N0"}
    # kernel 0 of the first convolution: 4 weights, a bias, and a z and an a at each of 3×3 places
    assert found["layers.0.k0"] == "23 values (5 parameters)"
    assert found["layers.1.k0"] == "17 values (9 parameters)"  # 2×2×2 weights and a bias; 2×2 places


def test_given_names_are_kept_and_parameter_names_do_not_change():
    model = Sequential(Conv2d(1, 2, 2, name="C1"), Conv2d(2, 1, 2), Flatten(), Layer(4, 1, name="out"))
    assert [getattr(m, "name", None) for m in model.layers] == ["C1", "layers.1", "layers.2", "out"]
    assert model.layers[0].kernels[1].w[0].group == "C1.k1"
    assert model.layers[1].kernels[0].w[0].group == "layers.1.k0"
    names = [n for n, _ in model.named_parameters()]
    assert names[:2] == ["layers.0.kernels.0.w.0", "layers.0.kernels.0.w.1"]
    assert names[-1] == "layers.3.neurons.0.b"
