"""The torch bridge refuses what would compute something else (issue 21 item 7), and converts
through a registry keyed by the exact torch type (issue 27)."""

from collections import OrderedDict

import pytest

import nn
from nn.torch_bridge import FROM_TORCH, from_torch

torch = pytest.importorskip("torch")
T = torch.nn


class Residual(T.Sequential):
    def forward(self, x):  # x + f(x): not what the layers compute one after the other
        return x + super().forward(x)


@pytest.mark.parametrize("kind", [nn.MLP, nn.Layer, nn.Neuron, nn.Sequential])
def test_a_sequential_subclass_is_refused(kind):
    block = Residual(T.Linear(2, 2), T.Tanh()).double()
    with pytest.raises(TypeError, match=r"got Residual \(a subclass of Sequential"):
        from_torch(kind, block)
    with pytest.raises(TypeError, match=r"Residual"):
        from_torch(kind, T.Sequential(block))


@pytest.mark.parametrize("kind", [nn.MLP, nn.Layer])
def test_a_linear_whose_tensors_disagree_with_its_sizes_is_refused(kind):
    linear = T.Linear(2, 3).double()
    linear.weight = T.Parameter(torch.zeros(3, 5, dtype=torch.float64))
    message = r"Linear at position 0 has a weight of shape \(3, 5\), but in_features=2"
    with pytest.raises(ValueError, match=message):
        from_torch(kind, T.Sequential(linear))
    linear = T.Linear(2, 3).double()
    linear.bias = T.Parameter(torch.zeros(2, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"Linear at position 1 \('fc'\) has a bias of shape \(2,\)"):
        from_torch(kind, T.Sequential(OrderedDict(first=T.Linear(3, 2), fc=linear)))


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors")  # torch's, on building Linear(0, 3)
@pytest.mark.parametrize("sizes", [(0, 3), (3, 0)])
def test_an_empty_linear_names_module_and_position(sizes):
    message = rf"from_torch\(MLP\): Linear at position 2 has in_features={sizes[0]}"
    with pytest.raises(ValueError, match=message):
        from_torch(nn.MLP, T.Sequential(T.Linear(2, 2), T.Tanh(), T.Linear(*sizes)))


def test_a_generic_sequential_converts_through_the_registry():
    assert "Linear" in FROM_TORCH
    seq = T.Sequential(T.Linear(3, 4), T.ReLU(), T.Linear(4, 2)).double()
    model = nn.Sequential.from_torch(seq)
    assert type(model) is nn.Sequential and [type(m) for m in model.layers] == [nn.Layer, nn.Layer]
    x = [0.5, -1.0, 2.0]
    expected = seq(torch.tensor([x], dtype=torch.float64))[0].tolist()
    assert max(abs(a.data - b) for a, b in zip(model(x), expected)) <= 1e-12
    assert str(model.to_torch()) == str(seq)
