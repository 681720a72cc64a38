"""The layer form of conv backprop (nn.conv_equations) against PyTorch and the engine.

The expected gradients come from torch's autograd in float64 on the same weights;
the engine's come from ``backward``; conv_equations computes neither way.
"""

import random

import pytest

import nn
from nn.conv import AvgPool2d, Conv2d, Flatten, MaxPool2d
from nn.conv_equations import compare_conv_with_autograd, conv_equations

torch = pytest.importorskip("torch")


def flat(x):
    return [v for item in x for v in flat(item)] if isinstance(x, list) else [x]


def close(got, expected, tol=1e-12):
    got, expected = flat(got), flat(expected)
    assert len(got) == len(expected)
    assert max(abs(g - e) for g, e in zip(got, expected)) <= tol


def model_and_image(seed):
    model = [
        Conv2d(2, 3, 3, padding=1, activation="tanh", seed=seed),
        MaxPool2d(2),
        Conv2d(3, 2, 2, stride=1, activation="relu", seed=seed + 1),
        AvgPool2d(2, stride=1),
        Flatten(),
        nn.Layer(2, 3, "linear", seed=seed + 2),
    ]
    rng = random.Random(seed)
    x = [[[rng.uniform(-1, 1) for _ in range(6)] for _ in range(6)] for _ in range(2)]
    return model, x


def torch_grads(model, x, y, cost):
    parts = [part for m in model for part in m.to_torch()]
    seq = torch.nn.Sequential(*parts)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    out = seq(xt)
    if cost == "quadratic":
        c = 0.5 * ((out - torch.tensor(y, dtype=torch.float64)) ** 2).sum()
    else:
        c = torch.nn.functional.cross_entropy(out[None], torch.tensor([y]), reduction="sum")
    c.backward()
    return c.item(), xt.grad, [p for p in seq if isinstance(p, (torch.nn.Conv2d, torch.nn.Linear))]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("cost", "y"), [("quadratic", [0.5, -0.25, 1.0]), ("cross_entropy", 2)])
def test_layer_form_equals_torch(seed, cost, y):
    model, x = model_and_image(seed)
    eq = conv_equations(model, x, y, cost)
    c, x_grad, (conv1, conv2, linear) = torch_grads(model, x, y, cost)
    assert abs(eq.cost - c) <= 1e-12
    first, second, last = eq.layers[0], eq.layers[2], eq.layers[5]
    close(first.in_diff, x_grad.tolist())
    close(first.W_diff, conv1.weight.grad.reshape(3, -1).tolist())  # W_diff has W's shape: O × (C·kh·kw)
    close(first.b_diff, conv1.bias.grad.tolist())
    close(second.W_diff, conv2.weight.grad.reshape(2, -1).tolist())
    close(second.b_diff, conv2.bias.grad.tolist())
    close(last.W_diff, linear.weight.grad.tolist())
    assert (len(first.W_diff), len(first.W_diff[0])) == (3, 2 * 3 * 3)
    assert (len(first.cols), len(first.cols[0])) == (2 * 3 * 3, 6 * 6)  # (C·kh·kw) × (H_out·W_out)


@pytest.mark.parametrize("seed", [0, 3])
def test_layer_form_equals_the_engine(seed):
    model, x = model_and_image(seed)
    assert compare_conv_with_autograd(model, x, 1, "cross_entropy") <= 1e-12
    assert compare_conv_with_autograd(model, x, [0.0, 1.0, 0.0], "quadratic") <= 1e-12


def test_max_pool_routes_to_the_first_maximum_like_the_engine_and_torch():
    pool = MaxPool2d(2)
    x = [[[2.0, 2.0, 0.0, 1.0], [1.0, 2.0, 1.0, 1.0]]]  # window 0: three 2s; window 1: three 1s
    eq = conv_equations([pool, Flatten()], x, [1.0, 1.0], "quadratic")
    assert eq.layers[0].routes == {(0, 0, 0): (0, 0, 0), (0, 0, 1): (0, 0, 3)}
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (0.5 * (torch.nn.functional.max_pool2d(xt[None], 2).flatten() - 1) ** 2).sum().backward()
    assert eq.layers[0].in_diff == xt.grad.tolist()
    assert compare_conv_with_autograd([pool, Flatten()], x, [1.0, 1.0], "quadratic") == 0.0


def test_unsupported_module_is_named():
    with pytest.raises(TypeError, match="supports Conv2d, MaxPool2d, AvgPool2d, Flatten and Layer.*MLP"):
        conv_equations([nn.MLP(2, [1])], [0.0, 0.0], [0.0])
