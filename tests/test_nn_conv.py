"""Convolution and pooling on Values against PyTorch float64, on random shapes.

Every expected number comes from torch.nn.functional (conv2d, max_pool2d, avg_pool2d,
unfold) and torch's autograd in float64; none from the code under test.
"""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from nn.conv import AvgPool2d, Conv1d, Conv2d, Flatten, MaxPool2d
from nn.conv_functions import avg_pool2d, col2im, conv2d, im2col, max_pool2d

torch = pytest.importorskip("torch")
F = torch.nn.functional


def flat(x):
    return [v for item in x for v in flat(item)] if isinstance(x, list) else [x]


def close(got, expected, tol=1e-12):
    got, expected = flat(got), flat(expected)
    assert len(got) == len(expected)
    worst = max(abs(g - e) for g, e in zip(got, expected))
    assert worst <= tol, worst


def leaves(array):
    return [[[Value(v) for v in row] for row in plane] for plane in array]


@st.composite
def conv_case(draw):
    c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, kh - 1)), draw(st.integers(0, kw - 1)))
    h = draw(st.integers(max(1, kh - 2 * padding[0]), 7))
    w = draw(st.integers(max(1, kw - 2 * padding[1]), 7))
    seed = draw(st.integers(0, 10**6))
    return c_in, c_out, (kh, kw), stride, padding, (h, w), seed


@settings(max_examples=40, deadline=None)
@given(conv_case())
def test_conv2d_outputs_and_grads_equal_torch(case):
    c_in, c_out, kernel, stride, padding, (h, w), seed = case
    rng = random.Random(seed)
    x = [[[rng.uniform(-2, 2) for _ in range(w)] for _ in range(h)] for _ in range(c_in)]
    k = [
        [[[rng.uniform(-1, 1) for _ in range(kernel[1])] for _ in range(kernel[0])] for _ in range(c_in)]
        for _ in range(c_out)
    ]
    b = [rng.uniform(-1, 1) for _ in range(c_out)]
    xv, kv, bv = leaves(x), [leaves(ko) for ko in k], [Value(v) for v in b]
    out = conv2d(xv, kv, bv, stride, padding)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    kt = torch.tensor(k, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    expected = F.conv2d(xt[None], kt, bt, stride=stride, padding=padding)[0]
    close([[[v.data for v in row] for row in plane] for plane in out], expected.tolist())
    upstream = torch.tensor(
        [[[rng.uniform(-1, 1) for _ in row] for row in plane] for plane in out], dtype=torch.float64
    )
    (expected * upstream).sum().backward()
    total = sum(u * v for u, v in zip(flat(upstream.tolist()), flat(out)))
    total.backward()
    close([v.grad for v in flat(xv)], flat(xt.grad.tolist()))
    close([v.grad for ko in kv for v in flat(ko)], flat(kt.grad.tolist()))
    close([v.grad for v in bv], bt.grad.tolist())


@st.composite
def pool_case(draw):
    c = draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    h, w = draw(st.integers(kh, 7)), draw(st.integers(kw, 7))
    ties = draw(st.booleans())  # small integers: windows with several equal maxima
    return c, (kh, kw), stride, (h, w), ties, draw(st.integers(0, 10**6))


@settings(max_examples=40, deadline=None)
@given(pool_case(), st.sampled_from(["max", "avg"]))
def test_pooling_outputs_and_grads_equal_torch_ties_included(case, kind):
    c, kernel, stride, (h, w), ties, seed = case
    rng = random.Random(seed)
    draw = (lambda: float(rng.randint(0, 2))) if ties else (lambda: rng.uniform(-2, 2))
    x = [[[draw() for _ in range(w)] for _ in range(h)] for _ in range(c)]
    xv = leaves(x)
    ours = (max_pool2d if kind == "max" else avg_pool2d)(xv, kernel, stride)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    pool = F.max_pool2d if kind == "max" else F.avg_pool2d
    expected = pool(xt[None], kernel, stride)[0]
    close([[[v.data for v in row] for row in plane] for plane in ours], expected.tolist())
    upstream = [rng.uniform(0.5, 2) for _ in flat(ours)]
    (expected.flatten() * torch.tensor(upstream, dtype=torch.float64)).sum().backward()
    sum(u * v for u, v in zip(upstream, flat(ours))).backward()
    close([v.grad for v in flat(xv)], flat(xt.grad.tolist()))


def test_max_pool_sends_delta_to_the_first_maximum_on_a_tie():
    x = [[[1.0, 3.0], [3.0, 0.0]]]  # two maxima: (0, 1) comes first in row-major order
    xv = leaves(x)
    max_pool2d(xv, 2)[0][0][0].backward()
    assert [[v.grad for v in row] for row in xv[0]] == [[0.0, 1.0], [0.0, 0.0]]
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    F.max_pool2d(xt[None], 2).sum().backward()
    assert xt.grad.tolist() == [[[0.0, 1.0], [0.0, 0.0]]]


@settings(max_examples=25, deadline=None)
@given(conv_case())
def test_im2col_is_torch_unfold_and_col2im_is_fold(case):
    c_in, _, kernel, stride, padding, (h, w), seed = case
    rng = random.Random(seed)
    x = [[[rng.uniform(-2, 2) for _ in range(w)] for _ in range(h)] for _ in range(c_in)]
    xt = torch.tensor(x, dtype=torch.float64)[None]
    cols = im2col(x, kernel, stride, padding)
    expected = F.unfold(xt, kernel, padding=padding, stride=stride)[0]
    assert cols == expected.tolist()
    back = col2im(cols, (c_in, h, w), kernel, stride, padding)
    folded = F.fold(expected[None], (h, w), kernel, padding=padding, stride=stride)[0]
    close(back, folded.tolist())


def test_a_shared_weight_grad_is_the_sum_over_positions():
    # 1 channel, 4×4 input, one 2×2 kernel: w[0][0] is used at 9 positions.
    x = [[[float(4 * i + j) for j in range(4)] for i in range(4)]]
    xv = leaves(x)
    k = [[[[Value(0.5), Value(-1.0)], [Value(2.0), Value(1.0)]]]]
    out = conv2d(xv, k, None)
    sum(v for v in flat(out)).backward()
    # ∂/∂w[0][0] of Σ out = Σ over the 9 windows of their top-left input
    assert k[0][0][0][0].grad == sum(x[0][i][j] for i in range(3) for j in range(3))


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_conv_module_and_its_torch_modules_agree(activation):
    conv = Conv2d(2, 3, (2, 3), stride=(1, 2), padding=(1, 0), activation=activation, seed=4)
    rng = random.Random(0)
    x = [[[rng.uniform(-1, 1) for _ in range(6)] for _ in range(5)] for _ in range(2)]
    t = conv.to_torch()
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    expected = t(xt[None])[0]
    out = conv(x)
    close([[[v.data for v in row] for row in plane] for plane in out], expected.tolist())
    assert conv.output_shape((2, 5, 6)) == tuple(expected.shape)
    expected.sum().backward()
    sum(flat(out)).backward()
    close([w.grad for k in conv.kernels for w in k.w], flat(t[0].weight.grad.tolist()))
    close([k.b.grad for k in conv.kernels], t[0].bias.grad.tolist())


def test_conv1d_equals_torch_conv1d():
    conv = Conv1d(2, 3, 3, stride=2, padding=1, activation="tanh", seed=1)
    x = [[0.5, -1.0, 2.0, 0.0, 1.5], [1.0, 1.0, -0.5, 0.25, 0.0]]
    out = conv(x)
    expected = conv.to_torch()(torch.tensor(x, dtype=torch.float64)[None])[0]
    close([[v.data for v in row] for row in out], expected.tolist())
    assert conv.output_shape((2, 5)) == tuple(expected.shape)


def test_pool_and_flatten_modules_shapes():
    x = [[[float(i * 5 + j) for j in range(5)] for i in range(4)]] * 2
    for pool, torch_pool in ((MaxPool2d(2), F.max_pool2d), (AvgPool2d(2, stride=1), F.avg_pool2d)):
        out = pool(x)
        expected = torch_pool(torch.tensor(x, dtype=torch.float64)[None], pool.kernel_size, pool.stride)[0]
        close([[[v.data for v in row] for row in plane] for plane in out], expected.tolist())
        assert pool.output_shape((2, 4, 5)) == tuple(expected.shape)
    assert Flatten()(x) == flat(x)
    assert Flatten().output_shape((2, 4, 5)) == (40,)


def test_parameter_names_labels_and_groups():
    conv = Conv2d(2, 3, 2, name="C1", seed=0)
    names = [n for n, _ in conv.named_parameters()]
    assert names[:2] == ["kernels.0.w.0", "kernels.0.w.1"]
    assert names[8] == "kernels.0.b" and names[-1] == "kernels.2.b" and len(names) == 3 * (2 * 2 * 2 + 1)
    w = conv.kernels[1].w[6]  # c = 1, p = 1, q = 0
    assert (w.label, w.group) == ("w[1][1][0]", "C1.k1")
    assert len(conv.weights()) == 24 and all(p.label != "b" for p in conv.weights())
    out = conv([[[1.0] * 3] * 3] * 2)
    assert out[2][0][1].group == "C1.k2"
    pooled = MaxPool2d(2, name="P1")(out)
    assert pooled[1][0][0].group == "P1.c1"


def test_init_draws_from_the_rule_with_fan_in_and_is_seeded():
    a, b = Conv2d(3, 4, 3, seed=7), Conv2d(3, 4, 3, seed=7)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    rng = random.Random(7)
    assert [w.data for w in a.kernels[0].w] == [rng.gauss(0.0, (1 / 27) ** 0.5) for _ in range(27)]
    he = Conv2d(3, 4, 3, seed=7, init="he")
    rng = random.Random(7)
    assert [w.data for w in he.kernels[0].w] == [rng.gauss(0.0, (2 / 27) ** 0.5) for _ in range(27)]
    with pytest.raises(ValueError, match="init must be one of"):
        Conv2d(1, 1, 2, init="xavier")
