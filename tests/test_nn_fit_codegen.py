"""fit through autograd.codegen: the plain pass's weights (1e-12), one program per graph shape."""

import pytest

import nn
from nn import train

pytestmark = pytest.mark.skipif(train._codegen_function() is None, reason="this autograd has no codegen yet")


def weights(model):
    return [p.data for p in model.parameters()]


def train_both(make_model, X, Y, **kwargs):
    """The same training with the plain pass and with codegen: (plain, codegen) weights and histories."""
    runs = {}
    for backward in ("plain", "codegen"):
        model = make_model()
        history = nn.fit(model, X, Y, progress=False, backward=backward, **kwargs)
        assert history.backward == backward
        runs[backward] = (weights(model), history)
    return runs["plain"], runs["codegen"]


def three_blobs(n=30):
    """Three classes of points around (0, 0), (2, 0) and (0, 2), with a fixed deterministic jitter."""
    X, Y = [], []
    for i in range(n):
        label = i % 3
        cx, cy = ((0.0, 0.0), (2.0, 0.0), (0.0, 2.0))[label]
        X.append([cx + 0.3 * ((i * 7) % 5 - 2) / 2, cy + 0.3 * ((i * 11) % 5 - 2) / 2])
        Y.append(label)
    return X, Y


CASES = {
    "hinge, tanh, mini-batches, L2": (
        lambda: nn.MLP(2, [8, 1], activation="tanh", output_activation="linear", seed=1),
        nn.datasets.moons(40, noise=0.1, seed=3),
        dict(cost="hinge", lr=0.05, epochs=3, batch_size=8, l2=1e-3),
    ),
    "cross_entropy, relu, 3 classes": (
        lambda: nn.MLP(2, [6, 3], activation="relu", output_activation="linear", seed=2),
        three_blobs(),
        dict(cost="cross_entropy", lr=0.2, epochs=4, batch_size=5),
    ),
    "quadratic, sigmoid, one-hot": (
        lambda: nn.MLP(2, [5, 3], activation="sigmoid", seed=4),
        (three_blobs()[0], [nn.datasets.one_hot(c, 3) for c in three_blobs()[1]]),
        dict(cost="quadratic", lr=1.0, epochs=3, batch_size=4),
    ),
    "mse, full batch, stop_below": (
        lambda: nn.Neuron(2, activation="linear", seed=0),
        ([[x, x * x] for x in nn.datasets.black_box()[0]], nn.datasets.black_box()[1]),
        dict(cost="mse", lr=0.05, epochs=200, stop_below=0.01),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_codegen_trains_to_the_plain_pass_weights(case):
    make_model, (X, Y), kwargs = CASES[case]
    (plain, plain_history), (generated, history) = train_both(make_model, X, Y, **kwargs)
    assert plain != weights(make_model())  # it trained
    assert generated == pytest.approx(plain, rel=1e-12)
    assert history.costs == pytest.approx(plain_history.costs, rel=1e-12)
    assert history.accuracy == plain_history.accuracy
    assert history.steps == plain_history.steps


@pytest.mark.parametrize("cost, Y", [("hinge", [1, -1, -1, 1, 1]), ("quadratic", [0.5, -1.0, 2.0, 0.0, 1.0])])
def test_one_sample_per_step_gives_the_same_bits(cost, Y):
    """With batch_size=1 and no L2 nothing is summed outside the program: equal to the last bit."""
    X = [[0.1 * i, 1.0 - 0.2 * i] for i in range(5)]
    (plain, _), (generated, _) = train_both(lambda: nn.MLP(2, [4, 1], activation="tanh", seed=5), X, Y,
                                            cost=cost, lr=0.1, epochs=2, batch_size=1)
    assert generated == plain


def test_one_program_per_graph_shape():
    X, Y = three_blobs(12)
    model = nn.MLP(2, [4, 3], activation="tanh", output_activation="linear", seed=0)
    history = nn.fit(model, X, Y, cost="cross_entropy", epochs=2, batch_size=4, progress=False)
    assert history.backward == "codegen" and history.programs == 3  # one per class: the picked logit
    assert 0.0 < history.seconds_generating < history.epoch_seconds[0]
    X, Y = nn.datasets.moons(10, seed=0)
    history = nn.fit(nn.MLP(2, [3, 1], seed=0), X, Y, cost="hinge", epochs=2, progress=False)
    assert history.programs == 2  # labels −1 and +1
    history = nn.fit(nn.Neuron(2), X, [0.1 * i for i in range(10)], cost="mse", progress=False)
    assert history.programs == 1  # the target is an argument of the program


def test_the_label_must_be_in_the_key(monkeypatch):
    """Why hinge's label is part of the cache key: a program traced for y = +1 is wrong for y = −1."""
    X, Y = nn.datasets.moons(20, noise=0.1, seed=1)
    make_model = lambda: nn.MLP(2, [4, 1], activation="tanh", seed=1)  # noqa: E731
    kwargs = dict(cost="hinge", lr=0.1, epochs=2, batch_size=5)
    (plain, _), (generated, _) = train_both(make_model, X, Y, **kwargs)
    assert generated == pytest.approx(plain, rel=1e-12)
    monkeypatch.setattr(train._Programs, "_key", lambda self, x, y: (len(x),))
    (_, _), (wrong, _) = train_both(make_model, X, Y, **kwargs)
    assert wrong != pytest.approx(plain, rel=1e-6)


def test_cross_entropy_far_from_the_traced_logits_falls_back_to_the_fast_pass():
    """The program subtracts the traced sample's largest logit (0 here); for logits of ±800 its exp
    overflows, and that batch is computed by the fast pass instead: the weights stay right."""

    def make_model():
        model = nn.Layer(1, 2, activation="linear")
        model.neurons[0].w[0].data, model.neurons[1].w[0].data = 1.0, -1.0
        return model

    (plain, _), (generated, history) = train_both(make_model, [[0.0], [800.0], [0.5]], [0, 1, 0],
                                                  cost="cross_entropy", lr=1e-3, epochs=2, batch_size=1,
                                                  shuffle=False)
    assert generated == pytest.approx(plain, rel=1e-12)  # the last bits: see the shift above


def test_costs_and_models_that_may_branch_on_the_data_use_the_fast_pass():
    X, y = nn.datasets.moons(10, seed=0, signed=False)
    model = nn.MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    history = nn.fit(model, X, y, cost="binary_cross_entropy", progress=False)
    assert history.backward == "fast"
    assert any("not codegen" in note and "binary_cross_entropy" in note for note in history.notes)
    with pytest.raises(ValueError, match="backward='codegen' does not apply.*binary_cross_entropy"):
        nn.fit(model, X, y, cost="binary_cross_entropy", backward="codegen", progress=False)

    class Doubled(nn.MLP):
        def __call__(self, x):
            out = super().__call__(x)
            return out * 2.0 if out.data > 0 else out  # a Python if on a value

    history = nn.fit(Doubled(2, [3, 1], seed=0), X, y, cost="quadratic", progress=False)
    assert history.backward == "fast" and any("Doubled" in note for note in history.notes)
    history = nn.fit(model, X, y, cost=lambda out, t: (out - t) ** 2, progress=False)
    assert history.backward == "fast"


def test_fast_and_plain_still_chosen_by_name_or_by_the_old_flag():
    X, y = nn.datasets.moons(10, seed=0)
    choices = ((dict(fast=True), "fast"), (dict(fast=False), "plain"), (dict(backward="fast"), "fast"))
    for kwargs, expected in choices:
        history = nn.fit(nn.MLP(2, [3, 1], seed=0), X, y, cost="hinge", progress=False, **kwargs)
        assert history.backward == expected and history.programs == 0
