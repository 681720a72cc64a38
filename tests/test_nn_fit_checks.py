"""fit checks every argument, input and target before the first update; errors name the culprit."""

import math

import pytest

import autograd
import nn
from autograd import Value


def data():
    X, y = nn.datasets.moons(10, seed=1)
    return nn.MLP(2, [3, 1], seed=0), X, y


def weights(model):
    return [p.data for p in model.parameters()]


X10, Y10 = nn.datasets.moons(10, seed=1)

BAD_ARGUMENTS = [
    (dict(l2="x"), ValueError, r"l2 must be a number ≥ 0, got 'x'"),
    (dict(l2=-1e-3), ValueError, "l2"),
    (dict(l2=math.nan), ValueError, "l2"),
    (dict(l2=True), ValueError, "l2"),
    (dict(lr="0.1"), ValueError, "lr"),
    (dict(lr=0), ValueError, "lr"),
    (dict(stop_below="a"), ValueError, "stop_below must be a finite number or None"),
    (dict(stop_below=math.nan), ValueError, "stop_below"),
    (dict(epochs=0), ValueError, "epochs must be a positive int"),
    (dict(epochs=2.0), ValueError, "epochs"),
    (dict(batch_size=0), ValueError, r"batch_size must be None \(full batch\) or a positive int"),
    (dict(batch_size=True), ValueError, "batch_size"),
    (dict(seed=1.5), TypeError, "seed must be an int or None"),
    (dict(shuffle="yes"), TypeError, "shuffle must be True or False"),
    (dict(progress=1), TypeError, "progress must be True or False"),
    (dict(backward="gpu"), ValueError, "backward must be one of"),
    (dict(fast=False), TypeError, "unexpected keyword argument 'fast'"),  # the old flag: backward="plain"
    (dict(validation=(X10, Y10[:2])), ValueError, "validation X has 10 samples but validation Y has 2"),
    (dict(validation=X10), TypeError, r"validation must be a pair \(X, Y\)"),
    (dict(validation=(X10,)), TypeError, "validation must be a pair"),
    (dict(validation=([[0.0, math.inf]], [1])), ValueError, r"validation X\[0\]\[1\] \(sample 0, feature 1"),
    (dict(validation=([[0.0, 1.0]], [0])), ValueError, r"validation Y\[0\]: hinge: label must be -1 or \+1"),
    (dict(judge=5), TypeError, "judge must be a cost name"),
    (dict(judge=lambda out, y: nn.hinge(out, y)), TypeError, "judge must return True or False"),
    (dict(cost="log_cosh"), ValueError, "unknown cost"),
    (dict(cost="quadratic", backward="codegen", judge="nope"), ValueError, "judge: unknown cost 'nope'"),
]


@pytest.mark.parametrize("kwargs, error, message", BAD_ARGUMENTS)
def test_bad_argument_is_named_and_nothing_is_trained(kwargs, error, message):
    model, X, y = data()
    before = weights(model)
    kwargs = {"cost": "hinge", "batch_size": 1, "progress": False, **kwargs}
    with pytest.raises(error, match=message):
        nn.fit(model, X, y, **kwargs)
    assert weights(model) == before


def test_nan_input_names_the_sample_and_feature():
    model, X, y = data()
    X = [list(x) for x in X]
    X[7][1] = math.nan
    before = weights(model)
    with pytest.raises(ValueError, match=r"X\[7\]\[1\] \(sample 7, feature 1\) is nan") as info:
        nn.fit(model, X, y, cost="hinge", batch_size=1, progress=False)
    assert "learning rate" not in str(info.value)
    assert weights(model) == before


@pytest.mark.parametrize("bad", [math.inf, "3", None, Value(math.nan)])
def test_every_kind_of_bad_feature_is_named(bad):
    model, X, y = data()
    X = [list(x) for x in X]
    X[2][0] = bad
    with pytest.raises(ValueError, match=r"X\[2\]\[0\]"):
        nn.fit(model, X, y, cost="hinge", progress=False)


def test_samples_of_different_widths():
    model, X, y = data()
    X = [list(x) for x in X]
    X[3].append(0.0)
    with pytest.raises(ValueError, match=r"X\[3\] has 3 features but X\[0\] has 2"):
        nn.fit(model, X, y, cost="hinge", progress=False)


def test_inputs_that_do_not_fit_the_model():
    _, X, y = data()
    model = nn.MLP(3, [2, 1], seed=0)
    with pytest.raises(ValueError, match=r"X\[0\]: .*expects 3 inputs, got 2"):
        nn.fit(model, X, y, cost="hinge", progress=False)


def test_a_bad_label_at_the_end_is_found_before_the_first_update():
    model, X, y = data()
    y = list(y)
    y[-1] = 0  # hinge needs -1 or +1
    before = weights(model)
    with pytest.raises(ValueError, match=r"Y\[9\]: hinge: label must be -1 or \+1, got 0"):
        nn.fit(model, X, y, cost="hinge", batch_size=1, shuffle=False, progress=False)
    assert weights(model) == before


def test_a_bad_one_hot_target_after_many_good_ones_is_named():
    """Equal one-hot targets are checked once; one that differs (too long, or a bool where the
    others hold floats) is still checked and named before the first update."""
    model = nn.MLP(2, [3], seed=0)
    X = [[0.1 * i, 1.0] for i in range(200)]
    Y = [[1.0, 0.0, 0.0] if i % 2 else [0.0, 1.0, 0.0] for i in range(200)]
    before = weights(model)
    cases = (
        ([0.0, 0.0, 1.0, 0.0], r"Y\[150\]: quadratic_cost: 3 outputs but 4 targets"),
        ([True, False, False], r"Y\[150\]\[0\] is True"),
    )
    for bad, message in cases:
        Y[150] = bad
        with pytest.raises(ValueError, match=message):
            nn.fit(model, X, Y, cost="quadratic", progress=False)
        assert weights(model) == before


def test_class_index_out_of_range():
    X = [[0.0, 1.0], [1.0, 0.0]]
    model = nn.MLP(2, [3], output_activation="linear", seed=0)
    with pytest.raises(ValueError, match=r"Y\[1\]: cross_entropy: class index 3 out of range"):
        nn.fit(model, X, [0, 3], cost="cross_entropy", progress=False)


def test_nan_target_is_named():
    model = nn.Neuron(1, activation="linear")
    with pytest.raises(ValueError, match=r"Y\[1\] is nan"):
        nn.fit(model, [[1.0], [2.0]], [1.0, math.nan], progress=False)
    with pytest.raises(ValueError, match=r"Y\[0\]\[1\] is inf"):
        nn.fit(nn.Layer(1, 2), [[1.0]], [[0.0, math.inf]], progress=False)


def test_a_non_finite_parameter_is_named_before_training():
    model, X, y = data()
    model.layers[1].neurons[0].b.data = math.nan
    with pytest.raises(ValueError, match=r"parameter layers\.1\.neurons\.0\.b is nan before training"):
        nn.fit(model, X, y, cost="hinge", progress=False)


def test_model_and_samples_must_be_what_fit_trains():
    _, X, y = data()
    with pytest.raises(TypeError, match="model must be an nn Module"):
        nn.fit(lambda x: x, X, y, progress=False)
    with pytest.raises(TypeError, match="X must be a sequence"):
        nn.fit(nn.Neuron(2), 5, y, progress=False)
    with pytest.raises(ValueError, match="no samples in X"):
        nn.fit(nn.Neuron(2), [], [], progress=False)


def test_too_large_inputs_are_told_apart_from_a_too_large_learning_rate():
    neuron = nn.Neuron(1, activation="linear")
    neuron.w[0].data = 1e200
    for cost, target in (("hinge", -1), ("quadratic", 0.0)):  # z = 1e200·1e200 = inf; z² overflows
        with pytest.raises(FloatingPointError, match="first batch.*initial weights.*scale them"):
            nn.fit(neuron, [[1e200]], [target], cost=cost, lr=1.0, progress=False)
    neuron.w[0].data, neuron.b.data = 1.0, 0.0
    with pytest.raises(FloatingPointError, match="diverged.*smaller learning rate|gradient of parameter"):
        nn.fit(neuron, [[1e50]], [0.0], cost="quadratic", lr=1.0, epochs=30, progress=False)


def test_fit_inside_no_grad_is_refused():
    model, X, y = data()
    before = weights(model)
    with autograd.no_grad(), pytest.raises(RuntimeError, match="no_grad"):
        nn.fit(model, X, y, cost="hinge", progress=False)
    assert weights(model) == before
