"""Checkers for the notebooks' exercises: right or wrong, with a hint, never the answer.

    >>> from nn import exercises
    >>> exercises.task("03.1")                  # the givens of an exercise
    >>> exercises.check("03.1", my_answer)      # ✓ or ✗ with a hint

An answer left as ``None`` (or a function that still returns ``None``) is "not answered
yet", so a notebook whose exercises are not done still runs top to bottom.  A number
worked out by hand is right to 3 significant digits; a function is tried on several
inputs and must be right to rounding.  Each
checker computes the expected result itself from the givens; it says whether the
answer is right and, if not, what to look at, without printing the expected value.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd import Value

# ----------------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Verdict:
    """The result of ``check``: ``ok`` is True for a right answer; ``message`` says why."""

    exercise: str
    ok: bool
    answered: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__


class _Wrong(Exception):
    """Raised inside a judge: the answer is wrong; the text says what is off (never the answer)."""


class _NotAnswered(Exception):
    """Raised inside a judge: the learner's function still returns None (the exercise is not done)."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its title, its givens, how to judge an answer and a hint."""

    id: str
    title: str
    givens: Callable[[], dict[str, Any]]
    judge: Callable[[Any], None]  # raises _Wrong for a wrong answer
    hint: str


_EXERCISES: dict[str, Exercise] = {}


def _exercise(id: str, title: str, hint: str, givens: Callable[[], dict[str, Any]] | None = None):
    def register(judge: Callable[[Any], None]) -> Callable[[Any], None]:
        _EXERCISES[id] = Exercise(id, title, givens or (lambda: {}), judge, hint)
        return judge

    return register


def _known(exercise: object) -> Exercise:
    if not isinstance(exercise, str) or exercise not in _EXERCISES:
        raise ValueError(f"exercise must be one of {sorted(_EXERCISES)}, got {exercise!r}")
    return _EXERCISES[exercise]


def ids() -> list[str]:
    """Every exercise id, in notebook order."""
    return sorted(_EXERCISES)


def task(exercise: str) -> dict[str, Any]:
    """The givens of ``exercise`` (a fresh copy each call: changing it changes nothing)."""
    return _known(exercise).givens()


def check(exercise: str, answer: Any) -> Verdict:
    """Judge ``answer`` to ``exercise`` ('03.1', ...): right, wrong with a hint, or not answered."""
    ex = _known(exercise)
    if answer is None:
        return Verdict(exercise, False, False, f"{exercise} ({ex.title}): not answered yet. Hint: {ex.hint}")
    try:
        ex.judge(answer)
    except _NotAnswered:
        return Verdict(
            exercise,
            False,
            False,
            f"{exercise} ({ex.title}): not answered yet (your function returns None). Hint: {ex.hint}",
        )
    except _Wrong as wrong:
        return Verdict(exercise, False, True, f"{exercise} ({ex.title}): ✗ not yet: {wrong} Hint: {ex.hint}")
    return Verdict(exercise, True, True, f"{exercise} ({ex.title}): ✓ right.")


# ------------------------------------------------------------------------- judging tools


def _as_number(answer: Any, what: str = "the answer") -> float:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) and not hasattr(answer, "__float__"):
        raise _Wrong(f"{what} should be a number, got {type(answer).__name__}.")
    try:
        number = float(answer)
    except (TypeError, ValueError) as error:
        raise _Wrong(f"{what} should be a number ({error}).") from None
    if not math.isfinite(number):
        raise _Wrong(f"{what} is {number}, not a finite number.")
    return number


def _close(
    answer: Any, expected: float, rel: float = 1e-3, abs_: float = 1e-6, what: str = "the answer"
) -> None:
    """Accept ``answer`` within ``rel`` (default: 3 significant digits, enough for a hand computation)."""
    number = _as_number(answer, what)
    if math.isclose(number, expected, rel_tol=rel, abs_tol=abs_):
        return
    if expected != 0 and number != 0 and (number > 0) != (expected > 0):
        raise _Wrong(f"{what} has the wrong sign.")
    if expected != 0 and math.isclose(abs(number), 2 * abs(expected), rel_tol=1e-3):
        raise _Wrong(f"{what} is about twice too big.")
    if expected != 0 and math.isclose(2 * abs(number), abs(expected), rel_tol=1e-3):
        raise _Wrong(f"{what} is about half of what it should be.")
    raise _Wrong(f"{what} is too {'big' if number > expected else 'small'}.")


def _close_list(answer: Any, expected: Sequence[float], rel: float = 1e-3, abs_: float = 1e-6) -> None:
    try:
        items = [float(v) for v in answer]
    except (TypeError, ValueError):
        raise _Wrong(f"the answer should be a list of {len(expected)} numbers.") from None
    if len(items) != len(expected):
        raise _Wrong(f"the answer has {len(items)} numbers, it should have {len(expected)}.")
    for i, (got, want) in enumerate(zip(items, expected)):
        _close(got, want, rel, abs_, what=f"entry {i}")


def _call(function: Any, *args: Any) -> Any:
    if not callable(function):
        raise _Wrong(f"the answer should be your function, got {type(function).__name__}.")
    try:
        result = function(*args)
    except Exception as error:  # the learner's code: report it, do not crash the notebook
        raise _Wrong(f"your function raised {type(error).__name__}: {error}.") from None
    if result is None:
        raise _NotAnswered
    return result


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _random_lists(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    return [[rng.uniform(-2, 2) for _ in range(cols)] for _ in range(rows)]


# -------------------------------------------------------------------------- 01 Values


@_exercise(
    "01.1",
    "two paths add",
    "x reaches f along two paths, through (x + y) and as the second factor; add what each gives.",
    lambda: {"f": "(x + y) * x", "x": 2.0, "y": -3.0, "asked": "∂f/∂x"},
)
def _01_1(answer: Any) -> None:
    x, y = Value(2.0), Value(-3.0)
    ((x + y) * x).backward()
    _close(answer, x.grad)


@_exercise(
    "01.2",
    "leaves accumulate",
    "one backward() adds d(w·w)/dw to w.grad; nothing resets a leaf between the two calls.",
    lambda: {"w": 3.0, "out": "w * w", "asked": "w.grad after out.backward() twice, no zero_grad"},
)
def _01_2(answer: Any) -> None:
    w = Value(3.0)
    out = w * w
    out.backward()
    out.backward()
    _close(answer, w.grad)


@_exercise(
    "01.3",
    "a central difference",
    "evaluate f a little to the right and a little to the left of x; divide the change by the "
    "distance between the two points.",
    lambda: {"signature": "central_difference(f, x, eps=1e-6) -> float"},
)
def _01_3(answer: Any) -> None:
    cases = [(math.sin, 0.3, math.cos(0.3)), (lambda t: t**3, 2.0, 12.0), (math.exp, -1.0, math.exp(-1.0))]
    for f, x, exact in cases:
        got = _call(answer, f, x)
        _close(got, exact, rel=1e-6, abs_=1e-8, what=f"your derivative at x = {x}")


@_exercise(
    "01.4",
    "= instead of +=",
    "with =, every edge into a overwrites what the earlier edges wrote; find which edge into a the "
    "backward pass handles last (the + node comes before the * node).",
    lambda: {
        "f": "a * b + a",
        "a": 2.0,
        "b": 5.0,
        "asked": "a.grad if backward did parent.grad = local * upstream instead of +=",
    },
)
def _01_4(answer: Any) -> None:
    a, b = Value(2.0), Value(5.0)
    f = a * b + a
    overwritten: dict[int, float] = {id(f): 1.0}
    for step in f.backward_steps():  # replay the same order, assigning instead of adding
        upstream = overwritten.get(id(step.node), 0.0)
        for parent, local in zip(step.node.parents, step.local_grads):
            overwritten[id(parent)] = local * upstream
    _close(answer, overwritten[id(a)])


# ------------------------------------------------------------------- 02 backward_steps


def _order_graph() -> dict[str, Value]:
    a, b, c = Value(0.5, label="a"), Value(-1.5, label="b"), Value(2.0, label="c")
    p = a * b
    p.label = "p"
    q = a + c
    q.label = "q"
    r = p * q
    r.label = "r"
    s = r + p
    s.label = "s"
    t = s.tanh()
    t.label = "t"
    return {"a": a, "b": b, "c": c, "p": p, "q": q, "r": r, "s": s, "t": t}


@_exercise(
    "02.1",
    "how many steps",
    "backward_steps yields one Step per node that has parents; leaves get none.",
    lambda: {"expression": "(x * y + x * z).tanh()", "asked": "the number of Steps backward_steps yields"},
)
def _02_1(answer: Any) -> None:
    x, y, z = Value(1.0), Value(2.0), Value(3.0)
    steps = sum(1 for _ in (x * y + x * z).tanh().backward_steps())
    number = _as_number(answer)
    if number != steps:
        raise _Wrong(f"the count is too {'big' if number > steps else 'small'}.")


@_exercise(
    "02.2",
    "an order backward may use",
    "a node may hand on its grad only when every node it feeds has handed theirs on.",
    lambda: {
        "graph": "p = a*b; q = a + c; r = p*q; s = r + p; t = tanh(s)",
        "asked": "the labels of the non-leaf nodes in an order backward could process them, t first",
    },
)
def _02_2(answer: Any) -> None:
    nodes = _order_graph()
    inner = {name for name, v in nodes.items() if v.parents}
    if isinstance(answer, str) or not isinstance(answer, Sequence):
        raise _Wrong("the answer should be a list of labels such as ['t', ...].")
    labels = list(answer)
    if sorted(map(str, labels)) != sorted(inner):
        raise _Wrong(f"the list should hold each of the {len(inner)} non-leaf labels exactly once.")
    position = {label: i for i, label in enumerate(labels)}
    for name in labels:
        for parent in nodes[name].parents:
            if parent.label in position and position[parent.label] < position[name]:
                raise _Wrong(f"{parent.label} comes before {name}, a node it feeds.")


@_exercise(
    "02.3",
    "one contribution",
    "the * node's local derivative with respect to w is the other factor; multiply by its upstream grad.",
    lambda: {
        "graph": "y = tanh(x * w)",
        "x": 0.5,
        "w": -2.0,
        "asked": "the contribution the * node adds to w.grad",
    },
)
def _02_3(answer: Any) -> None:
    x, w = Value(0.5), Value(-2.0)
    (x * w).tanh().backward()
    _close(answer, w.grad)


# ---------------------------------------------------------------------- 03 neurons


def _03_net() -> dict[str, Any]:
    return {
        "network": "1 input → 2 sigmoid neurons (L1) → 1 sigmoid neuron (L2), cost C = ½(a − y)²",
        "x": 0.8,
        "y": 1.0,
        "L1 weights": [0.6, -0.4],
        "L1 biases": [0.1, 0.2],
        "L2 weights": [1.5, -2.0],
        "L2 bias": 0.3,
        "asked": "δ = ∂C/∂z of L1.N0 (the first hidden neuron)",
    }


def _mlp_from(g: dict[str, Any], w1_key: str, b1_key: str, w2_key: str, b2_key: str, nin: int):
    from .layers import MLP  # here, so that importing this module stays light

    hidden = len(g[w1_key]) // nin if nin > 1 else len(g[w1_key])
    model = MLP(nin, [hidden, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    flat = list(g[w1_key])
    for j, neuron in enumerate(model.layers[0].neurons):
        for k in range(nin):
            neuron.w[k].data = flat[j * nin + k]
        neuron.b.data = g[b1_key][j]
    out = model.layers[1].neurons[0]
    for k, w in enumerate(g[w2_key]):
        out.w[k].data = w
    out.b.data = g[b2_key]
    return model


@_exercise(
    "03.1",
    "one δ by hand",
    "start at the output: δ = (a − y)·σ′(z) there; then σ′(z)·w·δ for the hidden "
    "neuron, with σ′(z) = a(1 − a).",
    _03_net,
)
def _03_1(answer: Any) -> None:
    from .losses import quadratic_cost

    g = _03_net()
    model = _mlp_from(g, "L1 weights", "L1 biases", "L2 weights", "L2 bias", 1)
    quadratic_cost(model([g["x"]]), g["y"]).backward()
    _close(answer, model.layers[0].neurons[0].z.grad)


@_exercise(
    "03.2",
    "weaker or stronger?",
    "going back through one sigmoid layer multiplies δ by the weight AND by σ′(z) of the hidden neuron.",
    lambda: {
        "network": "1 → 1 → 1, sigmoid; the hidden neuron's z is 1.0, the output weight w is 6.0",
        "asked": "δ_hidden / δ_out",
    },
)
def _03_2(answer: Any) -> None:
    s = _sigmoid(1.0)
    _close(answer, 6.0 * s * (1 - s))


@_exercise(
    "03.3",
    "one amplifier of the reverse network",
    "the reverse neuron sums weight × δ over the neurons it feeds, then multiplies by its gain.",
    lambda: {
        "signature": "reverse_neuron(gain, weights, deltas) -> float",
        "weights": "w_kj for each neuron k of the next layer",
        "deltas": "their δ_k",
    },
)
def _03_3(answer: Any) -> None:
    rng = random.Random(3)
    for n in (1, 2, 5):
        gain = rng.uniform(0, 0.25)
        weights = [rng.uniform(-2, 2) for _ in range(n)]
        deltas = [rng.uniform(-1, 1) for _ in range(n)]
        got = _call(answer, gain, list(weights), list(deltas))
        _close(
            got,
            gain * math.fsum(w * d for w, d in zip(weights, deltas)),
            1e-9,
            1e-12,
            what=f"the result for {n} next neurons",
        )


# ------------------------------------------------------------------- 04 four equations


@_exercise(
    "04.1",
    "BP2 in plain Python",
    "entry j is σ′(z_j) times Σ_k W_next[k][j]·δ_next[k]: the transpose means you walk down column j.",
    lambda: {
        "signature": "bp2(W_next, delta_next, sigma_prime) -> list of floats",
        "W_next": "list of rows: W_next[k][j] is the weight from neuron j to neuron k of the next layer",
    },
)
def _04_1(answer: Any) -> None:
    rng = random.Random(4)
    for n, m in ((1, 1), (3, 2), (2, 4)):
        W = _random_lists(rng, m, n)
        d = [rng.uniform(-1, 1) for _ in range(m)]
        sp = [rng.uniform(0, 0.25) for _ in range(n)]
        got = _call(answer, [list(r) for r in W], list(d), list(sp))
        expected = [sp[j] * math.fsum(W[k][j] * d[k] for k in range(m)) for j in range(n)]
        try:
            _close_list(got, expected, 1e-9, 1e-12)
        except _Wrong as wrong:
            raise _Wrong(f"for a layer of {n} feeding {m} neurons, {wrong}") from None


def _04_net() -> dict[str, Any]:
    return {
        "network": "2 inputs → 2 sigmoid (L1) → 1 sigmoid (L2), cost C = ½(a − y)²",
        "x": [0.5, -1.0],
        "y": 1.0,
        "L1 weights": [0.3, -0.8, 1.1, 0.4],  # row by row: L1.N0's two weights, then L1.N1's
        "L1 biases": [0.0, -0.2],
        "L2 weights": [0.9, -1.3],
        "L2 bias": 0.1,
        "asked": "∂C/∂w for the L2 weight that multiplies L1.N1's output",
    }


@_exercise(
    "04.2",
    "BP4 for one weight",
    "BP4: the activation coming into the weight times the δ of the neuron "
    "it feeds (here the output's δ, from BP1).",
    _04_net,
)
def _04_2(answer: Any) -> None:
    from .losses import quadratic_cost

    g = _04_net()
    model = _mlp_from(g, "L1 weights", "L1 biases", "L2 weights", "L2 bias", 2)
    quadratic_cost(model(g["x"]), g["y"]).backward()
    _close(answer, model.layers[1].neurons[0].w[1].grad)


@_exercise(
    "04.3",
    "Nielsen's numbering",
    "Nielsen counts the input as layer 1; model.layers starts at 0 with the first layer of neurons.",
    lambda: {"asked": "Nielsen's layer number l whose weights Wˡ are model.layers[1]'s weights"},
)
def _04_3(answer: Any) -> None:
    number = _as_number(answer)
    if number != 3:
        raise _Wrong(f"layer {number:g} is not it.")


# ------------------------------------------------------------------ 05 gradient descent

_BOX_X = (1.0, 1.1, 1.2, 2.0)
_BOX_Y = (2.21, 2.431, 2.652, 4.42)


def _box_gradient(theta: Sequence[float], samples: Sequence[int]) -> list[float]:
    """∂C/∂(w₁, w₂, b) of C = mean ½(w₁x + w₂x² + b − y)² over ``samples``."""
    grad = [0.0, 0.0, 0.0]
    for i in samples:
        x, y = _BOX_X[i], _BOX_Y[i]
        error = theta[0] * x + theta[1] * x * x + theta[2] - y
        for k, feature in enumerate((x, x * x, 1.0)):
            grad[k] += error * feature / len(samples)
    return grad


def _largest_curvature() -> float:
    """The largest eigenvalue of the black box's Hessian (1/n) Σ f fᵀ, f = (x, x², 1): power iteration."""
    H = [
        [sum(f[i] * f[j] for f in ((x, x * x, 1.0) for x in _BOX_X)) / len(_BOX_X) for j in range(3)]
        for i in range(3)
    ]
    v = [1.0, 1.0, 1.0]
    mu = 0.0
    for _ in range(200):
        w = [sum(H[i][j] * v[j] for j in range(3)) for i in range(3)]
        mu = math.sqrt(sum(t * t for t in w))
        v = [t / mu for t in w]
    return mu


@_exercise(
    "05.1",
    "where η diverges",
    "try η between 0.25 and 0.3 with nn.fit and watch whether the cost grows; or use 2/μ with the largest "
    "eigenvalue μ of the cost's second-derivative matrix.",
    lambda: {
        "model": "z = w₁x + w₂x² + b on the black box, full batch, quadratic cost",
        "asked": "the learning rate η above which the cost grows step after step (to 1%)",
    },
)
def _05_1(answer: Any) -> None:
    _close(answer, 2.0 / _largest_curvature(), rel=0.01, what="your η")


def _05_2_givens() -> dict[str, Any]:
    return {
        "box": "f(x) = 2.002·x + 0.332·x² (the box of this notebook)",
        "target": 5.0,
        "asked": "the input x ≥ 0 for which f(x) = 5 (to 1e-4)",
    }


@_exercise(
    "05.2",
    "guess the input",
    "do gradient descent on the INPUT: the gradient of ½(f(x) − 5)² with respect to x is (f(x) − 5)·f′(x).",
    _05_2_givens,
)
def _05_2(answer: Any) -> None:
    a, b, c = 0.332, 2.002, -5.0
    root = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    _close(answer, root, rel=0, abs_=1e-4, what="your input")


@_exercise(
    "05.3",
    "one mini-batch gradient",
    "a mini-batch's gradient averages, over ITS samples only, (z − y) times the feature on the weight.",
    lambda: {
        "model": "z = w₁x + w₂x² + b, first guess w₁ = w₂ = 1, b = 0",
        "mini-batch": "the samples x = 1.1 and x = 2",
        "asked": "∂C/∂w₂ for that mini-batch",
    },
)
def _05_3(answer: Any) -> None:
    _close(answer, _box_gradient((1.0, 1.0, 0.0), (1, 3))[1])


@_exercise(
    "05.4",
    "the steepest way down",
    "the slope along a unit vector v is ∇C·v; it is most negative when v points exactly against ∇C.",
    lambda: {
        "model": "z = w₁x + w₂x² + b on all four samples, at the first guess w₁ = w₂ = 1, b = 0",
        "asked": "the unit vector (v₁, v₂, v₃) along (w₁, w₂, b) in which the cost falls fastest",
    },
)
def _05_4(answer: Any) -> None:
    g = _box_gradient((1.0, 1.0, 0.0), range(4))
    norm = math.sqrt(sum(t * t for t in g))
    try:
        items = [float(v) for v in answer]
    except (TypeError, ValueError):
        raise _Wrong("the answer should be 3 numbers.") from None
    if len(items) != 3:
        raise _Wrong("the answer should be 3 numbers.")
    length = math.sqrt(sum(t * t for t in items))
    if not math.isclose(length, 1.0, rel_tol=1e-3):
        raise _Wrong("your vector does not have length 1.")
    _close_list(items, [-t / norm for t in g], rel=1e-3, abs_=1e-4)


# ------------------------------------------------------------------------ 06 matrices


@_exercise(
    "06.1",
    "the shape of W_diff",
    "W_diff has the shape of W; which way round is W, for z = W·a with a of 5 numbers and z of 3?",
    lambda: {
        "layer": "affine, 5 inputs → 3 outputs, a batch of 7 samples as rows",
        "asked": "W_diff.shape as a tuple",
    },
)
def _06_1(answer: Any) -> None:
    shape = tuple(answer) if isinstance(answer, (tuple, list)) else None
    if shape is None:
        raise _Wrong("the answer should be a tuple such as (2, 4).")
    if shape == (5, 3):
        raise _Wrong("that is the transpose.")
    if 7 in shape:
        raise _Wrong("the batch size does not appear: W_diff sums over the samples.")
    if shape != (3, 5):
        raise _Wrong("that shape is not W's.")


@_exercise(
    "06.2",
    "an affine layer's backward",
    "each result has the shape of what it is the gradient of: in_diff like A, W_diff like W, b_diff like b; "
    "let the shapes tell you where the transposes go.",
    lambda: {
        "signature": "affine_backward(W, A, out_diff) -> (in_diff, W_diff, b_diff)",
        "shapes": "W (m, n), A (batch, n) rows are samples, out_diff (batch, m); numpy arrays",
    },
)
def _06_2(answer: Any) -> None:
    import numpy as np  # only here: numpy is a notebook dependency, not nn's

    rng = random.Random(6)
    for batch, n, m in ((1, 2, 1), (4, 3, 2)):
        W, A, D = (_random_lists(rng, m, n), _random_lists(rng, batch, n), _random_lists(rng, batch, m))
        got = _call(answer, np.array(W), np.array(A), np.array(D))
        try:
            in_diff, W_diff, b_diff = (np.asarray(t, dtype=float) for t in got)
        except (TypeError, ValueError):
            raise _Wrong("return three arrays: (in_diff, W_diff, b_diff).") from None
        want_in = [[math.fsum(D[s][j] * W[j][k] for j in range(m)) for k in range(n)] for s in range(batch)]
        want_W = [[math.fsum(D[s][j] * A[s][k] for s in range(batch)) for k in range(n)] for j in range(m)]
        want_b = [math.fsum(D[s][j] for s in range(batch)) for j in range(m)]
        for name, got_t, want in (
            ("in_diff", in_diff, want_in),
            ("W_diff", W_diff, want_W),
            ("b_diff", b_diff, want_b),
        ):
            want_a = np.array(want)
            if got_t.shape != want_a.shape:
                raise _Wrong(
                    f"{name} has shape {got_t.shape} for a batch of {batch}, {n} inputs, {m} outputs."
                )
            if not np.allclose(got_t, want_a, rtol=1e-9, atol=1e-12):
                raise _Wrong(f"{name} has the right shape but wrong numbers (batch {batch}).")


@_exercise(
    "06.3",
    "a sigmoid layer's backward",
    "the sigmoid layer multiplies out_diff element by element by out·(1 − out).",
    lambda: {"out": [0.2, 0.9], "out_diff": [1.0, -2.0], "asked": "in_diff as a list of 2 numbers"},
)
def _06_3(answer: Any) -> None:
    _close_list(answer, [d * o * (1 - o) for o, d in zip([0.2, 0.9], [1.0, -2.0])])


# ----------------------------------------------------------------------- 07 costs, L2


@_exercise(
    "07.1",
    "how much faster",
    "the two δs differ by one factor, σ′(z) = a(1 − a).",
    lambda: {"neuron": "sigmoid, output layer, z = 3.0", "asked": "δ(cross-entropy) / δ(quadratic)"},
)
def _07_1(answer: Any) -> None:
    s = _sigmoid(3.0)
    _close(answer, 1.0 / (s * (1 - s)))


@_exercise(
    "07.2",
    "decay alone",
    "each step multiplies the weight by (1 − ηλ/n) when the data's gradient is zero.",
    lambda: {
        "eta": 0.5,
        "lambda": 5.0,
        "n": 50,
        "asked": "how many steps until a weight is below half its start",
    },
)
def _07_2(answer: Any) -> None:
    factor = 1 - 0.5 * 5.0 / 50
    steps = math.ceil(math.log(0.5) / math.log(factor))
    number = _as_number(answer)
    if number != steps:
        raise _Wrong(f"the count is too {'big' if number > steps else 'small'}.")


def _07_3_givens() -> dict[str, Any]:
    return {
        "neuron": "a = σ(2·x₁ − 1·x₂ − 0.5)",
        "inputs": [[1.0, 1.0], [0.0, 0.0], [0.5, 0.6], [1.0, 2.0], [2.0, 3.0]],
        "asked": "the predicted class (1 if a > 0.5, else 0) of each input, as a list",
    }


@_exercise("07.3", "the 0.5 threshold", "a > 0.5 exactly when z > 0; compute z for each input.", _07_3_givens)
def _07_3(answer: Any) -> None:
    expected = [1 if _sigmoid(2 * u - v - 0.5) > 0.5 else 0 for u, v in _07_3_givens()["inputs"]]
    if isinstance(answer, str) or not isinstance(answer, Sequence) or len(answer) != len(expected):
        raise _Wrong(f"the answer should be a list of {len(expected)} classes (0 or 1).")
    wrong = sum(1 for got, want in zip(answer, expected) if got != want)
    if wrong:
        raise _Wrong(f"{wrong} of the {len(expected)} classes are off.")


# ------------------------------------------------------------------------ 08 training


@_exercise(
    "08.1",
    "count the parameters",
    "each neuron has one weight per input plus one bias.",
    lambda: {"model": "nn.MLP(64, [32, 10])", "asked": "len(model.parameters())"},
)
def _08_1(answer: Any) -> None:
    expected = 64 * 32 + 32 + 32 * 10 + 10
    if _as_number(answer) != expected:
        raise _Wrong("the count is off.")


@_exercise(
    "08.2",
    "steps per epoch",
    "one step per mini-batch; the last mini-batch may be smaller than the others.",
    lambda: {"samples": 1438, "batch_size": 32, "asked": "the number of steps in one epoch"},
)
def _08_2(answer: Any) -> None:
    expected = math.ceil(1438 / 32)
    number = _as_number(answer)
    if number != expected:
        raise _Wrong(f"the count is too {'big' if number > expected else 'small'}.")


@_exercise(
    "08.3",
    "the softmax cross-entropy gradient",
    "probabilities p_k = e^{z_k} / Σ_j e^{z_j}; the gradient is p_k, minus 1 for the right class.",
    lambda: {"scores": [2.0, 1.0, -1.0], "right class": 0, "asked": "∂C/∂z for the three scores, as a list"},
)
def _08_3(answer: Any) -> None:
    z = [2.0, 1.0, -1.0]
    total = math.fsum(math.exp(t) for t in z)
    _close_list(answer, [math.exp(t) / total - (1.0 if k == 0 else 0.0) for k, t in enumerate(z)])
