"""The same network in PyTorch: ``to_torch`` and ``from_torch``, exact weights both ways.

``to_torch(model)`` turns a Neuron, Layer or MLP into a float64 ``torch.nn.Sequential``
of ``Linear`` layers, each followed by ``Tanh``, ``Sigmoid``, ``ReLU`` or nothing (for
'linear').  Neuron j of a layer is row j of its ``Linear.weight``: ``weight[j, k]`` is
``neurons[j].w[k]`` and ``bias[j]`` is ``neurons[j].b``.  The weights are copied as they
are (float64 both sides), so the two networks compute the same numbers up to the order
in which a sum is added (about 1e-16 relative).

``from_torch(kind, seq)`` goes the other way.  Weights of a lower precision (float32,
float16, bfloat16) are taken exactly: every such number is also a float64, so the model
holds the very weights the torch module holds (its outputs are then the float64
computation, which can differ from the float32 module's by float32 rounding).  Whatever
an ``nn`` model cannot hold is refused, naming the module and its position.

PyTorch is optional: this module imports it only when one of its functions is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import layers as _layers  # the module, not its names: nn/layers.py may import this file
from .module import Module

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import torch

INSTALL_HINT = "pip install torch"

# Activation name in nn <-> torch.nn class name; 'linear' is no module at all.
_TORCH_ACTIVATIONS = {"tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "ReLU"}


def _import_torch(what: str) -> Any:
    try:
        import torch
    except ImportError as error:
        raise ImportError(f"{what} needs PyTorch, which is not installed: {INSTALL_HINT}") from error
    return torch


def _layers_of(module: Module, who: str) -> list[_layers.Layer] | None:
    """The Layers a model is made of, or None for a single Neuron."""
    if isinstance(module, _layers.MLP):
        return list(module.layers)
    if isinstance(module, _layers.Layer):
        return [module]
    if isinstance(module, _layers.Neuron):
        return None
    raise TypeError(f"{who}: module must be an nn.MLP, nn.Layer or nn.Neuron, got {type(module).__name__}")


def _linear(torch: Any, neurons: list[_layers.Neuron]) -> Any:
    """A float64 Linear holding these neurons' weights and biases, one row per neuron."""
    # skip_init: no random initialisation, so torch's global random state is left alone.
    linear = torch.nn.utils.skip_init(torch.nn.Linear, neurons[0].nin, len(neurons), dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in neurons], dtype=torch.float64))
        linear.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=torch.float64))
    return linear


def to_torch(module: Module) -> torch.nn.Sequential:
    """``module`` (nn.MLP, nn.Layer or nn.Neuron) as a float64 ``torch.nn.Sequential``
    with exactly its weights: ``Linear`` then the activation, layer by layer."""
    layers = _layers_of(module, "to_torch")
    torch = _import_torch("to_torch")
    groups = [[module]] if layers is None else [layer.neurons for layer in layers]
    parts = []
    for neurons in groups:
        parts.append(_linear(torch, neurons))
        name = neurons[0].activation.name
        if name != "linear":
            parts.append(getattr(torch.nn, _TORCH_ACTIVATIONS[name])())
    return torch.nn.Sequential(*parts)


def parameter_values(torch_module: Any, grad: bool = False) -> list[float]:
    """The ``Linear`` weights of a Sequential (their ``.grad`` with ``grad=True``) as
    floats in the order of nn's ``parameters()``: neuron by neuron, its weights then its
    bias, layer by layer."""
    _import_torch("parameter_values")
    values = []
    for _, _, linear, _ in _parse(torch_module, "parameter_values"):
        weight, bias = linear.weight, linear.bias
        if grad:
            if weight.grad is None or bias.grad is None:
                raise ValueError("parameter_values(grad=True): a Linear has no .grad; call backward() first")
            weight, bias = weight.grad, bias.grad
        rows, biases = weight.detach().double().tolist(), bias.detach().double().tolist()
        for row, b in zip(rows, biases):
            values.extend(row)
            values.append(b)
    return values


def _where(index: int, name: str) -> str:
    return f"position {index}" if name == str(index) else f"position {index} ({name!r})"


def _parse(torch_module: Any, who: str) -> list[tuple[int, str, Any, str]]:
    """``(index, name, Linear, activation name)`` for each Linear of a Sequential (or of
    one bare Linear), after checking that nn can represent every module in it."""
    torch = _import_torch(who)
    if type(torch_module) is torch.nn.Linear:
        items = [("0", torch_module)]
    elif isinstance(torch_module, torch.nn.Sequential):
        items = list(torch_module.named_children())
    else:
        raise TypeError(
            f"{who}: expected a torch.nn.Sequential of Linear and activation modules "
            f"(or one Linear), got {type(torch_module).__name__}"
        )
    if not items:
        raise ValueError(f"{who}: the Sequential is empty; it needs at least one Linear")
    activations = {getattr(torch.nn, cls): name for name, cls in _TORCH_ACTIVATIONS.items()}
    activations[torch.nn.Identity] = "linear"
    parsed: list[list[Any]] = []
    for index, (name, part) in enumerate(items):
        where = _where(index, name)
        kind = type(part)  # exact types: a subclass may compute something else
        what = kind.__name__
        if kind is torch.nn.Linear:
            _check_linear(torch, part, where, who, parsed)
            parsed.append([index, name, part, "linear"])
        elif kind in activations:
            if not parsed:
                raise ValueError(f"{who}: {what} at {where} comes before any Linear; it must follow one")
            if parsed[-1][0] != index - 1:
                raise ValueError(
                    f"{who}: {what} at {where} follows another activation; an nn layer "
                    "has one activation after its Linear"
                )
            parsed[-1][3] = activations[kind]
        else:
            raise TypeError(
                f"{who}: cannot represent {what} at {where}; nn models are made of Linear "
                f"layers each followed by Tanh, Sigmoid, ReLU or nothing"
            )
    return [tuple(p) for p in parsed]


def _check_linear(torch: Any, linear: Any, where: str, who: str, earlier: list[list[Any]]) -> None:
    if linear.bias is None:
        raise ValueError(f"{who}: Linear at {where} has no bias; every nn neuron has one (use bias=True)")
    if earlier and earlier[-1][2].out_features != linear.in_features:
        previous = earlier[-1][2].out_features
        raise ValueError(
            f"{who}: Linear at {where} takes {linear.in_features} inputs but the layer before it "
            f"gives {previous} outputs"
        )
    for pname, tensor in (("weight", linear.weight), ("bias", linear.bias)):
        if tensor.is_meta:
            raise ValueError(f"{who}: Linear at {where} has no {pname} values (it is on the meta device)")
        if tensor.dtype not in (torch.float64, torch.float32, torch.float16, torch.bfloat16):
            raise ValueError(
                f"{who}: Linear at {where} has {pname} of dtype {tensor.dtype}; nn holds real float64 "
                "numbers (float16, bfloat16, float32 and float64 convert exactly)"
            )
        if not bool(torch.isfinite(tensor).all()):
            raise ValueError(f"{who}: Linear at {where} has a non-finite {pname} (nan or inf)")


def _copy_into(neurons: list[_layers.Neuron], linear: Any) -> None:
    rows = linear.weight.detach().cpu().double().tolist()
    biases = linear.bias.detach().cpu().double().tolist()
    for neuron, row, b in zip(neurons, rows, biases):
        for w, value in zip(neuron.w, row):
            w.data = value
        neuron.b.data = b


def from_torch(kind: type, torch_module: torch.nn.Module) -> Module:
    """An ``nn`` model of ``kind`` (nn.MLP, nn.Layer or nn.Neuron) holding exactly the
    weights of ``torch_module``: a Sequential of Linear + activation (or one Linear).

    An MLP has one hidden activation and one output activation: hidden Linears followed
    by different activations are refused.  A one-layer Sequential says nothing about a
    hidden activation, so the MLP gets the default ('tanh'); it computes nothing with it.
    """
    MLP, Layer, Neuron = _layers.MLP, _layers.Layer, _layers.Neuron
    if not isinstance(kind, type) or not issubclass(kind, (MLP, Layer, Neuron)):
        raise TypeError(f"from_torch: kind must be nn.MLP, nn.Layer or nn.Neuron, got {kind!r}")
    who = f"from_torch({kind.__name__})"
    parsed = _parse(torch_module, who)
    first = parsed[0][2]
    if issubclass(kind, (Layer, Neuron)) and len(parsed) > 1:
        index, name = parsed[1][0], parsed[1][1]
        raise ValueError(
            f"{who}: a {kind.__name__} is one Linear (and its activation), but there is another Linear "
            f"at {_where(index, name)}; use nn.MLP"
        )
    if issubclass(kind, Neuron):
        if first.out_features != 1:
            raise ValueError(
                f"{who}: a Neuron has one output, but the Linear at {_where(parsed[0][0], parsed[0][1])} "
                f"has {first.out_features}; use nn.Layer"
            )
        neuron = kind(first.in_features, parsed[0][3], seed=0)
        _copy_into([neuron], first)
        return neuron
    if issubclass(kind, Layer):
        layer = kind(first.in_features, first.out_features, parsed[0][3], seed=0)
        _copy_into(layer.neurons, first)
        return layer
    hidden = "tanh"
    if len(parsed) > 1:
        hidden = parsed[0][3]
        for index, name, _, activation in parsed[1:-1]:
            if activation != hidden:
                raise ValueError(
                    f"{who}: the Linear at {_where(index, name)} is followed by {activation!r} but the first "
                    f"by {hidden!r}; an nn.MLP uses one activation for every hidden layer"
                )
    model = kind(
        first.in_features,
        [linear.out_features for _, _, linear, _ in parsed],
        activation=hidden,
        output_activation=parsed[-1][3],
        seed=0,
    )
    for layer, (_, _, linear, _) in zip(model.layers, parsed):
        _copy_into(layer.neurons, linear)
    return model


__all__ = ["INSTALL_HINT", "from_torch", "parameter_values", "to_torch"]
