"""Module: the tree every network part is made of (saving it: ``nn/model_files.py``).

The protocol a module kind follows (Neuron, Layer, MLP, Sequential here; others build on it)
---------------------------------------------------------------------------------------------
* **Parameters and children register themselves on assignment** (as in MiniTorch):
  assigning a ``Value``, a non-empty list of Values, a ``Module`` or a non-empty list of
  Modules to an attribute records it under that attribute's name, in the order of first
  assignment.  ``named_parameters()``, ``parameters()``, ``weights()``, ``biases()``,
  ``named_children()`` and ``zero_grad()`` are derived from that record; no subclass
  writes them.  Names are dotted paths: ``w.1`` (item 1 of the list ``w``),
  ``layers.0.neurons.3.b``.  Attributes whose names start with ``_`` are never
  registered, nor those a class lists in ``forward_state`` (the Values of the last
  forward pass, e.g. a neuron's ``z`` and ``a``: results, not parameters).
* **Biases are marked, not recognised by name**: ``self.b = self.bias(Value(0.0))``
  (or a list of Values) registers them as biases.  ``weights()`` is every parameter
  not so marked: what L2 regularisation and weight decay act on.
* **Shapes**: ``input_shape()`` is the shape of ONE sample the module takes, or None
  when it takes several (a convolution takes any height and width);
  ``output_shape(input_shape)`` is the shape of what a call returns for such a sample
  (``()`` for a single Value, ``(n,)`` for a list of n Values), and raises ValueError
  naming the module and both shapes when the input does not fit.  A sample is nested
  lists (or numpy arrays) of numbers or Values: a dense module takes ``(nin,)``.
* **same_graph_every_sample()**: True when the module builds a graph of the same shape
  for every sample of its input shape (no Python branch on the data); ``fit`` then
  compiles one program.  The default is False (a module of your own may branch on
  anything); a container is True when all its children are.
* **architecture() / from_architecture()**: ``architecture()`` is a JSON-able dict with
  ``"type"`` (the class name) and what must match for saved weights to fit; every
  subclass that defines ``architecture`` is registered under its class name in
  ``ARCHITECTURES``, and ``from_architecture(dict)`` rebuilds it (by default
  ``cls(**arch_without_type)``).  ``module_from_architecture`` and ``load_model`` use
  the registry.
* **PyTorch**: ``torch_modules()`` per class gives the torch modules that compute the
  same (``to_torch()`` wraps them in a float64 ``torch.nn.Sequential``).  The other way,
  the converter of ONE torch layer type (its exact type, never a subclass) to an nn
  module is registered by the module's own file:
  ``nn.torch_bridge.register_from_torch("Linear", Layer.from_linear)``; a converter is
  called as ``converter(torch_layer, activation, where, who)``, ``activation`` being the
  name of the Tanh/Sigmoid/ReLU module that follows the layer ("linear" if none).  A
  class that can be built from a torch Sequential defines the classmethod
  ``from_torch_parts(parts, who)`` (``parts``: the converted layers, a list of
  ``nn.torch_bridge.TorchPart``); ``Cls.from_torch(torch_module)`` then works.
* **Samples in fit**: every sample has the shape of ``X[0]``; the generated-code path
  passes the model nested lists of Values of that shape (the sample's numbers in
  row-major order are the program's leaves).
"""

from __future__ import annotations

import inspect
import os
import reprlib
from collections.abc import Iterator
from typing import Any, ClassVar

from autograd import Value

Shape = tuple[int, ...]

#: class name -> Module class, for every subclass that defines ``architecture``
ARCHITECTURES: dict[str, type[Module]] = {}


class _Bias:
    """What ``Module.bias`` returns: the Value(s) with the mark "bias" for ``__setattr__``."""

    __slots__ = ("value",)

    def __init__(self, value: Value | list[Value]) -> None:
        self.value = value


def _kind(value: object) -> str | None:
    """How an attribute's value registers: "value", "values", "module", "modules" or None."""
    if isinstance(value, Value):
        return "value"
    if isinstance(value, Module):
        return "module"
    if type(value) is list and value:
        if all(isinstance(v, Value) for v in value):
            return "values"
        if all(isinstance(v, Module) for v in value):
            return "modules"
    return None


class Module:
    """Base class of every network part: Neuron, Layer, Sequential, MLP and yours.

    See the module docstring for the protocol.  A subclass assigns its parameters and
    children as attributes in ``__init__`` and implements ``__call__`` (one sample in,
    a Value or a list of Values out), ``architecture()`` for saving, and where it can
    ``input_shape``/``output_shape``, ``same_graph_every_sample`` and ``torch_modules``.
    """

    #: attributes that hold Values of the last forward pass: never parameters
    forward_state: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "architecture" in cls.__dict__:
            ARCHITECTURES[cls.__name__] = cls

    def __setattr__(self, name: str, value: object) -> None:
        if name[0] == "_" or name in type(self).forward_state:
            object.__setattr__(self, name, value)
            return
        registry = self.__dict__.get("_registry")
        if registry is None:
            registry = {}
            object.__setattr__(self, "_registry", registry)
        is_bias = type(value) is _Bias
        if is_bias:
            value = value.value
        kind = _kind(value)
        if is_bias and kind not in ("value", "values"):
            raise TypeError(f"{type(self).__name__}.{name}: bias() marks a Value or a list of Values")
        if kind is None:
            registry.pop(name, None)
        else:
            registry[name] = (kind, is_bias)
        object.__setattr__(self, name, value)

    @staticmethod
    def bias(value: Value | list[Value]) -> Any:
        """Mark ``value`` (a Value or a list of Values) as bias: ``self.b = self.bias(Value(0.0))``."""
        return _Bias(value)

    # ------------------------------------------------------------ the tree
    def _walk(self, prefix: str = "") -> Iterator[tuple[str, Value, bool]]:
        """(dotted name, parameter, is it a bias) for every parameter, depth first, in registration order."""
        for name, (kind, is_bias) in self.__dict__.get("_registry", {}).items():
            value = getattr(self, name)
            if kind == "value":
                yield prefix + name, value, is_bias
            elif kind == "values":
                for i, v in enumerate(value):
                    yield f"{prefix}{name}.{i}", v, is_bias
            elif kind == "module":
                yield from value._walk(f"{prefix}{name}.")
            else:
                for i, child in enumerate(value):
                    yield from child._walk(f"{prefix}{name}.{i}.")

    def named_children(self) -> list[tuple[str, Module]]:
        """The direct sub-modules with their names (``layers.0``, ``neurons.3``, ...)."""
        children = []
        for name, (kind, _) in self.__dict__.get("_registry", {}).items():
            value = getattr(self, name)
            if kind == "module":
                children.append((name, value))
            elif kind == "modules":
                children.extend((f"{name}.{i}", child) for i, child in enumerate(value))
        return children

    def children(self) -> list[Module]:
        """The direct sub-modules, in order."""
        return [child for _, child in self.named_children()]

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with a dotted name such as ``layers.0.neurons.3.w.1``."""
        return [(name, p) for name, p, _ in self._walk()]

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of ``named_parameters``."""
        return [p for _, p, _ in self._walk()]

    def weights(self) -> list[Value]:
        """The parameters not marked as bias: what L2 regularisation and weight decay act on."""
        return [p for _, p, is_bias in self._walk() if not is_bias]

    def biases(self) -> list[Value]:
        """The parameters marked as bias (``Module.bias``)."""
        return [p for _, p, is_bias in self._walk() if is_bias]

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0 (leaves accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    # ------------------------------------------------------------ capabilities
    def input_shape(self) -> Shape | None:
        """The shape of one sample this module takes, or None if it takes more than one shape."""
        return None

    def output_shape(self, input_shape: Shape) -> Shape:
        """The shape of what a call returns for a sample of ``input_shape``; ValueError if it does not fit.

        A module that does not override it raises NotImplementedError: its shapes are then
        found out by calling it.
        """
        raise NotImplementedError(f"{type(self).__name__} does not say its output_shape")

    def same_graph_every_sample(self) -> bool:
        """True if the graph has the same shape for every sample of one input shape (default: False).

        A class that answers True does so for its own ``__call__``/``forward``: it answers
        with ``self._computes_as(ThatClass)``, so a subclass that replaces them (and may
        branch on the data) answers False until it says otherwise.
        """
        return False

    def _computes_as(self, cls: type) -> bool:
        """True if this object's class uses ``cls``'s ``__call__`` and ``forward`` (replaced neither)."""
        mine = type(self)
        same_forward = getattr(mine, "forward", None) is getattr(cls, "forward", None)
        return mine.__call__ is cls.__call__ and same_forward

    def architecture(self) -> dict[str, Any]:
        """What must match for saved weights to fit: ``"type"`` (the class name), sizes, activations."""
        raise NotImplementedError(
            f"{type(self).__name__} does not define architecture(), so it cannot be saved"
        )

    @classmethod
    def from_architecture(cls, architecture: dict[str, Any]) -> Module:
        """A new module of this class with ``architecture`` (fresh weights): ``cls(**fields)``."""
        return build_from_fields(cls, architecture)

    def rename(self, name: str) -> None:
        """Call this module ``name``: the group its Values carry in pictures and generated code
        (``name.N0``, ``name.k2``) and the name in its messages.  A module with a ``name``
        whose Values carry it overrides this to relabel them too."""
        if "name" not in self.__dict__:
            raise TypeError(f"{type(self).__name__} has no name")
        self.name = name

    def torch_modules(self) -> list[Any]:
        """The torch modules (float64) that compute what this module computes, with its weights."""
        raise TypeError(f"{type(self).__name__} has no PyTorch counterpart (it defines no torch_modules())")

    def to_torch(self) -> Any:
        """This model as a float64 ``torch.nn.Sequential`` holding exactly its weights.  Needs PyTorch."""
        from .torch_bridge import to_torch

        return to_torch(self)

    @classmethod
    def from_torch(cls, torch_module: Any) -> Module:
        """A module of this class holding exactly the weights of ``torch_module``; what it
        cannot hold is refused, naming the torch module and its position."""
        from .torch_bridge import from_torch

        return from_torch(cls, torch_module)

    # ------------------------------------------------------------ save / load
    def save(self, path: str | os.PathLike) -> None:
        """Write the architecture and every parameter to ``path`` as JSON (``nn.model_files``).

        Atomic: the text goes to a temporary file in the same folder, which then
        replaces ``path`` in one step, so a failed save leaves any previous file intact.
        """
        from .model_files import save

        save(self, path)

    def load(self, path: str | os.PathLike) -> Module:
        """Read parameters saved by ``save`` into this model and return it (``nn.model_files``).

        Everything is checked before anything is written: a file that is not a model
        (not JSON, nested absurdly deep, numbers no float can hold, ...) or belongs to a
        different architecture raises ValueError naming the file and what is wrong, and
        leaves this model's weights as they were.
        """
        from .model_files import load_into

        return load_into(self, path)


class Sequential(Module):
    """``Sequential(m1, m2, ...)``: calls each module on the previous one's output.

    The modules are the registered list ``layers`` (names ``layers.0...``, ``layers.1...``).
    A module still called by its class's default name (``Layer``'s "L", ``Conv2d``'s "C")
    is renamed after its position, ``layers.1``, so that two of a kind keep their Values
    apart in pictures (groups ``layers.0.N0`` and ``layers.1.N0``, not both ``L.N0``).
    A chain whose shapes do not fit is refused naming both modules and the shapes
    ("Flatten at position 2 gives (16,) but Layer at position 3 takes (36,)"): at
    construction wherever sizes are known (a dense layer knows its ``nin``; from there on
    every module says its output shape), else at the first call (``fit`` makes one on the
    first sample before any update).
    """

    def __init__(self, *modules: Module) -> None:
        if not modules:
            raise ValueError("Sequential needs at least one module")
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: module {i} must be an nn Module, got {type(module).__name__}")
        self.layers = list(modules)
        for i, module in enumerate(modules):
            if _has_default_name(module):
                module.rename(f"layers.{i}")
        shape: Shape | None = None
        for i, module in enumerate(modules):  # every stretch of the chain whose sizes are known
            if shape is None:
                shape = module.input_shape()
                if shape is None:
                    continue
            try:
                shape = self._output_shape_at(i, shape)
            except NotImplementedError:  # a module that does not say its shapes: checked when called
                shape = None

    def __call__(self, x: Any) -> Any:
        for i, layer in enumerate(self.layers):
            try:
                y = layer(x)
            except ValueError as error:
                raise self._misfit(i, x) or error from None
            x = y
        return x

    def input_shape(self) -> Shape | None:
        return self.layers[0].input_shape()

    def output_shape(self, input_shape: Shape) -> Shape:
        shape = tuple(input_shape)
        for i in range(len(self.layers)):
            shape = self._output_shape_at(i, shape)
        return shape

    def _output_shape_at(self, i: int, shape: Shape) -> Shape:
        """What module ``i`` gives for ``shape``; ValueError naming it and the module before it."""
        layer = self.layers[i]
        try:
            return layer.output_shape(shape)
        except ValueError as error:
            if i == 0:
                raise ValueError(f"{type(self).__name__}: a sample of shape {shape} does not fit "
                                 f"{type(layer).__name__} at position 0: {error}") from None
            taken = layer.input_shape()
            takes = f"takes {taken}" if taken is not None else f"does not take it ({error})"
            raise ValueError(f"{type(self.layers[i - 1]).__name__} at position {i - 1} gives {shape} "
                             f"but {type(layer).__name__} at position {i} {takes}") from None

    def _misfit(self, i: int, x: Any) -> ValueError | None:
        """After module ``i`` refused ``x`` (the output of module ``i - 1``): the chain's error
        naming both modules, if ``x``'s shape is what does not fit; else None."""
        if i == 0:
            return None
        from .checks import sample_shape

        shape = sample_shape(x)
        if shape is None:
            return None
        try:
            self._output_shape_at(i, shape)
        except ValueError as error:
            return error
        except NotImplementedError:
            return None
        return None

    def same_graph_every_sample(self) -> bool:
        return self._computes_as(Sequential) and all(layer.same_graph_every_sample() for layer in self.layers)

    def architecture(self) -> dict[str, Any]:
        return {"type": "Sequential", "modules": [layer.architecture() for layer in self.layers]}

    @classmethod
    def from_architecture(cls, architecture: dict[str, Any]) -> Module:
        modules = []
        for i, part in enumerate(architecture["modules"]):
            try:
                modules.append(module_from_architecture(part))
            except ArchitectureError as error:
                raise ArchitectureError(f"layers.{i}: {error}") from None
        return cls(*modules)

    def torch_modules(self) -> list[Any]:
        return [part for layer in self.layers for part in layer.torch_modules()]

    @classmethod
    def from_torch_parts(cls, parts: list[Any], who: str) -> Module:
        """A Sequential of the converted layers of a torch Sequential (see ``nn.torch_bridge``)."""
        return cls(*(part.module for part in parts))

    def __repr__(self) -> str:
        return f"Sequential({', '.join(map(repr, self.layers))})"


def _has_default_name(module: Module) -> bool:
    """True if ``module`` has a ``name`` equal to the default of its class's ``name`` argument."""
    if "name" not in module.__dict__:
        return False
    try:
        parameter = inspect.signature(type(module)).parameters.get("name")
    except (TypeError, ValueError):  # no signature to read
        return False
    return parameter is not None and isinstance(parameter.default, str) and module.name == parameter.default


class ArchitectureError(ValueError):
    """A saved architecture that builds no module; the message says where in the tree (``layers.1: ...``)."""


def module_from_architecture(architecture: object) -> Module:
    """A new module (fresh weights) built from a saved ``architecture`` via ``ARCHITECTURES``."""
    kind = architecture.get("type") if isinstance(architecture, dict) else None
    cls = ARCHITECTURES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ArchitectureError(
            f"architecture {_short(architecture)}: \"type\" must be one of {sorted(ARCHITECTURES)}"
        )
    try:
        return cls.from_architecture(architecture)
    except ArchitectureError:
        raise
    except (TypeError, ValueError, KeyError) as error:
        raise ArchitectureError(f"architecture of a {kind}: {_brief(error)}") from None


def build_from_fields(cls: type[Module], architecture: dict[str, Any]) -> Module:
    """``cls(**fields)``, the fields being ``architecture`` but its ``"type"``; a missing or an
    unknown field is a ValueError naming it and the fields ``cls`` takes."""
    fields = {key: value for key, value in architecture.items() if key != "type"}
    signature = inspect.signature(cls)
    try:
        signature.bind(**fields)
    except TypeError as error:
        raise ValueError(f"{error} (a {cls.__name__} takes {', '.join(signature.parameters)})") from None
    return cls(**fields)


def _brief(error: BaseException) -> str:
    text = str(error)
    return text if len(text) <= 200 else text[:200] + "..."


_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 80
_repr.maxlist = _repr.maxdict = 6
_repr.maxlevel = 3


def _short(value: object) -> str:
    """``repr(value)`` cut to a readable length: an error message never holds a whole file."""
    return _repr.repr(value)
