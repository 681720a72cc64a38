"""glassgrad's engine: scalar reverse-mode automatic differentiation.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad  # dy/dx = 2x + 3
    7.0

``autograd.sum(values)`` and ``autograd.dot(weights, inputs, bias)`` build one n-ary
node each.  They are not star-exported, so ``from autograd import *`` never hides the
builtin ``sum``.

``autograd.fast.backward(y)`` is an optional quicker pass for training loops: the
gradients of ``y.backward()`` to the last bit, with nothing to step through.
``autograd.codegen(root, leaves)`` writes the same pass out as straight-line Python
(``prog.source``) that runs at the speed of backprop written by hand.
``autograd.grad(y, xs, create_graph=True)`` builds the backward pass as a graph of Values,
so derivatives can be taken again (``autograd.hessian``); ``autograd.hvp`` computes H·v by
forward-over-reverse, reading each op's rule text over dual numbers (``autograd.dual``).
"""

from . import fast, operators  # noqa: F401 - autograd.fast.backward (the quicker pass), the float math
from ._version import __version__  # noqa: F401 - one version for the distribution
from .backward import Step, backward, backward_steps, topological_order
from .check import GradcheckError, gradcheck, numeric_grads
from .codegen import codegen  # autograd.codegen(root, leaves): the function, not the module
from .graph import (
    GraphLayoutWarning,
    GraphTooLargeError,
    GraphvizNotFoundError,
    RenderError,
    backward_frames,
    draw_graph,
)
from .higher import grad, hessian, hvp  # derivatives of derivatives (autograd.higher)
from .value import Value, dot, is_grad_enabled, no_grad
from .value import value_sum as sum  # noqa: F401 - autograd.sum, like numpy.sum

# Checked by ``nn`` to tell this engine from PyPI's unrelated "autograd" package,
# which uses the same import name (see nn/_engine_check.py).
__glassgrad__ = True

__all__ = [
    "GradcheckError",
    "GraphLayoutWarning",
    "GraphTooLargeError",
    "GraphvizNotFoundError",
    "RenderError",
    "Step",
    "Value",
    "backward",
    "backward_frames",
    "backward_steps",
    "codegen",
    "dot",
    "draw_graph",
    "grad",
    "gradcheck",
    "hessian",
    "hvp",
    "is_grad_enabled",
    "no_grad",
    "numeric_grads",
    "topological_order",
]
