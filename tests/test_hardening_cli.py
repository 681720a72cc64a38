"""python -m nn: a file it cannot write is reported and skipped, the rest is written, and the
exit status says what was not; what it writes it says; its pictures explain themselves."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import nn
from autograd.backward import topological_order
from nn import __main__ as cli

ROOT = Path(__file__).resolve().parents[1]


def tiny_moons_run():
    X, y = nn.datasets.moons(20, seed=0)
    model = nn.MLP(2, [4, 1], activation="relu", seed=0)
    history = nn.fit(model, X, y, cost="hinge", lr=0.5, epochs=5, progress=False)
    return (model, X, y, history), history


@pytest.mark.slow
def test_quick_run_with_a_bad_backend_writes_everything_else_and_says_what_failed(tmp_path):
    pytest.importorskip("matplotlib")  # the plots it must still write (the `plots` extra)
    env = {**os.environ, "GLASSGRAD_GRAPHVIZ_BACKEND": "garbage", "PYTHONPATH": str(ROOT)}
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "nn", "--quick", "--no-progress", "--out", str(out)],
                            capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    assert result.returncode == cli.NOT_WRITTEN["graph"] == 4, result.stderr
    assert "Traceback" not in result.stderr
    for name in ("moons_model.json", "loss_curves.png", "moons_boundary.png", "neuron_graph.dot"):
        assert (out / name).stat().st_size > 100, name
    assert not (out / "neuron_graph.svg").exists()
    assert "GLASSGRAD_GRAPHVIZ_BACKEND='garbage'" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("not written: neuron_graph.svg; exit status 4")
    assert f"wrote {out / 'moons_model.json'}" in result.stdout  # it says what it writes


def test_a_failing_plot_is_reported_and_the_other_is_still_drawn(tmp_path, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    moons_run, history = tiny_moons_run()

    def broken(*args, **kwargs):
        raise RuntimeError("no room on the canvas")

    monkeypatch.setattr(cli, "draw_loss_curves", broken)
    report = cli.Report()
    cli.draw_plots(tmp_path, moons_run, history, report)
    assert (tmp_path / "moons_boundary.png").stat().st_size > 1000
    assert not (tmp_path / "loss_curves.png").exists()
    assert report.status == 8
    report.summary()
    err = capsys.readouterr().err
    assert "loss_curves.png: RuntimeError: no room on the canvas" in err
    assert "exit status 8 = 8 (a matplotlib plot)" in err


def test_statuses_add_up_per_kind_of_file(tmp_path):
    report = cli.Report()
    assert report.status == 0
    report.failure("graph", tmp_path / "a.svg", ValueError("x"))
    report.failure("graph", tmp_path / "a.dot", ValueError("x"))
    report.failure("model", tmp_path / "m.json", OSError(28, "No space left on device"))
    assert report.status == 4 + 16


def test_an_unwritable_model_file_is_reported_not_raised(tmp_path, capsys):
    folder = tmp_path / "model.json"
    folder.mkdir()  # a folder where the file should go
    report = cli.Report()
    cli.save_model(nn.MLP(2, [1], seed=0), folder, report)
    assert report.status == 16 and "IsADirectoryError" in capsys.readouterr().err


def test_help_is_true_about_quick_and_the_exit_status():
    result = subprocess.run([sys.executable, "-m", "nn", "--help"], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}, timeout=60)
    help_text = " ".join(result.stdout.split())
    assert f"moons still takes its {cli.MOONS_STEPS} full-batch steps" in help_text
    assert "exit status: 0 when every file was written" in help_text


def test_the_moons_picture_has_a_legend_for_the_two_classes(tmp_path, monkeypatch):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    (model, X, y, _history), _ = tiny_moons_run()
    figures = []
    real_close = plt.close
    monkeypatch.setattr(plt, "close", lambda fig=None: figures.append(fig) or real_close(fig))
    cli.draw_moons_boundary(plt, tmp_path / "b.png", model, X, y)
    (ax,) = figures[0].axes
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    counts = {label: list(y).count(label) for label in (-1, 1)}
    assert texts == [f"class -1 ({counts[-1]} points)", f"class +1 ({counts[1]} points)"]


def test_every_leaf_of_the_neuron_picture_is_labelled():
    cost = cli.one_neuron_cost(seed=0)
    leaves = [v for v in topological_order(cost) if not v.parents]
    labels = {v.label for v in leaves}
    assert None not in labels and {"x1", "x2", "y", "½", "w1", "w2", "b"} <= labels
    # the same numbers as the plain call it replaces
    plain = nn.quadratic_cost(nn.Neuron(2, activation="sigmoid", seed=0, elementary=True)([0.5, -1.0]), 1.0)
    assert cost.data == plain.data
