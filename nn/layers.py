"""Neuron, Layer and MLP: z = Σ w·a + b, a = σ(z), stacked.

Each neuron keeps the ``z`` and ``a`` of its last call.  After ``cost.backward()``,
``neuron.z.grad`` is δ = ∂C/∂z for that neuron, the quantity the documents derive by
hand (see ``nn/deltas.py``).

Initialisation (reproducible with ``seed=`` or ``rng=``): each weight is drawn from a
Gaussian with mean 0 and standard deviation 1/√nin, biases start at 0.  With that
scale z = Σ w·a + b has a spread of about 1 whatever the number of inputs, so sigmoid
and tanh neurons start away from saturation (Nielsen, chapter 3, "weight
initialization").
"""

from __future__ import annotations

import functools
import math
import numbers
import random
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from autograd import Value, dot, operators

from .module import Module


@dataclass(frozen=True, eq=False)
class Activation:
    """An activation by name: σ on Values, and σ and σ′ in plain floats (σ′ from a = σ(z)).

    ``prime_from_a`` uses the same formula as the engine's local derivative
    (sigmoid: a(1 − a), tanh: 1 − a²), so the two agree to the last bit.  An Activation
    equals its name and prints as it (``neuron.activation == "tanh"``), so Neuron, Layer
    and MLP all answer ``.activation`` the same way.
    """

    name: str
    apply: Callable[[Value], Value]
    value: Callable[[float], float]
    prime_from_a: Callable[[float], float]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Activation):
            return self.name == other.name
        if isinstance(other, str):
            return self.name == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.name)  # as the name's: ACTIVATIONS[activation] and {"tanh": ...}[activation] work

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def _identity(z):
    return z


def _one(a: float) -> float:
    return 1.0  # 'linear' is no op in the engine, so its float forms live here


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", Value.sigmoid, operators.sigmoid, operators.sigmoid_prime_from_a),
    "tanh": Activation("tanh", Value.tanh, operators.tanh, operators.tanh_prime_from_a),
    "relu": Activation("relu", Value.relu, operators.relu, operators.relu_prime_from_a),
    "linear": Activation("linear", _identity, _identity, _one),
}


def get_activation(name: str | Activation, what: str = "activation") -> Activation:
    """The Activation called ``name``; ValueError naming ``what`` and the choices otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"{what} must be one of {sorted(ACTIVATIONS)}, got {name!r}") from None


def _make_rng(seed: int | None, rng: random.Random | None) -> random.Random:
    if rng is not None and seed is not None:
        raise ValueError("give either seed or rng, not both")
    if rng is not None:
        if not isinstance(rng, random.Random):
            raise TypeError(
                f"rng must be a random.Random (e.g. random.Random(5)), got {type(rng).__name__}; "
                "for a number, use seed="
            )
        return rng
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        raise TypeError(f"seed must be an int or None, got {type(seed).__name__} {seed!r}")
    return random.Random(None if seed is None else int(seed))


def _check_size(what: str, n: object) -> int:
    """``n`` as an int if it is a positive whole number (numpy's integers too)."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    return int(n)


def _check_sizes(what: str, sizes: object) -> list[int]:
    """A non-empty list of layer sizes from a list, tuple, range or 1-D numpy array of ints."""
    accepts = f"{what} must be a non-empty list of layer sizes (positive ints), such as [16, 1]"
    if isinstance(sizes, (str, bytes, Mapping, Set)) or not isinstance(sizes, Iterable):
        raise ValueError(f"{accepts}, got {sizes!r}")
    try:
        items = list(sizes)
    except TypeError:  # e.g. a 0-d numpy array
        raise ValueError(f"{accepts}, got {sizes!r}") from None
    if not items:
        raise ValueError(f"{accepts}, got {sizes!r}")
    return [_check_size(f"{what}[{i}]", n) for i, n in enumerate(items)]


def _check_flag(what: str, flag: object) -> bool:
    if not isinstance(flag, bool):
        raise TypeError(f"{what} must be True or False, got {flag!r}")
    return flag


def _check_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__} {name!r}")
    return name


def check_inputs(x: object, expected: int, who: str) -> Sequence:
    """``x`` if it is one sample of ``expected`` inputs (a list, tuple or 1-D array), else a clear error.

    A dict, set, string or a single number is refused rather than read in some order.
    """
    if type(x) is not list and type(x) is not tuple:  # the usual case needs no closer look
        indexable = hasattr(x, "__len__") and hasattr(x, "__getitem__")
        if isinstance(x, (str, bytes, Mapping, Set)) or not indexable:
            raise TypeError(
                f"{who}: x must be a list, tuple or 1-D array of {expected} numbers or Values, "
                f"got {type(x).__name__}"
            )
        if getattr(x, "ndim", 1) != 1:
            raise ValueError(
                f"{who}: x must be ONE sample (1-D) of {expected} numbers, got an array of shape "
                f"{getattr(x, 'shape', '?')}"
            )
    if len(x) != expected:
        raise ValueError(f"{who} expects {expected} inputs, got {len(x)}")
    return x


def _as_inputs(x: Sequence[Value | float], expected: int, who: str) -> list[Value]:
    """The inputs as Values, after checking them: a number becomes a leaf labelled x1, x2, …"""
    check_inputs(x, expected, who)
    values = []
    for i, xi in enumerate(x):
        if type(xi) is Value or isinstance(xi, Value):
            values.append(xi)
            continue
        try:
            values.append(Value(xi, _input_label(i)))
        except (TypeError, ValueError, OverflowError) as error:
            raise type(error)(f"{who}: x[{i}] must be a number or a Value: {error}") from None
    return values


@functools.lru_cache(maxsize=4096)
def _input_label(i: int) -> str:
    return f"x{i + 1}"


class _TorchMethods:
    """``to_torch()`` / ``from_torch(sequential)`` for Neuron, Layer and MLP (see nn/torch_bridge.py).

    torch is imported only when one of them is called, so ``import nn`` never imports it.
    """

    def to_torch(self) -> Any:
        """This model as a float64 ``torch.nn.Sequential`` (Linear, then Tanh/Sigmoid/ReLU or
        nothing for 'linear', layer by layer) holding exactly its weights.  Needs PyTorch."""
        from .torch_bridge import to_torch

        return to_torch(self)

    @classmethod
    def from_torch(cls, sequential: Any) -> Any:
        """A model of this class holding exactly the weights of ``sequential`` (a torch
        Sequential of Linear + activation, or one Linear); what it cannot hold is refused."""
        from .torch_bridge import from_torch

        return from_torch(cls, sequential)


class Neuron(_TorchMethods, Module):
    """One neuron: z = w·x + b (one ``dot`` node), a = σ(z).

    ``elementary=True`` builds z from separate ``*`` and ``+`` nodes instead of one
    ``dot`` node: the same numbers, but a picture then shows every multiply.
    """

    def __init__(
        self,
        nin: int,
        activation: str = "tanh",
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
        name: str = "N",
        elementary: bool = False,
    ) -> None:
        self.nin = nin = _check_size("nin", nin)
        self.activation = get_activation(activation)
        self.name = name = _check_name(name)
        self.elementary = _check_flag("elementary", elementary)
        rng = _make_rng(seed, rng)
        scale = 1.0 / math.sqrt(nin)
        self.w = [Value(rng.gauss(0.0, scale), label=f"w{i + 1}") for i in range(nin)]
        self.b = Value(0.0, label="b")
        for p in self.w:
            p.group = name
        self.b.group = name
        self.z: Value | None = None
        self.a: Value | None = None

    def __call__(self, x: Sequence[Value | float]) -> Value:
        return self.forward(_as_inputs(x, self.nin, f"neuron {self.name}"))

    def forward(self, x: list[Value]) -> Value:
        """z and a for inputs that are already a list of Values of the right length."""
        if len(x) != self.nin:
            raise ValueError(f"neuron {self.name} expects {self.nin} inputs, got {len(x)}")
        if self.elementary:
            z = self.w[0] * x[0]
            for wi, xi in zip(self.w[1:], x[1:]):
                z = z + wi * xi
            z = z + self.b
        else:
            z = dot(self.w, x, self.b, check=False)  # no re-checks: w, b and x are Values already
        a = self.activation.apply(z)
        z.group = a.group = self.name
        a.label, z.label = "a", "z"  # for 'linear', a is z itself and keeps the name z
        self.z, self.a = z, a
        return a

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [*((f"w.{i}", wi) for i, wi in enumerate(self.w)), ("b", self.b)]

    def weights(self) -> list[Value]:
        return list(self.w)

    def architecture(self) -> dict[str, Any]:
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation.name}

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation.name!r}, name={self.name!r})"


class Layer(_TorchMethods, Module):
    """``nout`` neurons that all read the same ``nin`` inputs; returns a list of a's."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "tanh",
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
        name: str = "L",
        elementary: bool = False,
    ) -> None:
        self.nin = nin = _check_size("nin", nin)
        self.nout = nout = _check_size("nout", nout)
        get_activation(activation)
        _check_flag("elementary", elementary)
        rng = _make_rng(seed, rng)
        self.name = name = _check_name(name)
        self.neurons = [
            Neuron(nin, activation, rng=rng, name=f"{name}.N{j}", elementary=elementary) for j in range(nout)
        ]

    @property
    def activation(self) -> Activation:
        return self.neurons[0].activation

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        # Inputs become Values once here, and every neuron reads the same Values.
        xs = _as_inputs(x, self.nin, f"layer {self.name}")
        return [neuron.forward(xs) for neuron in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in (*neuron.w, neuron.b)]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [
            (f"neurons.{j}.{name}", p)
            for j, neuron in enumerate(self.neurons)
            for name, p in neuron.named_parameters()
        ]

    def weights(self) -> list[Value]:
        return [w for neuron in self.neurons for w in neuron.w]

    def architecture(self) -> dict[str, Any]:
        return {"type": "Layer", "nin": self.nin, "nout": self.nout, "activation": self.activation.name}

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation.name!r})"


class MLP(_TorchMethods, Module):
    """A multi-layer perceptron: ``MLP(2, [16, 16, 1])`` is 2 inputs → 16 → 16 → 1 output.

    Hidden layers use ``activation``, the last layer ``output_activation``.  Calling it
    returns a single Value when the last layer has one neuron, else a list.  Layer i
    (0-based) is named ``L{i+1}`` and its neuron j ``L{i+1}.N{j}``: the group tags that
    pictures cluster by.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "linear",
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
        elementary: bool = False,
    ) -> None:
        self.nin = nin = _check_size("nin", nin)
        self.nouts = _check_sizes("nouts", nouts)
        self.activation = get_activation(activation)
        self.output_activation = get_activation(output_activation, "output_activation")
        _check_flag("elementary", elementary)
        rng = _make_rng(seed, rng)
        sizes = [nin, *self.nouts]
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                output_activation if i == len(self.nouts) - 1 else activation,
                rng=rng,
                name=f"L{i + 1}",
                elementary=elementary,
            )
            for i in range(len(self.nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [
            (f"layers.{i}.{name}", p)
            for i, layer in enumerate(self.layers)
            for name, p in layer.named_parameters()
        ]

    def weights(self) -> list[Value]:
        return [w for layer in self.layers for w in layer.weights()]

    def architecture(self) -> dict[str, Any]:
        return {
            "type": "MLP",
            "nin": self.nin,
            "nouts": list(self.nouts),
            "activation": self.activation.name,
            "output_activation": self.output_activation.name,
        }

    def __repr__(self) -> str:
        return (
            f"MLP({self.nin}, {self.nouts}, activation={self.activation.name!r}, "
            f"output_activation={self.output_activation.name!r})"
        )
