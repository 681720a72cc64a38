"""glassgrad's nn: neurons, layers and MLPs made of Values, trained by gradient descent.

    >>> import nn
    >>> model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    >>> X, y = nn.datasets.moons(100, noise=0.1, seed=0)
    >>> history = nn.fit(model, X, y, cost="hinge", l2=1e-4, lr=0.5, epochs=100, progress=False)

After ``cost.backward()`` every neuron's ``z.grad`` is its δ = ∂C/∂z; ``nn.explain_delta``
shows the sum it is made of and ``nn.bp_equations`` recomputes it with Nielsen's four
equations in plain floats.
"""

from ._engine_check import check_engine

check_engine()  # before anything imports autograd: a clear message if it is the wrong package

from autograd import __version__  # noqa: E402, F401 - one version for the whole distribution

from . import datasets, init, plots  # noqa: E402
from .activations import ACTIVATIONS  # noqa: E402
from .conv import AvgPool2d, Conv1d, Conv2d, Flatten, MaxPool2d  # noqa: E402
from .conv_equations import compare_conv_with_autograd, conv_equations  # noqa: E402
from .deltas import bp_equations, compare_with_autograd, deltas, explain_delta  # noqa: E402
from .judges import accuracy, judge_for, predict  # noqa: E402
from .layers import MLP, Layer, Neuron  # noqa: E402
from .losses import (  # noqa: E402
    COSTS,
    Cost,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    huber,
    l2_penalty,
    mse,
    quadratic_cost,
)
from .model_files import load_model  # noqa: E402
from .module import Module, Sequential  # noqa: E402
from .optim import GradientDescent  # noqa: E402
from .speeds import LayerSpeeds, Speed, layer_speeds  # noqa: E402
from .train import History, fit  # noqa: E402

__all__ = [
    "AvgPool2d",
    "Conv1d",
    "Conv2d",
    "Flatten",
    "MaxPool2d",
    "compare_conv_with_autograd",
    "conv_equations",
    "ACTIVATIONS",
    "COSTS",
    "Cost",
    "GradientDescent",
    "History",
    "Layer",
    "LayerSpeeds",
    "MLP",
    "Module",
    "Neuron",
    "Sequential",
    "Speed",
    "accuracy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "bp_equations",
    "compare_with_autograd",
    "cross_entropy",
    "datasets",
    "deltas",
    "explain_delta",
    "fit",
    "hinge",
    "huber",
    "init",
    "judge_for",
    "l2_penalty",
    "layer_speeds",
    "load_model",
    "mse",
    "plots",
    "predict",
    "quadratic_cost",
]
