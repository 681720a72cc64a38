"""fit: the documents' black box, moons, digits, saturation, batch kinds, stopping, history."""

import pytest

import nn
from autograd import Value


def black_box_model():
    """z = w1·x + w2·x² + b as one linear neuron on the features (x, x²), first guess z = x + x²."""
    neuron = nn.Neuron(2, activation="linear")
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 1.0, 1.0, 0.0
    return neuron


def test_black_box_fitted_from_first_guess_to_cost_below_0_001():
    xs, ys = nn.datasets.black_box()
    features = [[x, x * x] for x in xs]
    model = black_box_model()
    first = [nn.predict(model, f) for f in features]
    assert first == pytest.approx([x + x * x for x in xs])  # the guess z = x + x²
    history = nn.fit(
        model, features, ys, cost="quadratic", lr=0.1, epochs=5000, stop_below=0.001, progress=False
    )
    assert "stop_below" in history.stopped_because
    # the stop rule tests the whole-set cost after each update: the next full-batch step's cost
    assert history.full_costs[-1] < 0.001 <= min(history.full_costs[:-1])
    assert history.full_costs[:-1] == pytest.approx(history.costs[1:], rel=1e-14)
    # recompute the cost independently: mean of ½(z − y)² over the table
    z = [nn.predict(model, f) for f in features]
    assert sum(0.5 * (zi - yi) ** 2 for zi, yi in zip(z, ys)) / len(ys) < 0.001


def test_moons_2_16_16_1_hinge_l2_100_full_batch_steps():
    X, y = nn.datasets.moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    history = nn.fit(model, X, y, cost="hinge", l2=1e-4, lr=1.0, epochs=100, progress=False)
    assert history.steps == 100 and len(history.costs) == 100
    right = sum((nn.predict(model, x) > 0) == (yi > 0) for x, yi in zip(X, y))
    assert right / len(X) >= 0.95
    assert nn.accuracy(model, X, y, "hinge") == right / len(X)
    assert history.costs[-1] < history.costs[0]


@pytest.mark.slow
def test_digits_held_out_accuracy_at_least_95_percent():
    pytest.importorskip("sklearn")
    data = nn.datasets.digits(test_fraction=0.2, seed=0)
    model = nn.MLP(64, [32, 10], activation="tanh", output_activation="linear", seed=0)
    history = nn.fit(
        model, data.X_train, data.y_train, cost="cross_entropy", lr=0.1, epochs=10, batch_size=8,
        seed=0, progress=False, validation=(data.X_test, data.y_test),
    )
    right = 0
    for x, label in zip(data.X_test, data.y_test):
        logits = nn.predict(model, x)
        right += logits.index(max(logits)) == label
    assert right / len(data.X_test) >= 0.95
    assert history.val_accuracy[-1] == right / len(data.X_test)


def saturated_neuron():
    """Nielsen's example: one sigmoid neuron, input 1, target 0, starting at w = b = 2 (a ≈ 0.98)."""
    neuron = nn.Neuron(1, activation="sigmoid")
    neuron.w[0].data = neuron.b.data = 2.0
    return neuron


def test_cross_entropy_learns_faster_than_quadratic_from_a_saturated_neuron():
    results = {}
    for cost in ("quadratic", "binary_cross_entropy"):
        neuron = saturated_neuron()
        nn.fit(neuron, [[1.0]], [0.0], cost=cost, lr=0.15, epochs=60, progress=False)
        a = nn.predict(neuron, [1.0])
        results[cost] = 0.5 * a * a  # the same yardstick for both: quadratic cost of the output
    assert results["quadratic"] > 0.4  # still stuck near a ≈ 0.97
    assert results["binary_cross_entropy"] < 0.05
    assert results["binary_cross_entropy"] < results["quadratic"] / 10


@pytest.mark.parametrize("batch_size, steps", [(None, 3), (1, 30), (4, 9), (10, 3), (100, 3)])
def test_batch_stochastic_and_mini_batch_step_counts(batch_size, steps):
    X, y = nn.datasets.moons(10, seed=1)
    history = nn.fit(nn.MLP(2, [3, 1], seed=0), X, y, cost="hinge", epochs=3, batch_size=batch_size,
                     progress=False)
    assert history.steps == steps == len(history.costs)
    assert len(history.epoch_costs) == history.epochs == 3
    assert len(history.accuracy) == 3
    assert "ran all 3 epochs" in history.stopped_because


def test_full_batch_cost_is_the_mean_of_per_sample_costs():
    X, y = nn.datasets.moons(6, seed=2)
    model = nn.MLP(2, [3, 1], seed=0)
    expected = sum(max(0.0, 1.0 - yi * nn.predict(model, x)) for x, yi in zip(X, y)) / len(X)
    history = nn.fit(model, X, y, cost="hinge", epochs=1, progress=False)
    assert history.costs[0] == pytest.approx(expected, abs=1e-15)


def test_full_batch_step_matches_a_hand_update():
    neuron = nn.Neuron(1, activation="linear")
    neuron.w[0].data, neuron.b.data = 0.5, 0.0
    # C = mean ½(w x + b − y)²; ∂C/∂w = mean (z − y)·x, ∂C/∂b = mean (z − y)
    X, Y = [[1.0], [2.0]], [1.0, 3.0]
    dw = ((0.5 - 1.0) * 1.0 + (1.0 - 3.0) * 2.0) / 2
    db = ((0.5 - 1.0) + (1.0 - 3.0)) / 2
    nn.fit(neuron, X, Y, cost="quadratic", lr=0.1, epochs=1, progress=False)
    assert neuron.w[0].data == pytest.approx(0.5 - 0.1 * dw, abs=1e-15)
    assert neuron.b.data == pytest.approx(0.0 - 0.1 * db, abs=1e-15)


def test_same_seed_same_training():
    X, y = nn.datasets.moons(20, seed=3)
    runs = []
    for _ in range(2):
        model = nn.MLP(2, [4, 1], seed=1)
        history = nn.fit(model, X, y, cost="hinge", lr=0.1, epochs=2, batch_size=3, seed=5, progress=False)
        runs.append(history.costs)
    assert runs[0] == runs[1]


def test_progress_false_prints_nothing(capsys):
    X, y = nn.datasets.moons(10, seed=1)
    nn.fit(nn.MLP(2, [3, 1], seed=0), X, y, cost="hinge", epochs=2, progress=False)
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


def test_progress_bar_shows_up(capsys):
    X, y = nn.datasets.moons(10, seed=1)
    nn.fit(nn.MLP(2, [3, 1], seed=0), X, y, cost="hinge", epochs=2, progress=True)
    assert "fit" in capsys.readouterr().err


def test_custom_cost_function():
    neuron = nn.Neuron(1, activation="linear")
    neuron.w[0].data = neuron.b.data = 0.0
    history = nn.fit(neuron, [[1.0], [2.0]], [2.0, 4.0], cost=lambda a, y: (a - y) ** 2, lr=0.2,
                     epochs=500, progress=False)
    assert history.costs[0] == pytest.approx((4.0 + 16.0) / 2)
    assert history.costs[-1] < 1e-6 and history.accuracy == []
    assert neuron.w[0].data == pytest.approx(2.0, abs=1e-3)  # the exact fit is z = 2x


def test_bad_arguments():
    X, y = nn.datasets.moons(10, seed=1)
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="batch_size"):
        nn.fit(model, X, y, batch_size=0, progress=False)
    with pytest.raises(ValueError, match="epochs"):
        nn.fit(model, X, y, epochs=0, progress=False)
    with pytest.raises(ValueError, match="10 samples but Y has 9"):
        nn.fit(model, X, y[:9], progress=False)
    with pytest.raises(ValueError, match="unknown cost"):
        nn.fit(model, X, y, cost="log_cosh", progress=False)


def test_diverging_training_raises_and_names_the_problem():
    neuron = nn.Neuron(1, activation="linear")
    neuron.w[0].data = 1.0
    with pytest.raises(FloatingPointError, match="smaller learning rate|gradient of parameter"):
        nn.fit(neuron, [[1e150]], [0.0], cost="quadratic", lr=1.0, epochs=3, progress=False)


def test_predict_builds_no_graph():
    model = nn.MLP(2, [3, 1], seed=0)
    out = nn.predict(model, [1.0, 2.0])
    assert isinstance(out, float)
    assert model.layers[0].neurons[0].z.parents == ()
    assert isinstance(model([1.0, 2.0]), Value)
