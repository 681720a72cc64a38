"""fit(stop_below=...): the cost over the WHOLE training set, after the update that got it there."""

import pytest

import nn


def black_box():
    """Seed 002's table with features (x, x²) and the first guess z = x + x² (w = 1, 1; b = 0)."""
    xs, ys = nn.datasets.black_box()
    model = nn.Neuron(2, activation="linear")
    model.w[0].data, model.w[1].data, model.b.data = 1.0, 1.0, 0.0
    return model, [[x, x * x] for x in xs], ys


def mean_quadratic_cost(model, X, Y):
    """The documents' loss, computed here without fit: mean of ½(z − y)² over all samples."""
    return sum(0.5 * (nn.predict(model, x) - y) ** 2 for x, y in zip(X, Y)) / len(X)


@pytest.mark.parametrize("batch_size", [1, 2, None])
def test_black_box_stops_on_the_whole_set_cost(batch_size):
    model, X, Y = black_box()
    history = nn.fit(model, X, Y, cost="quadratic", lr=0.1, epochs=5000, batch_size=batch_size,
                     stop_below=0.001, progress=False)
    assert "stop_below" in history.stopped_because and "all 4 training samples" in history.stopped_because
    assert mean_quadratic_cost(model, X, Y) < 0.001  # where it stopped, the whole set is below
    assert history.full_costs[-1] == pytest.approx(mean_quadratic_cost(model, X, Y), rel=1e-12)
    assert len(history.full_costs) == history.steps  # measured after every update
    assert min(history.full_costs[:-1]) >= 0.001  # and not before the last one
    assert f"after step {history.steps}'s update" in history.stopped_because


def test_one_lucky_sample_does_not_stop_stochastic_descent():
    """Issue 12: with batch_size=1 the first sample's cost is already below 0.001 (7.2e-05),
    while the cost over all four samples is 0.32; the old rule stopped there."""
    model, X, Y = black_box()
    history = nn.fit(model, X, Y, cost="quadratic", lr=0.1, epochs=5000, batch_size=1,
                     stop_below=0.001, progress=False)
    assert history.costs[0] < 0.001 < 0.3 < history.full_costs[0]
    assert history.steps > 10


def test_stop_below_counts_the_l2_term():
    X, Y = nn.datasets.moons(12, seed=4)
    model = nn.MLP(2, [8, 1], activation="relu", seed=0)
    l2 = 0.01
    history = nn.fit(model, X, Y, cost="hinge", lr=0.3, epochs=300, batch_size=4, l2=l2,
                     stop_below=0.3, progress=False)
    assert "stop_below" in history.stopped_because
    hinge = sum(max(0.0, 1.0 - y * nn.predict(model, x)) for x, y in zip(X, Y)) / len(X)
    penalty = l2 / 2 * sum(w.data ** 2 for w in model.weights())
    assert history.full_costs[-1] == pytest.approx(hinge + penalty, rel=1e-12)
    assert hinge + penalty < 0.3 <= min(history.full_costs[:-1])


def test_stopping_mid_epoch_records_the_partial_epoch():
    model, X, Y = black_box()
    history = nn.fit(model, X, Y, cost="quadratic", lr=0.1, epochs=5000, batch_size=1, stop_below=0.001,
                     validation=(X, Y), progress=False)
    assert history.epochs == len(history.epoch_costs) == len(history.val_costs)
    assert history.steps == len(history.costs)
    assert history.val_costs[-1] == pytest.approx(mean_quadratic_cost(model, X, Y), rel=1e-12)


def test_without_stop_below_no_whole_set_costs_are_computed():
    model, X, Y = black_box()
    history = nn.fit(model, X, Y, cost="quadratic", lr=0.1, epochs=3, progress=False)
    assert history.full_costs == [] and "ran all 3 epochs" in history.stopped_because


def test_a_stop_below_nobody_reaches_runs_every_epoch():
    model, X, Y = black_box()
    history = nn.fit(model, X, Y, cost="quadratic", lr=0.1, epochs=3, stop_below=-1.0, progress=False)
    assert history.steps == 3 == len(history.full_costs)
    assert "ran all 3 epochs" in history.stopped_because
