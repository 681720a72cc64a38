"""fit's options checked by value against gradient descent written by hand in plain floats.

The model is one linear neuron z = w₁x₁ + w₂x₂ + b with the quadratic cost ½(z − y)², so every
step is a few lines of arithmetic: ∂C/∂w = (z − y)·x, ∂C/∂b = z − y, averaged over the batch,
plus l2·w for the L2 term (l2/2)·Σw² (biases excluded).  Each test names the bug it catches.
"""

import random

import pytest

import nn

PASSES = ("plain", "fast", "codegen")
X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [1.0, 1.0], [-2.0, 0.5], [0.25, -0.5]]
Y = [1.0, -0.5, 2.0, 0.0, 1.5, -1.0]
START = ([0.3, -0.2], 0.1)  # w, b


def neuron():
    model = nn.Neuron(2, activation="linear")
    (model.w[0].data, model.w[1].data), model.b.data = START
    return model


def trained(model):
    return [*(w.data for w in model.w), model.b.data]


def z_of(w, b, x):
    return 0.0 + w[0] * x[0] + w[1] * x[1] + b  # the order dot adds in


def sgd_by_hand(batches, lr, l2=0.0):
    """Gradient descent over ``batches`` (lists of sample indices): (w₁, w₂, b) after, and batch costs."""
    (w, b), costs = (list(START[0]), START[1]), []
    for batch in batches:
        n = len(batch)
        errors = [z_of(w, b, X[i]) - Y[i] for i in batch]
        costs.append(sum(0.5 * e * e for e in errors) / n + 0.5 * l2 * (w[0] ** 2 + w[1] ** 2))
        grad_w = [sum(e * X[i][j] for e, i in zip(errors, batch)) / n + l2 * w[j] for j in (0, 1)]
        grad_b = sum(errors) / n
        w, b = [w[j] - lr * grad_w[j] for j in (0, 1)], b - lr * grad_b
    return [*w, b], costs


@pytest.mark.parametrize("backward", PASSES)
def test_one_full_batch_step_with_l2_is_the_step_by_hand(backward):
    """Kills fit with l2 doubled (or halved, or applied to the bias)."""
    model = neuron()
    history = nn.fit(model, X, Y, cost="quadratic", lr=0.5, epochs=1, l2=0.3, progress=False,
                     backward=backward)
    expected, costs = sgd_by_hand([list(range(len(X)))], lr=0.5, l2=0.3)
    without_l2, _ = sgd_by_hand([list(range(len(X)))], lr=0.5)
    assert expected[:2] != pytest.approx(without_l2[:2], rel=1e-3)  # the L2 term matters here
    assert trained(model) == pytest.approx(expected, rel=1e-14)
    assert history.costs == pytest.approx(costs, rel=1e-14)


@pytest.mark.parametrize("backward", PASSES)
def test_stochastic_steps_follow_the_documented_shuffle(backward):
    """Kills shuffling never done: batch_size=1 with seed 3 visits the samples in the order fit's
    docstring gives (random.Random(seed).shuffle of the previous epoch's order, each epoch), which
    here is not the sequential order, and without shuffling the steps go in order."""
    n, seed, epochs = len(X), 3, 2
    rng, order, visits = random.Random(seed), list(range(n)), []
    for _ in range(epochs):
        rng.shuffle(order)
        visits += [[i] for i in order]
    sequential = [[i] for i in range(n)] * epochs
    assert visits != sequential
    expected, costs = sgd_by_hand(visits, lr=0.1)
    in_order, in_order_costs = sgd_by_hand(sequential, lr=0.1)
    assert expected != pytest.approx(in_order, rel=1e-6)

    model = neuron()
    history = nn.fit(model, X, Y, cost="quadratic", lr=0.1, epochs=epochs, batch_size=1, seed=seed,
                     progress=False, backward=backward)
    assert trained(model) == pytest.approx(expected, rel=1e-13)
    assert history.costs == pytest.approx(costs, rel=1e-13)

    model = neuron()
    history = nn.fit(model, X, Y, cost="quadratic", lr=0.1, epochs=epochs, batch_size=1, seed=seed,
                     shuffle=False, progress=False, backward=backward)
    assert trained(model) == pytest.approx(in_order, rel=1e-13)
    assert history.costs == pytest.approx(in_order_costs, rel=1e-13)


@pytest.mark.parametrize("backward", PASSES)
def test_epoch_cost_is_the_mean_of_the_epochs_batch_costs(backward):
    """Kills the epoch cost reported as the last batch's (or the first's): mini-batches of 4 over
    6 samples (4 + 2), two epochs, no shuffle; costs and epoch means computed by hand."""
    batches = [[0, 1, 2, 3], [4, 5]] * 2
    expected, costs = sgd_by_hand(batches, lr=0.2, l2=0.05)
    means = [(costs[0] + costs[1]) / 2, (costs[2] + costs[3]) / 2]
    assert all(abs(mean - last) > 1e-3 * abs(mean) for mean, last in zip(means, costs[1::2]))
    assert all(abs(mean - first) > 1e-3 * abs(mean) for mean, first in zip(means, costs[0::2]))

    model = neuron()
    history = nn.fit(model, X, Y, cost="quadratic", lr=0.2, epochs=2, batch_size=4, shuffle=False,
                     l2=0.05, progress=False, backward=backward)
    assert history.costs == pytest.approx(costs, rel=1e-13)
    assert history.epoch_costs == pytest.approx(means, rel=1e-13)
    assert trained(model) == pytest.approx(expected, rel=1e-13)
