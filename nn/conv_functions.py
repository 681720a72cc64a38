"""Convolution and pooling on Values, as plain functions: the computations nn's conv modules use.

An image is nested lists ``x[channel][row][col]`` (a numpy array of that shape works too).
A convolution slides each kernel over the image; at every position the output is ONE
``dot`` node: Σ w·x over the kernel's window, plus the bias.  The kernel's weights are
the same Values at every position, so after ``backward`` each weight's grad is the sum
of one contribution per position: the fan-out ``+=`` of notebook 01, nothing new.

Like PyTorch's ``conv2d`` this is a cross-correlation (the kernel is not flipped), and
zero padding is "no term": a window position that falls in the padding is left out of
the dot (its product would be 0 and its gradient 0 too), so padding adds no nodes.

Max-pooling is built from ``relu``: max(a, b) = a + relu(b − a), folded over the window
in row-major order.  Its graph is the same for every image (what generated code needs),
and backward routes δ to the maximum only: relu′ is 1 where b > a, 0 otherwise, so on a
tie the EARLIER element (in row-major order) keeps δ, which is what PyTorch does (its
max-pool keeps the first maximum it meets).  Average pooling is one ``sum`` node divided
by the window size.

``im2col`` writes every window as a column of numbers: the convolution is then one
matrix product, which ``nn/conv_equations.py`` uses for the layer form of backprop.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence, Set
from functools import lru_cache
from typing import Any

from autograd import Value, dot
from autograd.value import value_sum

Image = list[list[list[Value]]]


# ------------------------------------------------------------------ checks
def check_pair(what: str, value: object, minimum: int) -> tuple[int, int]:
    """``value`` (an int, or a pair of ints for rows, columns) as a pair of ints ≥ ``minimum``."""
    items = value if isinstance(value, (tuple, list)) else (value, value)
    kind = "positive" if minimum == 1 else "non-negative"
    if len(items) != 2 or any(isinstance(n, bool) or not isinstance(n, numbers.Integral) for n in items):
        raise ValueError(f"{what} must be a {kind} int or a pair of them (rows, columns), got {value!r}")
    pair = (int(items[0]), int(items[1]))
    if min(pair) < minimum:
        raise ValueError(f"{what} must be {kind} (at least {minimum}), got {value!r}")
    return pair


def _rows(x: object, where: str, who: str) -> list:
    """``x`` as a list if it is a sequence (a list, tuple or numpy array), else a clear error."""
    if hasattr(x, "tolist") and hasattr(x, "ndim") and getattr(x, "ndim", 0) >= 1:
        return x.tolist()
    if isinstance(x, (list, tuple)):
        return list(x)
    if isinstance(x, (str, bytes, Mapping, Set)) or not isinstance(x, Sequence):
        raise TypeError(
            f"{who}: {where} must be a list (of rows, channels or numbers), got {type(x).__name__}"
        )
    return list(x)


def image_shape(x: object, who: str, ndim: int = 3) -> tuple[int, ...]:
    """The shape ``(C, H, W)`` of nested lists ``x``; an error naming where it is ragged.

    ``ndim=2`` reads a 1-D signal ``[C][L]``.  Every row must have as many entries as the
    first row, every channel as many rows as the first channel.
    """
    names = ("channels", "rows", "columns")[3 - ndim :] if ndim <= 3 else ()
    shape: list[int] = []
    level = _rows(x, "x", who)
    where = "x"
    for depth in range(ndim):
        if depth > 0:
            first = level[0]
            if isinstance(first, (numbers.Real, Value)) and not isinstance(first, bool):
                form = "[C][H][W]" if ndim == 3 else "[C][L]"
                got = f"got {depth}: {where}[0] is already a number"
                raise ValueError(f"{who} expects {form} ({ndim} nested levels), {got}")
            level = _rows(first, where + "[0]", who)
            where += "[0]"
        if not level:
            raise ValueError(
                f"{who}: {where} is empty: an image needs at least one of each of {', '.join(names)}"
            )
        shape.append(len(level))
    _check_regular(_rows(x, "x", who), tuple(shape), "x", who, names)
    return tuple(shape)


def _check_regular(level: list, shape: tuple[int, ...], where: str, who: str, names: tuple[str, ...]) -> None:
    if len(shape) == 1:
        for k, v in enumerate(level):
            if isinstance(v, Value):
                continue
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                raise TypeError(
                    f"{who}: {where}[{k}] must be a number or a Value, got {type(v).__name__} {v!r}"
                )
        return
    for k, item in enumerate(level):
        inner = _rows(item, f"{where}[{k}]", who)
        if len(inner) != shape[1]:
            raise ValueError(
                f"{who}: ragged input: {where}[{k}] has {len(inner)} {names[1]}, "
                f"{where}[0] has {shape[1]} (every one must have the same number)"
            )
        _check_regular(inner, shape[1:], f"{where}[{k}]", who, names[1:])


def as_image(x: object, channels: int, who: str, ndim: int = 3) -> Image:
    """``x`` checked and turned into nested lists of Values (numbers become leaves ``x[c][i][j]``).

    Raises (before anything is built) if ``x`` is not ``[C][H][W]`` with C = ``channels``.
    ``ndim=2``: a signal ``[C][L]``, returned as ``[C][1][L]``.
    """
    shape = image_shape(x, who, ndim)
    if shape[0] != channels:
        form = "[C][H][W]" if ndim == 3 else "[C][L]"
        raise ValueError(
            f"{who} expects {form} with C = {channels} channel(s), got {shape[0]} "
            f"(input shape {shape}; the first index is the channel)"
        )
    rows = _rows(x, "x", who)
    if ndim == 2:
        rows = [[channel] for channel in rows]
    return [
        [
            [
                v if isinstance(v, Value) else Value(float(v), pixel_label(c, i, j))
                for j, v in enumerate(_rows(row, "", who))
            ]
            for i, row in enumerate(_rows(plane, "", who))
        ]
        for c, plane in enumerate(rows)
    ]


@lru_cache(maxsize=65536)
def pixel_label(c: int, i: int, j: int) -> str:
    """The label ``x[c][i][j]`` of an input pixel (made once, then shared)."""
    return f"x[{c}][{i}][{j}]"


def output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """How many window positions fit along one axis: ⌊(size + 2·padding − kernel) / stride⌋ + 1."""
    return (size + 2 * padding - kernel) // stride + 1


def check_fits(who: str, size: tuple[int, int], kernel: tuple[int, int], padding: tuple[int, int]) -> None:
    """ValueError if the kernel is larger than the padded input (no position would fit)."""
    padded = (size[0] + 2 * padding[0], size[1] + 2 * padding[1])
    if kernel[0] > padded[0] or kernel[1] > padded[1]:
        raise ValueError(
            f"{who}: kernel {kernel[0]}×{kernel[1]} is larger than the padded input "
            f"{padded[0]}×{padded[1]} (input {size[0]}×{size[1]}, padding {padding[0]}, {padding[1]})"
        )


# ------------------------------------------------------------- convolution
def window(
    x: Sequence[Sequence[Sequence[Any]]],
    i: int,
    j: int,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> list[tuple[int, int, int, Any]]:
    """``(c, p, q, x[c][r][s])`` for every kernel place (c, p, q) of output position (i, j) inside the input.

    Row r = i·stride + p − padding (columns alike); places in the padding are left out.
    """
    height, width = len(x[0]), len(x[0][0])
    out = []
    for c, plane in enumerate(x):
        for p in range(kernel[0]):
            r = i * stride[0] + p - padding[0]
            if 0 <= r < height:
                row = plane[r]
                for q in range(kernel[1]):
                    s = j * stride[1] + q - padding[1]
                    if 0 <= s < width:
                        out.append((c, p, q, row[s]))
    return out


@lru_cache(maxsize=256)
def conv_plan(
    shape: tuple[int, int, int], kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int]
) -> tuple[int, int, tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]]:
    """``(H_out, W_out, places)``: for each output position (row-major), which kernel weights
    meet which inputs, as (weight indices, input indices) into the flat lists.

    A kernel's weights are flat in row-major (c, p, q) order, index (c·kh + p)·kw + q; the
    image is flat in row-major (c, r, s) order.  Places in the padding are left out.
    Computed once per input shape (cached), so a forward pass only picks Values.
    """
    channels, height, width = shape
    rows, cols = (
        output_size(height, kernel[0], stride[0], padding[0]),
        output_size(width, kernel[1], stride[1], padding[1]),
    )
    grid = [
        [[(c * height + r) * width + s for s in range(width)] for r in range(height)] for c in range(channels)
    ]
    places = []
    for i in range(rows):
        for j in range(cols):
            found = window(grid, i, j, kernel, stride, padding)
            places.append(
                (
                    tuple((c * kernel[0] + p) * kernel[1] + q for c, p, q, _ in found),
                    tuple(index for *_, index in found),
                )
            )
    return rows, cols, tuple(places)


def conv2d_flat(
    x: Sequence[Value],
    shape: tuple[int, int, int],
    kernels: Sequence[Sequence[Value]],
    biases: Sequence[Value] | None,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> list[list[list[Value]]]:
    """``conv2d`` on a flat image (row-major c, r, s) and flat kernels (row-major c, p, q)."""
    rows, cols, places = conv_plan(shape, kernel, stride, padding)
    out = []
    for o, k in enumerate(kernels):
        b = None if biases is None else biases[o]
        line = []
        for weight_indices, input_indices in places:
            if not weight_indices:
                line.append(b if b is not None else Value(0.0))
                continue
            ws = [k[n] for n in weight_indices]
            xs = [x[n] for n in input_indices]
            line.append(dot(ws, xs, b, check=False))
        out.append([line[i * cols : (i + 1) * cols] for i in range(rows)])
    return out


def conv2d(
    x: Image,
    kernels: Sequence[Sequence[Sequence[Sequence[Value]]]],
    biases: Sequence[Value] | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> list[list[list[Value]]]:
    """z[o][i][j] = b[o] + Σ_{c,p,q} k[o][c][p][q] · x[c][i·s+p−pad][j·s+q−pad], one dot node each.

    ``x`` is ``[C][H][W]`` of Values, ``kernels`` ``[O][C][kh][kw]`` of Values, ``biases``
    ``[O]`` (or None).  Returns ``[O][H_out][W_out]``.
    """
    stride, padding = check_pair("stride", stride, 1), check_pair("padding", padding, 0)
    kernel = (len(kernels[0][0]), len(kernels[0][0][0]))
    shape = (len(x), len(x[0]), len(x[0][0]))
    check_fits("conv2d", shape[1:], kernel, padding)
    flat = [v for plane in x for row in plane for v in row]
    flat_kernels = [[w for plane in k for row in plane for w in row] for k in kernels]
    return conv2d_flat(flat, shape, flat_kernels, biases, kernel, stride, padding)


# ----------------------------------------------------------------- pooling
@lru_cache(maxsize=256)
def pool_plan(
    shape: tuple[int, int, int], kernel: tuple[int, int], stride: tuple[int, int]
) -> tuple[int, int, tuple[tuple[int, ...], ...]]:
    """``(H_out, W_out, windows)``: the flat input indices of each window, channel by channel,
    row-major inside each window (the order max-pooling's ties are settled in)."""
    channels, height, width = shape
    rows, cols = output_size(height, kernel[0], stride[0], 0), output_size(width, kernel[1], stride[1], 0)
    windows = []
    for c in range(channels):
        for i in range(rows):
            for j in range(cols):
                windows.append(
                    tuple(
                        (c * height + i * stride[0] + p) * width + j * stride[1] + q
                        for p in range(kernel[0])
                        for q in range(kernel[1])
                    )
                )
    return rows, cols, tuple(windows)


def _pool(x: Image, kernel: tuple[int, int], stride: tuple[int, int], reduce) -> Image:
    shape = (len(x), len(x[0]), len(x[0][0]))
    check_fits("pooling", shape[1:], kernel, (0, 0))
    rows, cols, windows = pool_plan(shape, kernel, stride)
    flat = [v for plane in x for row in plane for v in row]
    out = [reduce([flat[n] for n in w]) for w in windows]
    per_channel = rows * cols
    return [
        [out[c * per_channel + i * cols : c * per_channel + (i + 1) * cols] for i in range(rows)]
        for c in range(shape[0])
    ]


def value_max(values: Sequence[Value]) -> Value:
    """The largest of ``values`` as a graph that is the same for any numbers: m ← m + relu(v − m).

    Backward sends δ to the maximum only; on a tie the first (earliest) maximum keeps it.
    """
    m = values[0]
    for v in values[1:]:
        m = m + (v - m).relu()
    return m


def max_pool2d(
    x: Image, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None
) -> Image:
    """The maximum of each ``kernel_size`` window, channel by channel (stride defaults to the kernel)."""
    kernel = check_pair("kernel_size", kernel_size, 1)
    stride = kernel if stride is None else check_pair("stride", stride, 1)
    return _pool(x, kernel, stride, value_max)


def _mean(values: list[Value]) -> Value:
    return value_sum(values) / len(values)


def avg_pool2d(
    x: Image, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None
) -> Image:
    """The mean of each ``kernel_size`` window: one sum node divided by the window size."""
    kernel = check_pair("kernel_size", kernel_size, 1)
    stride = kernel if stride is None else check_pair("stride", stride, 1)
    return _pool(x, kernel, stride, _mean)


# ------------------------------------------------------------------ im2col
def im2col(
    x: Sequence[Sequence[Sequence[float]]],
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> list[list[float]]:
    """The patch matrix: row (c, p, q) in row-major order, column (i, j) = output position.

    Shape (C·kh·kw) × (H_out·W_out); a padded place holds 0.  With the kernels as an
    O × (C·kh·kw) matrix W, the convolution is W · cols (+ b): one matrix product.
    """
    kernel = check_pair("kernel_size", kernel_size, 1)
    stride, padding = check_pair("stride", stride, 1), check_pair("padding", padding, 0)
    channels, height, width = len(x), len(x[0]), len(x[0][0])
    check_fits("im2col", (height, width), kernel, padding)
    rows, cols = (
        output_size(height, kernel[0], stride[0], padding[0]),
        output_size(width, kernel[1], stride[1], padding[1]),
    )
    matrix = []
    for c in range(channels):
        for p in range(kernel[0]):
            for q in range(kernel[1]):
                line = []
                for i in range(rows):
                    r = i * stride[0] + p - padding[0]
                    for j in range(cols):
                        s = j * stride[1] + q - padding[1]
                        inside = 0 <= r < height and 0 <= s < width
                        line.append(float(x[c][r][s]) if inside else 0.0)
                matrix.append(line)
    return matrix


def col2im(
    cols: Sequence[Sequence[float]],
    shape: tuple[int, int, int],
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> list[list[list[float]]]:
    """The reverse of ``im2col`` for gradients: each column entry is ADDED back to its input place.

    An input place that sits in several windows receives the sum of their entries; entries
    in the padding are dropped.  Returns ``[C][H][W]`` for ``shape`` = (C, H, W).
    """
    kernel = check_pair("kernel_size", kernel_size, 1)
    stride, padding = check_pair("stride", stride, 1), check_pair("padding", padding, 0)
    channels, height, width = shape
    rows, ncols = (
        output_size(height, kernel[0], stride[0], padding[0]),
        output_size(width, kernel[1], stride[1], padding[1]),
    )
    image = [[[0.0] * width for _ in range(height)] for _ in range(channels)]
    row = 0
    for c in range(channels):
        for p in range(kernel[0]):
            for q in range(kernel[1]):
                for i in range(rows):
                    r = i * stride[0] + p - padding[0]
                    for j in range(ncols):
                        s = j * stride[1] + q - padding[1]
                        if 0 <= r < height and 0 <= s < width:
                            image[c][r][s] += cols[row][i * ncols + j]
                row += 1
    return image
