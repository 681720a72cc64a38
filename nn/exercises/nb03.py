"""Exercises of notebook 03 (neurons)."""

from __future__ import annotations

from typing import Any

from ._core import _close, _exercise, _mlp_from, _same_count, _sigmoid


def _03_net() -> dict[str, Any]:
    return {
        "network": "1 input → 2 sigmoid neurons (layer 1) → 1 sigmoid neuron (layer 2), cost C = ½(a − y)²",
        "x": 0.8,
        "y": 1.0,
        "layer 1 weights": [0.6, -0.4],
        "layer 1 biases": [0.1, 0.2],
        "layer 2 weights": [1.5, -2.0],
        "layer 2 bias": 0.3,
        "asked": "δ = ∂C/∂z of L1.N0 (the first hidden neuron)",
    }


@_exercise(
    "03.1",
    "one δ by hand",
    "start at the output: δ = (a − y)·σ′(z) there; then σ′(z)·w·δ for the hidden "
    "neuron, with σ′(z) = a(1 − a).",
    _03_net,
)
def _03_1(answer: Any) -> None:
    from ..losses import quadratic_cost

    g = _03_net()
    model = _mlp_from(g, "layer 1 weights", "layer 1 biases", "layer 2 weights", "layer 2 bias", 1)
    quadratic_cost(model([g["x"]]), g["y"]).backward()
    _close(answer, model.layers[0].neurons[0].z.grad)


@_exercise(
    "03.2",
    "weaker or stronger?",
    "going back through one sigmoid layer multiplies δ by the weight AND by σ′(z) of the hidden neuron.",
    lambda: {
        "network": "1 → 1 → 1, sigmoid; the hidden neuron's z is 1.0, the output weight w is 6.0",
        "asked": "δ_hidden / δ_out",
    },
)
def _03_2(answer: Any) -> None:
    s = _sigmoid(1.0)
    _close(answer, 6.0 * s * (1 - s))


def _paths_to(output: Any, target: Any) -> int:
    """How many different paths lead from ``target`` up to ``output`` in the graph (counted
    once per node, from the output down: the reverse pass's own trick)."""
    from autograd import topological_order

    paths = {id(output): 1}
    for node in reversed(topological_order(output)):  # the output first
        for parent in node.parents:
            paths[id(parent)] = paths.get(id(parent), 0) + paths.get(id(node), 0)
    return paths.get(id(target), 0)


@_exercise(
    "03.3",
    "how many paths",
    "a path from a neuron to the output goes through exactly one neuron of every later layer; "
    "count the choices layer by layer and multiply.",
    lambda: {
        "network": "nn.MLP(2, [3, 4, 2, 1])",
        "asked": "the number of different paths from L1.N0's z to the network's output",
    },
)
def _03_3(answer: Any) -> None:
    from ..layers import MLP

    model = MLP(2, [3, 4, 2, 1], seed=0)
    out = model([0.5, -0.5])
    _same_count(answer, _paths_to(out, model.layers[0].neurons[0].z), "the number of paths")
