"""The same network in PyTorch: ``to_torch`` and ``from_torch``, exact weights both ways.

``to_torch(model)`` turns a module into a float64 ``torch.nn.Sequential`` made of what
each module class says computes the same (``Module.torch_modules``): for a Neuron,
Layer or MLP, ``Linear`` layers, each followed by ``Tanh``, ``Sigmoid``, ``ReLU`` or
nothing (for 'linear').  Neuron j of a layer is row j of its ``Linear.weight``:
``weight[j, k]`` is ``neurons[j].w[k]`` and ``bias[j]`` is ``neurons[j].b``.  The weights
are copied as they are (float64 both sides), so the two networks compute the same
numbers up to the order in which a sum is added (about 1e-16 relative).

``from_torch(kind, seq)`` goes the other way: each torch layer of the Sequential (with
the activation that follows it) is converted by the converter registered for its exact
type (``register_from_torch``; ``Linear`` -> ``nn.Layer``), then ``kind.from_torch_parts``
assembles the converted parts (an MLP, a Layer, a Neuron, a Sequential).  Only an exact
``torch.nn.Sequential`` is read: a subclass may have a forward of its own.  Weights of a
lower precision (float32, float16, bfloat16) are taken exactly: every such number is
also a float64, so the model holds the very weights the torch module holds (its outputs
are then the float64 computation, which can differ from the float32 module's by float32
rounding).  Whatever an ``nn`` model cannot hold is refused, naming the module and its
position.

PyTorch is optional: this module imports it only when one of its functions is called.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .module import Module

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import torch

INSTALL_HINT = "pip install torch"

# Activation name in nn <-> torch.nn class name; 'linear' is no module at all.
_TORCH_ACTIVATIONS = {"tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "ReLU"}

#: converter(torch layer, activation name, where, who) -> nn Module
Converter = Callable[[Any, str, str, str], Module]

#: torch.nn class name (the exact type ``torch.nn.<name>``, never a subclass) -> its converter
FROM_TORCH: dict[str, Converter] = {}


def register_from_torch(torch_name: str, converter: Converter) -> None:
    """Convert ``torch.nn.<torch_name>`` (that exact type) with ``converter``.

    ``converter(torch_layer, activation, where, who)`` returns the nn module holding
    exactly the layer's weights followed by ``activation`` ("linear" for none); it
    refuses what it cannot hold with an error that starts with ``who`` and names
    ``where`` (the position in the Sequential).  A module class registers its own.
    """
    FROM_TORCH[torch_name] = converter


@dataclass(frozen=True)
class TorchPart:
    """One converted layer of a torch Sequential: the nn module, its torch layer, and where it was."""

    module: Module
    torch_module: Any
    what: str
    where: str


def _import_torch(what: str) -> Any:
    try:
        import torch
    except ImportError as error:
        raise ImportError(f"{what} needs PyTorch, which is not installed: {INSTALL_HINT}") from error
    return torch


def dense_torch_modules(neurons: list[Any]) -> list[Any]:
    """A float64 Linear holding these neurons' weights and biases (one row per neuron), then
    their activation's torch module (none for 'linear'): what a Neuron or Layer is in torch."""
    torch = _import_torch("to_torch")
    # skip_init: no random initialisation, so torch's global random state is left alone.
    linear = torch.nn.utils.skip_init(torch.nn.Linear, neurons[0].nin, len(neurons), dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in neurons], dtype=torch.float64))
        linear.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=torch.float64))
    name = neurons[0].activation.name
    if name == "linear":
        return [linear]
    return [linear, getattr(torch.nn, _TORCH_ACTIVATIONS[name])()]


def to_torch(module: Module) -> torch.nn.Sequential:
    """``module`` (nn.MLP, nn.Layer, nn.Neuron or any Module with ``torch_modules``) as a
    float64 ``torch.nn.Sequential`` with exactly its weights: ``Linear`` then the
    activation, layer by layer for a dense network."""
    if not isinstance(module, Module):
        raise TypeError(
            "to_torch: module must be an nn.MLP, nn.Layer or nn.Neuron (an nn Module), "
            f"got {type(module).__name__}"
        )
    torch = _import_torch("to_torch")
    return torch.nn.Sequential(*module.torch_modules())


def parameter_values(torch_module: Any, grad: bool = False) -> list[float]:
    """The ``Linear`` weights of a Sequential (their ``.grad`` with ``grad=True``) as
    floats in the order of nn's ``parameters()``: neuron by neuron, its weights then its
    bias, layer by layer."""
    torch = _import_torch("parameter_values")
    values = []
    for part in _parts(torch_module, "parameter_values"):
        if type(part.torch_module) is not torch.nn.Linear:
            raise TypeError(f"parameter_values: reads Linear layers only, got {part.what} at {part.where}")
        weight, bias = part.torch_module.weight, part.torch_module.bias
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


def _parts(torch_module: Any, who: str) -> list[TorchPart]:
    """Each layer of a Sequential (or one bare layer) converted with the activation that
    follows it, after checking that nn can represent every module in it."""
    torch = _import_torch(who)
    converters = {getattr(torch.nn, name): converter for name, converter in FROM_TORCH.items()}
    if type(torch_module) in converters:
        items = [("0", torch_module)]
    elif type(torch_module) is torch.nn.Sequential:  # exact: a subclass may have its own forward
        items = list(torch_module.named_children())
    else:
        kind = type(torch_module)
        subclass = " (a subclass of Sequential, which may compute something else)" if isinstance(
            torch_module, torch.nn.Sequential) else ""
        raise TypeError(
            f"{who}: expected a torch.nn.Sequential of Linear and activation modules "
            f"(or one Linear), got {kind.__name__}{subclass}"
        )
    if not items:
        raise ValueError(f"{who}: the Sequential is empty; it needs at least one Linear")
    activations = {getattr(torch.nn, cls): name for name, cls in _TORCH_ACTIVATIONS.items()}
    activations[torch.nn.Identity] = "linear"
    layers: list[list[Any]] = []  # [index, name, torch layer, activation]
    for index, (name, part) in enumerate(items):
        where = _where(index, name)
        kind = type(part)  # exact types: a subclass may compute something else
        what = kind.__name__
        if kind in converters:
            layers.append([index, name, part, "linear"])
        elif kind in activations:
            if not layers:
                raise ValueError(f"{who}: {what} at {where} comes before any Linear; it must follow one")
            if layers[-1][0] != index - 1:
                raise ValueError(
                    f"{who}: {what} at {where} follows another activation; an nn layer "
                    "has one activation after its Linear"
                )
            layers[-1][3] = activations[kind]
        else:
            raise TypeError(
                f"{who}: cannot represent {what} at {where}; nn models are made of Linear "
                f"layers each followed by Tanh, Sigmoid, ReLU or nothing"
            )
    parts: list[TorchPart] = []
    for index, name, layer, activation in layers:
        where, what = _where(index, name), type(layer).__name__
        module = converters[type(layer)](layer, activation, where, who)
        if parts:
            _check_chain(parts[-1].module, module, what, where, who)
        parts.append(TorchPart(module, layer, what, where))
    return parts


def _check_chain(before: Module, module: Module, what: str, where: str, who: str) -> None:
    given, taken = before.input_shape(), module.input_shape()
    if given is None or taken is None:
        return
    given = before.output_shape(given)
    if given != taken:
        def size(shape: tuple[int, ...]) -> str:
            return str(shape[0]) if len(shape) == 1 else str(shape)

        raise ValueError(
            f"{who}: {what} at {where} takes {size(taken)} inputs but the layer before it gives "
            f"{size(given)} outputs"
        )


def check_tensor(torch: Any, tensor: Any, pname: str, at: str, who: str) -> None:
    """A weight tensor nn can hold exactly: real values on a real device, all finite."""
    if tensor.is_meta:
        raise ValueError(f"{who}: {at} has no {pname} values (it is on the meta device)")
    if tensor.dtype not in (torch.float64, torch.float32, torch.float16, torch.bfloat16):
        raise ValueError(
            f"{who}: {at} has {pname} of dtype {tensor.dtype}; nn holds real float64 "
            "numbers (float16, bfloat16, float32 and float64 convert exactly)"
        )
    if not bool(torch.isfinite(tensor).all()):
        raise ValueError(f"{who}: {at} has a non-finite {pname} (nan or inf)")


def linear_rows(linear: Any, where: str, who: str) -> tuple[list[list[float]], list[float]]:
    """A Linear's weight rows and biases as float64 lists, after checking nn can hold them."""
    torch = _import_torch(who)
    at = f"Linear at {where}"
    if linear.bias is None:
        raise ValueError(f"{who}: {at} has no bias; every nn neuron has one (use bias=True)")
    nin, nout = linear.in_features, linear.out_features
    if nin < 1 or nout < 1:
        raise ValueError(
            f"{who}: {at} has in_features={nin}, out_features={nout}; an nn layer has at least one input "
            "and one neuron"
        )
    for pname, tensor, shape in (("weight", linear.weight, (nout, nin)), ("bias", linear.bias, (nout,))):
        if tuple(tensor.shape) != shape:
            raise ValueError(
                f"{who}: {at} has a {pname} of shape {tuple(tensor.shape)}, but in_features={nin} and "
                f"out_features={nout} make it {shape}"
            )
        check_tensor(torch, tensor, pname, at, who)
    rows = linear.weight.detach().cpu().double().tolist()
    biases = linear.bias.detach().cpu().double().tolist()
    return rows, biases


def from_torch(kind: type, torch_module: torch.nn.Module) -> Module:
    """An ``nn`` model of ``kind`` (nn.MLP, nn.Layer, nn.Neuron, or another Module class
    with ``from_torch_parts``) holding exactly the weights of ``torch_module``: a
    Sequential of Linear + activation (or one Linear).

    An MLP has one hidden activation and one output activation: hidden Linears followed
    by different activations are refused.  A one-layer Sequential says nothing about a
    hidden activation, so the MLP gets the default ('tanh'); it computes nothing with it.
    """
    convertible = isinstance(kind, type) and issubclass(kind, Module)
    if not (convertible and callable(getattr(kind, "from_torch_parts", None))):
        raise TypeError(
            f"from_torch: kind must be nn.MLP, nn.Layer or nn.Neuron (or another nn Module class with "
            f"from_torch_parts), got {kind!r}"
        )
    who = f"from_torch({kind.__name__})"
    return kind.from_torch_parts(_parts(torch_module, who), who)


__all__ = [
    "FROM_TORCH",
    "INSTALL_HINT",
    "TorchPart",
    "from_torch",
    "parameter_values",
    "register_from_torch",
    "to_torch",
]
