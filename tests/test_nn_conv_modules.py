"""Conv modules: bad input named before anything changes, and the shared-weight picture."""

import html
import re

import pytest

import nn
from autograd.graph.picture import svg_width_px
from nn.conv import AvgPool2d, Conv1d, Conv2d, Flatten, MaxPool2d
from nn.conv_picture import shared_weight_picture

np = pytest.importorskip("numpy")


def image(c, h, w, value=1.0):
    return [[[value] * w for _ in range(h)] for _ in range(c)]


@pytest.mark.parametrize(
    ("x", "kind", "message"),
    [
        (
            image(1, 4, 4),
            ValueError,
            r"expects \[C\]\[H\]\[W\] with C = 2 channel\(s\), got 1 \(input shape \(1, 4, 4\)",
        ),
        (image(3, 4, 4), ValueError, r"C = 2 channel\(s\), got 3"),
        (
            [image(1, 4, 4)[0], image(1, 3, 4)[0]],
            ValueError,
            r"ragged input: x\[1\] has 3 rows, x\[0\] has 4",
        ),
        ([image(1, 4, 4)[0], image(1, 3, 4)[0] + [[1.0] * 5]], ValueError, r"x\[1\]\[3\] has 5 columns"),
        (image(2, 2, 2), ValueError, r"kernel 3×3 is larger than the padded input 2×2"),
        (np.zeros((2, 4)), ValueError, r"expects \[C\]\[H\]\[W\] \(3 nested levels\), got 2"),
        ("abc", TypeError, r"x must be a list"),
        ([[[1.0, "a", 1.0]] * 3] * 2, TypeError, r"x\[0\]\[0\]\[1\] must be a number or a Value, got str"),
        ([[[]]] * 2, ValueError, r"x\[0\]\[0\] is empty"),
    ],
)
def test_a_bad_image_is_named_before_anything_changes(x, kind, message):
    conv = Conv2d(2, 3, 3, name="C1", seed=0)
    before = [p.data for p in conv.parameters()]
    with pytest.raises(kind, match="Conv2d C1.*" + message if "ragged" not in message else message):
        conv(x)
    assert conv.x is None and conv.z is None
    assert [p.data for p in conv.parameters()] == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"stride": 0}, r"stride must be positive \(at least 1\), got 0"),
        ({"stride": 1.5}, r"stride must be a positive int or a pair"),
        ({"stride": True}, r"stride must be a positive int or a pair"),
        ({"padding": -1}, r"padding must be non-negative \(at least 0\), got -1"),
        ({"padding": 3}, r"padding 3 must be smaller than the kernel 3"),
        ({"kernel_size": 0}, r"kernel_size must be positive"),
        ({"kernel_size": (2, 2, 2)}, r"kernel_size must be a positive int or a pair"),
        ({"in_channels": 0}, r"in_channels must be a positive int"),
        ({"activation": "softmax"}, r"activation must be one of"),
    ],
)
def test_bad_conv_arguments(arguments, message):
    given = {"in_channels": 1, "out_channels": 1, "kernel_size": 3, **arguments}
    with pytest.raises(ValueError, match=message):
        Conv2d(**given)


def test_bad_pool_and_conv1d_arguments():
    with pytest.raises(ValueError, match="MaxPool2d kernel_size must be positive"):
        MaxPool2d(0)
    with pytest.raises(ValueError, match="AvgPool2d stride must be a positive int"):
        AvgPool2d(2, stride="2")
    with pytest.raises(ValueError, match="kernel_size of a Conv1d must be one int"):
        Conv1d(1, 1, (2, 2))
    with pytest.raises(ValueError, match=r"MaxPool2d P: kernel 3×3 is larger than the padded input 2×2"):
        MaxPool2d(3)(image(1, 2, 2))
    with pytest.raises(ValueError, match=r"Conv1d C expects \[C\]\[L\] with C = 2"):
        Conv1d(2, 1, 2)([[1.0, 2.0, 3.0]])
    with pytest.raises(TypeError, match=r"Flatten F: x\[0\]\[1\] must be a number, a Value or a list"):
        Flatten()([[1.0, "a"]])


def test_output_shape_names_the_module_and_both_shapes():
    conv = Conv2d(2, 3, 3, name="C1")
    with pytest.raises(
        ValueError,
        match=r"Conv2d\(2, 3, .*name='C1'\) takes input of shape \(C, H, W\) with C = 2, got shape \(3, 5, 5",
    ):
        conv.output_shape((3, 5, 5))
    with pytest.raises(ValueError, match=r"larger than the padded input 2×5.*\(input shape \(2, 2, 5\)\)"):
        conv.output_shape((2, 2, 5))
    with pytest.raises(ValueError, match=r"MaxPool2d.*takes input of shape \(C, H, W\), got shape \(4,\)"):
        MaxPool2d(2).output_shape((4,))


def test_numpy_images_are_accepted():
    conv = Conv2d(2, 1, 2, seed=0)
    x = np.arange(18, dtype=float).reshape(2, 3, 3)
    assert [v.data for row in conv(x)[0] for v in row] == [v.data for row in conv(x.tolist())[0] for v in row]


def test_the_picture_shows_the_shared_weight_grad_as_the_sum_of_its_contributions():
    torch = pytest.importorskip("torch")
    conv = Conv2d(1, 1, 2, activation="linear", name="C1")
    for w, value in zip(conv.kernels[0].w, [1.0, -1.0, 0.0, 2.0]):
        w.data = value  # small whole numbers: every drawn number is exact
    x = [[[float((i + 2 * j) % 4) for j in range(4)] for i in range(4)]]
    target = [1.0] * 9
    out = conv(x)
    nn.quadratic_cost([v for row in out[0] for v in row], target).backward()
    svg = shared_weight_picture(conv).svg()
    assert svg_width_px(svg) <= 900
    texts = [html.unescape(t) for t in re.findall(r">([^<]*)<", svg)]
    sums = [t for t in texts if re.fullmatch(r"grad \S+ = .*", t.strip())]
    assert len(sums) == 1  # the weight's box, the only Value with several out-edges
    grad_text, terms_text = sums[0].strip()[len("grad ") :].split(" = ")
    terms = [float(t) for t in terms_text.split(" + ")]
    assert len(terms) == 9  # one contribution per output position of a 4×4 input and a 2×2 kernel
    # the independent answer: torch's grad of the same cost, and x·δ per position
    xt = torch.tensor(x, dtype=torch.float64)[None]
    k = torch.tensor(
        [[[[w.data for w in conv.kernels[0].w[:2]], [w.data for w in conv.kernels[0].w[2:]]]]],
        dtype=torch.float64,
        requires_grad=True,
    )
    z = torch.nn.functional.conv2d(xt, k, torch.tensor([conv.kernels[0].b.data], dtype=torch.float64))
    z.retain_grad()
    (0.5 * ((z.flatten() - 1.0) ** 2).sum()).backward()
    expected_terms = (xt[0, 0, :3, :3] * z.grad[0, 0]).flatten().tolist()
    assert sorted(terms) == sorted(expected_terms)  # whole numbers: drawn exactly
    assert float(grad_text) == k.grad[0, 0, 0, 0].item() == sum(terms)


def test_exercise_answers_agree_with_torch_and_im2col():
    import importlib.util
    from pathlib import Path

    from nn import exercises
    from nn.conv_functions import im2col

    torch = pytest.importorskip("torch")
    path = Path(__file__).parent / "exercise_cases" / "nb11.py"
    spec = importlib.util.spec_from_file_location("nb11_cases", path)
    cases = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cases)
    given = exercises.task("11.3")
    x = torch.tensor(given["x"], dtype=torch.float64, requires_grad=True)
    pooled = torch.nn.functional.max_pool2d(x[None], 2)[0]
    (pooled * torch.tensor(given["delta"], dtype=torch.float64)).sum().backward()
    assert x.grad.flatten().tolist() == cases.CASES["11.3"][0]
    cols = im2col([[[0.0] * 32] * 32] * 3, 5, 1, 2)
    assert ((len(cols), len(cols[0])), (8, len(cols))) == cases.CASES["11.2"][0]
    signal = torch.tensor(exercises.task("11.1")["x"], dtype=torch.float64)
    w = torch.zeros(1, 1, 2, dtype=torch.float64, requires_grad=True)
    z = torch.nn.functional.conv1d(signal[None, None], w)[0, 0]
    (z * torch.tensor(exercises.task("11.1")["delta"], dtype=torch.float64)).sum().backward()
    assert tuple(w.grad.flatten().tolist()) == cases.CASES["11.1"][0]


def test_pictures_group_by_module_and_channel():
    from autograd.graph import draw_graph

    model = nn.Sequential(
        Conv2d(1, 2, 2, name="C1", seed=0),
        MaxPool2d(2, name="P1"),
        Flatten(),
        nn.Layer(8, 1, "linear", name="L1"),
    )
    out = model([[[0.1 * (i + j) for j in range(5)] for i in range(5)]])
    svg = draw_graph(out[0], collapse_groups=True).svg()
    texts = {html.unescape(t).strip() for t in re.findall(r">([^<]*)<", svg)}
    assert {"C1.k0", "C1.k1", "P1.c0", "P1.c1", "L1.N0"} <= texts
