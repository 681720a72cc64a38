"""One generic test over every registered op: the rule's expression text is the op, bit for bit.

For each op of the table in conftest.py, on many inputs including the extremes (0, ±tiny,
±huge, ±700, nan, ±inf): ``forward_code`` gives exactly the node's data or raises the
op's error, ``local_code`` gives exactly what the op's local-derivative function returns,
no pass raises once the forward succeeded, and backward, backward_steps and the fast pass
agree to the last bit.  A forward error must name the input it refused (``log needs a
positive input, got -0.0``): a bare "math domain error" from ``math`` fails, because every
op gives IEEE results (nan, ±inf) where its maths is undefined, as PyTorch's float64 does.
Plus: an op without a registration fails here, and a new op reaches the fast pass and the
codegen namespace from its rule alone.
"""

import inspect
import itertools
import random
import re

import pytest

import autograd
import autograd.value as value_module
from autograd import Value, fast
from autograd.value import CODE_NAMESPACE, RULES, rule_for

FORWARD_ERRORS = (ValueError, ZeroDivisionError, OverflowError)


def input_tuples(op, extremes):
    """Every pair of extremes for ops of one or two inputs, else a seeded sample; plus op.points."""
    if op.arity <= 2:
        tuples = list(itertools.product(extremes, repeat=op.arity))
    else:
        rng = random.Random(op.name)
        count = 60 if op.arity < 9 else 8
        tuples = [tuple(rng.choice(extremes) for _ in range(op.arity)) for _ in range(count)]
    return tuples + list(op.points)


def structure(op):
    """For each parent of the op's node: the index of the leaf it is, a constant's data, or
    ("inner", None) for a node computed inside the row (a composite row such as
    "constants on both sides"): its data is read from the node."""
    leaves = [Value(x) for x in op.points[0]]
    node = op.build(*leaves)
    where = []
    for parent in node.parents:
        index = next((i for i, leaf in enumerate(leaves) if leaf is parent), None)
        if index is not None:
            where.append(("leaf", index))
        else:
            where.append(("constant", parent.data) if parent.is_leaf() else ("inner", None))
    return rule_for(node), where


def evaluate(expression, **names):
    return eval(expression, dict(CODE_NAMESPACE), names)


FLOAT_AS_WRITTEN = re.compile(r"-?\d+\.\d*(e[+-]\d+)?|-?\d+e[+-]\d+|-?inf\b|\bnan\b")


def names_an_input(error, xs):
    """The message shows the input it refused: one of ``xs`` or the failing op's own operand,
    written as Python writes a float (``-0.0``, ``1e+200``, ``inf``).  Python's bare messages
    ("math domain error", "float division by zero", "math range error") name none."""
    text = str(error)
    return any(repr(x) in text for x in xs) or FLOAT_AS_WRITTEN.search(text) is not None


def all_grads(backward, op, xs):
    leaves = [Value(x) for x in xs]
    node = op.build(*leaves)
    backward(node)
    return [v.grad for v in autograd.topological_order(node)]


def by_steps(node):
    for _ in node.backward_steps():
        pass


def test_every_op_rule_is_the_op_bit_for_bit_on_extreme_inputs(op, bits, extremes):
    rule, where = structure(op)
    names = [f"p{i}" for i in range(len(where))]
    forward_text = rule.forward_code(names)
    locals_text = rule.local_code("out", names)
    checked = 0
    for xs in input_tuples(op, extremes):
        parents_data = {name: xs[ref] if kind == "leaf" else ref for name, (kind, ref) in zip(names, where)}
        try:
            node = op.build(*[Value(x) for x in xs])
        except FORWARD_ERRORS as error:
            assert names_an_input(error, xs), f"{op.name}{xs}: unnamed error {error!r} (give IEEE results)"
            if all(kind != "inner" for kind, _ in where):  # else an inner op may have raised
                with pytest.raises(type(error)):
                    evaluate(forward_text, **parents_data)
            continue
        parents_data = {name: parent.data for name, parent in zip(names, node.parents)}
        assert rule_for(node) is rule and rule.op == node.op
        got = evaluate(forward_text, **parents_data)
        assert bits.same(got, node.data), (op.name, xs, forward_text, got, node.data)
        expected_locals = rule.local(node)
        got_locals = [evaluate(text, out=node.data, **parents_data) for text in locals_text]
        assert bits.all_same(got_locals, expected_locals), (op.name, xs, locals_text, got_locals)
        # no pass raises once the forward succeeded, and all three agree to the last bit
        plain = all_grads(autograd.backward, op, xs)
        assert bits.all_same(all_grads(fast.backward, op, xs), plain), (op.name, xs)
        assert bits.all_same(all_grads(by_steps, op, xs), plain), (op.name, xs)
        checked += 1
    assert checked > 0


def test_every_local_function_in_value_py_is_registered():
    found = 0
    for name, function in vars(value_module).items():
        if not (name.endswith("_local") and callable(function)):
            continue
        if name == "pow_const_local":  # a factory: one local function per exponent
            function = function(2.0, "**2.0")
        assert getattr(function, "rule", None) is not None, f"{name} has no @rule registration"
        assert function.rule.local is function
        found += 1
    assert found == len(RULES) + 1


def test_the_table_of_ops_covers_every_registered_rule(ops):
    assert {op.family for op in ops} == set(RULES) | {"**n"}


def test_every_method_that_builds_a_node_has_a_rule():
    """Whatever Value method makes a new node, the node's op has a registered rule."""
    made = set()
    for name, method in vars(Value).items():
        if not inspect.isfunction(method) or name in ("__init__", "backward", "backward_steps"):
            continue
        arguments = len(inspect.signature(method).parameters) - 1
        if arguments > 1:
            continue
        out = method(Value(0.7), *([Value(1.3)] if arguments else []))
        if isinstance(out, Value) and out.parents:
            assert rule_for(out).op == out.op, name
            made.add(out.op)
    assert {"+", "-", "*", "/", "**", "neg", "exp", "log", "tanh", "sigmoid", "relu"} <= made


def test_n_ary_nodes_have_rules_and_dot_layout_is_documented():
    w, x, b = [Value(0.5), Value(2.0)], [Value(3.0), Value(-1.0)], Value(0.25)
    z = autograd.dot(w, x, b)
    names = ["w1", "w2", "x1", "x2", "b"]
    assert rule_for(z).local_code("z", names) == ["x1", "x2", "w1", "w2", "1.0"]
    s = autograd.sum(x)
    assert rule_for(s).local_code("s", ["a", "b"]) == ["1.0", "1.0"]


def test_a_leaf_has_no_rule():
    with pytest.raises(LookupError, match="leaf"):
        rule_for(Value(1.0))


def test_names_that_are_not_plain_are_parenthesised():
    x = Value(-3.0)
    rule = rule_for(x**2)
    assert evaluate(rule.forward_code(["-3.0"])) == 9.0  # not -(3.0 ** 2)
    assert evaluate(rule.local_code("9.0", ["-3.0"])[0]) == -6.0


def test_forward_code_raises_the_ops_errors_with_its_messages():
    p = {"p0": 0.0, "p1": 0.0}
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        evaluate(RULES["/"].forward_code(["p0", "p1"]), **p)
    with pytest.raises(ValueError, match="log needs a positive input"):
        evaluate(RULES["log"].forward_code(["p0"]), **p)
    with pytest.raises(OverflowError, match="exp overflows"):
        evaluate(RULES["exp"].forward_code(["p0"]), p0=1000.0)
    with pytest.raises(ZeroDivisionError, match=r"\*\* -1"):
        evaluate(rule_for(Value(2.0) ** -1).forward_code(["p0"]), **p)


def test_an_unnamed_forward_error_is_told_apart_from_a_named_one():
    """The check above cannot pass a bare message from ``math``, and passes the engine's own."""
    assert not names_an_input(ValueError("math domain error"), (float("inf"),))
    assert not names_an_input(OverflowError("math range error"), (1000.0,))
    assert not names_an_input(ZeroDivisionError("float division by zero"), (0.0,))
    with pytest.raises(ValueError) as info:
        Value(-0.0).log()
    assert names_an_input(info.value, (-0.0,))


def test_every_registered_op_reaches_the_fast_pass_from_its_rule():
    """Inlined unless its rule says ``inline=False`` (no hand-kept list in fast.py)."""
    inlined = {rule.op for rule in fast.inlined_rules()}
    assert inlined == {op for op, rule in RULES.items() if rule.inline}
    assert {"/", "log", "**"}.isdisjoint(inlined)
    for op in inlined:
        assert f"  # {op}\n" in fast.SOURCE, op


def test_every_name_a_rule_uses_is_in_the_code_namespace(op):
    """Each name in the op's expressions resolves (every function of autograd.operators is there)."""
    import ast

    rule, where = structure(op)
    names = [f"p{i}" for i in range(len(where))]
    for text in [rule.forward_code(names), *rule.local_code("out", names)]:
        used = {node.id for node in ast.walk(ast.parse(text, mode="eval")) if isinstance(node, ast.Name)}
        missing = used - set(names) - {"out"} - set(CODE_NAMESPACE)
        assert not missing, (op.name, text, missing)
    import autograd.operators as operators

    assert all(CODE_NAMESPACE[name] is getattr(operators, name) for name in operators.__all__)
