"""fit through autograd.codegen: the plain pass's weights (1e-12), one program per graph shape
(cross_entropy: one for every label)."""

import pytest

import nn
from nn import train
from nn.losses import get_cost
from nn.programs import Programs


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
    history = nn.fit(model, X, Y, cost="cross_entropy", epochs=2, batch_size=4, progress=False,
                     backward="codegen")
    assert history.backward == "codegen" and history.programs == 1  # every class: the label as one-hot leaves
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
    monkeypatch.setattr(Programs, "_key", lambda self, y: ())
    (_, _), (wrong, _) = train_both(make_model, X, Y, **kwargs)
    assert wrong != pytest.approx(plain, rel=1e-6)


def test_one_cross_entropy_program_gives_every_label_the_gradients_of_backward():
    """One program, traced on a sample of class 0, against nn.cross_entropy(...).backward() per sample."""
    model = nn.MLP(3, [5, 4], activation="tanh", output_activation="linear", seed=7)
    X = [[0.3 * i - 1.0, 0.5 - 0.1 * i, 0.2 * (i % 3)] for i in range(8)]
    Y = [0, 1, 2, 3, 3, 2, 1, 0]
    programs = Programs(model, get_cost(nn.cross_entropy), X, (3,))
    checked = set()
    for x, y in zip(X, Y):
        total, grads, outputs = programs.run(Y, [X.index(x)])
        model.zero_grad()
        cost = nn.cross_entropy(model(x), y)
        cost.backward()
        assert total == pytest.approx(cost.data, rel=1e-12, abs=0.0)
        assert grads == pytest.approx([p.grad for p in model.parameters()], rel=1e-12, abs=1e-15)
        assert [o.data for o in outputs[X.index(x)]] == [z.data for z in model(x)]
        checked.add(y)
    assert checked == {0, 1, 2, 3} and len(programs.cache) == 1


def test_on_the_traced_input_every_label_gets_backward_s_bits():
    """Where the program's shift is the sample's own largest logit (the traced input), t·z picks the
    label's logit exactly, so the cost and gradients are nn.cross_entropy's to the last bit, any label."""
    model = nn.MLP(2, [3, 5], activation="relu", output_activation="linear", seed=3)
    x = [0.7, -0.4]
    programs = Programs(model, get_cost(nn.cross_entropy), [x] * 5, (2,))
    for y in range(5):
        total, grads, _ = programs.run(list(range(5)), [y])
        model.zero_grad()
        cost = nn.cross_entropy(model(x), y)
        cost.backward()
        assert (total, grads) == (cost.data, [p.grad for p in model.parameters()])
    assert len(programs.cache) == 1


def count_fast_pass_batches(monkeypatch):
    """A list that gets one entry per batch fit computes dynamically (codegen's fallback)."""
    calls = []
    dynamic = train._Trainer._dynamic_batch
    monkeypatch.setattr(train._Trainer, "_dynamic_batch", lambda self, batch: calls.append(batch)
                        or dynamic(self, batch))
    return calls


def test_cross_entropy_far_from_the_traced_logits_falls_back_to_the_fast_pass(monkeypatch):
    """The program subtracts the traced sample's largest logit (0 here); for logits of ±1000 its exp
    overflows, and that batch is computed by the fast pass instead: the weights and costs stay right."""

    def make_model():
        model = nn.Layer(1, 2, activation="linear")
        model.neurons[0].w[0].data, model.neurons[1].w[0].data = 1.0, -1.0
        model.neurons[0].b.data, model.neurons[1].b.data = 0.0, 0.0
        return model

    calls = count_fast_pass_batches(monkeypatch)
    X, Y = [[0.0], [1000.0], [0.5], [-1000.0]], [0, 1, 0, 0]
    (plain, plain_history), (generated, history) = train_both(
        make_model, X, Y, cost="cross_entropy", lr=1e-6, epochs=1, batch_size=1, shuffle=False)
    assert len(calls) == 4 + 2  # the plain run's 4 batches, then codegen's two at ±1000
    assert calls[4:] == [[1], [3]]
    assert generated == pytest.approx(plain, rel=1e-12)  # the last bits: see the shift above
    assert history.costs == pytest.approx(plain_history.costs, rel=1e-12)
    # step 1 (x = 0, class 0) moves the biases by ∓lr·½; at x = 1000 the logits are ±(1000 + lr/2) and
    # the cost of class 1 is ln(e^z₀ + e^z₁) − z₁ = z₀ − z₁ to 1e-868: 2000 + lr
    assert plain_history.costs[1] == pytest.approx(2000.0 + 1e-6, rel=1e-15)


def test_cross_entropy_whose_softmax_would_be_subnormal_falls_back_to_the_fast_pass(monkeypatch):
    """Logits ≈ −725 against a traced shift of 0.5: e^(z − shift) is subnormal (no error, few digits;
    1/Σ overflows); ≈ −1000: every e^(z − shift) is 0 and ln 0 fails.  Both go to the fast pass."""

    def make_model():
        model = nn.Layer(1, 2, activation="linear")
        for neuron, bias in zip(model.neurons, (0.0, 0.5)):
            neuron.w[0].data, neuron.b.data = 1.0, bias
        return model

    calls = count_fast_pass_batches(monkeypatch)
    X, Y = [[0.0], [-725.0], [-1.0], [-1000.0]], [1, 0, 1, 0]
    (plain, plain_history), (generated, history) = train_both(
        make_model, X, Y, cost="cross_entropy", lr=1e-6, epochs=1, batch_size=1, shuffle=False)
    assert calls[4:] == [[1], [3]]
    assert generated == pytest.approx(plain, rel=1e-12)
    assert history.costs == pytest.approx(plain_history.costs, rel=1e-12)


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


def test_fast_and_plain_chosen_by_name():
    X, y = nn.datasets.moons(10, seed=0)
    choices = ((dict(backward="plain"), "plain"), (dict(backward="fast"), "fast"))
    for kwargs, expected in choices:
        history = nn.fit(nn.MLP(2, [3, 1], seed=0), X, y, cost="hinge", progress=False, **kwargs)
        assert history.backward == expected and history.programs == 0
