"""The training loop: batch, stochastic or mini-batch gradient descent.

One step: zero the gradients, run the network on a batch, average the per-sample
costs C = (1/n) Σₓ Cₓ (plus the L2 penalty), ``backward()``, then θ ← θ − η ∂C/∂θ.

- ``batch_size=None``: batch gradient descent, every sample in every step;
- ``batch_size=1``: stochastic gradient descent, one sample per step after a shuffle;
- ``batch_size=k``: mini-batch gradient descent.  One pass over the data is an epoch.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import autograd
from autograd import Value, no_grad
from autograd.fast import backward as fast_backward

from .losses import Cost, get_cost, l2_penalty
from .module import Module
from .optim import GradientDescent

Judge = Callable[[object, object], bool]


@dataclass
class History:
    """What happened during ``fit``.

    ``costs`` has one entry per step (the batch cost before that step's update),
    ``epoch_costs`` the mean of those per epoch.  ``accuracy`` is, per epoch, the
    fraction of training samples classified right by the forward passes of that epoch
    (empty when the cost is not a classification cost); ``val_accuracy`` the same on
    the ``validation`` set after each epoch.
    """

    costs: list[float] = field(default_factory=list)
    epoch_costs: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
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
        return "; ".join(parts) + f" ({self.stopped_because})"


def _argmax(values: Sequence[float]) -> int:
    return max(range(len(values)), key=values.__getitem__)


def _data(output: Value | Sequence[Value]) -> float | list[float]:
    return output.data if isinstance(output, Value) else [o.data for o in output]


def _sign_judge(output, y) -> bool:
    return (_data(output) > 0.0) == (y > 0)


def _half_judge(output, y) -> bool:
    return (_data(output) > 0.5) == (y > 0.5)


def _class_judge(output, y) -> bool:
    return _argmax(_data(output)) == y


def _one_hot_judge(output, y) -> bool:
    return _argmax(_data(output)) == _argmax(y)


def judge_for(cost: str | Cost, example_target: object) -> Judge | None:
    """How to tell a right prediction for this cost, or None where accuracy does not apply.

    hinge: the sign of the score; binary cross-entropy: a > 0.5 (z > 0 from logits);
    cross_entropy: the largest logit is the class; quadratic/mse with one-hot targets:
    the largest output is the hot one.
    """
    if cost == "hinge" or cost == "binary_cross_entropy_with_logits":
        return _sign_judge if cost == "hinge" else (lambda out, y: (_data(out) > 0.0) == (y > 0.5))
    if cost == "binary_cross_entropy":
        return _half_judge if not isinstance(example_target, Sequence) else None
    if cost == "cross_entropy":
        return _class_judge
    if cost in ("quadratic", "mse") and isinstance(example_target, Sequence) and len(example_target) > 1:
        return _one_hot_judge
    return None


def predict(model: Module, x: Sequence[float]) -> float | list[float]:
    """The model's output for one input as plain floats, without building a graph."""
    with no_grad():
        return _data(model(x))


def accuracy(model: Module, X: Sequence, Y: Sequence, cost: str | Judge) -> float:
    """Fraction of samples predicted right; ``cost`` names the rule (see ``judge_for``) or is one."""
    _check_data(X, Y)
    judge = cost if callable(cost) else judge_for(cost, Y[0])
    if judge is None:
        raise ValueError(f"accuracy does not apply to cost {cost!r} with targets like {Y[0]!r}")
    with no_grad():
        right = sum(1 for x, y in zip(X, Y) if judge(model(x), y))
    return right / len(X)


def _check_data(X: Sequence, Y: Sequence) -> None:
    if len(X) != len(Y):
        raise ValueError(f"X has {len(X)} samples but Y has {len(Y)}")
    if len(X) == 0:
        raise ValueError("no training samples")


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
    is_correct: Judge | None = None,
    fast: bool = True,
) -> History:
    """Train ``model`` on samples ``X`` with targets ``Y`` by gradient descent; return a History.

    ``cost`` is a name from ``nn.losses.COSTS`` or a function (output, target) → Value.
    ``l2`` adds (l2/2)·Σ w² to every step's cost (Nielsen's λ/n; biases excluded).
    ``stop_below`` ends training as soon as a step's cost is below it (the documents'
    "loss < 0.001").  ``seed`` fixes the shuffling.  A tqdm progress bar shows the
    cost; ``progress=False`` turns it off.  Each step's backward pass is
    ``autograd.fast.backward``: the gradients of ``cost.backward()`` to the last bit,
    quicker; ``fast=False`` calls ``cost.backward()`` instead, the pass you
    can step through in a debugger.
    """
    _check_data(X, Y)
    n = len(X)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    if batch_size is None:
        batch_size = n
    elif isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be None (full batch) or a positive int, got {batch_size!r}")
    if l2 < 0 or not math.isfinite(l2):
        raise ValueError(f"l2 must be a number ≥ 0, got {l2!r}")
    cost_fn = get_cost(cost)
    judge = is_correct or (judge_for(cost, Y[0]) if isinstance(cost, str) else None)
    optimizer = GradientDescent(model, lr)
    rng = random.Random(seed)
    order = list(range(n))
    steps_per_epoch = math.ceil(n / batch_size)

    from tqdm.auto import tqdm  # imported here: `import nn` stays quick

    history = History()
    started = time.perf_counter()
    bar = tqdm(total=epochs * steps_per_epoch, disable=not progress, desc="fit", unit="step", leave=False)
    try:
        for _epoch in range(epochs):
            if shuffle and batch_size < n:
                rng.shuffle(order)
            epoch_costs: list[float] = []
            right = 0
            stop = False
            for start in range(0, n, batch_size):
                batch = order[start : start + batch_size]
                optimizer.zero_grad()
                costs = []
                for i in batch:
                    output = model(X[i])
                    costs.append(cost_fn(output, Y[i]))
                    if judge is not None and judge(output, Y[i]):
                        right += 1
                total = costs[0] if len(costs) == 1 else autograd.sum(costs) * (1.0 / len(costs))
                if l2:
                    total = total + l2_penalty(model, l2)
                if not math.isfinite(total.data):
                    raise FloatingPointError(
                        f"the cost became {total.data!r} at step {history.steps + 1}; "
                        "try a smaller learning rate"
                    )
                if fast:
                    fast_backward(total)
                else:
                    total.backward()
                optimizer.step()
                history.steps += 1
                history.costs.append(total.data)
                epoch_costs.append(total.data)
                bar.set_postfix_str(f"cost {total.data:.4g}", refresh=False)
                bar.update(1)
                if stop_below is not None and total.data < stop_below:
                    history.stopped_because = (
                        f"cost {total.data:.4g} < stop_below={stop_below} at step {history.steps}"
                    )
                    stop = True
                    break
            history.epochs += 1
            history.epoch_costs.append(sum(epoch_costs) / len(epoch_costs))
            if judge is not None and not stop:
                history.accuracy.append(right / n)
            if validation is not None:
                history.val_accuracy.append(accuracy(model, validation[0], validation[1], judge or cost))
                bar.set_postfix_str(f"cost {total.data:.4g}, val acc {history.val_accuracy[-1]:.1%}")
            if stop:
                break
        else:
            history.stopped_because = f"ran all {epochs} epochs ({history.steps} steps)"
    finally:
        bar.close()
        history.seconds = time.perf_counter() - started
    return history
