"""fit's generated code: one straight-line program per graph shape, run on whole batches.

A program replays the graph that one sample built; it is right for another sample only
if building that sample's graph takes the same Python branches.  The model says whether
it does (``Module.same_graph_every_sample``: nn's Neuron, Layer, Sequential and MLP take
no branch; relu's is decided inside the program) and so does the cost's record
(``Cost.traceable``; ``Cost.target`` says how the target reaches the program).
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Sequence

from autograd import Value
from autograd.codegen import codegen

from .checks import Shape, flatten
from .losses import Cost
from .module import Module

# A cross_entropy sample whose largest logit is this far below the program's shift would
# make its largest e^(z − shift) subnormal (below e^−708), losing digits without an error.
SHIFT_LIMIT = 700.0


def why_not_codegen(model: Module, cost: Cost) -> str:
    """"" if one traced program is right for every sample, else why it might not be."""
    if not model.same_graph_every_sample():
        return f"the model is a {type(model).__name__}, whose graph may depend on the data"
    if not cost.traceable:
        return f"cost {cost.name!r} may build a different graph for different data"
    return ""


def unflatten(leaves: list, shape: Shape) -> list:
    """``leaves`` (row-major) as nested lists of ``shape``; a 1-D shape is the list itself."""
    if len(shape) <= 1:
        return leaves
    step = len(leaves) // shape[0]
    return [unflatten(leaves[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def _leaf_numbers(x: object) -> list:
    """A checked sample's leaves as numbers (a Value: its data), row-major."""
    leaves = flatten(x)
    if not any(issubclass(kind, Value) for kind in set(map(type, leaves))):  # the usual sample: numbers only
        return leaves
    return [v.data if isinstance(v, Value) else v for v in leaves]


class Programs:
    """Generated programs, one per graph shape, that run a batch of samples in one call.

    Every sample has the input shape ``shape`` (checked by ``fit``); the graph shape
    then depends only on the target: for a "leaf" target (quadratic, mse, huber) its
    length, for an "in-key" target (hinge) its value; a "one-hot" target (cross_entropy)
    needs no key.  One sample's graph is traced and generated once and its ``batch``
    program runs every sample of that shape.  Its arguments are the parameters, then per
    sample the inputs (the sample's numbers flattened in row-major order) and the
    target: the target's numbers, or for cross_entropy the class as one-hot numbers
    (``Cost.one_hot_form``), so ONE program serves every label.  It returns the summed
    cost and gradients and, to judge them, each sample's outputs.

    cross_entropy's shift is the traced sample's largest logit, a constant of the
    program: the same softmax for every sample (the last bits may differ from the
    sample's own shift).  A batch is redone by the fast pass if a program fails for
    numeric reasons (e^(z − shift) overflows), its cost comes out non-finite, or a
    sample's largest logit is more than ``SHIFT_LIMIT`` below the shift.
    """

    backend = "python"  # codegen's backend (nn/numpy_training.py: "numpy")

    def __init__(self, model: Module, cost: Cost, X: Sequence, shape: Shape) -> None:
        self.model, self.cost, self.shape = model, cost, shape
        self.params = model.parameters()
        self.inputs = [_leaf_numbers(x) for x in X]  # each sample's leaves, once per fit
        self.one_hots: list[tuple[float, ...]] = []  # one-hot target: per class, its one-hot row
        self.cache: dict[tuple, tuple[Callable, bool, float | None]] = {}
        self.seconds_generating = 0.0

    def _target_floats(self, y) -> tuple[float, ...]:
        if self.cost.target == "one-hot":
            return self.one_hots[y]
        if self.cost.target == "leaf":
            return tuple(map(float, y)) if isinstance(y, Sequence) else (float(y),)
        return ()

    def _key(self, y) -> tuple:
        if self.cost.target == "one-hot":
            return ()
        if self.cost.target == "leaf":
            return (len(y) if isinstance(y, Sequence) else None,)
        return (y,)

    def program_for(self, i: int, y) -> tuple[Callable, bool, float | None]:
        """The program for sample ``i``'s graph shape (target ``y``), generated once and timed."""
        key = self._key(y)
        if key not in self.cache:
            started = time.perf_counter()
            self.cache[key] = self._generate(i, y)
            self.seconds_generating += time.perf_counter() - started
        return self.cache[key]

    def _generate(self, i: int, y) -> tuple[Callable, bool, float | None]:
        """Trace sample ``i``'s graph with its inputs and target as leaves; generate its program.

        Returns the batch program, whether the model has one output, and a one-hot cost's shift.
        """
        cost, leaves, outputs, single, shift = self._trace(i, y)
        program = codegen(cost, leaves, backend=self.backend)
        return program.batch(len(self.params), keep=outputs), single, shift

    def _trace(self, i: int, y) -> tuple[Value, list[Value], list[Value], bool, float | None]:
        """Sample ``i``'s cost graph: (cost, leaves, outputs, one output?, one-hot shift)."""
        inputs = [Value(float(v)) for v in self.inputs[i]]
        output = self.model(unflatten(inputs, self.shape))
        outputs = [output] if isinstance(output, Value) else list(output)
        shift = None
        if self.cost.target == "one-hot":
            classes = len(outputs)
            self.one_hots = [tuple(float(k == j) for k in range(classes)) for j in range(classes)]
            targets = [Value(v) for v in self.one_hots[y]]
            cost, shift = self.cost.one_hot_form(outputs, targets)
        else:
            targets = [Value(v) for v in self._target_floats(y)]
            target = y if self.cost.target == "in-key" else targets if isinstance(y, Sequence) else targets[0]
            cost = self.cost(output, target)
        return cost, [*self.params, *inputs, *targets], outputs, isinstance(output, Value), shift

    def run(self, Y: Sequence, batch: list[int]) -> tuple[float, list[float], dict] | None:
        """Σ cost, Σ ∂cost/∂θ per parameter and each sample's outputs (as Values), over ``batch``.

        None if a program failed for numeric reasons: the caller redoes the batch dynamically.
        """
        groups: dict[tuple, list[int]] = {}
        for i in batch:
            groups.setdefault(self._key(Y[i]), []).append(i)
        parameters = [p.data for p in self.params]
        total, grads, outputs = 0.0, None, {}
        for members in groups.values():
            program, single, shift = self.program_for(members[0], Y[members[0]])
            rows = [(*self.inputs[i], *self._target_floats(Y[i])) for i in members]
            try:
                result = program(parameters, rows)
            except (ArithmeticError, ValueError):  # e.g. exp overflow with cross_entropy's traced shift
                return None
            if shift is not None and any(max(kept) < shift - SHIFT_LIMIT for kept in result.kept):
                return None  # a sample's softmax would have lost digits to subnormal floats
            total += result.total
            grads = list(result.grads) if grads is None else list(map(operator.add, grads, result.grads))
            for i, kept in zip(members, result.kept):
                values = [Value(v) for v in kept]
                outputs[i] = values[0] if single else values
        return total, grads, outputs
