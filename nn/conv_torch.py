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
    k, s, p = ((conv.kernel_size[1], conv.stride[1], conv.padding[1]) if one
               else (conv.kernel_size, conv.stride, conv.padding))
    layer = torch.nn.utils.skip_init(kind, conv.in_channels, conv.out_channels, k, stride=s, padding=p,
                                     dtype=torch.float64)
    shape = tuple(layer.weight.shape)
    with torch.no_grad():
        weights = torch.tensor([[w.data for w in kernel.w] for kernel in conv.kernels], dtype=torch.float64)
        layer.weight.copy_(weights.reshape(shape))
        layer.bias.copy_(torch.tensor([kernel.b.data for kernel in conv.kernels], dtype=torch.float64))
    name = conv.activation.name
    return [layer] if name == "linear" else [layer, getattr(torch.nn, _TORCH_ACTIVATIONS[name])()]
