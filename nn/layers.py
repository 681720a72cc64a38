"""Neuron, Layer and MLP: z = Σ w·a + b, a = σ(z), stacked.

Each neuron keeps the ``z`` and ``a`` of its last call.  After ``cost.backward()``,
``neuron.z.grad`` is δ = ∂C/∂z for that neuron, the quantity the documents derive by
hand (see ``nn/deltas.py``).

Initialisation (reproducible with ``seed=`` or ``rng=``): by default (``init="lecun"``)
each weight is drawn from a Gaussian with mean 0 and standard deviation 1/√nin, biases
start at 0.  With that scale z = Σ w·a + b has a spread of about 1 whatever the number
of inputs, so sigmoid and tanh neurons start away from saturation (Nielsen, chapter 3,
"weight initialization").  ``init="normal"``, ``"glorot"`` and ``"he"`` are the other
rules (``nn/init.py``, their one home).
"""

from __future__ import annotations

import functools
import numbers
import random
from collections.abc import Iterable, Mapping, Sequence, Set
from typing import TYPE_CHECKING, Any

from autograd import Value, dot

from . import init as _init
from .activations import ACTIVATIONS, Activation, get_activation  # noqa: F401 (their old home)
from .checks import check_flag
from .module import Module, Sequential, build_from_fields

if TYPE_CHECKING:  # pragma: no cover
    from .torch_bridge import TorchPart


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


def _shape_error(who: str, expected: tuple[int, ...], got: tuple[int, ...]) -> ValueError:
    return ValueError(f"{who} takes samples of shape {expected}, got shape {tuple(got)}")


class Neuron(Module):
    """One neuron: z = w·x + b (one ``dot`` node), a = σ(z).

    ``elementary=True`` builds z from separate ``*`` and ``+`` nodes instead of one
    ``dot`` node: the same numbers, but a picture then shows every multiply.
    ``init`` names the rule the weights are drawn with (``nn.init``); ``fan_out`` is
    the number of neurons of its layer (only the "glorot" rule reads it).
    """

    forward_state = ("z", "a")

    def __init__(
        self,
        nin: int,
        activation: str = "tanh",
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
        name: str = "N",
        elementary: bool = False,
        init: str = _init.DEFAULT,
        fan_out: int = 1,
    ) -> None:
        self.nin = nin = _check_size("nin", nin)
        self.activation = get_activation(activation)
        self.name = name = _check_name(name)
        self.elementary = check_flag("elementary", elementary)
        self.init = _init.check_init(init)
        fan_out = _check_size("fan_out", fan_out)
        rng = _make_rng(seed, rng)
        weights = _init.draw(init, rng, nin, nin, fan_out)
        self.w = [Value(v, label=f"w{i + 1}") for i, v in enumerate(weights)]
        self.b = self.bias(Value(0.0, label="b"))
        for p in self.w:
            p.group = name
        self.b.group = name
        self.z: Value | None = None
        self.a: Value | None = None

    def rename(self, name: str) -> None:
        self.name = _check_name(name)
        for p in self.parameters():
            p.group = self.name

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
        # forward_state, not parameters: written straight into the instance's dict, which skips
        # Module.__setattr__ (registration) on the hot path of every forward pass
        state = self.__dict__
        state["z"], state["a"] = z, a
        return a

    def input_shape(self) -> tuple[int, ...]:
        return (self.nin,)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        if tuple(input_shape) != (self.nin,):
            raise _shape_error(f"neuron {self.name}", (self.nin,), input_shape)
        return ()

    def same_graph_every_sample(self) -> bool:
        return self._computes_as(Neuron)  # relu's branch is decided inside the graph, not in Python

    def architecture(self) -> dict[str, Any]:
        return _with_init({"type": "Neuron", "nin": self.nin, "activation": self.activation.name}, self.init)

    def torch_modules(self) -> list[Any]:
        from .torch_bridge import dense_torch_modules

        return dense_torch_modules([self])

    @classmethod
    def from_torch_parts(cls, parts: list[TorchPart], who: str) -> Neuron:
        """A Neuron from ONE converted Linear of one output (see ``nn.torch_bridge``)."""
        layer = _single_layer(cls, parts, who)
        if layer.nout != 1:
            raise ValueError(
                f"{who}: a Neuron has one output, but the Linear at {parts[0].where} has {layer.nout}; "
                "use nn.Layer"
            )
        neuron = cls(layer.nin, layer.activation.name, seed=0)
        _copy_weights(neuron, layer.neurons[0])
        return neuron

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
        init: str = _init.DEFAULT,
    ) -> None:
        self.nin = nin = _check_size("nin", nin)
        self.nout = nout = _check_size("nout", nout)
        get_activation(activation)
        check_flag("elementary", elementary)
        self.init = _init.check_init(init)
        rng = _make_rng(seed, rng)
        self.name = name = _check_name(name)
        self.neurons = [
            Neuron(
                nin, activation, rng=rng, name=f"{name}.N{j}", elementary=elementary, init=init, fan_out=nout
            )
            for j in range(nout)
        ]

    @property
    def activation(self) -> Activation:
        return self.neurons[0].activation

    def rename(self, name: str) -> None:
        self.name = _check_name(name)
        for j, neuron in enumerate(self.neurons):
            neuron.rename(f"{self.name}.N{j}")

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        # Inputs become Values once here, and every neuron reads the same Values.
        xs = _as_inputs(x, self.nin, f"layer {self.name}")
        return [neuron.forward(xs) for neuron in self.neurons]

    def input_shape(self) -> tuple[int, ...]:
        return (self.nin,)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        if tuple(input_shape) != (self.nin,):
            raise _shape_error(f"layer {self.name}", (self.nin,), input_shape)
        return (self.nout,)

    def same_graph_every_sample(self) -> bool:
        return self._computes_as(Layer) and all(neuron.same_graph_every_sample() for neuron in self.neurons)

    def architecture(self) -> dict[str, Any]:
        architecture = {"type": "Layer", "nin": self.nin, "nout": self.nout}
        architecture["activation"] = self.activation.name
        return _with_init(architecture, self.init)

    def torch_modules(self) -> list[Any]:
        from .torch_bridge import dense_torch_modules

        return dense_torch_modules(self.neurons)

    @classmethod
    def from_torch_parts(cls, parts: list[TorchPart], who: str) -> Layer:
        """A Layer from ONE converted Linear (see ``nn.torch_bridge``)."""
        converted = _single_layer(cls, parts, who)
        if type(converted) is cls:
            return converted
        layer = cls(converted.nin, converted.nout, converted.activation.name, seed=0)
        _copy_weights(layer, converted)
        return layer

    @classmethod
    def from_linear(cls, linear: Any, activation: str, where: str, who: str) -> Layer:
        """The converter of ``torch.nn.Linear`` (registered with ``nn.torch_bridge.register_from_torch``)."""
        from .torch_bridge import linear_rows

        rows, biases = linear_rows(linear, where, who)
        layer = cls(len(rows[0]), len(rows), activation, seed=0)
        for neuron, row, b in zip(layer.neurons, rows, biases):
            for w, value in zip(neuron.w, row):
                w.data = value
            neuron.b.data = b
        return layer

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation.name!r})"


class MLP(Sequential):
    """A multi-layer perceptron: ``MLP(2, [16, 16, 1])`` is 2 inputs → 16 → 16 → 1 output.

    A ``Sequential`` of Layers (parameter names ``layers.0.neurons.3.w.1``).  Hidden
    layers use ``activation``, the last layer ``output_activation``.  Calling it
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
        init: str = _init.DEFAULT,
    ) -> None:
        self.nin = nin = _check_size("nin", nin)
        self.nouts = _check_sizes("nouts", nouts)
        self.activation = get_activation(activation)
        self.output_activation = get_activation(output_activation, "output_activation")
        check_flag("elementary", elementary)
        self.init = _init.check_init(init)
        rng = _make_rng(seed, rng)
        sizes = [nin, *self.nouts]
        super().__init__(
            *(
                Layer(
                    sizes[i],
                    sizes[i + 1],
                    output_activation if i == len(self.nouts) - 1 else activation,
                    rng=rng,
                    name=f"L{i + 1}",
                    elementary=elementary,
                    init=init,
                )
                for i in range(len(self.nouts))
            )
        )

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        shape = super().output_shape(input_shape)
        return () if shape == (1,) else shape

    def same_graph_every_sample(self) -> bool:
        return self._computes_as(MLP) and all(layer.same_graph_every_sample() for layer in self.layers)

    def architecture(self) -> dict[str, Any]:
        architecture = {
            "type": "MLP",
            "nin": self.nin,
            "nouts": list(self.nouts),
            "activation": self.activation.name,
            "output_activation": self.output_activation.name,
        }
        return _with_init(architecture, self.init)

    @classmethod
    def from_architecture(cls, architecture: dict[str, Any]) -> MLP:
        return build_from_fields(cls, architecture)

    @classmethod
    def from_torch_parts(cls, parts: list[TorchPart], who: str) -> MLP:
        """An MLP from converted Linears, one hidden activation throughout (see ``nn.torch_bridge``).

        A one-layer Sequential says nothing about a hidden activation, so the MLP gets
        the default ('tanh'); it computes nothing with it.
        """
        for part in parts:
            if type(part.module) is not Layer:
                raise TypeError(
                    f"{who}: cannot represent {part.what} at {part.where} in an nn.MLP (Linear layers only)"
                )
        layers = [part.module for part in parts]
        hidden = layers[0].activation.name if len(layers) > 1 else "tanh"
        for part in parts[1:-1]:
            if part.module.activation.name != hidden:
                raise ValueError(
                    f"{who}: the Linear at {part.where} is followed by {part.module.activation.name!r} but "
                    f"the first by {hidden!r}; an nn.MLP uses one activation for every hidden layer"
                )
        model = cls(
            layers[0].nin,
            [layer.nout for layer in layers],
            activation=hidden,
            output_activation=layers[-1].activation.name,
            seed=0,
        )
        for mine, converted in zip(model.layers, layers):
            _copy_weights(mine, converted)
        return model

    def __repr__(self) -> str:
        return (
            f"MLP({self.nin}, {self.nouts}, activation={self.activation.name!r}, "
            f"output_activation={self.output_activation.name!r})"
        )


def _with_init(architecture: dict[str, Any], init: str) -> dict[str, Any]:
    """The architecture with ``"init"`` unless it is the default (files from before ``init=`` have none)."""
    if init != _init.DEFAULT:
        architecture["init"] = init
    return architecture


def _single_layer(kind: type, parts: list[TorchPart], who: str) -> Layer:
    """The one converted Linear a Neuron or Layer is made of; a clear error otherwise."""
    if len(parts) > 1:
        raise ValueError(
            f"{who}: a {kind.__name__} is one Linear (and its activation), but there is another "
            f"{parts[1].what} at {parts[1].where}; use nn.MLP"
        )
    if type(parts[0].module) is not Layer:
        raise TypeError(
            f"{who}: cannot represent {parts[0].what} at {parts[0].where} as an nn.{kind.__name__}"
        )
    return parts[0].module


def _copy_weights(target: Module, source: Module) -> None:
    for p, q in zip(target.parameters(), source.parameters(), strict=True):
        p.data = q.data


def _register_torch_conversions() -> None:
    from .torch_bridge import register_from_torch

    register_from_torch("Linear", Layer.from_linear)


_register_torch_conversions()
