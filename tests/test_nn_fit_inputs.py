"""Every sample, target and number argument checked before the first update, the same on every
pass (issue 21 items 4-6); samples of any shape (PROTOCOL.md "Shapes")."""

import math
from decimal import Decimal

import numpy as np
import pytest

import nn
from autograd import Value

PASSES = ["plain", "fast", None]  # None: the default, generated code here


def moons():
    X, y = nn.datasets.moons(8, seed=1)
    return [list(x) for x in X], list(y)


def weights(model):
    return [p.data for p in model.parameters()]


@pytest.mark.parametrize("backward", PASSES)
@pytest.mark.parametrize("returned", [0.5, None, [1.0], "cost", 10**400])
def test_a_custom_cost_that_returns_no_value_is_named_before_any_update(backward, returned):
    X, y = moons()
    model = nn.MLP(2, [3, 1], seed=0)
    before = weights(model)
    for batch_size in (None, 1):
        message = r"cost must return a Value .* returned " + type(returned).__name__
        with pytest.raises(TypeError, match=message):
            nn.fit(model, X, y, cost=lambda a, t: returned, batch_size=batch_size, backward=backward,
                   progress=False)
    assert weights(model) == before


BAD_LEAVES = [
    (True, "a bool"),
    (np.bool_(False), "a bool"),
    (Decimal("0.5"), "a Decimal, not a real number"),
    (10**400, "an int too large for a float"),
    (Value(math.inf), "not finite"),
]


@pytest.mark.parametrize("backward", PASSES)
@pytest.mark.parametrize("bad, why", BAD_LEAVES)
def test_a_bad_feature_in_a_later_sample_is_named_before_any_update(backward, bad, why):
    X, y = moons()
    X[3][1] = bad
    model = nn.MLP(2, [3, 1], seed=0)
    before = weights(model)
    with pytest.raises(ValueError, match=rf"X\[3\]\[1\] \(sample 3, feature 1\) .*\({why}"):
        nn.fit(model, X, y, cost="hinge", batch_size=1, backward=backward, progress=False)
    assert weights(model) == before


@pytest.mark.parametrize("backward", PASSES)
@pytest.mark.parametrize(
    "bad, why", [(True, "a bool"), (Decimal(1), "a Decimal"), (10**400, "an int too large")]
)
def test_a_bad_target_is_named_before_any_update(backward, bad, why):
    X, _ = moons()
    Y = [[0.5, 0.5] for _ in X]
    Y[5] = [0.5, bad]
    model = nn.MLP(2, [3, 2], seed=0)
    before = weights(model)
    with pytest.raises(ValueError, match=rf"Y\[5\]\[1\] is .*: targets must be finite numbers \({why}"):
        nn.fit(model, X, Y, batch_size=1, backward=backward, progress=False)
    assert weights(model) == before


@pytest.mark.parametrize("backward", PASSES)
def test_numpy_targets_train_the_same_on_every_pass(backward):
    X, y = moons()
    lists = [[t, -t] for t in y]
    arrays = [np.array(t) for t in lists]
    trained = []
    for Y in (lists, arrays):
        model = nn.MLP(2, [3, 2], seed=0)
        inputs = X if Y is lists else np.array(X)  # numpy samples and numpy targets together
        history = nn.fit(model, inputs, Y, lr=0.1, epochs=2, batch_size=3, backward=backward, progress=False)
        trained.append((weights(model), history.costs))
    assert trained[0] == trained[1]
    arrays[6] = np.array([0.5, math.nan])
    model = nn.MLP(2, [3, 2], seed=0)
    with pytest.raises(ValueError, match=r"Y\[6\]\[1\] is nan: targets must be finite"):
        nn.fit(model, X, arrays, batch_size=1, backward=backward, progress=False)


@pytest.mark.parametrize("name", ["lr", "l2", "stop_below"])
def test_huge_integers_as_numbers_are_named(name):
    X, y = moons()
    with pytest.raises(ValueError, match=rf"{name}.* must be .*got 1000000000000"):
        nn.fit(nn.Neuron(2), X, y, progress=False, **{name: 10**400})


class Grid(nn.Module):
    """A module that takes a 2×2 grid: z = Σᵢⱼ wᵢⱼ xᵢⱼ + b (a 'convolution' with one 2×2 kernel)."""

    def __init__(self):
        self.w = [Value(0.3), Value(-0.2), Value(0.1), Value(0.4)]
        self.b = self.bias(Value(0.0))

    def __call__(self, x):
        return self.w[0] * x[0][0] + self.w[1] * x[0][1] + self.w[2] * x[1][0] + self.w[3] * x[1][1] + self.b

    def input_shape(self):
        return (2, 2)

    def output_shape(self, input_shape):
        if tuple(input_shape) != (2, 2):
            raise ValueError(f"Grid takes (2, 2), got {input_shape}")
        return ()

    def same_graph_every_sample(self):
        return True


def test_samples_of_another_shape_train_on_generated_code_like_the_plain_pass():
    X = [[[0.1 * i, -0.2], [0.3, 0.05 * i]] for i in range(6)]
    X[2] = np.array(X[2])  # numpy rows work the same
    Y = [0.5 * i - 1.0 for i in range(6)]
    results = {}
    for backward in ("plain", None):
        model = Grid()
        history = nn.fit(model, X, Y, lr=0.1, epochs=3, batch_size=2, backward=backward, progress=False)
        results[history.backward] = weights(model)
    assert set(results) == {"plain", "codegen"}
    assert results["codegen"] == pytest.approx(results["plain"], rel=1e-12)
    X[4] = [[0.1, 0.2, 0.3], [0.3, 0.4, 0.5]]
    with pytest.raises(ValueError, match=r"X\[4\] has shape \(2, 3\) but X\[0\] has shape \(2, 2\)"):
        nn.fit(Grid(), X, Y, progress=False)
    X[4] = [[0.1, 0.2], [0.3, math.nan]]
    with pytest.raises(ValueError, match=r"X\[4\]\[1\]\[1\] \(sample 4, feature \(1, 1\)\) is nan"):
        nn.fit(Grid(), X, Y, progress=False)
