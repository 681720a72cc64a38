"""Checks before training: every argument, sample and target, before anything changes.

Each check raises an error that names what is wrong (``X[3][1] (sample 3, feature 1)``,
``Y[9]``, ``epochs``), in the same terms whichever backward pass ``fit`` then uses.
numpy inputs are first turned into the same Python lists and numbers on every pass
(``plain_samples``), so they behave as lists do.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from autograd import Value, no_grad

from .losses import Cost
from .module import Module, _short

Shape = tuple[int, ...]


def check_flag(name: str, value: object) -> bool:
    """``value`` if it is True or False; TypeError naming ``name`` otherwise."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def check_count(name: str, value: object, also: str = "") -> int:
    """``value`` if it is a positive int (not a bool); ValueError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be {also}a positive int, got {value!r}")
    return value


def as_samples(data: object) -> object:
    """A numpy array of samples as a list of rows (``data.tolist()``); anything else as it is."""
    return data.tolist() if _is_numpy(data) and getattr(data, "ndim", 0) >= 1 else data


def _is_numpy(item: object) -> bool:
    return hasattr(item, "tolist") and hasattr(item, "dtype")  # numpy arrays and scalars (numpy not imported)


def check_samples(X: object, Y: object, x_name: str, y_name: str) -> None:
    """X and Y are sequences of the same, non-zero length."""
    for name, data in ((x_name, X), (y_name, Y)):
        if not isinstance(data, Sequence) or isinstance(data, str):
            raise TypeError(f"{name} must be a sequence (list) of samples, got {type(data).__name__}")
    if len(X) != len(Y):
        raise ValueError(f"{x_name} has {len(X)} samples but {y_name} has {len(Y)}")
    if len(X) == 0:
        raise ValueError(f"no samples in {x_name}")


def _plain(item: object) -> object:
    """A numpy array as nested lists, a numpy scalar as its Python number; anything else as it is."""
    if type(item) in (list, tuple, float, int):
        return item
    if _is_numpy(item):
        return item.tolist()
    return item


def plain_samples(data: Sequence) -> list:
    """``data`` as a list whose numpy entries became lists and numbers (same values, same bits)."""
    return [_plain(item) for item in data]


def sample_shape(x: object) -> Shape | None:
    """The shape of a sample of nested lists (a number or Value is shape ()), or None if ragged."""
    if isinstance(x, (list, tuple)):
        if not x:
            return (0,)
        shapes = {sample_shape(item) for item in x}
        if len(shapes) != 1 or None in shapes:
            return None
        return (len(x), *shapes.pop())
    return ()


def flatten(x: object) -> list:
    """The leaves of a nested sample in row-major order (a flat list stays as it is)."""
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], (list, tuple)):
        return [leaf for item in x for leaf in flatten(item)]
    return list(x) if isinstance(x, (list, tuple)) else [x]


def leaf_problem(v: object) -> str | None:
    """Why ``v`` is not a finite real number (a Value: its data), or None if it is one."""
    if isinstance(v, Value):
        v = v.data
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "a bool, not a number"
    if not isinstance(v, numbers.Real):
        return f"a {type(v).__name__}, not a real number"
    try:
        finite = math.isfinite(v)
    except OverflowError:
        return "an int too large for a float"
    return None if finite else "not finite"


_PLAIN = {float, int}


def _all_plain_finite(leaves: list) -> bool:
    """The quick test for the usual sample: floats and ints only, all finite."""
    if not set(map(type, leaves)) <= _PLAIN:
        return False
    try:
        return all(map(math.isfinite, leaves))
    except OverflowError:
        return False


def _index_of(flat_index: int, shape: Shape) -> tuple[int, ...]:
    index = []
    for size in reversed(shape):
        flat_index, i = divmod(flat_index, size)
        index.append(i)
    return tuple(reversed(index))


def check_inputs(X: Sequence, name: str) -> Shape:
    """Every sample of one shape (that of ``X[0]``), every leaf a finite real number; the shape."""
    shape = None
    for i, x in enumerate(X):
        if isinstance(x, (str, bytes)) or not isinstance(x, (list, tuple)):
            raise TypeError(f"{name}[{i}] must be a list of numbers (one per input), got {type(x).__name__}")
        flat_and_plain = type(x) is list and _all_plain_finite(x)  # the usual sample: one quick test
        this = (len(x),) if flat_and_plain else sample_shape(x)
        if this is None:
            raise ValueError(f"{name}[{i}] is ragged: its nested lists have different lengths")
        if shape is None:
            shape = this
        elif this != shape:
            if len(this) == len(shape) == 1:
                raise ValueError(f"{name}[{i}] has {this[0]} features but {name}[0] has {shape[0]}")
            raise ValueError(f"{name}[{i}] has shape {this} but {name}[0] has shape {shape}")
        if flat_and_plain:
            continue
        leaves = flatten(x)
        if _all_plain_finite(leaves):
            continue
        for k, v in enumerate(leaves):
            problem = leaf_problem(v)
            if problem is None:
                continue
            index = _index_of(k, shape)
            where = "".join(f"[{j}]" for j in index)
            feature = index[0] if len(index) == 1 else index
            raise ValueError(
                f"{name}[{i}]{where} (sample {i}, feature {feature}) is {_short(v)}: inputs must be finite "
                f"numbers ({problem})"
            )
    return shape


def check_targets(Y: Sequence, name: str) -> None:
    """Numeric targets (numbers or lists of numbers) must be finite real numbers; the cost checks the rest.

    A bool, a Decimal or an int too large for a float is refused here; a str or other
    object is left to the cost (hinge, cross_entropy, ... say what they accept).
    """
    for i, y in enumerate(Y):
        items = y if isinstance(y, (list, tuple)) else [y]
        if _all_plain_finite(items):
            continue
        for j, v in enumerate(items):
            numeric = isinstance(v, (numbers.Number, Value)) or type(v).__name__ == "bool_"
            if isinstance(v, (str, bytes)) or not numeric:
                continue
            problem = leaf_problem(v)
            if problem is not None:
                where = f"{name}[{i}]" if items is not y else f"{name}[{i}][{j}]"
                what = "targets must be finite"
                what = what if problem == "not finite" else f"{what} numbers ({problem})"
                raise ValueError(f"{where} is {_short(v)}: {what}")


def check_costs_apply(
    model: Module, X: Sequence, Y: Sequence, cost: Cost, x_name: str, y_name: str
) -> None:
    """Run the model on the first sample and the cost on every target, without a graph.

    The cost's own checks (hinge labels ±1, class indices in range, ...) then raise
    before anything is trained; the error names the sample.  A target equal to one
    already checked, and of the same type (a class label, a one-hot list), is not run
    again.  The cost must return a Value computed from the output (a custom cost that
    returns a number would train nothing): else a TypeError naming ``cost``.
    """
    checked: set[tuple[type, object]] = set()
    with no_grad():
        try:
            output = model(X[0])
        except (TypeError, ValueError) as error:
            raise type(error)(f"{x_name}[0]: {error}") from None
        for i, y in enumerate(Y):
            key = _target_key(y)
            if key in checked:
                continue
            try:
                value = cost(output, y)
            except (TypeError, ValueError, IndexError) as error:
                raise ValueError(f"{y_name}[{i}]: {error}") from None
            if i == 0 and not isinstance(value, Value):
                raise TypeError(
                    f"cost must return a Value computed from the model's output, but cost {cost.name!r} "
                    f"returned {type(value).__name__} {value!r} for {x_name}[0], {y_name}[0]"
                )
            if key is not None:
                checked.add(key)


def _target_key(y: object) -> tuple | None:
    """What makes two targets the same for a cost: the values and their types (a one-hot list
    included), or None for a target that is not checked once for all (a Value, a dict, ...)."""
    if isinstance(y, (numbers.Number, str)):
        return (type(y), y)
    if type(y) in (list, tuple) and all(isinstance(v, (numbers.Number, str)) for v in y):
        return (type(y), tuple((type(v), v) for v in y))
    return None


def check_data_set(model: Module, X: Sequence, Y: Sequence, cost: Cost, where: str) -> Shape:
    """Inputs finite and of one shape, numeric targets finite, the cost accepting every target."""
    shape = check_inputs(X, f"{where}X")
    check_targets(Y, f"{where}Y")
    check_costs_apply(model, X, Y, cost, f"{where}X", f"{where}Y")
    return shape


def check_parameters_finite(model: Module) -> None:
    for name, p in model.named_parameters():
        if not math.isfinite(p.data):
            raise ValueError(f"parameter {name} is {p.data!r} before training: parameters must be finite")
