"""Activations by name: σ on Values, and σ and σ′ in plain floats.

'sigmoid', 'tanh', 'relu' and 'linear'.  Dense layers and convolutions take one by name
(``get_activation``); ``nn.bp_equations`` and ``nn.conv_equations`` use the float forms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from autograd import Value, operators


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
