"""autograd.codegen: a graph as straight-line Python, bit for bit what ``backward()`` gives.

Checks: every op and random graphs against ``backward()`` to the last bit, at the traced
data and at other data (against ``backward()`` on the graph rebuilt from that data);
closed forms, so agreeing with ``backward`` is never the only evidence; hostile labels
never become code; errors; a 20,000-op chain; the batch program equals the per-sample
sums.
"""

import ast
import io
import math
import struct
import tokenize

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.codegen import codegen


def bits(x):
    """The float's bits, every NaN alike (its sign and payload are not promised)."""
    return "nan" if math.isnan(x) else struct.pack("<d", x)


def same(a, b):
    return [bits(x) for x in a] == [bits(y) for y in b]


def backward_grads(build, data):
    """``(root.data, leaf grads)`` from ``backward()`` on the graph built from ``data``."""
    leaves = [Value(x) for x in data]
    root = build(*leaves)
    root.backward()
    return root.data, [leaf.grad for leaf in leaves]


@pytest.mark.parametrize("traced", [0, -1], ids=["traced at the first point", "traced at the last"])
def test_every_op_exactly_as_backward_at_traced_and_other_data(op, traced):
    """The shared table of ops (tests/conftest.py): traced at one of the row's points, run at each."""
    data = op.points[traced]
    leaves = [Value(x) for x in data]
    prog = codegen(op.build(*leaves), leaves)
    for xs in op.points:
        out, grads = prog(*xs)
        expected_out, expected_grads = backward_grads(op.build, xs)
        assert same([out], [expected_out])
        assert same(grads, expected_grads)
        for got, want in zip(grads, op.derivs(*xs)):
            assert got == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_the_table_covers_every_registered_rule(ops):
    covered = set()
    for op in ops:
        root = op.build(*[Value(x) for x in op.points[0]])
        covered |= {node.op for node in autograd.topological_order(root) if node.parents}
    assert set(autograd.value.RULES) <= covered, set(autograd.value.RULES) - covered
    assert any(op.startswith("**") and op != "**" for op in covered)  # x ** constant, one rule per n


def test_one_neuron_reads_like_backprop_by_hand_and_matches_the_closed_form():
    x1, x2 = Value(2.0, label="x1"), Value(-1.0, label="x2")
    w1, w2, b = Value(0.3, label="w1"), Value(-0.7, label="w2"), Value(0.1, label="b")
    z = autograd.dot([w1, w2], [x1, x2], b)
    z.label = "z"
    a = z.tanh()
    a.label = "a"
    prog = codegen(a, [w1, w2, b, x1, x2])
    lines = [line.strip() for line in prog.source.splitlines()]
    assert lines[0] == "def program(w1, w2, b, x1, x2):"
    body = [line for line in lines[1:] if line and not line.startswith("#")]
    # forward lines first, in order, then the backward from the output back
    assert body.index("d_a = 1.0") == 2
    assert body.index("d_z = (1.0 - a * a) * d_a") == 3
    assert body.index("d_w1 = x1 * d_z") == 4
    assert "d_b = d_z" in body
    out, grads = prog(0.3, -0.7, 0.1, 2.0, -1.0)
    t = math.tanh(0.3 * 2.0 + -0.7 * -1.0 + 0.1)
    assert out == t
    assert grads == pytest.approx([(1 - t * t) * 2.0, (1 - t * t) * -1.0, 1 - t * t, (1 - t * t) * 0.3,
                                   (1 - t * t) * -0.7], rel=1e-15)


def test_fan_out_sums_the_terms_in_backward_order_as_li_hongyis_equation():
    # a feeds z' and z''; dC/dz = σ'(z) [w3 dC/dz' + w4 dC/dz''] appears as += lines
    z, w3, w4 = Value(0.4, label="z"), Value(0.5, label="w3"), Value(-1.2, label="w4")
    a = z.sigmoid()
    a.label = "a"
    z1, z2 = a * w3, a * w4
    z1.label, z2.label = "z1", "z2"
    c = z1.tanh() + z2.tanh()
    prog = codegen(c, [z, w3, w4])
    lines = [line.strip() for line in prog.source.splitlines()]
    first = next(i for i, line in enumerate(lines) if line.startswith("d_a = "))
    second = next(i for i, line in enumerate(lines) if line.startswith("d_a += "))
    assert first < second < lines.index("d_z = (a * (1.0 - a)) * d_a")
    assert {lines[first], lines[second]} == {"d_a = w3 * d_z1", "d_a += w4 * d_z2"}
    _, grads = prog(0.4, 0.5, -1.2)
    s = 1 / (1 + math.exp(-0.4))
    expected = s * (1 - s) * (0.5 * (1 - math.tanh(s * 0.5) ** 2) + -1.2 * (1 - math.tanh(s * -1.2) ** 2))
    assert grads[0] == pytest.approx(expected, rel=1e-14)


def test_minus_zero_as_backward_leaves_it():
    # a dead relu with a negative upstream makes -0.0 terms; backward adds them to 0.0
    x, w = Value(-1.0), Value(2.0)
    y = (w * x).relu() * -3.0
    prog = codegen(y, [x, w])
    y.backward()
    _, grads = prog(-1.0, 2.0)
    assert same(grads, [x.grad, w.grad]) and bits(grads[1]) == bits(0.0)


def test_a_shared_leaf_gets_one_sum_of_its_terms_in_backward_order():
    # one weight at 150 places, as a convolution's kernel weight: its grad is written as
    # sums of at most 64 terms (deeper chains of + may not compile), the same additions
    w = Value(0.7, label="w")
    xs = [Value(3.0 * math.sin(i), label=f"x{i}") for i in range(150)]
    y = autograd.sum([(w * x).relu() for x in xs])
    prog = codegen(y, [w, *xs])
    y.backward()
    out, grads = prog(0.7, *(x.data for x in xs))
    assert same([out], [y.data]) and same(grads, [w.grad, *(x.grad for x in xs)])
    assert grads[0] == pytest.approx(sum(x.data for x in xs if x.data > 0), rel=1e-12)  # Σ x where w·x > 0
    tree = ast.parse(prog.source)
    to_w = [node for node in ast.walk(tree) if isinstance(node, ast.Assign) and node.targets[0].id == "d_w"]
    assert len(to_w) == 3  # 64 + 64 + 22 terms

    def terms(expr):
        return terms(expr.left) + 1 if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add) else 1

    assert [terms(node.value) for node in to_w] == [64, 65, 23]  # the 2nd and 3rd start from d_w
    batch = prog.batch(1)
    rows = [[x.data for x in xs], [-x.data for x in xs]]
    sums = [prog(0.7, *row)[1][0] for row in rows]
    assert same(batch([0.7], rows).grads, [0.0 + sums[0] + sums[1]])


def test_a_shared_leaf_whose_terms_are_all_minus_zero_gets_plus_zero_as_in_backward():
    x, w = Value(-1.0), Value(2.0)
    y = (w * x).relu() * -3.0 + (w * x * 2.0).relu() * -3.0  # dead relus, negative upstream: -0.0 terms
    prog = codegen(y, [x, w])
    y.backward()
    _, grads = prog(-1.0, 2.0)
    assert same(grads, [x.grad, w.grad]) and bits(grads[0]) == bits(0.0)  # x's terms: w * -0.0, twice
    assert same(prog.batch(1)([-1.0], [(2.0,)]).grads, [x.grad])


def test_unused_leaf_gets_zero_and_a_leaf_root_gets_one():
    x, unused = Value(1.5), Value(2.0)
    prog = codegen(x * 2.0, [x, unused])
    assert prog(1.5, 2.0) == (3.0, (2.0, 0.0))
    prog = codegen(x, [unused, x])
    assert prog(4.0, 1.5) == (1.5, (0.0, 1.0))


def test_constants_round_trip_exactly_including_nan_and_infinities():
    x = Value(0.5)
    odd = [0.1, 1 / 3, -2.5e-310, 1.7976931348623157e308, -0.0, math.inf, -math.inf, math.nan,
           struct.unpack("<d", struct.pack("<Q", 0x7FF8_0000_0000_1234))[0]]
    root = autograd.sum([x * c for c in odd])
    prog = codegen(root, [x])
    root.backward()
    out, grads = prog(0.5)
    assert same([out], [root.data]) and same(grads, [x.grad])
    for c in odd:
        assert bits(codegen(Value(c) * x, [x])(0.5)[0]) == bits(c * 0.5)


def test_arguments_that_are_not_floats():
    x = Value(1.0)
    prog = codegen(x * 3.0, [x])
    assert prog(2) == (6.0, (3.0,)) and type(prog(2)[0]) is float
    for bad in ("2", None, True, [1.0]):
        with pytest.raises(TypeError, match="argument 0"):
            prog(bad)


def test_errors_for_bad_leaves_and_bad_calls():
    a, b = Value(1.0), Value(2.0)
    y = a * b
    with pytest.raises(ValueError, match="leaves\\[1\\] is not a leaf"):
        codegen(y, [a, y])
    with pytest.raises(ValueError, match="twice"):
        codegen(y, [a, b, a])
    with pytest.raises(TypeError, match="leaves\\[0\\] must be a Value"):
        codegen(y, [1.0])
    with pytest.raises(TypeError, match="root must be a Value"):
        codegen(2.0, [a])
    with pytest.raises(TypeError, match="leaves must be"):
        codegen(y, a)
    prog = codegen(y, [a, b])
    for args in ((1.0,), (1.0, 2.0, 3.0)):
        with pytest.raises(TypeError, match="takes 2 arguments"):
            prog(*args)


def test_run_time_errors_are_the_forward_passs():
    x = Value(2.0)
    prog = codegen(x.log() + 1.0 / x, [x])
    for bad, error in ((-1.0, ValueError), (0.0, (ValueError, ZeroDivisionError))):
        with pytest.raises(error):
            prog(bad)
        with pytest.raises(error):
            Value(bad).log() + 1.0 / Value(bad)
    prog = codegen(1.0 / x, [x])
    with pytest.raises(ZeroDivisionError):
        prog(0.0)
    prog = codegen(x.exp(), [x])
    with pytest.raises(OverflowError):
        prog(1000.0)


HOSTILE = [
    "__import__('os').system('echo pwned')",
    "x\nimport os\nos.system('echo pwned')",
    "a'; b = \"",
    "\r# \\",
    "α",
    "ﬁ",  # NFKC-normalises to "fi": a second, different variable must not merge with it
    "fi",
    "if", "print", "sum", "nan", "inf", "_x", "__class__", "d_x", "x", "g_x", "program", "rows",
    "a" * 100, "", "x ", "x", 42, None,
]


def force_label(node, label):
    if label is None or isinstance(label, str):
        node.label = label
    else:  # Value.label refuses it: force it into the slot, as careless code could
        Value._label.__set__(node, label)


def test_hostile_labels_never_become_code_and_change_nothing():
    leaves = [Value(0.1 * (i + 1)) for i in range(len(HOSTILE))]
    for leaf, label in zip(leaves, HOSTILE):
        force_label(leaf, label)
    terms = []
    for i, leaf in enumerate(leaves):
        t = (leaf * (i + 1.5)).tanh()
        force_label(t, HOSTILE[-1 - i])
        terms.append(t)
    root = autograd.sum(terms)
    root.label = "\n".join(str(h) for h in HOSTILE)
    prog = codegen(root, leaves)
    root.backward()
    out, grads = prog(*[leaf.data for leaf in leaves])
    assert same([out], [root.data]) and same(grads, [leaf.grad for leaf in leaves])
    tree = ast.parse(prog.source)
    # no call but to the engine's functions, no string literal, no attribute access
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Attribute, ast.Import, ast.ImportFrom))]
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert calls <= set(autograd.value.CODE_NAMESPACE)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    names |= {a.arg for a in tree.body[0].args.args}  # the variables the program defines
    assert not names & {"if", "print", "sum", "__class__", "_x", "ﬁ", "α", "nan", "inf", "program"}
    assert not names & set(autograd.value.CODE_NAMESPACE)
    assert "fi" in names  # the plain one keeps its name
    # a label shows only in comments, through ascii(): one line, quoted
    comments = [t.string for t in tokenize.generate_tokens(io.StringIO(prog.source).readline)
                if t.type == tokenize.COMMENT]
    code = prog.source
    for comment in comments:
        code = code.replace(comment, "")
    for label in HOSTILE[:4]:
        assert label not in code
        assert any(ascii(label) in c for c in comments)
    assert prog.source.isascii()


@st.composite
def graphs(draw):
    """A random program over 3 leaves: every op, fan-out, constants; errors allowed."""
    ops = draw(st.lists(st.tuples(st.sampled_from(sorted(STEPS)), st.integers(0, 30), st.integers(0, 30),
                                  st.sampled_from([0.5, -2.0, 0.0, 3.0, 1e-3])), min_size=1, max_size=14))
    return ops


STEPS = {
    "add": lambda a, b, c: a + b, "sub": lambda a, b, c: a - b, "mul": lambda a, b, c: a * b,
    "div": lambda a, b, c: a / b, "neg": lambda a, b, c: -a, "powc": lambda a, b, c: a ** c,
    "pow": lambda a, b, c: a ** b, "exp": lambda a, b, c: a.exp(), "log": lambda a, b, c: a.log(),
    "tanh": lambda a, b, c: a.tanh(), "sigmoid": lambda a, b, c: a.sigmoid(),
    "relu": lambda a, b, c: a.relu(), "sum": lambda a, b, c: autograd.sum([a, b, a, c]),
    "dot": lambda a, b, c: autograd.dot([a, b], [b, c], a), "dot0": lambda a, b, c: autograd.dot([a], [b]),
    "cmul": lambda a, b, c: c * a, "csub": lambda a, b, c: c - a, "softplus": lambda a, b, c: a.softplus(),
}


def build_from(ops, leaves):
    stack = list(leaves)
    for name, i, j, c in ops:
        stack.append(STEPS[name](stack[i % len(stack)], stack[j % len(stack)], c))
    return autograd.sum(stack[len(leaves):]) if len(stack) > len(leaves) + 1 else stack[-1]


def outcome(fn):
    try:
        return fn()
    except (ValueError, ZeroDivisionError, OverflowError) as error:
        return type(error)


floats = st.floats(-3.0, 3.0, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(ops=graphs(), xs=st.lists(floats, min_size=3, max_size=3), ys=st.lists(floats, min_size=3, max_size=3))
# at ys both ops fail: the program must meet x/x's ZeroDivisionError first, as the forward pass does
@example(ops=[("div", 0, 0, 0.5), ("log", 0, 0, 0.5)], xs=[1.0, 0.0, 0.0], ys=[0.0, 0.0, 0.0])
def test_random_graphs_exactly_as_backward_at_traced_and_other_data(ops, xs, ys):
    leaves = [Value(x) for x in xs]
    root = outcome(lambda: build_from(ops, leaves))
    assume(isinstance(root, Value))
    prog = codegen(root, leaves)
    for data in (xs, ys):
        expected = outcome(lambda data=data: backward_grads(lambda *v: build_from(ops, v), data))
        got = outcome(lambda data=data: prog(*data))
        if isinstance(expected, type):  # the rebuilt forward pass raised: so does the program
            assert got is expected
        else:
            assert not isinstance(got, type)
            assert same([got[0]], [expected[0]]) and same(got[1], expected[1])


@settings(max_examples=60, deadline=None)
@given(ops=graphs(), xs=st.lists(floats, min_size=3, max_size=3),
       rows=st.lists(st.lists(floats, min_size=2, max_size=2), min_size=0, max_size=4))
def test_batch_is_exactly_the_sum_of_the_per_sample_programs(ops, xs, rows):
    leaves = [Value(x) for x in xs]
    root = outcome(lambda: build_from(ops, leaves))
    assume(isinstance(root, Value))
    prog = codegen(root, leaves)
    results = [outcome(lambda row=row: prog(xs[0], *row)) for row in rows]
    assume(not any(isinstance(r, type) for r in results))
    batch = prog.batch(1, keep=[root])
    total, grads, kept = batch([xs[0]], rows)
    expected_total, expected_grad = 0.0, 0.0
    for out, g in results:
        expected_total += out
        expected_grad += g[0]
    assert same([total], [expected_total]) and same(grads, [expected_grad])
    assert same([k for (k,) in kept], [out for out, _ in results])


def test_batch_checks_its_arguments():
    a, b = Value(1.0), Value(2.0)
    prog = codegen(a * b, [a, b])
    with pytest.raises(ValueError, match="n_fixed"):
        prog.batch(3)
    batch = prog.batch(1)
    assert prog.batch(1) is batch
    with pytest.raises(TypeError, match="fixed must hold 1"):
        batch([1.0, 2.0], [])
    with pytest.raises(TypeError, match="rows\\[1\\] must hold 1"):
        batch([1.0], [(2.0,), (2.0, 3.0)])
    assert batch([3.0], [(2.0,), (0.5,)]) == (7.5, (2.5,), [])  # 3·2 + 3·0.5; ∂/∂a = 2 + 0.5


def test_a_20000_op_chain_compiles_and_matches_backward():
    x, a = Value(0.5), Value(1.0001)
    y = x
    for _ in range(20_000):
        y = y * a
    prog = codegen(y, [x, a])
    y.backward()
    out, grads = prog(0.5, 1.0001)
    assert same([out], [y.data]) and same(grads, [x.grad, a.grad])
    assert grads[0] == pytest.approx(1.0001**20_000, rel=1e-9)
