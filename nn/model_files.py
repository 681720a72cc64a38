"""Model files: a module's architecture and weights as JSON, and reading them back.

A model is saved as JSON, never pickle: a file anyone can read, and loading it can
never run code.  Python writes a float with ``repr``, which reads back as exactly the
same float, so a saved model predicts exactly what the original did.

``Module.save(path)`` / ``Module.load(path)`` and ``nn.load_model(path)`` are the public
API; they call ``save``, ``load_into`` and ``load_model`` here.  Everything is checked
before any weight changes; a refusal names the file and what does not fit (for a
hand-edited architecture, the module and the field whose value does not fit the
weights the file lists).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from autograd.files import write_atomically

from .module import ARCHITECTURES, Module, _brief, _short, module_from_architecture

FILE_FORMAT = "glassgrad.nn"
FILE_VERSION = 1
MAX_NESTING = 32  # a model file nests 4 levels deep; anything far deeper is not one
MAX_DIGITS = 309  # an integer with more digits does not fit a float (1.8e308 is the largest)
_LARGEST_FLOAT = int(sys.float_info.max)


def save(module: Module, path: str | os.PathLike) -> None:
    """Write ``module``'s architecture and every parameter to ``path`` as JSON, atomically
    (a temporary file in the same folder replaces ``path`` in one step)."""
    _as_path(path)
    named = module.named_parameters()
    for name, p in named:
        if not math.isfinite(p.data):
            raise ValueError(f"cannot save: parameter {name} is {p.data!r} (not finite)")
    document = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "architecture": module.architecture(),
        "parameters": [[name, p.data] for name, p in named],
    }
    text = json.dumps(document, indent=1, allow_nan=False)
    write_atomically(_as_path(path), text.encode("utf-8"))


def load_into(module: Module, path: str | os.PathLike) -> Module:
    """Read the parameters in ``path`` into ``module`` (checked first) and return it."""
    named = module.named_parameters()
    values = check_document(module, _read_document(_as_path(path)), path)
    for (_, p), value in zip(named, values):
        p.data = value
    return module


def load_model(path: str | os.PathLike) -> Module:
    """The model saved in ``path``: its module rebuilt from the architecture, then its weights loaded."""
    document = _read_document(_as_path(path))
    architecture = document.get("architecture") if isinstance(document, dict) else None
    try:
        model = module_from_architecture(architecture)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    values = check_document(model, document, path)
    for (_, p), value in zip(model.named_parameters(), values):
        p.data = value
    return model


def check_document(module: Module, document: object, path: str | os.PathLike) -> list[float]:
    """The parameter values in ``document`` if it fits ``module``; ValueError naming what does not."""
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise ValueError(f"{path}: not a glassgrad model file (no \"format\": \"{FILE_FORMAT}\")")
    version = document.get("version")
    if type(version) is not int or version != FILE_VERSION:  # True == 1, but true is no version
        raise ValueError(f"{path}: file version {_short(version)}; this code reads {FILE_VERSION}")
    mine = module.architecture()
    saved_architecture = document.get("architecture")
    if canonical_architecture(saved_architecture) != canonical_architecture(mine):
        raise ValueError(
            f"{path}: architecture mismatch: the file holds {_short(saved_architecture)}, "
            f"this model is {mine!r}"
        )
    saved = document.get("parameters")
    if not isinstance(saved, list):
        raise ValueError(f"{path}: \"parameters\" must be a list of [name, value] pairs")
    for i, entry in enumerate(saved):
        if not (isinstance(entry, list) and len(entry) == 2):
            raise ValueError(f"{path}: parameters[{i}] must be a [name, value] pair, got {_short(entry)}")
    expected = [name for name, _ in module.named_parameters()]
    names = [name for name, _ in saved]
    if names != expected:
        raise ValueError(f"{path}: {_misfit(module, names, expected)}")
    values = []
    for name, value in saved:
        if type(value) not in (int, float) or not math.isfinite(value):  # JSON's numbers; no bool
            raise ValueError(f"{path}: parameter {name} must be a finite number, got {_short(value)}")
        values.append(float(value))
    return values


# ------------------------------------------------------------ which field does not fit
def _misfit(module: Module, names: list[object], expected: list[str]) -> str:
    """Why the file's parameter ``names`` are not the ``expected`` ones of ``module`` (built
    from the file's architecture): the module and field whose value does not fit, when one
    field alone explains it, else the count or the first parameter that differs."""
    for prefix, part in reversed(_modules_with_architecture(module)):  # the deepest first
        mine, theirs = _under(expected, prefix), _under(names, prefix)
        if mine == theirs:
            continue
        found = _fitting_field(part.architecture(), theirs)
        if found is not None:
            field, now, fits = found
            where = f"{prefix}." if prefix else ""
            return (f"{where}{field} is {now} in the file's architecture, but the file lists "
                    f"{len(theirs)} parameters for {prefix or 'the model'} ({type(part).__name__}), "
                    f"which fit {field} = {fits} ({now} makes {len(mine)}): was the architecture edited?")
    if len(names) != len(expected):
        return f"the file has {len(names)} parameters, this model has {len(expected)}"
    i = next(i for i, (a, b) in enumerate(zip(names, expected)) if a != b)
    return f"parameters[{i}] is named {_short(names[i])}, expected {expected[i]!r}"


def _modules_with_architecture(module: Module, prefix: str = "") -> list[tuple[str, Module]]:
    """``(dotted name, module)`` for ``module`` and every sub-module whose architecture is a
    part of its parent's in the file (a Sequential's modules; not an MLP's layers), parents first."""
    found = [(prefix, module)]
    parts = _sub_architectures(module.architecture())
    for name, child in module.named_children():
        try:
            own = canonical_architecture(child.architecture())
        except NotImplementedError:
            continue
        if own in parts:
            found += _modules_with_architecture(child, f"{prefix}.{name}" if prefix else name)
    return found


def _sub_architectures(architecture: object) -> list[object]:
    """The dicts nested in ``architecture`` (not itself), canonical."""
    if isinstance(architecture, dict):
        values = list(architecture.values())
    else:
        values = architecture if isinstance(architecture, list) else []
    found = []
    for value in values:
        if isinstance(value, dict):
            found.append(canonical_architecture(value))
        found += _sub_architectures(value)
    return found


def _under(names: list[object], prefix: str) -> list[object]:
    """The names that start with ``prefix.``, without it (all of them for the model itself)."""
    if not prefix:
        return list(names)
    start = prefix + "."
    return [name[len(start):] for name in names if isinstance(name, str) and name.startswith(start)]


def _fitting_field(architecture: dict[str, Any], names: list[object]) -> tuple[str, object, object] | None:
    """``(field, its value, the value that fits)`` when changing one size in ``architecture``
    (an int, or one item of a list of ints) gives a module with exactly ``names``."""
    cls = ARCHITECTURES[architecture["type"]]

    def changed(field: str, index: int | str | None, value: int) -> object:
        if index is None:
            return value
        if index == "all":
            return [value] * len(architecture[field])
        return [*architecture[field][:index], value, *architecture[field][index + 1 :]]

    built: dict[tuple, list[str] | None] = {}

    def names_with(field: str, index: int | str | None, value: int) -> list[str] | None:
        key = (field, index, value)
        if key not in built:
            edited = {**architecture, field: changed(field, index, value)}
            try:
                built[key] = [name for name, _ in cls.from_architecture(edited).named_parameters()]
            except (TypeError, ValueError, KeyError):
                built[key] = None
        return built[key]

    for field, value in architecture.items():
        if _is_size(value):
            sizes: list[tuple[int | str | None, object]] = [(None, value)]
        elif isinstance(value, list) and value and all(_is_size(v) for v in value):
            sizes = [("all", value), *enumerate(value)]  # a kernel's [3, 3] edited to [2, 2], or one of them
        else:
            continue
        for index, now in sizes:
            fits = _search(lambda v, f=field, i=index: names_with(f, i, v), len(names))
            if fits is not None and names_with(field, index, fits) == names:
                fitting = changed(field, index, fits)
                if fitting != architecture[field]:
                    shown = f"{field}[{index}]" if isinstance(index, int) else field
                    return shown, now, fitting if index == "all" else fits
    return None


def _is_size(value: object) -> bool:
    return type(value) is int and value >= 1


def _search(names_with: Any, target: int) -> int | None:
    """The size v whose module has ``target`` parameters, or None.  Most counts are a·v + b
    (a Layer's nin or nout): two small modules give a and b, and one more checks the v they
    predict.  Otherwise (a kernel's [v, v]): a parameter count grows with each size, so double
    v until the count reaches ``target``, then halve the interval (no module built on the
    way holds more than a few times ``target``)."""
    one, two = names_with(1), names_with(2)
    if one is None or two is None:
        return None
    slope = len(two) - len(one)
    if slope > 0 and (target - len(one)) % slope == 0 and target > len(one):
        guess = 1 + (target - len(one)) // slope
        found = names_with(guess)
        if found is not None and len(found) == target:
            return guess
    low, high = 1, 1
    while True:
        names = names_with(high)
        if names is None or high > target:
            return None
        if len(names) >= target:
            break
        low, high = high + 1, high * 2
    while low <= high:
        middle = (low + high) // 2
        names = names_with(middle)
        if names is None:
            return None
        if len(names) == target:
            return middle
        if len(names) < target:
            low = middle + 1
        else:
            high = middle - 1
    return None


def canonical_architecture(architecture: object) -> object:
    """``architecture`` with defaults written out the one way: ``"init": "lecun"`` (the
    default, absent from files saved before ``init=`` existed) left out, at every level."""
    if isinstance(architecture, dict):
        return {
            key: canonical_architecture(value)
            for key, value in architecture.items()
            if not (key == "init" and value == "lecun")
        }
    if isinstance(architecture, list):
        return [canonical_architecture(value) for value in architecture]
    return architecture



def _as_path(path: object) -> Path:
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or os.PathLike), got {type(path).__name__}")
    return Path(path)


class _Unrepresentable:
    """A number in the file that no float can hold; kept as text so the error can show it."""

    def __init__(self, text: str, what: str) -> None:
        self.text, self.what = text, what

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 24 else f"{self.text[:10]}...{self.text[-6:]}"
        return f"{shown} ({self.what})"


def _parse_int(text: str) -> int | _Unrepresentable:
    digits = len(text.lstrip("-"))
    if digits <= MAX_DIGITS:  # beyond that no float can hold it (and int() would refuse past 4,300)
        value = int(text)
        if abs(value) <= _LARGEST_FLOAT:
            return value
    return _Unrepresentable(text, f"an integer of {digits} digits, too large for a float")


def _parse_float(text: str) -> float | _Unrepresentable:
    value = float(text)
    if math.isinf(value):  # "1e400": JSON allows it, a float cannot hold it
        return _Unrepresentable(text, "too large for a float")
    return value


_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _nesting(text: str) -> int:
    """How deep [ and { nest in ``text``, at least as deep as a JSON parser would go.

    Brackets inside strings count too: a model file has none there, so a file that
    looks deep only because of them is not a model file either.
    """
    return max(itertools.accumulate(map(_STEP.__getitem__, _BRACKET.findall(text)), initial=0))


def _read_document(path: Path) -> object:
    """The JSON in ``path``, or ValueError saying (with the file's name) why it is not a model file."""
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise ValueError(f"{path}: not a glassgrad model file (not a regular file)")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not a glassgrad model file (not UTF-8 text: {error})") from None
    depth = _nesting(text)
    if depth > MAX_NESTING:
        raise ValueError(
            f"{path}: not a glassgrad model file (brackets nested {depth} levels deep; "
            f"a model file nests at most {MAX_NESTING})"
        )
    try:
        return json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, object_pairs_hook=_unique_keys
        )
    except _DuplicateKey as duplicate:
        raise ValueError(
            f"{path}: not a glassgrad model file "
            f"(the key {_short(duplicate.key)} appears twice in one object)"
        ) from None
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise ValueError(f"{path}: not a glassgrad model file (not valid JSON: {_brief(error)})") from None


class _DuplicateKey(Exception):
    """A JSON object with one key twice: JSON would silently keep the last, a model file has none."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        raise _DuplicateKey(next(key for key, _ in pairs if key in seen or seen.add(key)))
    return result


