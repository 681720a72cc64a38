"""Conv2d, Conv1d, MaxPool2d, AvgPool2d and Flatten: modules for images made of Values.

A convolution is a Layer whose neurons share their weights across positions.  Its
output channel o is a ``Kernel`` (to a convolution what a Neuron is to a Layer): the
weights ``w`` (C·kh·kw of them, in row-major order (c, p, q): row o of the matrix W of
the layer form, see ``nn/conv_equations.py``) and the bias ``b``.  The Value
``kernels[o].w[k]`` is used at EVERY output position, so after backward its grad is the
sum of one contribution per position (see ``nn/conv_functions.py``).

Names: parameter ``kernels.2.w.5`` is weight 5 of kernel 2, whose picture label says
where it sits, ``w[c][p][q]``; ``kernels.2.b`` is its bias.  In a picture a kernel's
weights and the outputs it makes share the group ``C1.k2`` (module name, kernel);
a pool's outputs share ``P1.c0`` (module name, channel).

Initialisation draws kernel by kernel, weights in order, from ``nn/init.py``'s rule
(fan-in C·kh·kw, fan-out O·kh·kw); biases start at 0.
"""

from __future__ import annotations

import functools
import math
import random
from typing import Any

from autograd import Value

from . import init as _init
from .activations import Activation, get_activation
from .conv_functions import (
    as_image,
    avg_pool2d,
    check_fits,
    check_pair,
    conv2d_flat,
    image_shape,
    max_pool2d,
    output_size,
)
from .layers import _check_name, _check_size, _make_rng, _with_init
from .module import Module

Shape = tuple[int, ...]


@functools.lru_cache(maxsize=65536)
def _label(letter: str, c: int, i: int, j: int) -> str:
    return f"{letter}[{c}][{i}][{j}]"


class Kernel(Module):
    """One output channel of a convolution: weights ``w`` (row-major c, p, q) and bias ``b``."""

    def __init__(self, weights: list[float], labels: list[str], group: str) -> None:
        self.w = [Value(v, label=label) for v, label in zip(weights, labels)]
        self.b = self.bias(Value(0.0, label="b"))
        for p in (*self.w, self.b):
            p.group = group


class Conv2d(Module):
    """``Conv2d(C_in, C_out, kernel_size, stride=1, padding=0, activation='relu')``.

    Takes one image ``[C_in][H][W]`` (nested lists or an array, numbers or Values) and
    returns ``[C_out][H_out][W_out]`` Values with H_out = ⌊(H + 2·padding − kh)/stride⌋ + 1.
    Each output is a = f(z), z one ``dot`` node (kernel · window + b).  After a call,
    ``.z`` and ``.a`` hold the last outputs (``z[o][i][j].grad`` is δ after backward) and
    ``.x`` the input Values.  Padding must be smaller than the kernel (a position in the
    padding only would see nothing but zeros).
    """

    forward_state = ("x", "z", "a")
    _ndim = 3

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        activation: str = "relu",
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
        init: str = "lecun",
        name: str = "C",
    ) -> None:
        who = type(self).__name__
        self.in_channels = _check_size(f"{who} in_channels", in_channels)
        self.out_channels = _check_size(f"{who} out_channels", out_channels)
        self.kernel_size = self._pair(f"{who} kernel_size", kernel_size, 1)
        self.stride = self._pair(f"{who} stride", stride, 1)
        self.padding = self._pair(f"{who} padding", padding, 0)
        if self.padding[0] >= self.kernel_size[0] or self.padding[1] >= self.kernel_size[1]:
            raise ValueError(
                f"{who}: padding {padding!r} must be smaller than the kernel {kernel_size!r} "
                "(a window in the padding only would see nothing but zeros)"
            )
        self.activation: Activation = get_activation(activation)
        self.init = _init.check_init(init)
        self.name = _check_name(name)
        rng = _make_rng(seed, rng)
        kh, kw = self.kernel_size
        fan_in, fan_out = self.in_channels * kh * kw, self.out_channels * kh * kw
        labels = [f"w[{c}][{p}][{q}]" for c in range(self.in_channels) for p in range(kh) for q in range(kw)]
        if self._ndim == 2:
            labels = [f"w[{c}][{q}]" for c in range(self.in_channels) for q in range(kw)]
        self.kernels = [
            Kernel(_init.draw(self.init, rng, fan_in, fan_in, fan_out), labels, f"{self.name}.k{o}")
            for o in range(self.out_channels)
        ]
        self.x: list | None = None
        self.z: list | None = None
        self.a: list | None = None

    @staticmethod
    def _pair(what: str, value: object, minimum: int) -> tuple[int, int]:
        return check_pair(what, value, minimum)

    def rename(self, name: str) -> None:
        self.name = _check_name(name)
        for o, kernel in enumerate(self.kernels):
            for p in kernel.parameters():
                p.group = f"{self.name}.k{o}"

    # ------------------------------------------------------------ computing
    def __call__(self, x: Any) -> list:
        who = f"{type(self).__name__} {self.name}"
        image = as_image(x, self.in_channels, who, self._ndim)
        check_fits(who, (len(image[0]), len(image[0][0])), self.kernel_size, self.padding)
        return self.forward(image)

    def forward(self, image: list[list[list[Value]]]) -> list:
        """z and a for an image that is already ``[C][H][W]`` of Values of fitting size."""
        shape = (len(image), len(image[0]), len(image[0][0]))
        flat = [v for plane in image for row in plane for v in row]
        z = conv2d_flat(
            flat,
            shape,
            [k.w for k in self.kernels],
            [k.b for k in self.kernels],
            self.kernel_size,
            self.stride,
            self.padding,
        )
        apply = self.activation.apply
        a = []
        for o, plane in enumerate(z):
            group = f"{self.name}.k{o}"
            a_plane = []
            for i, row in enumerate(plane):
                a_row = []
                for j, zi in enumerate(row):
                    ai = apply(zi)
                    zi.group = ai.group = group
                    zi.label = _label("z", o, i, j)
                    if ai is not zi:
                        ai.label = _label("a", o, i, j)
                    a_row.append(ai)
                a_plane.append(a_row)
            a.append(a_plane)
        self.x, self.z, self.a = image, z, a
        if self._ndim == 2:
            return [plane[0] for plane in a]
        return a

    # ------------------------------------------------------------ the protocol
    def output_shape(self, input_shape: Shape) -> Shape:
        """``(C_out, H_out, W_out)`` for ``(C_in, H, W)``; ValueError naming this module otherwise."""
        shape = tuple(input_shape)
        form = "(C, H, W)" if self._ndim == 3 else "(C, L)"
        if len(shape) != self._ndim or shape[0] != self.in_channels:
            raise ValueError(
                f"{self!r} takes input of shape {form} with C = {self.in_channels}, got shape {shape}"
            )
        size = shape[1:] if self._ndim == 3 else (1, shape[1])
        try:
            check_fits(repr(self), size, self.kernel_size, self.padding)
        except ValueError as error:
            raise ValueError(f"{error} (input shape {shape})") from None
        rows, cols = (
            output_size(size[k], self.kernel_size[k], self.stride[k], self.padding[k]) for k in (0, 1)
        )
        return (self.out_channels, rows, cols) if self._ndim == 3 else (self.out_channels, cols)

    def input_shape(self) -> Shape | None:
        return None  # any height and width

    def same_graph_every_sample(self) -> bool:
        return self._computes_as(Conv2d)

    def architecture(self) -> dict[str, Any]:
        one = self._ndim == 2
        architecture = {
            "type": type(self).__name__,
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": self.kernel_size[1] if one else list(self.kernel_size),
            "stride": self.stride[1] if one else list(self.stride),
            "padding": self.padding[1] if one else list(self.padding),
            "activation": self.activation.name,
        }
        return _with_init(architecture, self.init)

    def torch_modules(self) -> list[Any]:
        """A float64 ``torch.nn.Conv2d`` (``Conv1d``) with exactly these kernels, then the activation."""
        from .conv_torch import conv_torch_modules

        return conv_torch_modules(self)

    def __repr__(self) -> str:
        one = self._ndim == 2
        k = self.kernel_size[1] if one else self.kernel_size
        s = self.stride[1] if one else self.stride
        p = self.padding[1] if one else self.padding
        return (
            f"{type(self).__name__}({self.in_channels}, {self.out_channels}, kernel_size={k}, stride={s}, "
            f"padding={p}, activation={self.activation.name!r}, name={self.name!r})"
        )


class Conv1d(Conv2d):
    """``Conv1d(C_in, C_out, kernel_size, ...)`` on a signal ``[C][L]``: Conv2d with a 1-row kernel."""

    _ndim = 2

    @staticmethod
    def _pair(what: str, value: object, minimum: int) -> tuple[int, int]:
        """One int along the signal; the kernel's single row (size 1, stride 1, no padding) is implied."""
        if isinstance(value, (tuple, list)):
            raise ValueError(f"{what} of a Conv1d must be one int, got {value!r}")
        return (1 if minimum == 1 else 0, check_pair(what, value, minimum)[1])

    def architecture(self) -> dict[str, Any]:  # defined here too: the registry lists classes that define it
        return super().architecture()


# ------------------------------------------------------------------ pooling
class _Pool(Module):
    """What MaxPool2d and AvgPool2d share: the window, the shapes and the checks."""

    forward_state = ("x", "a")
    _function = staticmethod(max_pool2d)

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        *,
        name: str = "P",
    ) -> None:
        who = type(self).__name__
        self.kernel_size = check_pair(f"{who} kernel_size", kernel_size, 1)
        self.stride = self.kernel_size if stride is None else check_pair(f"{who} stride", stride, 1)
        self.name = _check_name(name)
        self.x: list | None = None
        self.a: list | None = None

    def __call__(self, x: Any) -> list:
        who = f"{type(self).__name__} {self.name}"
        shape = image_shape(x, who)
        image = as_image(x, shape[0], who)
        check_fits(who, shape[1:], self.kernel_size, (0, 0))
        return self.forward(image)

    def forward(self, image: list[list[list[Value]]]) -> list:
        out = type(self)._function(image, self.kernel_size, self.stride)
        for c, plane in enumerate(out):
            group = f"{self.name}.c{c}"
            for i, row in enumerate(plane):
                for j, v in enumerate(row):
                    v.group, v.label = group, _label("p", c, i, j)
        self.x, self.a = image, out
        return out

    def output_shape(self, input_shape: Shape) -> Shape:
        shape = tuple(input_shape)
        if len(shape) != 3:
            raise ValueError(f"{self!r} takes input of shape (C, H, W), got shape {shape}")
        try:
            check_fits(repr(self), shape[1:], self.kernel_size, (0, 0))
        except ValueError as error:
            raise ValueError(f"{error} (input shape {shape})") from None
        rows, cols = (output_size(shape[1 + k], self.kernel_size[k], self.stride[k], 0) for k in (0, 1))
        return (shape[0], rows, cols)

    def input_shape(self) -> Shape | None:
        return None

    def same_graph_every_sample(self) -> bool:
        return self._computes_as(_Pool)

    def _window_architecture(self) -> dict[str, Any]:
        return {
            "type": type(self).__name__,
            "kernel_size": list(self.kernel_size),
            "stride": list(self.stride),
        }

    def torch_modules(self) -> list[Any]:
        import torch

        kind = getattr(torch.nn, type(self).__name__)
        return [kind(kernel_size=self.kernel_size, stride=self.stride)]

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride}, name={self.name!r})"
        )


class MaxPool2d(_Pool):
    """``MaxPool2d(kernel_size, stride=None)``: the largest value of each window, per channel.

    Built as m ← m + relu(v − m) over the window (row-major), so its graph is the same for
    every image and backward sends δ to the maximum only; on a tie, to the first maximum
    in row-major order (as PyTorch does).  stride defaults to the kernel size.
    """

    _function = staticmethod(max_pool2d)

    def architecture(self) -> dict[str, Any]:
        return self._window_architecture()


class AvgPool2d(_Pool):
    """``AvgPool2d(kernel_size, stride=None)``: the mean of each window, per channel (δ/(kh·kw) to each)."""

    _function = staticmethod(avg_pool2d)

    def architecture(self) -> dict[str, Any]:
        return self._window_architecture()


class Flatten(Module):
    """``Flatten()``: ``[C][H][W]`` (any nesting) to one list, row-major, for a dense Layer."""

    def __init__(self, *, name: str = "F") -> None:
        self.name = _check_name(name)

    def __call__(self, x: Any) -> list:
        flat: list = []
        _flatten(x, flat, "x", f"Flatten {self.name}")
        return flat

    def output_shape(self, input_shape: Shape) -> Shape:
        return (math.prod(input_shape),)

    def input_shape(self) -> Shape | None:
        return None

    def same_graph_every_sample(self) -> bool:
        return self._computes_as(Flatten)

    def architecture(self) -> dict[str, Any]:
        return {"type": "Flatten"}

    def torch_modules(self) -> list[Any]:
        import torch

        return [torch.nn.Flatten(start_dim=0)]

    def __repr__(self) -> str:
        return "Flatten()"


def _flatten(x: Any, out: list, where: str, who: str) -> None:
    if isinstance(x, Value) or (isinstance(x, (int, float)) and not isinstance(x, bool)):
        out.append(x)
        return
    if hasattr(x, "tolist") and getattr(x, "ndim", 0) >= 1:
        x = x.tolist()
    if not isinstance(x, (list, tuple)):
        raise TypeError(f"{who}: {where} must be a number, a Value or a list of them, got {type(x).__name__}")
    for k, item in enumerate(x):
        _flatten(item, out, f"{where}[{k}]", who)


def _register_torch_conversions() -> None:
    from .conv_torch import register_conversions

    register_conversions()


_register_torch_conversions()
