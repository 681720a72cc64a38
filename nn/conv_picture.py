"""A picture of one shared kernel weight collecting its gradient from every position.

The whole graph of even a tiny convolution is too big to read (a 4×4 input and a 2×2
kernel: 9 dot nodes of 9 parents each).  ``shared_weight_picture`` draws only what one
weight touches: the weight, and at every output position (i, j) where it is used, the
product w·x it contributes to z[i][j] there.  Each product's upstream grad is that
position's δ = ∂C/∂z[i][j], read from the real graph after ``backward``.  The picture is
a real graph of Values, run backward, so each edge w → product shows
``local x × upstream δ = contribution`` and the weight's box shows its grad as the sum
of those contributions: the same number as the weight's grad in the real network.
"""

from __future__ import annotations

from autograd import Value, dot
from autograd.graph import GraphPicture, draw_graph

from .conv import Conv2d
from .conv_functions import window


def shared_weight_products(
    conv: Conv2d, o: int = 0, c: int = 0, p: int = 0, q: int = 0
) -> tuple[Value, list]:
    """The stand-in weight and its products w·x, one per output position, already run backward.

    Needs a call of ``conv`` and ``backward`` on a cost of its output (the δs are the
    grads of ``conv.z``).
    """
    if conv.z is None or conv.x is None:
        raise ValueError("shared_weight_picture: call the convolution on an image and backward() first")
    kh, kw = conv.kernel_size
    if not (0 <= o < conv.out_channels and 0 <= c < conv.in_channels and 0 <= p < kh and 0 <= q < kw):
        raise ValueError(
            f"shared_weight_picture: no weight [{o}][{c}][{p}][{q}] in {conv!r} "
            f"(kernels {conv.out_channels} × {conv.in_channels} × {kh} × {kw})"
        )
    real = conv.kernels[o].w[(c * kh + p) * kw + q]
    w = Value(real.data, label=real.label)
    products, deltas = [], []
    for i, row in enumerate(conv.z[o]):
        for j, z in enumerate(row):
            used = [
                v
                for cc, pp, qq, v in window(conv.x, i, j, conv.kernel_size, conv.stride, conv.padding)
                if (cc, pp, qq) == (c, p, q)
            ]
            if not used:
                continue  # the weight sits in the padding here: no term
            x = Value(used[0].data, label=used[0].label)
            product = w * x
            product.label = f"w·x in z[{i}][{j}]"
            products.append(product)
            deltas.append(Value(z.grad, label=f"δ[{i}][{j}]"))
    dot(products, deltas).backward()  # each product's grad is its position's δ
    return w, products


def shared_weight_picture(
    conv: Conv2d, o: int = 0, c: int = 0, p: int = 0, q: int = 0, **options
) -> GraphPicture:
    """Kernel ``o``'s weight ``[c][p][q]``: one out-edge per position, each labelled with its contribution.

    Its box reads ``grad G = t₁ + t₂ + …``: the fan-out sum, equal to the real weight's
    grad.  ``options`` go to ``draw_graph`` (e.g. ``max_width``).
    """
    w, products = shared_weight_products(conv, o, c, p, q)
    return draw_graph(products, highlight=w, params=[w], **options)
