"""The layer form of backprop for convolutions and pooling, in plain floats.

What ``bp_equations`` is for dense layers, ``conv_equations`` is for a chain of
Conv2d, MaxPool2d, AvgPool2d, Flatten and Layer modules: it recomputes every layer's
quantities from the matrix formulas, never touching the engine, so that
``compare_conv_with_autograd`` can check the engine's grads against them.

For a convolution with kernels as the O × (C·kh·kw) matrix W (row o = ``kernels[o].w``)
and the patch matrix ``cols = im2col(input)`` of shape (C·kh·kw) × (H_out·W_out):

* forward:  Z = W · cols + b  (one column per output position), A = f(Z)
* out_diff = ∂C/∂Z = ∂C/∂A ⊙ f′(Z)                       shape O × (H_out·W_out)
* W_diff   = out_diff · colsᵀ                              shape O × (C·kh·kw): W's shape
  (= Σ over positions of out_diff × that position's patch: one weight, many places)
* b_diff   = Σ over positions of out_diff                  shape O
* in_diff  = col2im(Wᵀ · out_diff)                         shape C × H × W
  (each input place adds up what every window that contains it sends back)

Max-pooling sends each out_diff to the place of its window's maximum (the first in
row-major order on a tie, as the engine's m + relu(v − m) and PyTorch do); average
pooling sends out_diff / (kh·kw) to every place of the window.  A dense Layer is
Nielsen's: out_diff = δ, W_diff = δ·aᵀ, b_diff = δ, in_diff = Wᵀ·δ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .conv import AvgPool2d, Conv2d, Flatten, MaxPool2d
from .conv_functions import col2im, im2col, output_size
from .deltas import _bp_cost_name, _cost_and_gradient
from .layers import Layer
from .losses import get_cost

SUPPORTED = "Conv2d, MaxPool2d, AvgPool2d, Flatten and Layer"


@dataclass
class LayerEquations:
    """One module's quantities.  Images are ``[C][H][W]``; matrices are lists of rows.

    ``out_diff`` is ∂C/∂z (an image for a convolution, a list for a Layer, None for a
    pool or Flatten); ``W_diff`` one row per kernel or neuron; ``in_diff`` ∂C/∂input in
    the input's shape; ``routes`` (max-pooling) maps each output place (c, i, j) to the
    input place (c, r, s) that receives its δ.
    """

    kind: str
    name: str
    input: Any
    z: Any = None
    a: Any = None
    cols: list[list[float]] | None = None
    out_diff: Any = None
    W_diff: list[list[float]] | None = None
    b_diff: list[float] | None = None
    in_diff: Any = None
    routes: dict[tuple[int, int, int], tuple[int, int, int]] = field(default_factory=dict)


@dataclass
class ConvEquations:
    """The cost of one sample and each module's ``LayerEquations``, in model order."""

    cost: float
    layers: list[LayerEquations]


def _modules(model: object) -> list[Any]:
    if isinstance(model, (list, tuple)):
        modules = list(model)
    elif isinstance(getattr(model, "layers", None), list):
        modules = list(model.layers)
    else:
        modules = [model]
    for m in modules:
        if type(m) not in (Conv2d, MaxPool2d, AvgPool2d, Flatten, Layer):
            raise TypeError(f"conv_equations: supports {SUPPORTED} modules, got {type(m).__name__}")
    return modules


def _matmul(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> list[list[float]]:
    columns = list(zip(*b))
    return [[sum(x * y for x, y in zip(row, col)) for col in columns] for row in a]


def _transpose(m: Sequence[Sequence[float]]) -> list[list[float]]:
    return [list(col) for col in zip(*m)]


def _reshape(flat: list[float], rows: int, cols: int) -> list[list[float]]:
    return [flat[i * cols : (i + 1) * cols] for i in range(rows)]


def _pool_windows(shape: tuple[int, int, int], kernel: tuple[int, int], stride: tuple[int, int]):
    """(c, i, j, [(r, s), ...]) for every window of a pooling layer, places in row-major order."""
    channels, height, width = shape
    rows, cols = output_size(height, kernel[0], stride[0], 0), output_size(width, kernel[1], stride[1], 0)
    for c in range(channels):
        for i in range(rows):
            for j in range(cols):
                yield (
                    c,
                    i,
                    j,
                    [
                        (i * stride[0] + p, j * stride[1] + q)
                        for p in range(kernel[0])
                        for q in range(kernel[1])
                    ],
                )


def _forward(m: Any, x: Any) -> LayerEquations:
    kind = type(m).__name__
    eq = LayerEquations(kind, getattr(m, "name", kind), x)
    if isinstance(m, Conv2d):
        cols = im2col(x, m.kernel_size, m.stride, m.padding)
        W = [[w.data for w in k.w] for k in m.kernels]
        b = [k.b.data for k in m.kernels]
        Z = [[zij + b[o] for zij in row] for o, row in enumerate(_matmul(W, cols))]
        rows = output_size(len(x[0]), m.kernel_size[0], m.stride[0], m.padding[0])
        width = output_size(len(x[0][0]), m.kernel_size[1], m.stride[1], m.padding[1])
        eq.cols = cols
        eq.z = [_reshape(row, rows, width) for row in Z]
        eq.a = [[[m.activation.value(v) for v in r] for r in plane] for plane in eq.z]
    elif isinstance(m, (MaxPool2d, AvgPool2d)):
        shape = (len(x), len(x[0]), len(x[0][0]))
        rows = output_size(shape[1], m.kernel_size[0], m.stride[0], 0)
        width = output_size(shape[2], m.kernel_size[1], m.stride[1], 0)
        out = [[[0.0] * width for _ in range(rows)] for _ in range(shape[0])]
        for c, i, j, places in _pool_windows(shape, m.kernel_size, m.stride):
            values = [x[c][r][s] for r, s in places]
            if isinstance(m, MaxPool2d):
                best = 0
                for k, v in enumerate(values):
                    if v > values[best]:  # strictly greater: a tie keeps the first maximum
                        best = k
                eq.routes[(c, i, j)] = (c, *places[best])
                out[c][i][j] = values[best]
            else:
                out[c][i][j] = sum(values) / len(values)
        eq.a = out
    elif isinstance(m, Flatten):
        eq.a = [v for plane in x for row in plane for v in row] if isinstance(x[0], list) else list(x)
    else:  # Layer
        eq.z = [sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data for n in m.neurons]
        eq.a = [m.activation.value(z) for z in eq.z]
    return eq


def _backward(m: Any, eq: LayerEquations, grad_a: Any) -> Any:
    """Fill in eq's diffs from ∂C/∂(its output); return ∂C/∂(its input)."""
    x = eq.input
    if isinstance(m, Conv2d):
        prime = m.activation.prime_from_a
        eq.out_diff = [
            [[g * prime(a) for g, a in zip(gr, ar)] for gr, ar in zip(gp, ap)] for gp, ap in zip(grad_a, eq.a)
        ]
        D = [[v for row in plane for v in row] for plane in eq.out_diff]  # O × (H_out·W_out)
        eq.W_diff = _matmul(D, _transpose(eq.cols))  # O × (C·kh·kw)
        eq.b_diff = [sum(row) for row in D]
        W = [[w.data for w in k.w] for k in m.kernels]
        eq.in_diff = col2im(_matmul(_transpose(W), D), (len(x), len(x[0]), len(x[0][0])), m.kernel_size,
                            m.stride, m.padding)
    elif isinstance(m, (MaxPool2d, AvgPool2d)):
        shape = (len(x), len(x[0]), len(x[0][0]))
        eq.in_diff = [[[0.0] * shape[2] for _ in range(shape[1])] for _ in range(shape[0])]
        for c, i, j, places in _pool_windows(shape, m.kernel_size, m.stride):
            if isinstance(m, MaxPool2d):
                _, r, s = eq.routes[(c, i, j)]
                eq.in_diff[c][r][s] += grad_a[c][i][j]
            else:
                for r, s in places:
                    eq.in_diff[c][r][s] += grad_a[c][i][j] / len(places)
    elif isinstance(m, Flatten):
        if isinstance(x[0], list):
            height, width = len(x[0]), len(x[0][0])
            eq.in_diff = [_reshape(grad_a[c * height * width:(c + 1) * height * width], height, width)
                          for c in range(len(x))]
        else:
            eq.in_diff = list(grad_a)
    else:  # Layer
        prime = m.activation.prime_from_a
        eq.out_diff = [g * prime(a) for g, a in zip(grad_a, eq.a)]
        eq.W_diff = [[d * xi for xi in x] for d in eq.out_diff]
        eq.b_diff = list(eq.out_diff)
        eq.in_diff = [sum(n.w[k].data * d for n, d in zip(m.neurons, eq.out_diff)) for k in range(len(x))]
    return eq.in_diff


def _as_floats(x: Any) -> Any:
    if hasattr(x, "tolist"):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        return [_as_floats(v) for v in x]
    return float(getattr(x, "data", x))


def conv_equations(model: Any, x: Any, y: object, cost: object = "quadratic") -> ConvEquations:
    """Every module's z, a, out_diff, W_diff, b_diff and in_diff for ONE sample, in plain floats.

    ``model`` is a Sequential (or a list) of Conv2d, MaxPool2d, AvgPool2d, Flatten and
    Layer; ``cost`` is 'quadratic', 'binary_cross_entropy' or 'cross_entropy', as for
    ``bp_equations``.  The engine is not used.
    """
    name = _bp_cost_name(cost)
    modules = _modules(model)
    layers, a = [], _as_floats(x)
    for m in modules:
        eq = _forward(m, a)
        layers.append(eq)
        a = eq.a
    cost_value, grad = _cost_and_gradient(name, a, y)
    for m, eq in zip(reversed(modules), reversed(layers)):
        grad = _backward(m, eq, grad)
    return ConvEquations(cost_value, layers)


def _flat(x: Any) -> list:
    if isinstance(x, list):
        return [v for item in x for v in _flat(item)]
    return [x]


def compare_conv_with_autograd(model: Any, x: Any, y: object, cost: object = "quadratic") -> float:
    """The largest |difference| between ``conv_equations`` and the engine's grads for one sample.

    Runs the model on Values, ``backward`` on the cost, and compares the cost, every
    out_diff (the z's grads), W_diff and b_diff (the parameters' grads) and every in_diff
    (the grads of each module's input Values).
    """
    name = _bp_cost_name(cost)
    modules = _modules(model)
    expected = conv_equations(modules, x, y, name)
    for m in modules:
        m.zero_grad()
    out = x
    inputs = []
    for m in modules:
        out = m(out)
        inputs.append(getattr(m, "x", None))
    c = get_cost(name)(out, y)
    c.backward()
    pairs: list[tuple[float, float]] = [(c.data, expected.cost)]
    for m, eq, given in zip(modules, expected.layers, inputs):
        if isinstance(m, Conv2d):
            pairs += zip((z.grad for z in _flat(m.z)), _flat(eq.out_diff))
            pairs += zip((w.grad for k in m.kernels for w in k.w), _flat(eq.W_diff))
            pairs += zip((k.b.grad for k in m.kernels), eq.b_diff)
        elif isinstance(m, Layer):
            pairs += zip((n.z.grad for n in m.neurons), eq.out_diff)
            pairs += zip((w.grad for n in m.neurons for w in n.w), _flat(eq.W_diff))
            pairs += zip((n.b.grad for n in m.neurons), eq.b_diff)
        if given is not None:
            pairs += zip((v.grad for v in _flat(given)), _flat(eq.in_diff))
    return max(abs(a - b) for a, b in pairs)


__all__ = ["ConvEquations", "LayerEquations", "compare_conv_with_autograd", "conv_equations"]
