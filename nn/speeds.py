"""How fast each layer learns: the length of its gradient, layer by layer.

Nielsen (chapter 5) measures a layer's "speed of learning" as the length of its bias
gradient, ‖∂C/∂bˡ‖ = ‖δˡ‖ averaged over the batch (BP3: ∂C/∂bˡⱼ = δˡⱼ).  In a deep
sigmoid network the first layers' speeds are far below the last layer's, because BP2
multiplies δ by (Wˡ⁺¹)ᵀ and by σ′(zˡ) ≤ 1/4 at every layer it goes back through.

``layer_speeds(model)`` reads those lengths (and ‖∂C/∂Wˡ‖) from the ``.grad`` of the
parameters, after any backward pass.  ``LayerSpeeds`` is a recorder for ``fit``::

    history = nn.fit(model, X, Y, record=[nn.LayerSpeeds(every=10)])
    history.records["layer_speeds"]     # [(step, (Speed('L1', bias=…, weight=…), …)), …]

fit calls it after every step with that step's gradient in ``.grad`` (whatever pass
computed it: plain, fast or generated code), so it sees the gradient of the cost that
step descended: the batch's average cost, with the L2 term in ∂C/∂W when ``l2`` is on.
``nn.plots.plot_layer_speeds(history)`` draws them per layer over training.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from .module import Module


class Speed(NamedTuple):
    """One layer's learning speed: ‖∂C/∂b‖ (Nielsen's) and ‖∂C/∂W‖ (Euclidean lengths)."""

    layer: str
    bias: float
    weight: float


def _layers(model: Module) -> list[tuple[str, Module]]:
    """(name, module) of each layer: ``model.layers`` when it has them, else the model itself."""
    layers = getattr(model, "layers", None)
    if layers is None:
        return [(getattr(model, "name", type(model).__name__), model)]
    return [(getattr(layer, "name", f"layer {i + 1}"), layer) for i, layer in enumerate(layers)]


def _length(grads: Iterable[float]) -> float:
    return math.sqrt(math.fsum(g * g for g in grads))


def layer_speeds(model: Module) -> tuple[Speed, ...]:
    """Each layer's ‖∂C/∂b‖ and ‖∂C/∂W‖ from the parameters' ``.grad``, first layer first.

    Call it after a backward pass.  A layer's biases are its parameters that are not
    among its ``weights()``; a parameter whose ``.grad`` is not a finite number (a pass
    that blew up) makes that layer's length ``inf`` or ``nan``, as the sum of squares does.
    """
    if not isinstance(model, Module):
        raise TypeError(f"layer_speeds needs an nn module (an MLP, say), got {type(model).__name__}")
    speeds = []
    for name, layer in _layers(model):
        weights = layer.weights()
        ids = {id(w) for w in weights}
        biases = [p for p in layer.parameters() if id(p) not in ids]
        speeds.append(Speed(name, _length(b.grad for b in biases), _length(w.grad for w in weights)))
    return tuple(speeds)


class LayerSpeeds:
    """A ``fit`` recorder: ``layer_speeds(model)`` after chosen steps.

    ``every=k`` records the first step it is called on and every k-th after it;
    ``steps=[1, 50, 100]`` records exactly those step numbers (fit's numbering) instead.
    Its records live in ``history.records[name]`` as (step, tuple of ``Speed``) pairs.
    """

    def __init__(
        self, every: int = 1, *, steps: Sequence[int] | None = None, name: str = "layer_speeds"
    ) -> None:
        if isinstance(every, bool) or not isinstance(every, numbers.Integral) or every < 1:
            raise ValueError(f"LayerSpeeds: every must be a positive int, got {every!r}")
        if not isinstance(name, str) or not name:
            raise ValueError(f"LayerSpeeds: name must be a non-empty str, got {name!r}")
        chosen = None
        if steps is not None:
            if isinstance(steps, (str, bytes)) or not isinstance(steps, Iterable):
                raise ValueError(f"LayerSpeeds: steps must be a list of step numbers (ints), got {steps!r}")
            chosen = set()
            for s in steps:
                if isinstance(s, bool) or not isinstance(s, numbers.Integral):
                    raise ValueError(f"LayerSpeeds: steps must hold ints, got {s!r}")
                chosen.add(int(s))
        self.every = int(every)
        self.steps = chosen
        self.name = name
        self._calls = 0

    def __call__(self, step: int, model: Module) -> tuple[Speed, ...] | None:
        calls, self._calls = self._calls, self._calls + 1
        wanted = step in self.steps if self.steps is not None else calls % self.every == 0
        return layer_speeds(model) if wanted else None

    def __repr__(self) -> str:
        chosen = f"steps={sorted(self.steps)}" if self.steps is not None else f"every={self.every}"
        return f"LayerSpeeds({chosen}, name={self.name!r})"


def speeds_by_layer(records: Sequence[tuple[int, Sequence[Speed]]], which: str = "bias") -> dict[str, Any]:
    """``{"steps": [...], "L1": [...], "L2": [...], ...}``: a recorder's pairs turned into columns.

    ``which`` is "bias" (‖∂C/∂b‖, Nielsen's speed) or "weight" (‖∂C/∂W‖).
    """
    if which not in ("bias", "weight"):
        raise ValueError(f"which must be 'bias' or 'weight', got {which!r}")
    columns: dict[str, Any] = {"steps": []}
    for step, speeds in records:
        columns["steps"].append(step)
        for speed in speeds:
            columns.setdefault(speed.layer, []).append(getattr(speed, which))
    return columns


__all__ = ["LayerSpeeds", "Speed", "layer_speeds", "speeds_by_layer"]
