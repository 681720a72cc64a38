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

import math
import random
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from autograd import Value
from autograd.value import _dot

from .module import Module


class Activation(NamedTuple):
    """An activation by name: σ on Values, and σ′ in plain floats from a = σ(z).

    ``prime_from_a`` uses the same formula as the engine's local derivative
    (sigmoid: a(1 − a), tanh: 1 − a²), so the two agree to the last bit.
    """

    name: str
    apply: Callable[[Value], Value]
    value: Callable[[float], float]
    prime_from_a: Callable[[float], float]


def _sigmoid(z: float) -> float:
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _sigmoid_prime(a: float) -> float:
    return a * (1.0 - a)


def _tanh_prime(a: float) -> float:
    return 1.0 - a * a


def _relu(z: float) -> float:
    return z if z > 0.0 else 0.0


def _relu_prime(a: float) -> float:
    return 1.0 if a > 0.0 else 0.0


def _identity(z):
    return z


def _one(a: float) -> float:
    return 1.0


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", Value.sigmoid, _sigmoid, _sigmoid_prime),
    "tanh": Activation("tanh", Value.tanh, math.tanh, _tanh_prime),
    "relu": Activation("relu", Value.relu, _relu, _relu_prime),
    "linear": Activation("linear", _identity, _identity, _one),
}


def get_activation(name: str) -> Activation:
    """The Activation called ``name``; ValueError listing the choices otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}") from None


def _make_rng(seed: int | None, rng: random.Random | None) -> random.Random:
    if rng is not None and seed is not None:
        raise ValueError("give either seed or rng, not both")
    return rng if rng is not None else random.Random(seed)


def _check_size(what: str, n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    return n


def _as_inputs(x: Sequence[Value | float], expected: int, who: str) -> list[Value]:
    """The inputs as Values (numbers become constant leaves), after checking the count."""
    if len(x) != expected:
        raise ValueError(f"{who} expects {expected} inputs, got {len(x)}")
    return [xi if type(xi) is Value else (xi if isinstance(xi, Value) else Value(xi)) for xi in x]


class Neuron(Module):
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
        self.nin = _check_size("nin", nin)
        self.activation = get_activation(activation)
        self.name = name
        self.elementary = elementary
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
            # autograd.dot without its checks: self.w, self.b and x are Values already.
            z = _dot(self.w, x, self.b)
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


class Layer(Module):
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
        self.nin = _check_size("nin", nin)
        self.nout = _check_size("nout", nout)
        rng = _make_rng(seed, rng)
        self.name = name
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


class MLP(Module):
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
        self.nin = _check_size("nin", nin)
        if isinstance(nouts, (int, str)) or not nouts:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        self.nouts = [_check_size(f"nouts[{i}]", n) for i, n in enumerate(nouts)]
        get_activation(activation)
        get_activation(output_activation)
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
        self.activation = activation
        self.output_activation = output_activation

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
            "activation": self.activation,
            "output_activation": self.output_activation,
        }

    def __repr__(self) -> str:
        return (
            f"MLP({self.nin}, {self.nouts}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r})"
        )
