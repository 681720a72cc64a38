"""Shared test fixtures and the ONE table of ops the engine's tests run over.

A test that takes an argument named ``op`` runs once per row of ``OPS`` (see
``pytest_generate_tests``).  The table drives the rule tests (test_rules.py), the closed
forms (test_value.py, test_fast.py), codegen (test_codegen.py), the PyTorch oracle
(test_torch_oracle.py), extreme inputs (test_extremes.py) and random compositions
(test_properties.py, test_higher*.py).  Each row carries its torch twin.  Add ONE row here
when you add an op: tests/test_rules.py fails until every registered op has one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest

import autograd
from autograd import Value


@dataclass(frozen=True)
class Op:
    """One op to test: how to build its node from leaves and what it must give, in closed form."""

    name: str  # test id
    family: str  # its Rule's op ("**n" for every constant exponent)
    build: Callable[..., Value]  # leaves -> the op's node (works on floats too, except where noted)
    value: Callable[..., float]  # the node's data from the leaves' data, by the textbook formula
    derivs: Callable[..., tuple]  # ∂node/∂leaf_i by the textbook formula
    points: tuple[tuple[float, ...], ...]  # inputs where both formulas are smooth
    # Maps any inputs (Values, floats or tensors) into the op's domain, the same way on each,
    # for random inputs and compositions (log: x*x + 1 is positive).
    domain: Callable[..., tuple] = lambda *xs: xs
    # True where the op is not smooth in that domain (relu at 0): kept out of the random
    # compositions checked by central differences.
    kink: bool = False
    # The same op on 0-d float64 torch tensors (with requires_grad); None: ``build`` works on
    # tensors as it is (Python operators).  PyTorch's own derivative formulas are the oracle.
    torch: Callable[..., object] | None = None

    @property
    def arity(self) -> int:
        return len(self.points[0])

    def on_tensors(self, *tensors):
        """The op applied to torch tensors: its twin, or ``build`` itself."""
        return (self.torch or self.build)(*tensors)


def _torch(name: str) -> Callable[..., object]:
    """``torch.<name>`` as a twin, imported only when a test runs it (torch is optional)."""

    def twin(*xs):
        import torch

        return getattr(torch, name)(*xs)

    twin.__name__ = f"torch_{name}"
    return twin


def _torch_softplus(x):
    """PyTorch's softplus returns x itself above its threshold (20): ask for ln(1 + e^x) throughout."""
    import torch

    return torch.nn.functional.softplus(x, threshold=math.inf)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


PAIRS = ((1.5, 2.5), (0.3, -1.7), (4.0, 0.5))

OPS: list[Op] = [
    Op("add", "+", lambda a, b: a + b, lambda a, b: a + b, lambda a, b: (1.0, 1.0), PAIRS),
    Op("sub", "-", lambda a, b: a - b, lambda a, b: a - b, lambda a, b: (1.0, -1.0), PAIRS),
    Op("mul", "*", lambda a, b: a * b, lambda a, b: a * b, lambda a, b: (b, a), PAIRS),
    Op("x * x", "*", lambda a: a * a, lambda a: a * a, lambda a: (2 * a,), ((1.7,), (-0.3,))),
    Op("div", "/", lambda a, b: a / b, lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2), PAIRS,
       domain=lambda a, b: (a, b * b + 1)),
    Op("pow", "**", lambda a, b: a**b, lambda a, b: a**b,
       lambda a, b: (b * a ** (b - 1), a**b * math.log(a)), PAIRS + ((1.3, 0.7),),
       domain=lambda a, b: (a * a + 1, b * 0.3)),
    Op("radd", "+", lambda a: 1.5 + a, lambda a: 1.5 + a, lambda a: (1.0,), ((0.25,), (-2.75,))),
    Op("rsub", "-", lambda a: 1.5 - a, lambda a: 1.5 - a, lambda a: (-1.0,), ((0.25,), (-2.75,))),
    Op("rmul", "*", lambda a: -2.5 * a, lambda a: -2.5 * a, lambda a: (-2.5,), ((0.25,), (-2.75,))),
    Op("rdiv", "/", lambda a: 2.0 / a, lambda a: 2.0 / a, lambda a: (-2.0 / a**2,), ((0.25,), (-2.75,)),
       domain=lambda a: (a * a + 0.3,)),
    Op("a + a", "+", lambda a: a + a, lambda a: a + a, lambda a: (2.0,), ((1.7,), (-0.2,))),
    Op("constants on both sides", "-", lambda a: (3.0 - a) * 2.0 / (1.0 + a) - 0.5 * a,
       lambda a: (3.0 - a) * 2.0 / (1.0 + a) - 0.5 * a,
       lambda a: (-2.0 / (1 + a) - 2 * (3 - a) / (1 + a) ** 2 - 0.5,), ((0.25,), (1.5,)),
       domain=lambda a: (a * a,)),
    Op("neg", "neg", lambda a: -a, lambda x: -x, lambda x: (-1.0,), ((0.25,), (1.0,), (-2.75,))),
    Op("exp", "exp", Value.exp, math.exp, lambda x: (math.exp(x),), ((0.25,), (1.0,), (-2.75,)),
       domain=lambda x: (x * 0.3,), torch=_torch("exp")),
    Op("log", "log", Value.log, math.log, lambda x: (1 / x,), ((0.25,), (1.0,), (2.75,)),
       domain=lambda x: (x * x + 1,), torch=_torch("log")),
    Op("tanh", "tanh", Value.tanh, math.tanh, lambda x: (1 / math.cosh(x) ** 2,),
       ((0.25,), (1.0,), (2.75,), (-1.25,)), torch=_torch("tanh")),
    Op("sigmoid", "sigmoid", Value.sigmoid, _sigmoid, lambda x: (math.exp(-x) / (1 + math.exp(-x)) ** 2,),
       ((0.25,), (1.0,), (2.75,), (-0.4,)), torch=_torch("sigmoid")),
    Op("relu", "relu", Value.relu, lambda x: max(x, 0.0), lambda x: (1.0 if x > 0 else 0.0,),
       ((0.25,), (2.75,), (-1.25,), (-0.5,)), kink=True, torch=_torch("relu")),
    Op("softplus", "softplus", Value.softplus, lambda x: math.log(1 + math.exp(x)),
       lambda x: (math.exp(x) / (1 + math.exp(x)),), ((0.25,), (1.0,), (-2.75,), (3.5,)),
       torch=_torch_softplus),
    Op("sin", "sin", Value.sin, math.sin, lambda x: (math.cos(x),), ((0.25,), (-2.75,)), torch=_torch("sin")),
    Op("cos", "cos", Value.cos, math.cos, lambda x: (-math.sin(x),), ((0.25,), (-2.5,)), torch=_torch("cos")),
    Op("cube", "**n", lambda a: a**3, lambda x: x**3, lambda x: (3 * x**2,), ((0.25,), (1.3,), (-2.75,))),
    Op("pow -2", "**n", lambda a: a**-2, lambda x: x**-2, lambda x: (-2 * x**-3,), ((1.3,), (-0.6,)),
       domain=lambda x: (x * x + 0.3,)),
    Op("pow 0.7", "**n", lambda a: a**0.7, lambda x: x**0.7, lambda x: (0.7 * x**-0.3,), ((1.3,), (0.2,)),
       domain=lambda x: (x * x + 0.05,)),
    Op("pow 0", "**n", lambda a: a**0, lambda x: x**0, lambda x: (0.0,), ((1.3,), (-0.6,))),
    Op("inverse sqrt", "**n", lambda a: a**-0.5, lambda x: x**-0.5, lambda x: (-0.5 * x**-1.5,),
       ((0.25,), (1.0,), (2.75,)), domain=lambda x: (x * x + 0.5,)),
    Op("ieee_pow", "ieee_pow", autograd.value.ieee_power, lambda a, b: a**b,
       lambda a, b: (b * a ** (b - 1), a**b * math.log(a)), PAIRS + ((1.3, 0.7),),
       domain=lambda a, b: (a * a + 1, b * 0.3), torch=_torch("pow")),
    Op("pow, base 0", "**", lambda a, b: a**b, lambda a, b: a**b, lambda a, b: (b * a ** (b - 1), 0.0),
       ((0.0, 2.0), (0.0, 3.0)), domain=lambda a, b: (a * 0.0, b * b + 1.0), kink=True),
    Op("two to the x", "**", lambda a: 2**a, lambda x: 2**x, lambda x: (2**x * math.log(2),),
       ((0.25,), (1.0,), (2.75,), (-2.75,)), domain=lambda x: (x * 0.5,)),
    # n-ary nodes (their builders take Values only)
    # n-ary nodes (their builders take Values only; torch twins: the textbook sum, on tensors)
    Op("sum", "sum", lambda a, b, c: autograd.sum([a, b, c, a]), lambda a, b, c: a + b + c + a,
       lambda a, b, c: (2.0, 1.0, 1.0), ((0.1, 0.2, 0.3), (1.5, -2.0, 4.0)),
       torch=lambda a, b, c: a + b + c + a),
    Op("dot", "dot", lambda w1, w2, x1, x2: autograd.dot([w1, w2], [x1, x2]),
       lambda w1, w2, x1, x2: w1 * x1 + w2 * x2, lambda w1, w2, x1, x2: (x1, x2, w1, w2),
       ((0.5, -1.5, 2.0, 3.0), (1.0, 2.0, -3.0, 0.25)), torch=lambda w1, w2, x1, x2: w1 * x1 + w2 * x2),
    Op("dot with bias", "dot", lambda w, x, b: autograd.dot([w], [x], b), lambda w, x, b: w * x + b,
       lambda w, x, b: (x, w, 1.0), ((0.5, 2.0, 0.25), (-1.0, 3.0, 9.0)), torch=lambda w, x, b: w * x + b),
    Op("dot of p with itself", "dot", lambda p, q: autograd.dot([p, q], [p, q]), lambda p, q: p * p + q * q,
       lambda p, q: (2 * p, 2 * q), ((0.3, -0.8), (2.0, 5.0)), torch=lambda p, q: p * p + q * q),
    Op("dot, one Value in two places", "dot", lambda a, b: autograd.dot([a, b], [b, a]),
       lambda a, b: 2 * a * b, lambda a, b: (2 * b, 2 * a), ((0.3, -0.8), (-1.5, 2.0)),
       torch=lambda a, b: a * b + b * a),
    Op("dot with a constant", "dot", lambda a, b, c: autograd.dot([a, b, 0.5], [c, a, b], c),
       lambda a, b, c: a * c + b * a + 0.5 * b + c, lambda a, b, c: (c + b, a + 0.5, a + 1.0),
       ((0.3, -0.8, 1.5), (0.0, 0.0, 0.0)), torch=lambda a, b, c: a * c + b * a + 0.5 * b + c),
    Op("dot of 70 terms", "dot", lambda *v: autograd.dot(v[:70], v[70:140], v[140]),
       lambda *v: sum(w * x for w, x in zip(v[:70], v[70:140])) + v[140],
       lambda *v: (*v[70:140], *v[:70], 1.0), (tuple(0.01 * i - 0.5 for i in range(141)),),
       torch=lambda *v: sum(w * x for w, x in zip(v[:70], v[70:140])) + v[140]),
]


# Inputs where arithmetic is on its edges: zeros of both signs, tiny, huge, exp's limits, nan, inf.
EXTREMES = (
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -2.5,
    3.0,
    1e-200,
    -1e-200,
    1e200,
    -1e200,
    700.0,
    -700.0,
    5e-324,
    1.7e308,
    math.nan,
    math.inf,
    -math.inf,
)


def pytest_generate_tests(metafunc):
    if "op" in metafunc.fixturenames:
        metafunc.parametrize("op", OPS, ids=[op.name for op in OPS])


def same_bits(a: float, b: float) -> bool:
    """Equal to the last bit: NaN equal to NaN, 0.0 distinct from -0.0."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def all_same_bits(xs, ys) -> bool:
    xs, ys = list(xs), list(ys)
    return len(xs) == len(ys) and all(same_bits(x, y) for x, y in zip(xs, ys))


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for the browser tests of one module (tests/browsers.py).

    Per module, not per session: Playwright's sync API keeps an event loop in this thread
    while it is open, and asyncio.run() (tests/test_threads.py) refuses to run under one."""
    from browsers import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def ops() -> list[Op]:
    """The table of ops, for tests that loop over it themselves."""
    return OPS


@pytest.fixture(scope="session")
def extremes() -> tuple[float, ...]:
    return EXTREMES


class RandomPrograms:
    """Random compositions of the table's smooth ops, run on Values or on plain floats.

    A program is a list of (op index, operand picks); each op reads earlier results, so
    fan-out is common, and at the end every result is added in (× 0.1) so that each
    reaches the output.
    """

    def __init__(self, ops: list[Op]) -> None:
        self.ops = [op for op in ops if not op.kink and op.arity <= 4]

    @property
    def strategy(self):
        from hypothesis import strategies as st

        picks = st.lists(st.integers(0, 10), min_size=4, max_size=4)
        return st.lists(st.tuples(st.integers(0, len(self.ops) - 1), picks), min_size=1, max_size=12)

    def run(self, program, inputs, on_values: bool):
        results = list(inputs)
        for which, picks in program:
            op = self.ops[which]
            operands = op.domain(*[results[i % len(results)] for i in picks[: op.arity]])
            results.append(op.build(*operands) if on_values else op.value(*operands))
        out = results[-1]
        for extra in results[len(inputs) : -1]:
            out = out + extra * 0.1
        return out


@pytest.fixture(scope="session")
def programs() -> RandomPrograms:
    return RandomPrograms(OPS)


@pytest.fixture(scope="session")
def bits():
    """``bits.same(a, b)`` / ``bits.all_same(xs, ys)``: equality to the last bit (NaN == NaN)."""

    class Bits:
        same = staticmethod(same_bits)
        all_same = staticmethod(all_same_bits)

    return Bits
