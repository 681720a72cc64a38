"""Exercises of notebook 10 (from scalars to tensors)."""

from __future__ import annotations

from typing import Any

from ._core import _as_count, _close_list, _exercise, _items, _Wrong


def _shape(answer: Any, size: int, what: str) -> tuple[int | None, ...]:
    if not isinstance(answer, (tuple, list)):
        raise _Wrong(f"{what} should be a tuple such as (2, 4).")
    return tuple(_as_count(n, f"a size in {what}") for n in _items(answer, size, "sizes"))


@_exercise(
    "10.1",
    "PyTorch's gradient shapes",
    "a tensor's .grad has the tensor's own shape; a Linear layer stores weight as (out_features, "
    "in_features), one row per neuron, and the batch is summed over.",
    lambda: {
        "layer": "torch.nn.Linear(4, 6), a batch of 10 samples as the rows of the input",
        "asked": "(layer.weight.grad.shape, layer.bias.grad.shape) after backward(), as two tuples",
    },
)
def _10_1(answer: Any) -> None:
    weight, bias = _items(answer, 2, "shapes")
    shapes = (_shape(weight, 2, "the weight's shape"), _shape(bias, 1, "the bias's shape"))
    if 10 in shapes[0] or 10 in shapes[1]:
        raise _Wrong("the batch size does not appear: the gradient sums over the samples.")
    if shapes != ((6, 4), (6,)):
        raise _Wrong("not both shapes are right: each .grad has its tensor's shape.")


@_exercise(
    "10.2",
    "one weight, two libraries",
    "to_torch() makes one Linear per layer followed by its activation module (none for a 'linear' "
    "layer); in a Linear's weight, row j is neuron j and column k is input k, both from 0; nn's "
    "labels count inputs from 1 (w1 is input 0).",
    lambda: {
        "model": "nn.MLP(2, [3, 1]) (tanh hidden layer, linear output); seq = model.to_torch()",
        "weight": "w3 of neuron L2.N0, that is w²₀₂",
        "asked": "(i, j, k) such that seq[i].weight[j, k] is that weight",
    },
)
def _10_2(answer: Any) -> None:
    got = tuple(_as_count(n, "an index") for n in _items(answer, 3, "indices"))
    if got != (2, 0, 2):  # Linear(2, 3), Tanh, Linear(3, 1): layer 2 is module 2; neuron 0; input 2
        raise _Wrong("that entry holds another number: count the modules of seq, then the row and column.")


@_exercise(
    "10.3",
    "a ReLU layer's backward",
    "ReLU passes a gradient through where its input z was positive and blocks it elsewhere: "
    "in_diff = out_diff ⊙ [z > 0].",
    lambda: {
        "z": [1.5, -0.3, 0.0, 2.0, -4.0],
        "out_diff": [0.2, -1.0, 0.7, -0.4, 3.0],
        "asked": "in_diff for these five neurons, as a list (relu′(0) is 0, as in PyTorch)",
    },
)
def _10_3(answer: Any) -> None:
    z, out_diff = [1.5, -0.3, 0.0, 2.0, -4.0], [0.2, -1.0, 0.7, -0.4, 3.0]
    _close_list(answer, [d if t > 0 else 0.0 for t, d in zip(z, out_diff)])
