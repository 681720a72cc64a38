"""A CNN through fit: the generated-code pass trains to the plain pass's weights; image
samples through predict and accuracy; a bad image refused before any update."""

import pytest

import nn
from nn import AvgPool2d, Conv2d, Flatten, Layer, MaxPool2d, Sequential


def weights(model):
    return [p.data for p in model.parameters()]


def images(n, seed=0):
    data = nn.datasets.digits(seed=seed)
    return [[[p[8 * r : 8 * r + 8] for r in range(8)]] for p in data.X_train[:n]], data.y_train[:n]


def cnn():
    return Sequential(
        Conv2d(1, 3, 3, stride=1, padding=1, activation="tanh", seed=0, name="C1"),
        MaxPool2d(2, name="P1"),
        Conv2d(3, 2, 2, activation="relu", seed=1, name="C2"),
        AvgPool2d(3, name="P2"),
        Flatten(),
        Layer(2, 10, "linear", seed=2, name="L1"),
    )


@pytest.mark.parametrize(
    "cost, make_targets",
    [("cross_entropy", lambda y: y), ("quadratic", lambda y: [nn.datasets.one_hot(c) for c in y])],
)
def test_generated_code_trains_a_cnn_to_the_plain_pass_weights(cost, make_targets):
    pytest.importorskip("sklearn")
    X, y = images(24)
    Y = make_targets(y)
    runs = {}
    for backward in ("plain", "codegen", None):  # None: fit's default, numpy (the conv layers group)
        model = cnn()
        history = nn.fit(
            model, X, Y, cost=cost, lr=0.3, epochs=2, batch_size=8, seed=0, progress=False, backward=backward
        )
        runs[backward] = (weights(model), history)
    plain, plain_history = runs["plain"]
    assert plain_history.backward == "plain" and runs["codegen"][1].backward == "codegen"
    assert runs[None][1].backward == "numpy"
    assert plain != weights(cnn())  # it trained
    for generated, history in (runs["codegen"], runs[None]):
        assert generated == pytest.approx(plain, rel=1e-12)
        assert history.costs == pytest.approx(plain_history.costs, rel=1e-12)


def test_predict_and_accuracy_take_images():
    pytest.importorskip("sklearn")
    X, y = images(10)
    model = cnn()
    by_hand = []
    for x in X:
        logits = [v.data for v in model(x)]
        assert nn.predict(model, x) == logits
        by_hand.append(logits.index(max(logits)))
    assert nn.accuracy(model, X, y, "cross_entropy") == sum(p == t for p, t in zip(by_hand, y)) / 10


@pytest.mark.parametrize(
    "where, bad, message",
    [
        (4, [[[0.0] * 8] * 8] * 2, r"X\[4\] has shape \(2, 8, 8\) but X\[0\] has shape \(1, 8, 8\)"),
        (4, [[[0.0] * 8] * 7 + [[0.0] * 9]], r"X\[4\] is ragged"),
        (None, [[[0.0] * 8] * 8] * 2, r"C = 1 channel"),  # every sample has 2 channels: the model says so
    ],
)
def test_a_bad_image_is_refused_before_any_update(where, bad, message):
    pytest.importorskip("sklearn")
    X, y = images(6)
    if where is None:
        X = [bad] * len(X)
    else:
        X[where] = bad
    model = cnn()
    before = weights(model)
    with pytest.raises(ValueError, match=message):
        nn.fit(model, X, y, cost="cross_entropy", lr=0.3, epochs=1, batch_size=2, progress=False)
    assert weights(model) == before


def test_a_chain_that_does_not_fit_is_refused_before_any_update():
    X, y = [[[[0.1] * 8] * 8]] * 4, [0, 1, 2, 3]
    model = Sequential(
        Conv2d(1, 4, 3, name="C1"), MaxPool2d(2, name="P1"), Flatten(), Layer(37, 10, "linear")
    )
    before = weights(model)
    chain = r"Flatten at position 2 gives \(36,\) but Layer at position 3 takes \(37,\)"
    for backward in ("codegen", "plain"):
        with pytest.raises(ValueError, match=rf"^X\[0\]: {chain}$"):
            nn.fit(model, X, y, cost="cross_entropy", progress=False, backward=backward)
        assert weights(model) == before
    with pytest.raises(ValueError, match=rf"^{chain}$"):
        model.output_shape((1, 8, 8))
    with pytest.raises(ValueError, match=rf"^{chain}$"):
        model(X[0])
