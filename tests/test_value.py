"""Every op's value and local derivatives against closed forms, and bad input."""

import math

import pytest

import autograd
from autograd import Value, no_grad


def grads_of(out: Value, *inputs: Value) -> list[float]:
    for x in inputs:
        x.grad = 0.0
    out.backward()
    return [x.grad for x in inputs]


def test_every_op_value_and_local_derivatives_in_closed_form(op):
    """The table of ops in conftest.py: value and ∂out/∂input by the textbook formulas."""
    for point in op.points:
        leaves = [Value(x) for x in point]
        out = op.build(*leaves)
        assert out.data == pytest.approx(op.value(*point), rel=1e-15)
        if out.parents == tuple(leaves):  # the op's own parents: its local derivatives are the answer
            assert out.local_grads() == pytest.approx(op.derivs(*point), rel=1e-14)
        assert grads_of(out, *leaves) == pytest.approx(op.derivs(*point), rel=1e-14)


def test_binary_ops_have_their_two_operands_as_parents(ops):
    for op in ops:
        if op.family in ("+", "-", "*", "/", "**") and op.arity == 2:
            x, y = Value(op.points[0][0]), Value(op.points[0][1])
            assert op.build(x, y).parents == (x, y), op.name


def test_relu_and_tanh_on_negative_inputs():
    x = Value(-1.25)
    assert x.relu().data == 0.0
    assert grads_of(x.relu(), x) == [0.0]
    assert grads_of(x.tanh(), x) == pytest.approx([1 / math.cosh(-1.25) ** 2])


def test_numbers_on_either_side_become_constant_leaves():
    x = Value(3.0)
    for out, expected in [
        (x + 2, 5.0),
        (2 + x, 5.0),
        (x - 2, 1.0),
        (2 - x, -1.0),
        (x * 2, 6.0),
        (2 * x, 6.0),
        (x / 2, 1.5),
        (2 / x, 2 / 3),
        (2**x, 8.0),
    ]:
        assert out.data == pytest.approx(expected)
        assert all(isinstance(p, Value) for p in out.parents)
        assert len(out.parents) == 2
    assert (2 - x).parents[1] is x and (2 - x).parents[0].is_leaf()


def test_constant_exponent_has_one_parent_and_names_the_power():
    x = Value(2.0)
    y = x**3
    assert y.parents == (x,)
    assert y.op == "**3"


def test_parents_in_operand_order_with_duplicates():
    a, b = Value(1.0), Value(2.0)
    assert (a + a).parents == (a, a)
    assert (b * a).parents == (b, a)
    assert (a - b).parents == (a, b)


def test_leaf_attributes():
    v = Value(3, label="x")
    assert v.data == 3.0 and type(v.data) is float
    assert v.grad == 0.0 and v.parents == () and v.op == "" and v.label == "x"
    assert v.is_leaf() and v.local_grads() == ()


def test_repr_is_cheap_and_deterministic():
    a = Value(1.5, label="a")
    b = a * 2
    assert repr(a) == "Value(data=1.5, grad=0.0, label='a')"
    assert repr(b) == "Value(data=3.0, grad=0.0, op='*')"
    assert float(b) == 3.0


def test_sum_and_dot_are_single_nodes():
    w = [Value(0.5), Value(-1.0), Value(2.0)]
    x = [Value(3.0), Value(4.0), Value(-0.25)]
    b = Value(0.1)
    z = autograd.dot(w, x, b)
    assert z.op == "dot" and z.parents == (*w, *x, b)
    assert z.data == pytest.approx(0.5 * 3 - 4 - 0.5 + 0.1)
    z.backward()
    assert [wi.grad for wi in w] == [3.0, 4.0, -0.25]  # ∂z/∂w = the input on that weight
    assert [xi.grad for xi in x] == [0.5, -1.0, 2.0]
    assert b.grad == 1.0

    s = autograd.sum(x)
    assert s.op == "sum" and s.parents == tuple(x) and s.data == pytest.approx(6.75)
    assert s.local_grads() == (1.0, 1.0, 1.0)


def test_dot_without_bias_and_with_numbers():
    w = [Value(2.0), Value(3.0)]
    z = autograd.dot(w, [1, 0.5])
    assert z.data == 3.5 and len(z.parents) == 4
    z.backward()
    assert [wi.grad for wi in w] == [1.0, 0.5]


def test_dot_and_sum_bad_input():
    with pytest.raises(ValueError, match="2 weights, 3 inputs"):
        autograd.dot([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="no terms"):
        autograd.dot([], [])
    with pytest.raises(ValueError, match="at least one"):
        autograd.sum([])
    with pytest.raises(TypeError, match=r"inputs\[1\]"):
        autograd.dot([1, 2], [1, "x"])
    with pytest.raises(TypeError, match="bias"):
        autograd.dot([1], [1], bias="b")


@pytest.mark.parametrize("bad", ["a", None, True, False, [1.0], 1 + 2j])
def test_value_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="real number"):
        Value(bad)


def test_numpy_scalars_are_accepted():
    np = pytest.importorskip("numpy")
    assert Value(np.float32(0.5)).data == 0.5
    assert type(Value(np.int64(3)).data) is float


@pytest.mark.parametrize("bad", ["x", None, True, [1]])
def test_operators_with_non_numbers_raise_the_usual_type_error(bad):
    with pytest.raises(TypeError, match="unsupported operand"):
        Value(1.0) + bad
    with pytest.raises(TypeError, match="unsupported operand"):
        bad - Value(1.0)


def test_log_of_non_positive_names_the_value():
    with pytest.raises(ValueError, match=r"log .*-2\.0"):
        Value(-2.0).log()
    with pytest.raises(ValueError, match=r"log .*0\.0"):
        Value(0.0).log()


def test_division_by_zero_names_the_op_and_values():
    with pytest.raises(ZeroDivisionError, match=r"'/'.*3\.0 / 0\.0"):
        Value(3.0) / 0
    with pytest.raises(ZeroDivisionError, match=r"'/'"):
        1 / Value(0.0)


def test_zero_to_a_negative_power():
    with pytest.raises(ZeroDivisionError, match="negative power"):
        Value(0.0) ** -1
    with pytest.raises(ZeroDivisionError, match="negative power"):
        Value(0.0) ** Value(-2.0)


def test_negative_base_fractional_power_is_an_error():
    with pytest.raises(ValueError, match="not a real number"):
        Value(-8.0) ** (1 / 3)


def test_exp_overflow_names_the_input():
    with pytest.raises(OverflowError, match="1000.0"):
        Value(1000.0).exp()


@pytest.mark.parametrize("x", [-1000.0, -50.0, 0.0, 50.0, 1000.0, -1e308, 1e308])
def test_sigmoid_and_tanh_are_finite_everywhere(x):
    for out in (Value(x).sigmoid(), Value(x).tanh()):
        assert math.isfinite(out.data)
        out.backward()
        assert math.isfinite(out.parents[0].grad)
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0


def test_nan_and_inf_data_are_allowed():
    assert math.isnan((Value(math.nan) * 2).data)
    assert (Value(math.inf) + 1).data == math.inf


def test_no_grad_records_no_parents_and_restores():
    x = Value(2.0)
    with no_grad():
        assert not autograd.is_grad_enabled()
        y = (x * x).tanh() + 1
    assert autograd.is_grad_enabled()
    assert y.parents == () and y.op == "" and y.data == pytest.approx(math.tanh(4) + 1)
    assert (x * x).parents == (x, x)


def test_no_grad_restores_after_an_error():
    with pytest.raises(ValueError):
        with no_grad():
            Value(-1.0).log()
    assert autograd.is_grad_enabled()


def test_detach_is_a_leaf_with_the_same_data():
    x = Value(3.0, label="x")
    y = (x * 2).detach()
    assert y.is_leaf() and y.data == 6.0
    z = y * x
    z.backward()
    assert x.grad == 6.0  # nothing flows through the detached branch


@pytest.mark.parametrize("bad", [5, 2.5, b"x", ["x"], ("x",)])
def test_a_label_that_is_not_a_str_is_refused_by_name(bad):
    with pytest.raises(TypeError, match="label"):
        Value(2.0, label=bad)
    assert Value(2.0, label="x₁ (a weight)").label == "x₁ (a weight)"


@pytest.mark.parametrize("huge", [10**400, -(10**400)])
def test_an_int_too_big_for_a_float_names_value(huge):
    with pytest.raises(OverflowError, match="Value") as info:
        Value(huge)
    assert len(str(info.value)) < 200  # not 400 digits
    with pytest.raises(OverflowError, match="Value"):
        Value(1.0) + huge


def test_nan_propagates_through_every_op(op):
    """Each input in turn set to NaN: the op's result is NaN (as in PyTorch), relu included;
    the one exception is IEEE's own, x ** 0 = 1 even for NaN (Python's float and PyTorch too)."""
    point = op.points[0]
    for i in range(op.arity):
        xs = list(point)
        xs[i] = math.nan
        out = op.build(*[Value(x) for x in xs])
        if op.name == "pow 0":
            assert out.data == 1.0 == math.nan**0
            continue
        assert math.isnan(out.data), (op.name, i, out.data)


def test_relu_of_nan_is_nan_and_passes_the_gradient_on_as_pytorch():
    x = Value(math.nan)
    y = x.relu()
    assert math.isnan(y.data)
    y.backward()
    assert x.grad == 1.0  # PyTorch: threshold_backward keeps the gradient where NaN is not <= 0
    z = Value(-0.0).relu()
    assert z.data == 0.0 and math.copysign(1.0, z.data) == 1.0


def test_softplus_the_op_added_in_one_place_works_in_every_pass():
    """softplus was added to value.py (+ its float math in operators.py) and nothing else:
    backward, the fast pass, pictures and codegen all take it from its registration."""
    x = Value(0.75, label="x")
    y = (x * 2.0).softplus()
    sigma = 1 / (1 + math.exp(-1.5))
    assert y.data == pytest.approx(math.log1p(math.exp(1.5)), rel=1e-15)
    y.backward()
    assert x.grad == pytest.approx(2 * sigma, rel=1e-15)
    backward_grad = x.grad
    x.grad = 0.0
    autograd.fast.backward(y)
    assert x.grad == backward_grad
    assert "softplus" in autograd.draw_graph(y).source
    codegen = pytest.importorskip("autograd.codegen")
    out, (grad,) = codegen.codegen(y, [x])(0.75)
    assert (out, grad) == (y.data, backward_grad)


@pytest.mark.parametrize("x", [-1000.0, -40.0, 0.0, 40.0, 1000.0, math.inf, -math.inf])
def test_softplus_does_not_overflow(x):
    y = Value(x).softplus()
    y.backward()
    assert y.data == (max(x, 0.0) if abs(x) > 100 else pytest.approx(math.log1p(math.exp(x)), rel=1e-15))
    sigma = 1.0 if x > 100 else 0.0 if x < -100 else pytest.approx(1 / (1 + math.exp(-x)))
    assert y.parents[0].grad == sigma


def test_a_constant_exponent_too_big_for_a_float_is_named():
    with pytest.raises(OverflowError, match="exponent"):
        Value(2.0) ** 10**400
