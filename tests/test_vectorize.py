"""codegen's numpy backend (autograd/vectorize.py) against backward(), torch float64 and plain floats.

Matrix products and vector sums add in another order than the scalar pass, so the check is
closeness (1e-12 relative, with an absolute floor of 1e-12 times the size of the terms),
not bits; NaN must be NaN and an infinity the same infinity.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy")

import autograd  # noqa: E402
import nn  # noqa: E402
from autograd import Value  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
REL = 1e-12


def close(got: float, want: float, scale: float = 1.0) -> bool:
    if math.isnan(want) or math.isnan(got):
        return math.isnan(want) and math.isnan(got)
    if math.isinf(want) or math.isinf(got):
        return got == want
    return abs(got - want) <= REL * max(abs(want), scale)


def assert_all_close(got, want, scale: float = 1.0) -> None:
    got, want = list(got), list(want)
    assert len(got) == len(want)
    bad = [(i, g, w) for i, (g, w) in enumerate(zip(got, want)) if not close(g, w, scale)]
    assert not bad, bad[:5]


def backward_of(root: Value, leaves: list[Value]) -> tuple[float, list[float]]:
    for leaf in leaves:
        leaf.grad = 0.0
    for node in autograd.topological_order(root):
        node.grad = 0.0
    root.backward()
    return root.data, [leaf.grad for leaf in leaves]


def mlp_cost(sizes, activation, output_activation, seed, x_data, y_data, elementary=False):
    model = nn.MLP(sizes[0], sizes[1:], activation, output_activation, seed=seed, elementary=elementary)
    x = [Value(v, f"x{i + 1}") for i, v in enumerate(x_data)]
    y = [Value(v, f"y{i + 1}") for i, v in enumerate(y_data)]
    out = model(x)
    cost = nn.losses.quadratic_cost(out, y)
    return model, x, y, out, cost


# ------------------------------------------------------------------ random graphs (hypothesis)
def build(programs, program, leaves: list[Value]) -> Value:
    """The random program's graph; an example whose forward pass overflows is not one to test."""
    try:
        return programs.run(program, leaves, on_values=True)
    except (OverflowError, ZeroDivisionError, ValueError):
        assume(False)


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_random_graphs_as_backward(programs, data):
    program = data.draw(programs.strategy)
    xs = data.draw(st.lists(st.floats(-2, 2), min_size=3, max_size=3))
    leaves = [Value(v, f"x{i}") for i, v in enumerate(xs)]
    root = build(programs, program, leaves)
    prog = autograd.codegen(root, leaves, backend="numpy")
    out, grads = prog(*xs)
    want_out, want_grads = backward_of(root, leaves)
    scale = max([1.0, *map(abs, want_grads)])
    assert close(out, want_out)
    assert_all_close(grads, want_grads, scale)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_random_graphs_batch_is_the_sum_over_samples(programs, data):
    program = data.draw(programs.strategy)
    n_rows = data.draw(st.integers(1, 4))
    rows = data.draw(st.lists(st.lists(st.floats(-2, 2), min_size=2, max_size=2), min_size=n_rows,
                              max_size=n_rows))
    fixed = [Value(0.7, "p")]
    inputs = [Value(rows[0][0], "u"), Value(rows[0][1], "v")]
    root = build(programs, program, fixed + inputs)
    batch = autograd.codegen(root, fixed + inputs, backend="numpy").batch(1)
    want_total, want_grad = 0.0, 0.0
    for row in rows:  # the same graph rebuilt at each sample's data: backward() per sample, summed
        leaves = [Value(0.7, "p"), Value(row[0], "u"), Value(row[1], "v")]
        out = build(programs, program, leaves)
        out.backward()
        want_total += out.data
        want_grad += leaves[0].grad
    result = batch([0.7], rows)  # (after every sample's forward pass is known to succeed)
    assert close(result.total, want_total, max(1.0, abs(want_total)))
    assert close(float(result.grads[0]), want_grad, max(1.0, abs(want_grad)))


# ------------------------------------------------------------------ MLPs
ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
    activation=st.sampled_from(ACTIVATIONS),
    output_activation=st.sampled_from(ACTIVATIONS),
    seed=st.integers(0, 1000),
    elementary=st.booleans(),
)
def test_mlps_of_random_shapes_and_activations(sizes, activation, output_activation, seed, elementary):
    rng = random.Random(seed)
    x_data = [rng.uniform(-1, 1) for _ in range(sizes[0])]
    y_data = [rng.uniform(0, 1) for _ in range(sizes[-1])]
    model, x, y, out, cost = mlp_cost(sizes, activation, output_activation, seed, x_data, y_data, elementary)
    params = model.parameters()
    leaves = params + x + y
    prog = autograd.codegen(cost, leaves, backend="numpy")
    got_out, got = prog(*[leaf.data for leaf in leaves])
    want_out, want = backward_of(cost, leaves)
    assert close(got_out, want_out)
    assert_all_close(got, want)
    if not elementary:
        assert prog.source.count(" @ ") >= len(sizes) - 1  # one matrix product per layer
        assert prog.grouped
    # the batch program: samples as a second axis, gradients summed over them
    rows = [[rng.uniform(-1, 1) for _ in range(sizes[0])] + [rng.uniform(0, 1) for _ in range(sizes[-1])]
            for _ in range(3)]
    batch = prog.batch(len(params), keep=[out] if isinstance(out, Value) else out)
    result = batch([p.data for p in params], rows)
    want_total, want_grads, want_kept = 0.0, [0.0] * len(params), []
    for row in rows:
        for leaf, v in zip(x + y, row):
            leaf.data = v
        model2, x2, y2, out2, cost2 = mlp_cost(sizes, activation, output_activation, seed,
                                               row[: sizes[0]], row[sizes[0]:], elementary)
        for p2, p in zip(model2.parameters(), params):
            p2.data = p.data
        out2 = model2(x2)
        cost2 = nn.losses.quadratic_cost(out2, y2)
        cost2.backward()
        want_total += cost2.data
        want_grads = [s + p2.grad for s, p2 in zip(want_grads, model2.parameters())]
        want_kept.append([o.data for o in ([out2] if isinstance(out2, Value) else out2)])
    assert close(result.total, want_total)
    assert_all_close(result.grads, want_grads)
    assert_all_close(np.asarray(result.kept).ravel(), np.asarray(want_kept).ravel())


def test_an_mlp_reads_like_the_layer_form():
    model, x, y, out, cost = mlp_cost([4, 3, 2], "sigmoid", "sigmoid", 1, [0.1, 0.2, 0.3, 0.4], [0.0, 1.0])
    leaves = model.parameters() + x + y
    source = autograd.codegen(cost, leaves, backend="numpy").source
    for line in ("z1 = W1 @ x + b1", "a1 = sigmoid(z1)", "z2 = W2 @ a1 + b2", "a2 = sigmoid(z2)",
                 "d_z2 = (a2 * (1.0 - a2)) * d_a2", "d_W2 = d_z2 @ a1.T", "d_a1 = W2.T @ d_z2",
                 "d_z1 = (a1 * (1.0 - a1)) * d_a1", "d_W1 = d_z1 @ x.T"):
        assert f"    {line}" in source, line
    # each line names the scalar nodes it stands for
    assert "# 3 'dot' nodes: 'z' in 'L1.N0' … 'z' in 'L1.N2'" in source
    assert "# 3×4 weights: 'w1' in 'L1.N0' … 'w4' in 'L1.N2'" in source


COSTS = {  # each of nn's costs on a small MLP's outputs: (output activation, n outputs, cost of (out, y))
    "quadratic": ("sigmoid", 2, lambda out, y: nn.quadratic_cost(out, y)),
    "mse": ("sigmoid", 2, lambda out, y: nn.mse(out, y)),
    # two terms from two places: a sum of two that is no vector (it crashed in add_up once)
    "binary_cross_entropy": ("sigmoid", 2, lambda out, y: nn.binary_cross_entropy(out, [1.0, 0.0])),
    "cross_entropy": ("linear", 3, lambda out, y: nn.cross_entropy(out, 2)),
    "one_hot_cross_entropy": ("linear", 3, lambda out, y: nn.losses.one_hot_cross_entropy(out, y)[0]),
    "hinge": ("linear", 1, lambda out, y: nn.hinge(out, -1)),
}


@pytest.mark.parametrize("name", sorted(COSTS))
def test_every_cost_of_nn_as_backward(name):
    output_activation, n_out, cost_of = COSTS[name]
    model = nn.MLP(2, [3, n_out], "tanh", output_activation, seed=4)
    x = [Value(0.3, "x1"), Value(-0.7, "x2")]
    y = [Value(float(j == n_out - 1), f"y{j + 1}") for j in range(n_out)]
    cost = cost_of(model(x), y)
    leaves = model.parameters() + x + y
    prog = autograd.codegen(cost, leaves, backend="numpy")
    got_out, got = prog(*[leaf.data for leaf in leaves])
    want_out, want = backward_of(cost, leaves)
    assert close(got_out, want_out)
    assert_all_close(got, want)
    assert any(g != 0.0 for g in want)  # not vacuous


def _program_lines(source: str) -> list[str]:
    return [line.split("  #", 1)[0].strip() for line in source.splitlines()]


def test_the_costs_read_like_their_formulas():
    """Unlabeled cost nodes are named from what they compute; the unlabeled root is C."""
    model, x, y, out, cost = mlp_cost([2, 3, 2], "sigmoid", "sigmoid", 0, [0.5, -0.5], [0.0, 1.0])
    source = autograd.codegen(cost, model.parameters() + x + y, backend="numpy").source
    lines = _program_lines(source)
    for line in ("diff = a2 - y", "diff_sq = checked_pow(diff, 2.0, '** 2')",
                 "total = diff_sq.sum(axis=0, keepdims=True)", "C = 0.5 * total",
                 "d_total = 0.5 * d_C", "d_diff_sq = np.broadcast_to(d_total, (2, d_total.shape[1]))",
                 "d_diff = (2.0 * ieee_pow(diff, 1.0)) * d_diff_sq", "d_a2 = d_diff",
                 "d_z2 = (a2 * (1.0 - a2)) * d_a2", "d_W2 = d_z2 @ a1.T", "d_a1 = W2.T @ d_z2"):
        assert line in lines, line
    assert "d_v = ∂C/∂v" in source
    assert "# 2 '-' nodes: (no labels)" in source
    # binary cross-entropy: −ln a and −ln(1 − a)
    model = nn.MLP(2, [3, 2], "sigmoid", "sigmoid", seed=0)
    x = [Value(0.5, "x1"), Value(-0.5, "x2")]
    bce = nn.binary_cross_entropy(model(x), [1.0, 0.0])
    lines = _program_lines(autograd.codegen(bce, model.parameters() + x, backend="numpy").source)
    for line in ("log_a2 = checked_log((a2[0:1]))", "one_minus_a2 = 1.0 - (a2[1:2])",
                 "neg_log_a2 = (-1.0) * log_a2", "C = add_up((neg_log_a2, neg_log_one_minus_a2,))"):
        assert line in lines, line
    # hinge: relu(1 − y·z)
    model = nn.MLP(2, [3, 1], "sigmoid", "linear", seed=0)
    hinge = nn.hinge(model(x), 1)
    lines = _program_lines(autograd.codegen(hinge, model.parameters() + x, backend="numpy").source)
    for line in ("scaled_z2 = 1.0 * z2", "one_minus_scaled_z2 = 1.0 - scaled_z2",
                 "C = relu(one_minus_scaled_z2)"):
        assert line in lines, line


def test_a_labeled_root_keeps_its_label_and_names_never_clash():
    model, x, y, out, cost = mlp_cost([2, 3, 2], "tanh", "sigmoid", 2, [0.25, 0.75], [1.0, 0.0])
    cost.label = "loss"
    y[0].label, y[1].label = "diff", "C"  # the user's labels take the words the writer would use
    leaves = model.parameters() + x + y
    prog = autograd.codegen(cost, leaves, backend="numpy")
    lines = _program_lines(prog.source)
    assert "loss = 0.5 * total" in lines and "d_v = ∂loss/∂v" in prog.source
    assigned = [line.split(" = ", 1)[0] for line in lines if " = " in line and not line.startswith("d_")]
    assert len(assigned) == len(set(assigned)), assigned  # each name assigned once in the forward part
    got_out, got = prog(*[leaf.data for leaf in leaves])
    want_out, want = backward_of(cost, leaves)
    assert close(got_out, want_out)
    assert_all_close(got, want)


# ------------------------------------------------------------------ partly groupable graphs
def test_shared_weights_fan_out_constants_and_ungroupable_parts():
    rng = random.Random(3)
    shared = Value(0.3, "shared")
    w = [[Value(rng.gauss(0, 1), f"w{j}{i}") for i in range(3)] for j in range(4)]
    w[2][1] = shared  # one weight in two places of the matrix, and once more below
    w[3][0] = shared
    b = [Value(rng.gauss(0, 1), f"b{j}") for j in range(4)]
    x = [Value(rng.uniform(-1, 1), f"x{i}") for i in range(3)]
    z = [autograd.dot(w[j], x, b[j]) for j in range(4)]
    a = [zj.tanh() for zj in z]
    # fan-out: a[0] feeds three places; constants; a dot whose weights are computed (no matrix)
    odd = autograd.dot([a[0], a[1] * 2.0], [x[0], a[0]])
    ratio = (a[2] + 3.0) / (a[3].exp() + 1.0)
    tail = autograd.sum([odd, ratio, a[0] * shared, (x[1] - 0.5) ** 2, Value(1.5) * a[1].relu()])
    root = tail.log() if tail.data > 0 else tail.softplus()
    params = [p for row in w for p in row if p is not shared] + b + [shared]
    leaves = params + x
    prog = autograd.codegen(root, leaves, backend="numpy")
    out, grads = prog(*[leaf.data for leaf in leaves])
    want_out, want = backward_of(root, leaves)
    assert close(out, want_out)
    assert_all_close(grads, want)
    assert " @ " in prog.source and prog.grouped
    # the same graph, samples as columns: x per sample
    batch = prog.batch(len(params))
    rows = [[leaf.data for leaf in x], [0.5, -0.25, 0.75]]
    result = batch([p.data for p in params], rows)
    total, sums = 0.0, [0.0] * len(params)
    for row in rows:
        for leaf, v in zip(x, row):
            leaf.data = v
        for node in autograd.topological_order(root):  # recompute the forward pass at this sample
            if node.parents:
                node.data = _recompute(node)
        total += root.data
        sums = [s + g for s, g in zip(sums, backward_of(root, leaves)[1][: len(params)])]
    assert close(result.total, total)
    assert_all_close(result.grads, sums)


def _recompute(node: Value) -> float:
    """A node's data from its parents' by its op's own forward text (the rule's one home)."""
    rule = autograd.value.rule_for(node)
    names = [f"p{i}" for i in range(len(node.parents))]
    env = dict(autograd.value.CODE_NAMESPACE, **{n: p.data for n, p in zip(names, node.parents)})
    return eval(rule.forward_code(names), env)


def test_a_graph_with_nothing_to_group_compiles_runs_and_says_so():
    x, y = Value(1.5, "x"), Value(-0.5, "y")
    root = ((x * y).tanh() + 2.0).log()
    prog = autograd.codegen(root, [x, y], backend="numpy")
    assert not prog.grouped
    assert "nothing here groups" in prog.source
    out, grads = prog(1.5, -0.5)
    want_out, want = backward_of(root, [x, y])
    assert close(out, want_out)
    assert_all_close(grads, want)


def test_a_leaf_root_and_an_unused_leaf():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    prog = autograd.codegen(x, [x, y], backend="numpy")
    assert prog(2.0, 3.0) == (2.0, (1.0, 0.0))
    assert autograd.codegen(x * 3.0, [x, y], backend="numpy")(2.0, 3.0) == (6.0, (3.0, 0.0))


# ------------------------------------------------------------------ NaN, inf, errors
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_inf_propagate_as_in_the_scalar_pass(bad):
    model, x, y, out, cost = mlp_cost([3, 4, 2], "tanh", "sigmoid", 0, [0.5, bad, -0.5], [0.0, 1.0])
    leaves = model.parameters() + x + y
    prog = autograd.codegen(cost, leaves, backend="numpy")
    got_out, got = prog(*[leaf.data for leaf in leaves])
    want_out, want = backward_of(cost, leaves)
    assert close(got_out, want_out)
    assert_all_close(got, want)
    assert any(math.isnan(g) or math.isinf(g) for g in want)  # the case is not vacuous


def test_a_forward_error_is_raised_as_by_the_scalar_pass():
    x = Value(2.0, "x")
    prog = autograd.codegen((x - 1.0).log(), [x], backend="numpy")
    with pytest.raises(ValueError, match="log needs a positive input"):
        prog(1.0)
    with pytest.raises(ValueError):
        autograd.codegen((x - 1.0).log(), [x])(1.0)  # the scalar program: the same kind of error
    assert prog(2.0) == (0.0, (1.0,))


def test_bad_arguments_and_backend():
    x = Value(1.0, "x")
    with pytest.raises(ValueError, match="backend must be 'python' or 'numpy'"):
        autograd.codegen(x * 2.0, [x], backend="torch")
    with pytest.raises(ValueError, match="not a leaf"):
        autograd.codegen(x * 2.0, [x * 2.0], backend="numpy")
    prog = autograd.codegen(x * 2.0, [x], backend="numpy")
    with pytest.raises(TypeError, match="takes 1 arguments"):
        prog(1.0, 2.0)
    with pytest.raises(TypeError, match="argument 0"):
        prog("1.0")
    batch = prog.batch(0)
    with pytest.raises(TypeError, match="rows must be a 2-D array"):
        batch([], [1.0])
    with pytest.raises(TypeError, match="rows must hold real numbers"):
        batch([], [["1.0"]])
    with pytest.raises(TypeError, match="fixed must hold real numbers"):
        prog.batch(1)([True], [[]])
    with pytest.raises(ValueError, match="n_fixed"):
        prog.batch(2)


def test_hostile_labels_never_become_code():
    class Sneaky(str):
        def __str__(self):
            return "\nimport os  # sneaky"

    x = Value(0.5, "x\n__import__('os').system('echo owned')")
    w = Value(2.0, Sneaky("w"))
    z = autograd.dot([w], [x])
    z.label = "z'); print('owned"
    z.group = "g\r\nexec('1')"
    root = z.sigmoid()
    root.label = "def"  # a keyword: never a name
    prog = autograd.codegen(root, [w, x], backend="numpy")
    source = prog.source
    for line in source.splitlines():
        code = line.split("#", 1)[0]
        assert "owned" not in code and "import" not in code and "exec" not in code and "def " not in code[4:]
    assert "sneaky" not in source  # the str subclass's own __str__ never runs
    out, grads = prog(2.0, 0.5)
    want_out, want = backward_of(root, [w, x])
    assert close(out, want_out) and all(close(g, v) for g, v in zip(grads, want))
    # names made from what a node computes are made of generated names, never of such labels
    t = Value(0.25, "t'); import os; ('")
    a = root - t
    a.label = Sneaky("q")
    cost = (a ** 2).log()
    source = autograd.codegen(cost, [w, x, t], backend="numpy").source
    for line in source.splitlines():
        code = line.split("#", 1)[0]
        assert "import" not in code and "owned" not in code and "exec" not in code
    assert "sneaky" not in source
    assert "C = checked_log(" in source  # the unlabeled root


# ------------------------------------------------------------------ torch float64 oracle
def test_against_torch_float64():
    torch = pytest.importorskip("torch")
    rng = random.Random(7)
    x_data = [rng.uniform(0, 1) for _ in range(12)]
    y_data = [0.0] * 5
    y_data[2] = 1.0
    model, x, y, out, cost = mlp_cost([12, 7, 5], "sigmoid", "sigmoid", 2, x_data, y_data)
    params = model.parameters()
    prog = autograd.codegen(cost, params + x + y, backend="numpy")
    got_out, got = prog(*[leaf.data for leaf in params + x + y])
    seq = model.to_torch()
    xt = torch.tensor(x_data, dtype=torch.float64)
    cost_t = 0.5 * ((seq(xt) - torch.tensor(y_data, dtype=torch.float64)) ** 2).sum()
    cost_t.backward()
    want = []
    for layer in seq:
        if isinstance(layer, torch.nn.Linear):
            for j in range(layer.weight.shape[0]):
                want += [*layer.weight.grad[j].tolist(), float(layer.bias.grad[j])]
    assert close(got_out, float(cost_t.detach()))
    assert_all_close(got[: len(params)], want)


# ------------------------------------------------------------------ numpy stays optional
def test_import_autograd_and_nn_never_import_numpy():
    code = "import sys, autograd, nn; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_numpy_the_backend_says_how_to_get_it():
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "import autograd\n"
        "x = autograd.Value(1.0)\n"
        "print(autograd.codegen(x * 2.0, [x])(1.0))\n"
        "try:\n"
        "    autograd.codegen(x * 2.0, [x], backend='numpy')\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert "(2.0, (2.0,))" in out.stdout
    assert "pip install numpy" in out.stdout


def test_the_grouping_pass_needs_no_numpy():
    """autograd.grouping finds the layers without numpy (only writing and running need it)."""
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "import nn, autograd\n"
        "from autograd.grouping import Plan\n"
        "m = nn.MLP(2, [3, 2], seed=0)\n"
        "x = [autograd.Value(0.5), autograd.Value(-0.5)]\n"
        "c = nn.quadratic_cost(m(x), [0.0, 1.0])\n"
        "leaves = m.parameters() + x\n"
        "plan = Plan(c, leaves, len(leaves), ())\n"
        "print([(u.kind, len(u.nodes)) for u in plan.units][:4])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    # layer 1: one matrix product of 3 dot nodes, then 3 activations; layer 2 likewise
    assert "[('matmul', 3), ('elementwise', 3), ('matmul', 2), ('elementwise', 2)]" in out.stdout


def test_a_rule_text_that_cannot_run_on_arrays_runs_element_by_element():
    """A future op whose rule text uses ``and`` or ``max`` still compiles (np.vectorize of its
    text) and gives backward()'s numbers; built with an unregistered Rule, so RULES is untouched."""
    from autograd.value import Rule, _result

    def clip_local(out):
        (x,) = out.parents
        return (1.0 if 0.0 < x.data and x.data < 1.0 else 0.0,)

    clip_local.rule = Rule("clip", clip_local, "max(0.0, min({0}, 1.0))",
                           ("1.0 if 0.0 < {0} and {0} < 1.0 else 0.0",))

    def clip(v):
        return _result(max(0.0, min(v.data, 1.0)), (v,), "clip", clip_local)

    xs = [Value(v, f"x{i}") for i, v in enumerate([0.25, 1.5, -0.5, 0.75])]
    root = autograd.sum([clip(x * 2.0) * x for x in xs])
    prog = autograd.codegen(root, xs, backend="numpy")
    assert "_rule" in prog.source  # the element-by-element form was used
    out, grads = prog(*[x.data for x in xs])
    want_out, want = backward_of(root, xs)
    assert close(out, want_out)
    assert_all_close(grads, want)
    batch = prog.batch(0)
    rows = [[0.25, 1.5, -0.5, 0.75], [0.1, 0.2, 0.3, 0.9]]
    expected = sum(max(0.0, min(2 * v, 1.0)) * v for row in rows for v in row)
    assert close(batch([], rows).total, expected)
