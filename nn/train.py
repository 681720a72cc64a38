"""The training loop: batch, stochastic or mini-batch gradient descent.

One step: run the network on a batch, average the per-sample costs C = (1/n) Σₓ Cₓ
(plus the L2 penalty), compute ∂C/∂θ, then θ ← θ − η ∂C/∂θ.

- ``batch_size=None``: batch gradient descent, every sample in every step;
- ``batch_size=1``: stochastic gradient descent, one sample per step after a shuffle;
- ``batch_size=k``: mini-batch gradient descent.  One pass over the data is an epoch.

``backward=`` chooses how ∂C/∂θ is computed; all three give the same gradients:

- ``"plain"``: ``C.backward()``, the pass you can step through in a debugger;
- ``"fast"``: ``autograd.fast.backward(C)``, the same bits, quicker;
- ``"codegen"``: ``autograd.codegen`` turns one sample's cost graph into straight-line
  Python once, then runs it on every sample (see ``_Programs``).

The default (``backward=None``) is codegen where it applies, else the fast pass;
``History.backward`` says which one ran and why.
"""

from __future__ import annotations

import math
import numbers
import operator
import random
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import autograd
from autograd import Value, no_grad
from autograd.fast import backward as fast_backward

from .losses import COSTS, Cost, cross_entropy, get_cost, hinge, l2_penalty, log_sum_exp, mse, quadratic_cost
from .module import Module
from .optim import GradientDescent, check_number

Judge = Callable[[object, object], bool]
BACKWARDS = ("codegen", "fast", "plain")


@dataclass
class History:
    """What happened during ``fit``.

    ``costs`` has one entry per step: the batch cost before that step's update;
    ``epoch_costs`` the mean of those per epoch.  With ``stop_below``, ``full_costs``
    has, per step, the cost over the whole training set after that step's update (the
    number the stop rule tests).  ``accuracy`` is, per epoch, the fraction of training
    samples judged right by the forward passes of that epoch; ``val_accuracy`` and
    ``val_costs`` the same on the ``validation`` set after each epoch.  Where accuracy
    is not measured, ``notes`` says why; it also says why codegen did not run.
    ``backward`` is the pass that computed the gradients; with codegen, ``programs`` is
    how many were generated (one per graph shape) in ``seconds_generating``.
    ``epoch_seconds`` is each epoch's wall time: its steps, program generation and the
    validation pass.
    """

    costs: list[float] = field(default_factory=list)
    epoch_costs: list[float] = field(default_factory=list)
    full_costs: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    val_costs: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    backward: str = ""
    programs: int = 0
    seconds_generating: float = 0.0
    stopped_because: str = ""
    steps: int = 0
    epochs: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        parts = [f"{self.steps} steps in {self.epochs} epochs, {self.seconds:.2f} s"]
        if self.costs:
            parts.append(f"cost {self.costs[0]:.4g} → {self.costs[-1]:.4g}")
        if self.accuracy:
            parts.append(f"train accuracy {self.accuracy[-1]:.1%}")
        if self.val_accuracy:
            parts.append(f"validation accuracy {self.val_accuracy[-1]:.1%}")
        text = "; ".join(parts) + f" ({self.stopped_because})"
        return "\n".join([text, *(f"note: {note}" for note in self.notes)])


# ------------------------------------------------------------------ judges: right or wrong
def _argmax(values: Sequence[float]) -> int:
    return max(range(len(values)), key=values.__getitem__)


def _data(output: Value | Sequence[Value]) -> float | list[float]:
    return output.data if isinstance(output, Value) else [o.data for o in output]


def _sign_judge(output, y) -> bool:
    return (_data(output) > 0.0) == (y > 0)


def _logit_judge(output, y) -> bool:
    return (_data(output) > 0.0) == (y > 0.5)


def _half_judge(output, y) -> bool:
    return (_data(output) > 0.5) == (y > 0.5)


def _class_judge(output, y) -> bool:
    return _argmax(_data(output)) == y


def _one_hot_judge(output, y) -> bool:
    return _argmax(_data(output)) == _argmax(y)


def _cost_name(cost: object) -> str | None:
    """The name in ``COSTS`` of a cost given by name or as one of nn's cost functions."""
    if isinstance(cost, str):
        return cost if cost in COSTS else None
    return next((name for name, function in COSTS.items() if function is cost), None)


def judge_for(cost: str | Cost, example_target: object) -> Judge | None:
    """How to tell a right prediction for this cost, or None where accuracy does not apply.

    ``cost`` is a name from ``COSTS`` or one of nn's cost functions.  hinge: the sign of
    the score; binary cross-entropy: a > 0.5 (z > 0 from logits); cross_entropy: the
    largest logit is the class; quadratic/mse with one-hot targets: the largest output
    is the hot one.
    """
    name = _cost_name(cost)
    is_vector = isinstance(example_target, Sequence)
    if name == "hinge":
        return _sign_judge
    if name == "binary_cross_entropy_with_logits":
        return None if is_vector else _logit_judge
    if name == "binary_cross_entropy":
        return None if is_vector else _half_judge
    if name == "cross_entropy":
        return _class_judge
    if name in ("quadratic", "mse") and is_vector and len(example_target) > 1:
        return _one_hot_judge
    return None


def _resolve_judge(judge: object, example_target: object, argument: str) -> tuple[Judge | None, str]:
    """(the judge, "") or (None, why there is none) for a cost name, nn cost function or judge."""
    if isinstance(judge, str) or _cost_name(judge) is not None:
        if isinstance(judge, str) and judge not in COSTS:
            raise ValueError(f"{argument}: unknown cost {judge!r}; choose one of {sorted(COSTS)} or a judge")
        found = judge_for(judge, example_target)
        if found is None:
            name = _cost_name(judge)
            return None, f"no rule judges predictions for cost {name!r} with targets like {example_target!r}"
        return found, ""
    if callable(judge):
        return _checked_judge(judge, argument), ""
    raise TypeError(
        f"{argument} must be a cost name such as 'hinge', one of nn's cost functions, or a function "
        f"(output, target) → bool; got {type(judge).__name__}"
    )


def _checked_judge(judge: Callable, argument: str) -> Judge:
    """``judge`` with its answer checked: a cost function's Value is not a verdict."""

    def checked(output, target) -> bool:
        verdict = judge(output, target)
        if isinstance(verdict, bool) or type(verdict).__name__ in ("bool_", "bool"):  # numpy's bool too
            return bool(verdict)
        hint = " (a cost is not a judge: give the cost's name instead)" if isinstance(verdict, Value) else ""
        raise TypeError(
            f"{argument} must return True or False (is the output right for the target?), "
            f"it returned {type(verdict).__name__} {verdict!r}{hint}"
        )

    return checked


def predict(model: Module, x: Sequence[float]) -> float | list[float]:
    """The model's output for one input as plain floats, without building a graph."""
    with no_grad():
        return _data(model(x))


def accuracy(
    model: Module, X: Sequence, Y: Sequence, judge: str | Judge | None = None, *, cost: object = None
) -> float:
    """Fraction of samples predicted right.

    ``judge`` says what "right" is: a cost name (``"hinge"``: see ``judge_for``), one of
    nn's cost functions (``nn.hinge``, the same rule), or a function (output, target) →
    bool.  A function that answers anything but True/False (a cost's Value, say) is a
    TypeError.  ``cost=`` is the older name of this argument.
    """
    if cost is not None:
        if judge is not None:
            raise TypeError("accuracy: give judge only (cost= is its older name)")
        warnings.warn("accuracy(cost=...) is now accuracy(judge=...)", DeprecationWarning, stacklevel=2)
        judge = cost
    if judge is None:
        raise TypeError("accuracy needs judge: a cost name such as 'hinge' or a function (output, y) → bool")
    _check_samples(X, Y, "X", "Y")
    rule, why = _resolve_judge(judge, Y[0], "judge")
    if rule is None:
        raise ValueError(f"accuracy does not apply: {why}")
    with no_grad():
        right = sum(1 for x, y in zip(X, Y) if rule(model(x), y))
    return right / len(X)


# ------------------------------------------------------------------ checks before training
def _check_samples(X: object, Y: object, x_name: str, y_name: str) -> None:
    for name, data in ((x_name, X), (y_name, Y)):
        if not isinstance(data, Sequence) or isinstance(data, str):
            raise TypeError(f"{name} must be a sequence (list) of samples, got {type(data).__name__}")
    if len(X) != len(Y):
        raise ValueError(f"{x_name} has {len(X)} samples but {y_name} has {len(Y)}")
    if len(X) == 0:
        raise ValueError(f"no samples in {x_name}")


def _all_finite(x: Sequence) -> bool:
    try:
        return all(map(math.isfinite, x))  # quick for lists of numbers (Values convert by __float__)
    except TypeError:
        return False


def _is_finite_number(v: object) -> bool:
    if isinstance(v, Value):
        v = v.data
    return isinstance(v, numbers.Real) and math.isfinite(v)


def _check_inputs(X: Sequence, name: str) -> None:
    """Every sample a list of finite numbers, all of the length of the first one."""
    width = None
    for i, x in enumerate(X):
        if isinstance(x, (str, bytes)) or not isinstance(x, Sequence):
            raise TypeError(f"{name}[{i}] must be a list of numbers (one per input), got {type(x).__name__}")
        if width is None:
            width = len(x)
        elif len(x) != width:
            raise ValueError(f"{name}[{i}] has {len(x)} features but {name}[0] has {width}")
        if not _all_finite(x):
            j = next(j for j, v in enumerate(x) if not _is_finite_number(v))
            raise ValueError(
                f"{name}[{i}][{j}] (sample {i}, feature {j}) is {x[j]!r}: inputs must be finite numbers"
            )


def _check_targets(Y: Sequence, name: str) -> None:
    """Numeric targets (numbers or lists of numbers) must be finite; others the cost checks."""
    for i, y in enumerate(Y):
        items = y if isinstance(y, Sequence) and not isinstance(y, str) else [y]
        for j, v in enumerate(items):
            if isinstance(v, (numbers.Real, Value)) and not _is_finite_number(v):
                where = f"{name}[{i}]" if items is not y else f"{name}[{i}][{j}]"
                raise ValueError(f"{where} is {v!r}: targets must be finite")


def _check_costs_apply(
    model: Module, X: Sequence, Y: Sequence, cost_fn: Cost, x_name: str, y_name: str
) -> None:
    """Run the model on the first sample and the cost on every target, without a graph.

    The cost's own checks (hinge labels ±1, class indices in range, ...) then raise
    before anything is trained; the error names the sample.  A target equal to one
    already checked, and of the same type (a class label, say), is not run again.
    """
    checked: set[tuple[type, object]] = set()
    with no_grad():
        try:
            output = model(X[0])
        except (TypeError, ValueError) as error:
            raise type(error)(f"{x_name}[0]: {error}") from None
        for i, y in enumerate(Y):
            key = (type(y), y) if isinstance(y, (numbers.Number, str)) else None
            if key in checked:
                continue
            try:
                cost_fn(output, y)
            except (TypeError, ValueError, IndexError) as error:
                raise ValueError(f"{y_name}[{i}]: {error}") from None
            if key is not None:
                checked.add(key)


def _check_data_set(model: Module, X: Sequence, Y: Sequence, cost_fn: Cost, where: str) -> None:
    """Inputs finite and of one width, numeric targets finite, the cost accepting every target."""
    _check_inputs(X, f"{where}X")
    _check_targets(Y, f"{where}Y")
    _check_costs_apply(model, X, Y, cost_fn, f"{where}X", f"{where}Y")


def _fit_judge(
    judge: object, cost_fn: Cost, model: Module, X: Sequence, Y: Sequence
) -> tuple[Judge | None, str]:
    """fit's judge (given, or the cost's own) tried on the first sample, or None and a note why not."""
    if judge is None and _cost_name(cost_fn) is None:
        return None, "no accuracy measured: the cost is a function of your own; pass judge=(output, y) → bool"
    given = judge is not None
    rule, why = _resolve_judge(judge if given else cost_fn, Y[0], "judge" if given else "cost")
    if rule is None:
        return None, f"no accuracy measured: {why}"
    with no_grad():
        rule(model(X[0]), Y[0])  # a judge that answers with something other than True/False fails here
    return rule, ""


def _check_count(name: str, value: object, also: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be {also}a positive int, got {value!r}")
    return value


def _check_parameters_finite(model: Module) -> None:
    for name, p in model.named_parameters():
        if not math.isfinite(p.data):
            raise ValueError(f"parameter {name} is {p.data!r} before training: parameters must be finite")


def _check_flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")


# ------------------------------------------------------------------ codegen for training
_TARGET_AS_LEAF = (quadratic_cost, mse)  # their graph is the same for every target value
_TARGET_ONE_HOT = (cross_entropy,)  # the class index becomes one-hot leaves: one graph for every label
_TARGET_IN_KEY = (hinge,)  # its graph depends on the label only: one program per label
# A cross_entropy sample whose largest logit is this far below the program's shift would
# make its largest e^(z − shift) subnormal (below e^−708), losing digits without an error.
_SHIFT_LIMIT = 700.0


def _codegen_function():
    """autograd's codegen, or None if this engine has none."""
    try:
        from autograd.codegen import Program, codegen
    except ImportError:
        return None
    return codegen if hasattr(Program, "batch") else None  # fit runs whole batches per call


def _why_not_codegen(model: Module, cost_fn: Cost) -> str:
    """"" if one traced program is right for every sample, else why it might not be.

    A program replays the graph that one sample built; it is right for another sample
    only if building that sample's graph takes the same Python branches.  nn's Neuron,
    Layer and MLP take none (relu's branch is decided inside the program); quadratic and
    mse take none; cross_entropy picks the label's logit, which the program does as a dot
    product with one-hot leaves; hinge branches only on the label, which is part of the
    program's cache key.  binary_cross_entropy branches on the output's value (clipping,
    the sign of z), and a custom cost or Module could branch on anything.
    """
    if _codegen_function() is None:
        return "this autograd has no codegen"
    if not model.same_graph_every_sample():
        return f"the model is a {type(model).__name__}, whose graph may depend on the data"
    if cost_fn not in _TARGET_AS_LEAF + _TARGET_ONE_HOT + _TARGET_IN_KEY:
        name = _cost_name(cost_fn) or getattr(cost_fn, "__name__", "custom")
        return f"cost {name!r} may build a different graph for different data"
    return ""


def _one_hot_cross_entropy(logits: list[Value], one_hot: list[Value], shift: float) -> Value:
    """``nn.cross_entropy``'s graph with the label's logit picked by a dot product with ``one_hot``.

    ln Σₖ e^(zₖ − shift) + shift − t·z: for a one-hot t, t·z is z_y exactly (0·z is 0), so
    with ``shift`` = max z this is ``cross_entropy(z, y)`` to the last bit, gradient too.
    """
    return log_sum_exp(logits, shift) - autograd.dot(one_hot, logits)


class _Programs:
    """Generated programs, one per graph shape, that run a batch of samples in one call.

    The shape is the number of inputs and, for quadratic and mse, the target's length, for
    hinge the label: samples of one shape build the same graph (``_why_not_codegen``), so
    one sample's graph is traced and generated once and its ``batch`` program runs every
    sample of that shape.  Its arguments are the parameters, then per sample the inputs
    and the target: the target's numbers, or for cross_entropy the class as one-hot
    numbers (``_one_hot_cross_entropy``), so ONE program serves every label.  It returns
    the summed cost and gradients and, to judge them, each sample's outputs.

    cross_entropy's shift is the traced sample's largest logit, a constant of the
    program: the same softmax for every sample (the last bits may differ from the
    sample's own shift).  A batch is redone by the fast pass if a program fails for
    numeric reasons (e^(z − shift) overflows), its cost comes out non-finite, or a
    sample's largest logit is more than ``_SHIFT_LIMIT`` below the shift.
    """

    def __init__(self, model: Module, cost_fn: Cost) -> None:
        self.model, self.cost_fn = model, cost_fn
        self.params = model.parameters()
        # how the target reaches the program: "leaf" its numbers, "one-hot" its class, "" in the key
        self.target = ("one-hot" if cost_fn in _TARGET_ONE_HOT else "leaf" if cost_fn in _TARGET_AS_LEAF
                       else "")
        self.one_hots: list[tuple[float, ...]] = []  # cross_entropy: per class, its one-hot row
        self.codegen = _codegen_function()
        self.cache: dict[tuple, tuple[Callable, bool, float | None]] = {}
        self.seconds_generating = 0.0

    def _target_floats(self, y) -> tuple[float, ...]:
        if self.target == "one-hot":
            return self.one_hots[y]
        if self.target == "leaf":
            return tuple(map(float, y)) if isinstance(y, Sequence) else (float(y),)
        return ()

    def _key(self, x, y) -> tuple:
        if self.target == "one-hot":
            return (len(x),)
        if self.target == "leaf":
            return len(x), len(y) if isinstance(y, Sequence) else None
        return len(x), y

    def _generate(self, x, y) -> tuple[Callable, bool, float | None]:
        """Trace one sample's graph with its inputs and target as leaves; generate its program.

        Returns the batch program, whether the model has one output, and cross_entropy's shift.
        """
        inputs = [Value(float(v)) for v in x]
        output = self.model(inputs)
        outputs = [output] if isinstance(output, Value) else list(output)
        shift = None
        if self.target == "one-hot":
            classes = len(outputs)
            self.one_hots = [tuple(float(k == j) for k in range(classes)) for j in range(classes)]
            targets = [Value(v) for v in self.one_hots[y]]
            shift = max(z.data for z in outputs)
            cost = _one_hot_cross_entropy(outputs, targets, shift)
        else:
            targets = [Value(v) for v in self._target_floats(y)]
            target = y if not self.target else targets if isinstance(y, Sequence) else targets[0]
            cost = self.cost_fn(output, target)
        program = self.codegen(cost, [*self.params, *inputs, *targets])
        return program.batch(len(self.params), keep=outputs), isinstance(output, Value), shift

    def run(self, X: Sequence, Y: Sequence, batch: list[int]) -> tuple[float, list[float], dict] | None:
        """Σ cost, Σ ∂cost/∂θ per parameter and each sample's outputs (as Values), over ``batch``.

        None if a program failed for numeric reasons: the caller redoes the batch dynamically.
        """
        groups: dict[tuple, list[int]] = {}
        for i in batch:
            groups.setdefault(self._key(X[i], Y[i]), []).append(i)
        parameters = [p.data for p in self.params]
        total, grads, outputs = 0.0, None, {}
        for key, members in groups.items():
            if key not in self.cache:
                started = time.perf_counter()
                self.cache[key] = self._generate(X[members[0]], Y[members[0]])
                self.seconds_generating += time.perf_counter() - started
            program, single, shift = self.cache[key]
            rows = [(*_floats(X[i]), *self._target_floats(Y[i])) for i in members]
            try:
                result = program(parameters, rows)
            except (ArithmeticError, ValueError):  # e.g. exp overflow with cross_entropy's traced shift
                return None
            if shift is not None and any(max(kept) < shift - _SHIFT_LIMIT for kept in result.kept):
                return None  # a sample's softmax would have lost digits to subnormal floats
            total += result.total
            grads = list(result.grads) if grads is None else list(map(operator.add, grads, result.grads))
            for i, kept in zip(members, result.kept):
                values = [Value(v) for v in kept]
                outputs[i] = values[0] if single else values
        return total, grads, outputs


def _floats(x: Sequence) -> Sequence[float]:
    return [v.data if isinstance(v, Value) else v for v in x] if any(isinstance(v, Value) for v in x) else x


# ------------------------------------------------------------------ the loop
@dataclass
class _Trainer:
    """The state of one ``fit`` call: a batch step, an epoch, the loop over epochs."""

    model: Module
    X: Sequence
    Y: Sequence
    cost_fn: Cost
    optimizer: GradientDescent
    judge: Judge | None
    backward: str
    programs: _Programs | None
    l2: float
    stop_below: float | None
    validation: tuple[Sequence, Sequence] | None
    batch_size: int
    shuffle: bool
    rng: random.Random
    history: History
    bar: object

    def __post_init__(self) -> None:
        self.order = list(range(len(self.X)))

    # --- one step
    def _dynamic_batch(self, batch: list[int]) -> tuple[float, int]:
        """The batch's cost as a graph, backward through it: (cost, outputs judged right)."""
        right = 0
        costs = []
        for i in batch:
            try:
                output = self.model(self.X[i])
                costs.append(self.cost_fn(output, self.Y[i]))
            except OverflowError as error:
                raise self._blow_up(f"too large for a float ({error})") from error
            if self.judge is not None and self.judge(output, self.Y[i]):
                right += 1
        total = costs[0] if len(costs) == 1 else autograd.sum(costs) * (1.0 / len(costs))
        if self.l2:
            total = total + l2_penalty(self.model, self.l2)
        self._check_finite(total.data)
        self.optimizer.zero_grad()
        if self.backward == "plain":
            total.backward()
        else:
            fast_backward(total)
        return total.data, right

    def _codegen_batch(self, batch: list[int]) -> tuple[float, int] | None:
        """``_dynamic_batch`` by generated programs; None if the cost is not finite."""
        result = self.programs.run(self.X, self.Y, batch)
        if result is None or not math.isfinite(result[0]):
            return None
        total, grads, outputs = result
        scale = 1.0 / len(batch)
        self.optimizer.zero_grad()
        for p, g in zip(self.programs.params, grads):
            p.grad = g if len(batch) == 1 else g * scale
        total = total if len(batch) == 1 else total * scale
        if self.l2:
            penalty = l2_penalty(self.model, self.l2)
            total += penalty.data
            fast_backward(penalty)  # adds ∂penalty/∂w to the weights' grads
        self._check_finite(total)
        right = 0
        if self.judge is not None:
            right = sum(1 for i in batch if self.judge(outputs[i], self.Y[i]))
        return total, right

    def _check_finite(self, cost: float) -> None:
        if not math.isfinite(cost):
            raise self._blow_up(repr(cost))

    def _blow_up(self, what: str) -> FloatingPointError:
        """Inputs, targets and initial weights were checked finite: say why the cost is not."""
        if self.history.steps == 0:
            return FloatingPointError(
                f"the cost of the first batch is {what} with the initial weights: the inputs or "
                "targets are too large for the cost (scale them down)"
            )
        return FloatingPointError(
            f"the cost became {what} at step {self.history.steps + 1}: the weights diverged "
            "(try a smaller learning rate)"
        )

    def step(self, batch: list[int]) -> tuple[float, int]:
        """One update θ ← θ − η∂C/∂θ on ``batch``: (the batch cost before it, outputs judged right)."""
        result = self._codegen_batch(batch) if self.programs is not None else None
        if result is None:
            result = self._dynamic_batch(batch)
        self.optimizer.step()
        return result

    # --- one epoch
    def epoch(self) -> bool:
        """One pass over the data in batches; True as soon as stop_below is reached."""
        n, history = len(self.X), self.history
        started = time.perf_counter()
        if self.shuffle and self.batch_size < n:
            self.rng.shuffle(self.order)
        costs: list[float] = []
        right = 0
        stopped = False
        for start in range(0, n, self.batch_size):
            cost, batch_right = self.step(self.order[start : start + self.batch_size])
            right += batch_right
            costs.append(cost)
            history.steps += 1
            history.costs.append(cost)
            self.bar.set_postfix_str(f"cost {cost:.4g}", refresh=False)
            self.bar.update(1)
            stopped = self.stop_below is not None and self._reached_stop()
            if stopped:
                break
        history.epochs += 1
        history.epoch_costs.append(sum(costs) / len(costs))
        if self.judge is not None and not stopped:
            history.accuracy.append(right / n)
        self._validate()
        history.epoch_seconds.append(time.perf_counter() - started)
        return stopped

    def _reached_stop(self) -> bool:
        """Whether the cost over the whole training set, after this step's update, is below stop_below."""
        full = _mean_cost(self.model, self.X, self.Y, self.cost_fn)
        if self.l2:
            with no_grad():
                full += l2_penalty(self.model, self.l2).data
        self.history.full_costs.append(full)
        if full >= self.stop_below:
            return False
        self.history.stopped_because = (
            f"cost over all {len(self.X)} training samples {full:.4g} < stop_below={self.stop_below} "
            f"after step {self.history.steps}'s update"
        )
        return True

    def _validate(self) -> None:
        if self.validation is None:
            return
        X, Y = self.validation
        self.history.val_costs.append(_mean_cost(self.model, X, Y, self.cost_fn))
        if self.judge is not None:
            self.history.val_accuracy.append(accuracy(self.model, X, Y, self.judge))
            self.bar.set_postfix_str(
                f"cost {self.history.costs[-1]:.4g}, val acc {self.history.val_accuracy[-1]:.1%}"
            )

    def run(self, epochs: int) -> None:
        """Epoch after epoch until ``epochs`` have run or stop_below is reached."""
        for _ in range(epochs):
            if self.epoch():
                return
        self.history.stopped_because = f"ran all {epochs} epochs ({self.history.steps} steps)"


def _mean_cost(model: Module, X: Sequence, Y: Sequence, cost_fn: Cost) -> float:
    with no_grad():
        return math.fsum(cost_fn(model(x), y).data for x, y in zip(X, Y)) / len(X)


def _choose_backward(
    backward: str | None, fast: bool | None, model: Module, cost_fn: Cost
) -> tuple[str, str]:
    """(the pass to use, a note saying why it is not the default) from ``backward`` and ``fast``."""
    if fast is not None:
        _check_flag("fast", fast)
        wanted = "fast" if fast else "plain"
        if backward is not None and backward != wanted:
            raise ValueError(f"fast={fast} means backward={wanted!r}, not {backward!r}: give one of them")
        backward = wanted
    if backward is not None and backward not in BACKWARDS:
        raise ValueError(f"backward must be one of {BACKWARDS} or None, not {backward!r}")
    why_not = _why_not_codegen(model, cost_fn) if backward in (None, "codegen") else ""
    if backward == "codegen" and why_not:
        raise ValueError(f"backward='codegen' does not apply here: {why_not}; use backward='fast'")
    if backward is None:
        return ("fast", f"backward pass 'fast', not codegen: {why_not}") if why_not else ("codegen", "")
    return backward, ""


def fit(
    model: Module,
    X: Sequence,
    Y: Sequence,
    cost: str | Cost = "quadratic",
    lr: float = 0.1,
    epochs: int = 1,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: int | None = 0,
    stop_below: float | None = None,
    l2: float = 0.0,
    validation: tuple[Sequence, Sequence] | None = None,
    progress: bool = True,
    judge: Judge | None = None,
    backward: str | None = None,
    fast: bool | None = None,
    is_correct: Judge | None = None,
) -> History:
    """Train ``model`` on samples ``X`` with targets ``Y`` by gradient descent; return a History.

    ``cost`` is a name from ``nn.losses.COSTS`` or a function (output, target) → Value.
    ``l2`` adds (l2/2)·Σ w² to every step's cost (Nielsen's λ/n; biases excluded).
    ``stop_below`` ends training after the first update that brings the cost over the
    WHOLE training set, averaged (plus the L2 term), below it: the documents' "loss <
    0.001".  It costs one forward pass over X after every step.  With ``shuffle`` and
    batches smaller than X, every epoch first shuffles the previous epoch's sample order
    (at first 0 … n−1) in place with one ``random.Random(seed)``, so ``seed`` fixes the
    order; ``progress=False`` turns off the tqdm bar.

    ``judge(output, target) → bool`` says whether a prediction is right; for nn's costs
    fit knows it (``judge_for``).  With neither, no accuracy is reported and
    ``History.notes`` says why.  ``is_correct`` is its older name.

    ``backward``: ``"codegen"``, ``"fast"`` or ``"plain"`` (module docstring); None means
    codegen where it applies, else fast.  It applies to nn's Neuron, Layer and MLP with
    the quadratic, mse, hinge and cross_entropy costs, whose graph has the same shape for
    every sample (hinge: of one label; cross_entropy: of any label, one program); other
    costs (binary cross-entropy branches on the output's value) and models of your own
    use the fast pass, and ``History.notes`` says so.
    ``fast=False`` is the older way to ask for ``"plain"``, ``fast=True`` for ``"fast"``.
    Codegen sums the per-sample gradients itself, in another order than one backward
    through the batch, so the trained weights agree with the plain pass's to 1e-12
    relative (tested), not always to the last bit; with ``batch_size=1`` and no L2 they
    are the same bits (but for cross_entropy: see ``_Programs``).

    Every argument, input and target is checked before the first update: a bad one
    raises an error that names it, and the model is left as it was.
    """
    if is_correct is not None:
        if judge is not None:
            raise TypeError("fit: give judge only (is_correct= is its older name)")
        warnings.warn("fit(is_correct=...) is now fit(judge=...)", DeprecationWarning, stacklevel=2)
        judge = is_correct
    # --- every check before the first update
    if not autograd.is_grad_enabled():
        raise RuntimeError("fit was called inside no_grad(): no graph would be recorded to train on")
    if not isinstance(model, Module):
        raise TypeError(f"model must be an nn Module (Neuron, Layer, MLP, ...), got {type(model).__name__}")
    _check_samples(X, Y, "X", "Y")
    epochs = _check_count("epochs", epochs)
    if batch_size is not None:
        batch_size = _check_count("batch_size", batch_size, also="None (full batch) or ")
    l2 = check_number("l2", l2, minimum=0.0)
    if stop_below is not None:
        stop_below = check_number("stop_below", stop_below, what="a finite number or None")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"seed must be an int or None, got {seed!r}")
    _check_flag("shuffle", shuffle)
    _check_flag("progress", progress)
    cost_fn = get_cost(cost)
    optimizer = GradientDescent(model, lr)
    _check_parameters_finite(model)
    _check_data_set(model, X, Y, cost_fn, "")
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError(f"validation must be a pair (X, Y), not {type(validation).__name__}")
        _check_samples(*validation, "validation X", "validation Y")
        _check_data_set(model, *validation, cost_fn, "validation ")
    rule, accuracy_note = _fit_judge(judge, cost_fn, model, X, Y)
    backward, backward_note = _choose_backward(backward, fast, model, cost_fn)
    history = History(backward=backward, notes=[note for note in (accuracy_note, backward_note) if note])
    programs = _Programs(model, cost_fn) if backward == "codegen" else None
    batch_size = batch_size or len(X)

    from tqdm.auto import tqdm  # imported here: `import nn` stays quick

    started = time.perf_counter()
    with tqdm(total=epochs * math.ceil(len(X) / batch_size), disable=not progress, desc="fit", unit="step",
              leave=False) as bar:
        trainer = _Trainer(
            model, X, Y, cost_fn, optimizer, rule, backward, programs, l2=l2, stop_below=stop_below,
            validation=validation, batch_size=batch_size, shuffle=shuffle, rng=random.Random(seed),
            history=history, bar=bar,
        )
        try:
            trainer.run(epochs)
        finally:
            history.seconds = time.perf_counter() - started
            if programs is not None:
                history.programs = len(programs.cache)
                history.seconds_generating = programs.seconds_generating
    return history
