"""gradcheck: agreement, disagreement and non-finite gradients are all reported."""

import math

import pytest

import autograd.value as value_module
from autograd import GradcheckError, Value, gradcheck, numeric_grads


def test_gradcheck_accepts_a_correct_gradient():
    x, y = Value(0.4, label="x"), Value(-1.3, label="y")
    assert gradcheck(lambda a, b: (a * b).tanh() + (a / b).exp() - b**2, [x, y]) is True


def test_gradcheck_leaves_data_and_grads_as_they_were():
    x = Value(0.4)
    x.grad = 123.0
    gradcheck(lambda a: a.sigmoid() * a, [x])
    assert x.data == 0.4 and x.grad == 123.0


def test_numeric_grads_are_central_differences():
    x = Value(1.0)
    (g,) = numeric_grads(lambda a: a**3, [x], eps=1e-3)
    assert g == pytest.approx(((1.001) ** 3 - (0.999) ** 3) / 0.002, rel=1e-12)


def test_gradcheck_catches_a_wrong_local_derivative(monkeypatch):
    def wrong_tanh_local(out):
        return (1.0 - out.data,)  # should be 1 - t²

    monkeypatch.setattr(value_module, "tanh_local", wrong_tanh_local)
    x = Value(0.8, label="x")
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a: (a * 2).tanh(), [x])
    message = str(info.value)
    assert "'x'" in message and "analytic" in message and "numeric" in message
    expected_numeric = 2 * (1 - math.tanh(1.6) ** 2)
    assert f"{expected_numeric:.4f}"[:5] in message


def test_gradcheck_reports_non_finite_gradients():
    x = Value(0.0, label="x")
    with pytest.raises(GradcheckError, match="non-finite"):
        gradcheck(lambda a: a * math.nan, [x])


def test_gradcheck_rejects_non_values():
    with pytest.raises(TypeError, match="input 0"):
        gradcheck(lambda a: a, [1.0])
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda a: 3.0, [Value(1.0)])


def test_gradcheck_leaves_every_grad_in_the_graph_as_it_found_it():
    w = Value(3.0, label="w")
    w.grad = 0.25
    h = w * 2.0  # an inner node built outside f, holding a grad from an earlier pass
    h.grad = 7.0
    x = Value(0.5, label="x")
    x.grad = -1.0
    assert gradcheck(lambda a: (a * w).tanh() + a * h, [x]) is True
    assert (w.grad, h.grad, x.grad) == (0.25, 7.0, -1.0)
    assert (w.data, h.data, x.data) == (3.0, 6.0, 0.5)


def test_gradcheck_puts_grads_back_when_f_fails_in_backward():
    w = Value(2.0)
    w.grad = 0.5
    x = Value(2.0)  # log(2) reaches w.grad before log_local fails

    def f(a):
        y = a.log() * w
        a.data = 0.0  # log_local now divides by zero: backward fails
        return y

    with pytest.raises(ZeroDivisionError):
        gradcheck(f, [x])
    assert w.grad == 0.5 and x.grad == 0.0


@pytest.mark.parametrize("name", ["eps", "atol", "rtol"])
@pytest.mark.parametrize("bad, error", [
    (-1.0, ValueError), (math.nan, ValueError), (math.inf, ValueError),
    ("1e-6", TypeError), (None, TypeError), (True, TypeError),
])
def test_bad_tolerances_are_named_and_change_nothing(name, bad, error):
    x = Value(0.4)
    x.grad = 2.0
    with pytest.raises(error, match=name):
        gradcheck(lambda a: a * a, [x], **{name: bad})
    assert x.data == 0.4 and x.grad == 2.0


def test_zero_eps_is_refused_by_name_not_a_division_by_zero():
    with pytest.raises(ValueError, match="eps"):
        gradcheck(lambda a: a * a, [Value(1.0)], eps=0)
    with pytest.raises(ValueError, match="eps"):
        numeric_grads(lambda a: a * a, [Value(1.0)], eps=0.0)
    assert gradcheck(lambda a: a * a, [Value(1.0)], atol=0, rtol=1e-3) is True  # zero tolerances are fine
