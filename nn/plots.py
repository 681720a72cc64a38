"""Pictures of training (the ``plots`` extra: matplotlib is imported only when one is drawn)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .speeds import speeds_by_layer


def plot_layer_speeds(
    history: Any, *, which: str = "bias", name: str = "layer_speeds", ax: Any = None, log: bool = True
) -> Any:
    """Each layer's learning speed over training, one line per layer; returns the matplotlib Axes.

    ``history`` is what ``fit(..., record=[nn.LayerSpeeds()])`` returned (its
    ``records[name]`` are drawn) or those (step, speeds) pairs themselves.  ``which`` is
    "bias" (‖∂C/∂b‖, Nielsen's speed of learning) or "weight" (‖∂C/∂W‖).  The y axis is
    logarithmic unless ``log=False``: the layers' speeds differ by factors.
    """
    records = history.records.get(name) if hasattr(history, "records") else history
    if not records or not isinstance(records, Sequence):
        raise ValueError(
            f"no layer speeds to draw: pass fit's History (recorded with nn.LayerSpeeds(), name {name!r}) "
            "or its list of (step, speeds) pairs"
        )
    columns = speeds_by_layer(records, which)
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - the plots extra brings it
        raise ImportError("plot_layer_speeds needs matplotlib: pip install 'glassgrad[plots]'") from None
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    steps = columns.pop("steps")
    for layer, values in columns.items():
        engine_name = layer[:1] == "L" and layer[1:].isdigit()  # L1 is "layer 1" in a sentence
        ax.plot(steps, values, label=f"layer {layer[1:]}" if engine_name else layer)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("‖∂C/∂b‖ of the layer" if which == "bias" else "‖∂C/∂W‖ of the layer")
    ax.legend(fontsize="small")
    return ax


__all__ = ["plot_layer_speeds"]
