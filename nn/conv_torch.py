"""Conv2d/Conv1d and pooling <-> PyTorch: the torch modules that compute the same, and back.

``conv_torch_modules(conv)`` gives a float64 ``torch.nn.Conv2d`` (``Conv1d``) whose
``weight[o, c, p, q]`` is ``conv.kernels[o].w[(c·kh + p)·kw + q]`` and ``bias[o]`` is
``kernels[o].b``, then the activation's module (none for 'linear').  The converters
below go the other way, exactly (float32/16 weights are float64 numbers too).
"""

from __future__ import annotations

from typing import Any

_TORCH_ACTIVATIONS = {"tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "ReLU"}


def _torch(who: str) -> Any:
    try:
        import torch
    except ImportError as error:
        raise ImportError(f"{who} needs PyTorch, which is not installed: pip install torch") from error
    return torch


def conv_torch_modules(conv: Any) -> list[Any]:
    torch = _torch("to_torch")
    one = conv._ndim == 2
    kind = torch.nn.Conv1d if one else torch.nn.Conv2d
    k, s, p = (
        (conv.kernel_size[1], conv.stride[1], conv.padding[1])
        if one
        else (conv.kernel_size, conv.stride, conv.padding)
    )
    layer = torch.nn.utils.skip_init(
        kind, conv.in_channels, conv.out_channels, k, stride=s, padding=p, dtype=torch.float64
    )
    shape = tuple(layer.weight.shape)
    with torch.no_grad():
        weights = torch.tensor([[w.data for w in kernel.w] for kernel in conv.kernels], dtype=torch.float64)
        layer.weight.copy_(weights.reshape(shape))
        layer.bias.copy_(torch.tensor([kernel.b.data for kernel in conv.kernels], dtype=torch.float64))
    name = conv.activation.name
    return [layer] if name == "linear" else [layer, getattr(torch.nn, _TORCH_ACTIVATIONS[name])()]


def _copy(torch: Any, layer: Any, where: str, who: str) -> tuple[list, list]:
    from .torch_bridge import check_tensor

    at = f"{type(layer).__name__} at {where}"
    if layer.bias is None:
        raise ValueError(f"{who}: {at} has no bias; every nn kernel has one (use bias=True)")
    for pname, tensor in (("weight", layer.weight), ("bias", layer.bias)):
        check_tensor(torch, tensor, pname, at, who)
    rows = layer.weight.detach().cpu().double().reshape(layer.out_channels, -1).tolist()
    return rows, layer.bias.detach().cpu().double().tolist()


def _refuse(who: str, at: str, what: str) -> None:
    raise ValueError(f"{who}: {at} has {what}, which nn's convolution and pooling cannot hold")


def from_conv(layer: Any, activation: str, where: str, who: str) -> Any:
    """The converter of ``torch.nn.Conv2d`` and ``Conv1d``: an nn convolution with its exact weights."""
    from .conv import Conv1d, Conv2d

    torch = _torch(who)
    one = type(layer) is torch.nn.Conv1d
    at = f"{type(layer).__name__} at {where}"
    if isinstance(layer.padding, str):
        _refuse(who, at, f"padding={layer.padding!r}")
    for name, value, plain in (
        ("dilation", layer.dilation, 1),
        ("groups", layer.groups, 1),
        ("padding_mode", layer.padding_mode, "zeros"),
    ):
        if value not in (plain, (plain,), (plain, plain)):
            _refuse(who, at, f"{name}={value!r}")
    rows, biases = _copy(torch, layer, where, who)
    kind = Conv1d if one else Conv2d
    pick = (lambda t: t[0]) if one else tuple
    try:
        conv = kind(
            layer.in_channels,
            layer.out_channels,
            pick(layer.kernel_size),
            pick(layer.stride),
            pick(layer.padding),
            activation,
            seed=0,
        )
    except ValueError as error:
        raise ValueError(f"{who}: {at}: {error}") from None
    for kernel, row, b in zip(conv.kernels, rows, biases):
        for w, value in zip(kernel.w, row):
            w.data = value
        kernel.b.data = b
    return conv


def from_pool(layer: Any, activation: str, where: str, who: str) -> Any:
    """The converter of ``torch.nn.MaxPool2d`` and ``torch.nn.AvgPool2d`` (no padding, floor mode)."""
    from .conv import AvgPool2d, MaxPool2d

    torch = _torch(who)
    at = f"{type(layer).__name__} at {where}"
    if activation != "linear":
        raise ValueError(f"{who}: {at} is followed by an activation; nn's pooling has none (put it before)")
    if layer.padding not in (0, (0, 0)):
        _refuse(who, at, f"padding={layer.padding!r}")
    if layer.ceil_mode:
        _refuse(who, at, "ceil_mode=True")
    if type(layer) is torch.nn.MaxPool2d:
        if layer.dilation not in (1, (1, 1)) or layer.return_indices:
            _refuse(who, at, f"dilation={layer.dilation!r}, return_indices={layer.return_indices!r}")
        kind = MaxPool2d
    else:
        if layer.divisor_override is not None:
            _refuse(who, at, f"divisor_override={layer.divisor_override!r}")
        kind = AvgPool2d
    try:
        return kind(layer.kernel_size, layer.stride)
    except ValueError as error:
        raise ValueError(f"{who}: {at}: {error}") from None


def from_flatten(layer: Any, activation: str, where: str, who: str) -> Any:
    """The converter of ``torch.nn.Flatten`` that flattens a whole sample (start_dim 0, or 1 with a batch)."""
    from .conv import Flatten

    at = f"Flatten at {where}"
    if activation != "linear":
        raise ValueError(f"{who}: {at} is followed by an activation; nn's Flatten has none")
    if layer.start_dim not in (0, 1) or layer.end_dim != -1:
        _refuse(who, at, f"start_dim={layer.start_dim}, end_dim={layer.end_dim}")
    return Flatten()


def register_conversions() -> None:
    """Register the converters above with ``nn.torch_bridge`` (exact torch types)."""
    from .torch_bridge import register_from_torch

    for name, converter in (
        ("Conv2d", from_conv),
        ("Conv1d", from_conv),
        ("MaxPool2d", from_pool),
        ("AvgPool2d", from_pool),
        ("Flatten", from_flatten),
    ):
        register_from_torch(name, converter)
