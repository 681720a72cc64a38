"""Accuracy means something or is not reported: judges, cost functions, fit's notes."""

import warnings

import pytest

import nn


def moons_and_untrained_model():
    X, y = nn.datasets.moons(40, noise=0.1, seed=2)
    return nn.MLP(2, [4, 1], activation="tanh", seed=3), X, y


def right_by_sign(model, X, y):
    """Counted here, without nn.accuracy: the score's sign against the ±1 label."""
    return sum((nn.predict(model, x) > 0) == (label > 0) for x, label in zip(X, y)) / len(X)


def test_a_cost_function_as_judge_is_its_rule_not_always_right():
    model, X, y = moons_and_untrained_model()
    expected = right_by_sign(model, X, y)
    assert expected < 0.9  # an untrained model: far from perfect
    assert nn.accuracy(model, X, y, nn.hinge) == expected  # it used to be 1.0: the cost's Value is truthy
    assert nn.accuracy(model, X, y, "hinge") == expected
    assert nn.accuracy(model, X, y, judge="hinge") == expected


def test_a_function_answering_a_value_is_refused():
    model, X, y = moons_and_untrained_model()

    def my_cost(out, target):
        return (out - target) ** 2

    with pytest.raises(TypeError, match="judge must return True or False.*a cost is not a judge"):
        nn.accuracy(model, X, y, my_cost)
    with pytest.raises(TypeError, match="judge must return True or False.*float"):
        nn.accuracy(model, X, y, lambda out, target: out.data * target)


def test_a_judge_of_your_own():
    model, X, y = moons_and_untrained_model()
    always = nn.accuracy(model, X, y, lambda out, target: True)
    by_sign = nn.accuracy(model, X, y, lambda out, target: (out.data > 0) == (target > 0))
    assert always == 1.0 and by_sign == right_by_sign(model, X, y)


def test_accuracy_older_keyword_is_gone():
    """accuracy(cost=...) was an alias of an unreleased version (issue 27): judge= is the one name."""
    model, X, y = moons_and_untrained_model()
    assert nn.accuracy(model, X, y, judge="hinge") == right_by_sign(model, X, y)
    with pytest.raises(TypeError, match="cost"):
        nn.accuracy(model, X, y, cost="hinge")


def test_accuracy_where_no_rule_applies():
    model = nn.Neuron(1, activation="linear")
    with pytest.raises(ValueError, match="accuracy does not apply.*'quadratic'"):
        nn.accuracy(model, [[1.0]], [2.0], "quadratic")
    with pytest.raises(ValueError, match="unknown cost 'hing'"):
        nn.accuracy(model, [[1.0]], [1], "hing")
    with pytest.raises(TypeError, match="accuracy needs judge"):
        nn.accuracy(model, [[1.0]], [1])


def test_fit_with_a_cost_of_your_own_reports_no_accuracy_and_says_why():
    model, X, y = moons_and_untrained_model()
    history = nn.fit(model, X, y, cost=lambda out, t: (1.0 - t * out).relu(), epochs=2, validation=(X, y),
                     progress=False)
    assert history.accuracy == [] and history.val_accuracy == []  # it used to report 100%
    assert any("no accuracy" in note and "judge=" in note for note in history.notes)
    assert "no accuracy" in str(history)
    hinge = sum(max(0.0, 1.0 - t * nn.predict(model, x)) for x, t in zip(X, y)) / len(X)
    assert history.val_costs[-1] == pytest.approx(hinge, rel=1e-12)  # what validation can still say


def test_fit_with_nn_cost_function_knows_its_judge():
    model, X, y = moons_and_untrained_model()
    history = nn.fit(model, X, y, cost=nn.hinge, epochs=2, validation=(X, y), progress=False)
    assert history.val_accuracy[-1] == right_by_sign(model, X, y)
    assert len(history.accuracy) == 2 and not any("no accuracy" in note for note in history.notes)


def test_fit_with_a_judge_of_your_own():
    model, X, y = moons_and_untrained_model()
    history = nn.fit(model, X, y, cost=lambda out, t: (1.0 - t * out).relu(), epochs=2, validation=(X, y),
                     judge=lambda out, t: (out.data > 0) == (t > 0), progress=False)
    assert history.val_accuracy[-1] == right_by_sign(model, X, y)


def test_fit_older_is_correct_keyword_is_gone():
    model, X, y = moons_and_untrained_model()
    history = nn.fit(model, X, y, cost="hinge", judge=lambda out, t: True, progress=False)
    assert history.accuracy == [1.0]
    with pytest.raises(TypeError, match="is_correct"):
        nn.fit(model, X, y, cost="hinge", is_correct=lambda out, t: True, progress=False)


def test_quadratic_cost_on_numbers_has_no_accuracy_and_says_so():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = nn.fit(nn.Neuron(1, activation="linear"), [[1.0], [2.0]], [2.0, 4.0], progress=False)
    assert history.accuracy == []
    assert any("no rule judges" in note and "'quadratic'" in note for note in history.notes)


def test_one_hot_quadratic_targets_are_judged_by_the_largest_output():
    X = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    Y = [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]
    model = nn.MLP(2, [3, 2], activation="sigmoid", seed=1)
    outputs = [nn.predict(model, x) for x in X]
    expected = sum(out.index(max(out)) == t.index(1.0) for out, t in zip(outputs, Y)) / 3
    assert nn.accuracy(model, X, Y, "quadratic") == expected
