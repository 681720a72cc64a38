"""fit(backward="numpy"): codegen's numpy backend inside fit (nn/numpy_training.py)."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("numpy")

import nn  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def data(n=40, nin=5, seed=0):
    rng = random.Random(seed)
    X = [[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(n)]
    Y = [[float(sum(x) > 0), float(sum(x) <= 0)] for x in X]
    return X, Y


def trained(backward, **options):
    X, Y = data()
    model = nn.MLP(5, [4, 2], "sigmoid", "sigmoid", seed=1)
    history = nn.fit(model, X, Y, lr=1.0, epochs=3, batch_size=8, backward=backward, progress=False,
                     **options)
    return model, history


def assert_close(xs, ys, rel=1e-12):
    assert len(xs) == len(ys)
    for x, y in zip(xs, ys):
        assert abs(x - y) <= rel * max(1.0, abs(y)), (x, y)


@pytest.mark.parametrize("options", [{}, {"l2": 0.01}, {"validation": data(10, seed=5)}])
def test_fit_numpy_trains_as_the_plain_pass(options):
    numpy_model, numpy_history = trained("numpy", **options)
    plain_model, plain_history = trained("plain", **options)
    assert numpy_history.backward == "numpy"
    assert_close([p.data for p in numpy_model.parameters()], [p.data for p in plain_model.parameters()])
    assert_close(numpy_history.costs, plain_history.costs)
    assert numpy_history.accuracy == plain_history.accuracy
    assert numpy_history.val_costs == pytest.approx(plain_history.val_costs, rel=1e-12)
    assert numpy_history.val_accuracy == plain_history.val_accuracy
    assert all(type(p.data) is float for p in numpy_model.parameters())  # written back as floats
    assert numpy_history.programs == 1 and numpy_history.seconds_generating > 0


def test_recorders_and_stop_below_see_the_current_weights_and_gradients():
    class Norm:
        name = "grad norm"

        def __call__(self, step, model):
            return math.sqrt(sum(p.grad ** 2 for p in model.parameters())), model.parameters()[0].data

    numpy_model, numpy_history = trained("numpy", record=[Norm()], stop_below=0.26)
    plain_model, plain_history = trained("plain", record=[Norm()], stop_below=0.26)
    got, want = numpy_history.records["grad norm"], plain_history.records["grad norm"]
    assert len(got) == len(want) > 0
    for (step, (norm, w)), (step2, (norm2, w2)) in zip(got, want):
        assert step == step2
        assert_close([norm, w], [norm2, w2])
    assert numpy_history.steps == plain_history.steps < 15  # stopped at the same step, before the end


def test_interrupted_fit_keeps_the_whole_last_step():
    X, Y = data()
    model = nn.MLP(5, [4, 2], "sigmoid", "sigmoid", seed=1)

    class StopAtFive:
        name = "stop"

        def __call__(self, step, model):
            if step == 5:
                raise KeyboardInterrupt

    history = nn.fit(model, X, Y, lr=1.0, epochs=3, batch_size=8, backward="numpy", progress=False,
                     record=[StopAtFive()])
    assert history.interrupted and history.steps == 5
    reference = nn.MLP(5, [4, 2], "sigmoid", "sigmoid", seed=1)
    nn.fit(reference, X, Y, lr=1.0, epochs=1, batch_size=8, backward="plain", progress=False)  # 5 steps
    assert_close([p.data for p in model.parameters()], [p.data for p in reference.parameters()])


def test_targets_of_several_shapes_fall_back_to_fits_own_step_and_say_so():
    X = [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]
    model = nn.MLP(2, [3, 1], "tanh", "linear", seed=0)
    history = nn.fit(model, X, [1.0, -1.0, 1.0], cost="hinge", epochs=2, backward="numpy", progress=False)
    assert history.backward == "numpy"
    assert any("read from the model's Values at every step: the cost has one program per target value" in note
               for note in history.notes)
    reference = nn.MLP(2, [3, 1], "tanh", "linear", seed=0)
    nn.fit(reference, X, [1.0, -1.0, 1.0], cost="hinge", epochs=2, backward="plain", progress=False)
    assert_close([p.data for p in model.parameters()], [p.data for p in reference.parameters()])


def test_numpy_where_codegen_does_not_apply_is_refused():
    model = nn.MLP(2, [1], "sigmoid", "sigmoid", seed=0)
    with pytest.raises(ValueError, match="backward='numpy' does not apply here"):
        nn.fit(model, [[0.1, 0.2]], [1.0], cost="binary_cross_entropy", backward="numpy", progress=False)


def test_without_numpy_fit_numpy_says_how_to_get_it():
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "import nn\n"
        "model = nn.MLP(2, [1], seed=0)\n"
        "try:\n"
        "    nn.fit(model, [[0.1, 0.2]], [1.0], backward='numpy', progress=False)\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert "pip install numpy" in out.stdout
