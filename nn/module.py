"""Module: what every network part shares: its parameters, zeroing their gradients, saving.

A model is saved as JSON, never pickle: a file anyone can read, and loading it can
never run code.  Python writes a float with ``repr``, which reads back as exactly the
same float, so a saved model predicts exactly what the original did.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import reprlib
import stat
import sys
from pathlib import Path
from typing import Any

from autograd import Value
from autograd.files import write_atomically

FILE_FORMAT = "glassgrad.nn"
FILE_VERSION = 1
MAX_NESTING = 32  # a model file nests 4 levels deep; anything far deeper is not one
MAX_DIGITS = 309  # an integer with more digits does not fit a float (1.8e308 is the largest)
_LARGEST_FLOAT = int(sys.float_info.max)


class Module:
    """Base class of Neuron, Layer and MLP.

    Subclasses implement ``named_parameters()`` (and ``architecture()`` for saving);
    ``parameters()`` may be overridden with a faster version that skips the names.
    """

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with a dotted name such as ``layers.0.neurons.3.w.1``."""
        raise NotImplementedError

    def parameters(self) -> list[Value]:
        """Every parameter: weights then bias, neuron by neuron, layer by layer."""
        return [p for _, p in self.named_parameters()]

    def weights(self) -> list[Value]:
        """The weights only (no biases): what L2 regularisation and weight decay act on."""
        return [p for name, p in self.named_parameters() if not _is_bias(name)]

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0 (leaves accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def architecture(self) -> dict[str, Any]:
        """What must match for saved weights to fit: the type, sizes and activations."""
        raise NotImplementedError

    # ------------------------------------------------------------ save / load
    def save(self, path: str | os.PathLike) -> None:
        """Write the architecture and every parameter to ``path`` as JSON.

        Atomic: the text goes to a temporary file in the same folder, which then
        replaces ``path`` in one step, so a failed save leaves any previous file intact.
        """
        _as_path(path)
        named = self.named_parameters()
        for name, p in named:
            if not math.isfinite(p.data):
                raise ValueError(f"cannot save: parameter {name} is {p.data!r} (not finite)")
        document = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "architecture": self.architecture(),
            "parameters": [[name, p.data] for name, p in named],
        }
        text = json.dumps(document, indent=1, allow_nan=False)
        write_atomically(_as_path(path), text.encode("utf-8"))

    def load(self, path: str | os.PathLike) -> Module:
        """Read parameters saved by ``save`` into this model and return it.

        Everything is checked before anything is written: a file that is not a model
        (not JSON, nested absurdly deep, numbers no float can hold, ...) or belongs to a
        different architecture raises ValueError naming the file and what is wrong, and
        leaves this model's weights as they were.
        """
        named = self.named_parameters()
        values = self._check_document(_read_document(_as_path(path)), path, [name for name, _ in named])
        for (_, p), value in zip(named, values):
            p.data = value
        return self

    def _check_document(self, document: object, path: str | os.PathLike, expected: list[str]) -> list[float]:
        """The parameter values in ``document`` if it fits this model; ValueError if not."""
        if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
            raise ValueError(f"{path}: not a glassgrad model file (no \"format\": \"{FILE_FORMAT}\")")
        version = document.get("version")
        if version != FILE_VERSION:
            raise ValueError(f"{path}: file version {_short(version)}; this code reads {FILE_VERSION}")
        mine = self.architecture()
        if document.get("architecture") != mine:
            raise ValueError(
                f"{path}: architecture mismatch: the file holds {_short(document.get('architecture'))}, "
                f"this model is {mine!r}"
            )
        saved = document.get("parameters")
        if not isinstance(saved, list):
            raise ValueError(f"{path}: \"parameters\" must be a list of [name, value] pairs")
        if len(saved) != len(expected):
            raise ValueError(f"{path}: the file has {len(saved)} parameters, this model has {len(expected)}")
        values = []
        for i, (entry, name) in enumerate(zip(saved, expected)):
            if not (isinstance(entry, list) and len(entry) == 2):
                raise ValueError(f"{path}: parameters[{i}] must be a [name, value] pair, got {_short(entry)}")
            saved_name, value = entry
            if saved_name != name:
                raise ValueError(f"{path}: parameters[{i}] is named {_short(saved_name)}, expected {name!r}")
            if type(value) not in (int, float) or not math.isfinite(value):  # JSON's numbers; no bool
                raise ValueError(f"{path}: parameter {name} must be a finite number, got {_short(value)}")
            values.append(float(value))
        return values


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
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float)
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise ValueError(f"{path}: not a glassgrad model file (not valid JSON: {_brief(error)})") from None


def _brief(error: BaseException) -> str:
    text = str(error)
    return text if len(text) <= 200 else text[:200] + "..."


_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 80
_repr.maxlist = _repr.maxdict = 6
_repr.maxlevel = 3


def _short(value: object) -> str:
    """``repr(value)`` cut to a readable length: an error message never holds a whole file."""
    return _repr.repr(value)


def _is_bias(name: str) -> bool:
    return name == "b" or name.endswith(".b")
