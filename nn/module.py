"""Module: what every network part shares: its parameters, zeroing their gradients, saving.

A model is saved as JSON, never pickle: a file anyone can read, and loading it can
never run code.  Python writes a float with ``repr``, which reads back as exactly the
same float, so a saved model predicts exactly what the original did.
"""

from __future__ import annotations

import json
import math
import numbers
import os
from pathlib import Path
from typing import Any

from autograd import Value
from autograd._files import write_atomically

FILE_FORMAT = "glassgrad.nn"
FILE_VERSION = 1


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
        path = Path(path)
        write_atomically(path, text.encode("utf-8"))

    def load(self, path: str | os.PathLike) -> Module:
        """Read parameters saved by ``save`` into this model and return it.

        Everything is checked before anything is written: a file that is not a model,
        or belongs to a different architecture, raises ValueError and leaves this
        model's weights as they were.
        """
        try:
            text = Path(path).read_text(encoding="utf-8")
            document = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: not a glassgrad model file (not valid JSON: {error})") from None
        values = self._check_document(document, path)
        for (_, p), value in zip(self.named_parameters(), values):
            p.data = value
        return self

    def _check_document(self, document: object, path: str | os.PathLike) -> list[float]:
        """The parameter values in ``document`` if it fits this model; ValueError if not."""
        if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
            raise ValueError(f"{path}: not a glassgrad model file (no \"format\": \"{FILE_FORMAT}\")")
        if document.get("version") != FILE_VERSION:
            raise ValueError(
                f"{path}: file version {document.get('version')!r}, this code reads version {FILE_VERSION}"
            )
        mine = self.architecture()
        if document.get("architecture") != mine:
            raise ValueError(
                f"{path}: architecture mismatch: the file holds {document.get('architecture')!r}, "
                f"this model is {mine!r}"
            )
        saved = document.get("parameters")
        expected = [name for name, _ in self.named_parameters()]
        if not isinstance(saved, list):
            raise ValueError(f"{path}: \"parameters\" must be a list of [name, value] pairs")
        if len(saved) != len(expected):
            raise ValueError(f"{path}: the file has {len(saved)} parameters, this model has {len(expected)}")
        values = []
        for i, (entry, name) in enumerate(zip(saved, expected)):
            if not (isinstance(entry, list) and len(entry) == 2):
                raise ValueError(f"{path}: parameters[{i}] must be a [name, value] pair, got {entry!r}")
            saved_name, value = entry
            if saved_name != name:
                raise ValueError(f"{path}: parameters[{i}] is named {saved_name!r}, expected {name!r}")
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
                raise ValueError(f"{path}: parameter {name} must be a finite number, got {value!r}")
            values.append(float(value))
        return values


def _is_bias(name: str) -> bool:
    return name == "b" or name.endswith(".b")
