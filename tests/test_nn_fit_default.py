"""fit's default pass: numpy when numpy imports and the model groups, else codegen, and
History.notes says why; every default agrees with the plain pass to 1e-12 relative."""

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

import nn
from autograd import Value
from autograd.backward import topological_order
from nn.numpy_training import WORK_PER_LINE

REPO = Path(__file__).resolve().parent.parent
X4, Y4 = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 1.0]


def weights(model):
    return [p.data for p in model.parameters()]


def trained(make, X, Y, backward, **kwargs):
    model = make()
    history = nn.fit(model, X, Y, progress=False, backward=backward, **kwargs)
    return weights(model), history


def neuron():
    return nn.Neuron(2, activation="sigmoid", seed=0)


def test_an_mlp_on_a_batch_of_forty_trains_under_numpy_to_the_plain_weights():
    X, y = nn.datasets.moons(40, noise=0.1, seed=0)
    Y = [0.5 * v for v in y]

    def mlp():
        return nn.MLP(2, [16, 16, 1], activation="tanh", output_activation="linear", seed=0)

    plain, plain_history = trained(mlp, X, Y, "plain", lr=0.1, epochs=3)
    default, history = trained(mlp, X, Y, None, lr=0.1, epochs=3)
    assert history.backward == "numpy" and not any("numpy" in n for n in history.notes)
    assert plain != weights(mlp())  # it trained
    assert default == pytest.approx(plain, rel=1e-12)
    assert history.costs == pytest.approx(plain_history.costs, rel=1e-12)


def test_one_neuron_on_four_samples_runs_codegen_and_says_why_with_the_figures():
    codegen, asked = trained(neuron, X4, Y4, "codegen", lr=0.1, epochs=5)
    default, history = trained(neuron, X4, Y4, None, lr=0.1, epochs=5)
    assert history.backward == "codegen" and history.programs == 1
    assert default == codegen  # the same pass: the same bits
    [note] = [n for n in history.notes if "not numpy" in n]
    pattern = r"([\d.]+) graph edges per numpy line per step \((\d+) edges × (\d+) samples / (\d+) lines\)"
    found = re.search(pattern, note)
    per_line, edges, samples, lines = float(found[1]), int(found[2]), int(found[3]), int(found[4])
    # the edges of one sample's cost graph, counted here: z = dot(w, x, b) (5 operands), σ, then the cost
    x = [Value(0.0), Value(1.0)]
    cost = nn.quadratic_cost(neuron()(x), Value(1.0))
    assert edges == sum(len(node.parents) for node in topological_order(cost))
    assert samples == 4 and lines > 10
    assert per_line == pytest.approx(edges * samples / lines, rel=1e-2) and per_line < WORK_PER_LINE


def test_the_same_neuron_on_a_hundred_samples_per_step_runs_numpy():
    X = [[math.cos(i), math.sin(2 * i)] for i in range(100)]
    Y = [0.5 + 0.4 * math.sin(i) for i in range(100)]
    plain, _ = trained(neuron, X, Y, "plain", lr=0.5, epochs=4)
    default, history = trained(neuron, X, Y, None, lr=0.5, epochs=4)
    assert history.backward == "numpy" and not any("numpy" in n for n in history.notes)
    assert default == pytest.approx(plain, rel=1e-12)
    # mini-batches of 10: ten times less work per step, and codegen again
    _, history = trained(neuron, X, Y, None, lr=0.5, epochs=1, batch_size=10)
    assert history.backward == "codegen" and "× 10 samples" in history.notes[-1]


def test_numpy_by_name_runs_even_where_it_is_not_the_default():
    codegen, _ = trained(neuron, X4, Y4, "codegen", lr=0.1, epochs=5)
    numpy_weights, history = trained(neuron, X4, Y4, "numpy", lr=0.1, epochs=5)
    assert history.backward == "numpy" and not any("not numpy" in n for n in history.notes)
    assert numpy_weights == pytest.approx(codegen, rel=1e-12)


def test_fast_where_codegen_does_not_apply_and_numpy_is_not_weighed():
    X, y = nn.datasets.moons(40, noise=0.1, seed=0, signed=False)
    _, history = trained(lambda: nn.MLP(2, [16, 16, 1], seed=0), X, y, None, cost="binary_cross_entropy")
    assert history.backward == "fast" and history.programs == 0
    assert not any("numpy" in n for n in history.notes)


def test_without_numpy_the_default_is_codegen_and_the_note_says_so():
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "import nn\n"
        "X = [[i / 40, 1 - i / 40] for i in range(40)]\n"
        "model = nn.MLP(2, [16, 16, 1], activation='tanh', output_activation='linear', seed=0)\n"
        "history = nn.fit(model, X, [x[0] for x in X], progress=False)\n"
        "print(history.backward); print(history.notes)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    ran, notes = out.stdout.splitlines()
    assert ran == "codegen"
    assert "not numpy: numpy is not installed (pip install numpy)" in notes


def test_weights_that_diverge_are_refused_alike_on_numpy_and_codegen_and_the_last_whole_step_is_kept():
    """A learning rate too large for a linear output: both passes stop at the same step with
    the same advice, and the model holds the weights of the last step that completed."""
    pytest.importorskip("numpy")
    X = [[0.1 * i, 1.0 - 0.05 * i] for i in range(20)]
    Y = [[3.0 * x[0] - x[1], x[0] + 2.0 * x[1]] for x in X]
    found = {}
    for backward in ("codegen", "numpy"):
        model = nn.MLP(2, [8, 2], activation="tanh", seed=3)  # linear output
        with pytest.raises(FloatingPointError, match=r"at step (\d+): the weights diverged") as caught:
            nn.fit(model, X, Y, cost="quadratic", lr=40.0, epochs=50, batch_size=4, seed=0, progress=False,
                   backward=backward)  # fmt: skip
        step = re.search(r"at step (\d+)", str(caught.value)).group(1)
        found[backward] = (step, [p.data for p in model.parameters()])
    assert found["numpy"][0] == found["codegen"][0]
    assert all(math.isfinite(w) for w in found["numpy"][1])
    for a, b in zip(found["numpy"][1], found["codegen"][1]):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9)
