"""The training loop: batch, stochastic or mini-batch gradient descent.

One step: run the network on a batch, average the per-sample costs C = (1/n) Σₓ Cₓ
(plus the L2 penalty), compute ∂C/∂θ, then θ ← θ − η ∂C/∂θ.

- ``batch_size=None``: batch gradient descent, every sample in every step;
- ``batch_size=1``: stochastic gradient descent, one sample per step after a shuffle;
- ``batch_size=k``: mini-batch gradient descent.  One pass over the data is an epoch.

``backward=`` chooses how ∂C/∂θ is computed; all four give the same gradients (numpy's
to 1e-12, the others to the last bit or as ``fit``'s docstring says):

- ``"plain"``: ``C.backward()``, the pass you can step through in a debugger;
- ``"fast"``: ``autograd.fast.backward(C)``, the same bits, quicker;
- ``"codegen"``: ``autograd.codegen`` turns one sample's cost graph into straight-line
  Python once, then runs it on every sample (``nn/programs.py``);
- ``"numpy"``: the same program written as matrix code by codegen's numpy backend, a
  mini-batch at a time (``nn/numpy_training.py``).

The default (``backward=None``) is numpy where it applies and pays (numpy installed, the
model groups: see ``fit``), else codegen where it applies, else the fast pass;
``History.backward`` says which one ran and ``History.notes`` why not numpy.

This file is the loop; each other part of training has its own file: ``nn/checks.py``
(every argument, sample and target, before the first update), ``nn/judges.py`` (right
or wrong: accuracy), ``nn/programs.py`` (the generated code), ``nn/losses.py`` (each
cost's record), ``nn/optim.py`` (the update).

Ctrl-C (KeyboardInterrupt) while training stops it between two whole steps: the update
assigns every parameter in one call that an interrupt cannot split, and ``fit`` returns
the History with ``interrupted`` set and ``stopped_because`` saying after which step;
the model holds exactly the weights of that step.
"""

from __future__ import annotations

import contextvars
import functools
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import autograd
from autograd import no_grad
from autograd.fast import backward as fast_backward

from .checks import (
    as_samples,
    check_count,
    check_data_set,
    check_flag,
    check_parameters_finite,
    check_samples,
    plain_samples,
)
from .judges import accuracy, judge_for, predict, resolve_judge
from .losses import Cost, CostFunction, Judge, get_cost, l2_penalty
from .module import Module
from .optim import GradientDescent, check_number
from .programs import Programs, why_not_codegen

BACKWARDS = ("codegen", "fast", "plain", "numpy")
Recorder = Callable[[int, Module], Any]


@dataclass
class History:
    """What happened during ``fit``.

    ``costs`` has one entry per step: the batch cost before that step's update;
    ``epoch_costs`` the mean of those per epoch.  With ``stop_below``, ``full_costs``
    has, per step, the cost over the whole training set after that step's update (the
    number the stop rule tests).  ``accuracy`` is, per epoch, the fraction of training
    samples judged right by the forward passes of that epoch; ``val_accuracy`` and
    ``val_costs`` the same on the ``validation`` set after each epoch.  Where accuracy
    is not measured, ``notes`` says why; it also says why numpy or codegen did not run.
    ``backward`` is the pass that computed the gradients; with codegen or numpy,
    ``programs`` is how many were generated (one per graph shape) in ``seconds_generating``
    (by default it includes the numpy program generated to weigh numpy, when codegen won).
    ``epoch_seconds`` is each epoch's wall time: its steps, the programs first needed in
    it and the validation pass (by default the first numpy program is generated before
    the first epoch, to weigh numpy: then it is in ``seconds_generating`` only).
    ``records[name]`` holds the (step, value) pairs of the recorder called ``name``
    (``fit(record=...)``).  ``interrupted`` is True when Ctrl-C stopped
    training; ``steps`` and ``costs`` then count the whole steps the model holds.
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
    records: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)
    interrupted: bool = False

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


@dataclass
class _Trainer:
    """The state of one ``fit`` call: a batch step, an epoch, the loop over epochs."""

    model: Module
    X: Sequence
    Y: Sequence
    cost: Cost
    optimizer: GradientDescent
    judge: Judge | None
    backward: str
    programs: Programs | None
    l2: float
    stop_below: float | None
    validation: tuple[Sequence, Sequence] | None
    batch_size: int
    shuffle: bool
    rng: random.Random
    history: History
    bar: object
    recorders: list[Recorder]

    def __post_init__(self) -> None:
        self.order = list(range(len(self.X)))
        self.pending: tuple[int, float] | None = None  # (index in costs, cost) of the step being made

    # --- one step
    def _dynamic_batch(self, batch: list[int]) -> tuple[float, int]:
        """The batch's cost as a graph, backward through it: (cost, outputs judged right)."""
        right = 0
        costs = []
        for i in batch:
            try:
                output = self.model(self.X[i])
                costs.append(self.cost(output, self.Y[i]))
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
        result = self.programs.run(self.Y, batch)
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

    def step(self, batch: list[int]) -> int:
        """One update θ ← θ − η∂C/∂θ on ``batch``, its cost recorded; returns the outputs judged right.

        The step counts once its update has landed; ``self.pending`` lets ``interrupted``
        tell, after Ctrl-C, whether it had (the update itself is never half done).
        """
        history = self.history
        self.optimizer.forget_pending()
        result = self._codegen_batch(batch) if self.programs is not None else None
        if result is None:
            result = self._dynamic_batch(batch)
        cost, right = result
        self.pending = (len(history.costs), cost)
        self.optimizer.step()
        history.costs.append(cost)
        history.steps = len(history.costs)
        self.pending = None
        for recorder in self.recorders:
            value = recorder(history.steps, self.model)
            if value is not None:
                history.records[recorder.name].append((history.steps, value))
        return right

    def interrupted(self) -> None:
        """After Ctrl-C: count the step whose update landed, and say where training stopped."""
        history = self.history
        if self.pending is not None:
            index, cost = self.pending
            if len(history.costs) == index and self.optimizer.landed():
                history.costs.append(cost)
        history.steps = len(history.costs)
        history.interrupted = True
        history.stopped_because = (
            f"interrupted (KeyboardInterrupt) after step {history.steps}: the model holds the weights "
            "of that step's update"
        )

    # --- one epoch
    def epoch(self) -> bool:
        """One pass over the data in batches; True as soon as stop_below is reached."""
        n, history = len(self.X), self.history
        started = time.perf_counter()
        if self.shuffle and self.batch_size < n:
            self.rng.shuffle(self.order)
        first = len(history.costs)
        right = 0
        stopped = False
        for start in range(0, n, self.batch_size):
            right += self.step(self.order[start : start + self.batch_size])
            self.bar.set_postfix_str(f"cost {history.costs[-1]:.4g}", refresh=False)
            self.bar.update(1)
            stopped = self.stop_below is not None and self._reached_stop()
            if stopped:
                break
        costs = history.costs[first:]
        history.epochs += 1
        history.epoch_costs.append(sum(costs) / len(costs))
        if self.judge is not None and not stopped:
            history.accuracy.append(right / n)
        self._validate()
        history.epoch_seconds.append(time.perf_counter() - started)
        return stopped

    def _reached_stop(self) -> bool:
        """Whether the cost over the whole training set, after this step's update, is below stop_below."""
        full = _mean_cost(self.model, self.X, self.Y, self.cost)
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
        self.history.val_costs.append(_mean_cost(self.model, X, Y, self.cost))
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


def _mean_cost(model: Module, X: Sequence, Y: Sequence, cost: Cost) -> float:
    with no_grad():
        return math.fsum(cost(model(x), y).data for x, y in zip(X, Y)) / len(X)


def _choose_backward(backward: str | None, model: Module, cost: Cost) -> tuple[str, str]:
    """(the pass to use, a note saying why it is not the default) from ``backward``."""
    if backward is not None and backward not in BACKWARDS:
        raise ValueError(f"backward must be one of {BACKWARDS} or None, not {backward!r}")
    why_not = why_not_codegen(model, cost) if backward in (None, "codegen", "numpy") else ""
    if backward in ("codegen", "numpy") and why_not:
        raise ValueError(f"backward={backward!r} does not apply here: {why_not}; use backward='fast'")
    if backward == "numpy":  # nn/numpy_training.py: codegen's numpy backend
        from .numpy_training import numpy_missing

        if numpy_missing():
            raise ImportError(f"backward='numpy' needs numpy: {numpy_missing()}")
    if backward is None:
        return ("fast", f"backward pass 'fast', not codegen: {why_not}") if why_not else ("numpy", "")
    return backward, ""


def _programs(
    backward: str, asked: str | None, model: Module, cost: Cost, X: Sequence, Y: Sequence, shape: tuple,
    per_step: int,
) -> tuple[str, Programs | None, str]:
    """(the pass, its generated programs, a note why not numpy) for ``backward`` from ``_choose_backward``.

    Unless asked for by name, numpy runs only if numpy imports and the model groups enough for
    numpy to be the quicker (``NumpyPrograms.why_not_default``); else codegen's Python.
    """
    if backward not in ("codegen", "numpy"):
        return backward, None, ""
    if backward == "numpy":
        from .numpy_training import numpy_missing  # nn/numpy_training.py imports numpy only here

        missing = numpy_missing() if asked is None else ""
        if missing:
            return "codegen", Programs(model, cost, X, shape), f"backward 'codegen', not numpy: {missing}"
        from .numpy_training import NumpyPrograms

        programs = NumpyPrograms(model, cost, X, shape)
        why_not = programs.why_not_default(Y, per_step) if asked is None else ""
        if not why_not:
            return "numpy", programs, ""
        fallback = Programs(model, cost, X, shape)
        fallback.seconds_generating = programs.seconds_generating  # numpy's program, generated to weigh it
        return "codegen", fallback, why_not
    return "codegen", Programs(model, cost, X, shape), ""


def _fit_judge(
    judge: object, cost: Cost, model: Module, X: Sequence, Y: Sequence
) -> tuple[Judge | None, str]:
    """fit's judge (given, or the cost's own) tried on the first sample, or None and a note why not."""
    if judge is None and cost.judge_for is None:
        return None, (
            f"no accuracy measured: the cost is a function of your own ({cost.name!r}) with no judge; "
            "pass judge=(output, y) → bool"
        )
    given = judge is not None
    found, why = resolve_judge(judge if given else cost, Y[0], "judge" if given else "cost")
    if found is None:
        return None, f"no accuracy measured: {why}"
    with no_grad():
        found(model(X[0]), Y[0])  # a judge that answers with something other than True/False fails here
    return found, ""


def _check_recorders(record: object) -> list[Recorder]:
    """``record`` as a list of recorders: callables ``(step, model)`` with distinct str ``name``s."""
    if record is None:
        return []
    if not isinstance(record, (list, tuple)):
        raise TypeError(
            f"record must be a list of recorders (callables with a name), got {type(record).__name__}"
        )
    names: set[str] = set()
    for i, recorder in enumerate(record):
        name = getattr(recorder, "name", None)
        if not callable(recorder) or not isinstance(name, str):
            raise TypeError(
                f"record[{i}] must be a callable (step, model) → value with a str attribute name, "
                f"got {type(recorder).__name__}"
            )
        if name in names:
            raise ValueError(f"record[{i}]: two recorders are named {name!r}; History.records needs one each")
        names.add(name)
    return list(record)


def _in_a_context_of_its_own(function: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``function`` in a copy of the caller's context (``contextvars``).

    fit switches recording off (``no_grad``) for its checks, judges and validation.  Ctrl-C
    can land between a switch and its reset (at the call of the block's ``__exit__``); in
    a copy, the switch is dropped with the copy, so the caller is never left in no_grad.
    """

    @functools.wraps(function)
    def in_a_copy(*args: Any, **kwargs: Any) -> Any:
        return contextvars.copy_context().run(function, *args, **kwargs)

    return in_a_copy


@_in_a_context_of_its_own
def fit(
    model: Module,
    X: Sequence,
    Y: Sequence,
    cost: str | CostFunction | Cost = "quadratic",
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
    record: Sequence[Recorder] | None = None,
) -> History:
    """Train ``model`` on samples ``X`` with targets ``Y`` by gradient descent; return a History.

    A sample is what the model takes: for a dense network a list (or 1-D numpy array) of
    numbers, for other modules nested lists of any shape; every sample must have the
    shape of ``X[0]``.  ``cost`` is a name from ``nn.losses.COSTS``, one of nn's cost
    functions (or a ``functools.partial`` of one), an ``nn.Cost``, or a function
    (output, target) → Value.
    ``l2`` adds (l2/2)·Σ w² to every step's cost (Nielsen's λ/n; biases excluded).
    ``stop_below`` ends training after the first update that brings the cost over the
    WHOLE training set, averaged (plus the L2 term), below it: the documents' "loss <
    0.001".  It costs one forward pass over X after every step.  With ``shuffle`` and
    batches smaller than X, every epoch first shuffles the previous epoch's sample order
    (at first 0 … n−1) in place with one ``random.Random(seed)``, so ``seed`` fixes the
    order; ``progress=False`` turns off the tqdm bar.

    ``judge(output, target) → bool`` says whether a prediction is right; for nn's costs
    fit knows it (the cost's record).  With neither, no accuracy is reported and
    ``History.notes`` says why.

    ``backward``: ``"numpy"``, ``"codegen"``, ``"fast"`` or ``"plain"`` (module docstring).
    None chooses: generated code where it applies, that is the model's graph is the same
    for every sample (``Module.same_graph_every_sample``) and so is the cost's
    (``Cost.traceable``: quadratic, mse, huber, hinge, cross_entropy); otherwise (binary
    cross-entropy branches on the output's value, a model or cost of your own may branch
    on anything) the fast pass, and ``History.notes`` says so.  Of the generated code,
    numpy's when numpy is installed and the model groups: one step's scalar work per line
    of the numpy program, (edges of one sample's graph) × (samples per step) / (numpy
    lines), is at least ``nn.numpy_training.WORK_PER_LINE`` (40): MLPs and conv modules on
    batches of tens of samples; one neuron or a small layer on a few samples runs quicker
    as codegen's Python (measured; README "Which backward pass fit runs").  Else codegen,
    and ``History.notes`` says why not numpy.
    The generated passes sum the per-sample gradients themselves, in another order than
    one backward through the batch (numpy: also matrix products), so the trained weights
    agree with the plain pass's to 1e-12 relative (tested), not to the last bit; for the
    last bit ask for ``backward="codegen"`` with ``batch_size=1`` and no L2 (but for
    cross_entropy: see ``nn/programs.py``), or ``"fast"``.

    ``record``: recorders, each a callable object with a ``name``; after every update
    fit calls ``recorder(step, model)`` with that step's gradient still in each
    parameter's ``.grad`` (on every pass) and keeps what it returns (unless None) in
    ``History.records[name]`` as (step, value) pairs.

    Every argument, sample and target is checked before the first update: a bad one
    raises an error that names it, and the model is left as it was.  Ctrl-C stops
    training after a whole step (module docstring).
    """
    # --- every check before the first update
    if not autograd.is_grad_enabled():
        raise RuntimeError("fit was called inside no_grad(): no graph would be recorded to train on")
    if not isinstance(model, Module):
        raise TypeError(f"model must be an nn Module (Neuron, Layer, MLP, ...), got {type(model).__name__}")
    X, Y = as_samples(X), as_samples(Y)
    check_samples(X, Y, "X", "Y")
    X, Y = plain_samples(X), plain_samples(Y)
    epochs = check_count("epochs", epochs)
    if batch_size is not None:
        batch_size = check_count("batch_size", batch_size, also="None (full batch) or ")
    l2 = check_number("l2", l2, minimum=0.0)
    if stop_below is not None:
        stop_below = check_number("stop_below", stop_below, what="a finite number or None")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"seed must be an int or None, got {seed!r}")
    check_flag("shuffle", shuffle)
    check_flag("progress", progress)
    recorders = _check_recorders(record)
    cost = get_cost(cost)
    optimizer = GradientDescent(model, lr)
    check_parameters_finite(model)
    shape = check_data_set(model, X, Y, cost, "")
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError(f"validation must be a pair (X, Y), not {type(validation).__name__}")
        validation = (as_samples(validation[0]), as_samples(validation[1]))
        check_samples(*validation, "validation X", "validation Y")
        validation = (plain_samples(validation[0]), plain_samples(validation[1]))
        check_data_set(model, *validation, cost, "validation ")
    found_judge, accuracy_note = _fit_judge(judge, cost, model, X, Y)
    asked = backward
    backward, backward_note = _choose_backward(backward, model, cost)
    batch_size = batch_size or len(X)
    per_step = min(batch_size, len(X))
    backward, programs, numpy_note = _programs(backward, asked, model, cost, X, Y, shape, per_step)
    history = History(backward=backward, notes=[n for n in (accuracy_note, backward_note, numpy_note) if n])
    history.records = {recorder.name: [] for recorder in recorders}
    trainer_class = _Trainer
    if backward == "numpy":
        from .numpy_training import ArrayTrainer

        trainer_class = ArrayTrainer

    from tqdm.auto import tqdm  # imported here: `import nn` stays quick

    started = time.perf_counter()
    with tqdm(total=epochs * math.ceil(len(X) / batch_size), disable=not progress, desc="fit", unit="step",
              leave=False) as bar:
        trainer = trainer_class(
            model, X, Y, cost, optimizer, found_judge, backward, programs, l2=l2, stop_below=stop_below,
            validation=validation, batch_size=batch_size, shuffle=shuffle, rng=random.Random(seed),
            history=history, bar=bar, recorders=recorders,
        )
        try:
            trainer.run(epochs)
        except KeyboardInterrupt:
            trainer.interrupted()
        finally:
            history.seconds = time.perf_counter() - started
            if programs is not None:
                history.programs = len(programs.cache)
                history.seconds_generating = programs.seconds_generating
    return history


__all__ = ["BACKWARDS", "History", "accuracy", "fit", "judge_for", "predict"]
