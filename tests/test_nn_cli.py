"""python -m nn: --help, usage errors (exit 2), and the picture writers on a tiny run."""

import subprocess
import sys

import pytest

import nn
from nn import __main__ as cli


def run(*args, cwd=None):
    command = [sys.executable, "-m", "nn", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=60)


def test_help():
    result = run("--help")
    assert result.returncode == 0
    for option in ("--out", "--quick", "--no-progress", "--seed"):
        assert option in result.stdout


@pytest.mark.parametrize("args", [["--seed", "x"], ["--frobnicate"], ["--out"]])
def test_bad_arguments_are_usage_errors(args):
    result = run(*args)
    assert result.returncode == 2
    assert "usage: python -m nn" in result.stderr


def test_out_must_be_a_folder(tmp_path):
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    with pytest.raises(SystemExit) as exit_info:
        cli.parse_args(["--out", str(a_file)])
    assert exit_info.value.code == 2


def test_pictures_are_written(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    X, y = nn.datasets.moons(20, seed=0)
    model = nn.MLP(2, [4, 1], activation="relu", seed=0)
    history = nn.fit(model, X, y, cost="hinge", lr=0.5, epochs=5, progress=False)
    cli.draw_plots(tmp_path, (model, X, y, history), history)
    cli.draw_one_neuron(tmp_path, seed=0)
    assert (tmp_path / "loss_curves.png").stat().st_size > 1000
    assert (tmp_path / "moons_boundary.png").stat().st_size > 1000
    source = (tmp_path / "neuron_graph.dot").read_text()
    assert source.lstrip().startswith(("digraph", "strict digraph"))
    printed = capsys.readouterr().out
    assert "neuron_graph" in printed


def test_without_matplotlib_says_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    X, y = nn.datasets.moons(10, seed=0)
    model = nn.MLP(2, [3, 1], seed=0)
    history = nn.fit(model, X, y, cost="hinge", epochs=1, progress=False)
    cli.draw_plots(tmp_path, (model, X, y, history), None)
    assert 'pip install matplotlib' in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
