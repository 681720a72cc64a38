"""The notebooks' exercise checkers: each accepts a right answer worked out HERE, independently
of the checker's code (plain floats, numpy, closed forms), and rejects wrong ones without
printing the expected value."""

from __future__ import annotations

import importlib.util
import itertools
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
from nn import exercises


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def box_features() -> tuple[np.ndarray, np.ndarray]:
    x = np.array([1.0, 1.1, 1.2, 2.0])
    return np.stack([x, x * x, np.ones_like(x)], axis=1), np.array([2.21, 2.431, 2.652, 4.42])


def one_delta_03() -> float:
    x, y = 0.8, 1.0
    a0, a1 = sig(0.6 * x + 0.1), sig(-0.4 * x + 0.2)
    out = sig(1.5 * a0 - 2.0 * a1 + 0.3)
    delta_out = (out - y) * out * (1 - out)
    return a0 * (1 - a0) * 1.5 * delta_out


def bp4_04() -> float:
    x1, x2 = 0.5, -1.0
    h0 = sig(0.3 * x1 - 0.8 * x2 + 0.0)
    h1 = sig(1.1 * x1 + 0.4 * x2 - 0.2)
    out = sig(0.9 * h0 - 1.3 * h1 + 0.1)
    return h1 * (out - 1.0) * out * (1 - out)


def central(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def bp2_numpy(W_next, delta_next, sigma_prime):
    return list((np.array(W_next).T @ np.array(delta_next)) * np.array(sigma_prime))


def bp2_no_transpose(W_next, delta_next, sigma_prime):
    return list((np.array(W_next) @ np.array(sigma_prime)) * 1.0)


def affine_numpy(W, A, out_diff):
    return out_diff @ W, out_diff.T @ A, out_diff.sum(axis=0)


def affine_transposed(W, A, out_diff):
    return out_diff @ W, A.T @ out_diff, out_diff.sum(axis=0)


def steepest() -> list[float]:
    F, y = box_features()
    g = F.T @ (F @ np.array([2.0, 0.5, -1.0]) - y) / 4
    return list(-g / np.linalg.norm(g))


def eta_edge() -> float:
    F, _ = box_features()
    return 2 / np.linalg.eigvalsh(F.T @ F / 4).max()


def input_for_five() -> float:
    lo, hi = 0.0, 5.0  # bisection on f(x) = 2.002x + 0.332x², increasing for x ≥ 0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if 2.002 * mid + 0.332 * mid * mid < 5 else (lo, mid)
    return lo


def minibatch_w2() -> float:
    x, y = np.array([1.1, 2.0]), np.array([2.431, 4.42])
    return float(np.mean((x + x * x - y) * x * x))


def softmax_grad() -> list[float]:
    z = np.array([2.0, 1.0, -1.0])
    p = np.exp(z) / np.exp(z).sum()
    return list(p - np.array([1.0, 0.0, 0.0]))


def halvings() -> int:
    w, steps = 1.0, 0
    while w >= 0.5:
        w *= 1 - 0.5 * 5.0 / 50
        steps += 1
    return steps


def minibatch_steps() -> int:
    return 4 * len(range(0, 1797, 50))  # 4 epochs of 36 mini-batches, the last one of 47


def classes_07() -> list[int]:
    return [int(2 * u - v - 0.5 > 0) for u, v in exercises.task("07.3")["inputs"]]


# id → (a right answer, some wrong answers)
CASES = {
    "01.1": (2 * 2.0 + (-3.0), [2.0, -1.0, 0.0]),
    "01.2": (2 * (2 * 3.0), [6.0, 9.0, 0.0]),
    "01.3": (central, [lambda f, x, eps=1e-6: f(x), lambda f, x, eps=1e-6: 1 / 0, "not a function"]),
    "01.4": (5.0, [6.0, 1.0, 2.0]),  # + first gives a 1, then * overwrites it with b = 5 (right: b + 1)
    "02.1": (4, [5, 7, 3]),
    "02.2": (
        ["t", "s", "r", "q", "p"],
        [["t", "r", "s", "p", "q"], ["t", "s", "p", "r", "q"], ["t", "s", "r", "p"], "tsrqp"],
    ),
    # x · tanh′(x·w) with x = 1.5, w = 0.4; wrong: the upstream alone, w instead of x, x alone
    "02.3": (
        1.5 * (1 - math.tanh(0.6) ** 2),
        [1 - math.tanh(0.6) ** 2, 0.4 * (1 - math.tanh(0.6) ** 2), 1.5],
    ),
    "03.1": (one_delta_03(), [one_delta_03() / (1.5 * 0.25), -one_delta_03(), 0.0]),
    "03.2": (6.0 * sig(1.0) * (1 - sig(1.0)), [0.25, 6.0, 1.5]),
    "03.3": (4 * 2 * 1, [3 * 4 * 2, 4 + 2 + 1, 4, 8.5]),  # one neuron in each of the layers after L1
    "04.1": (bp2_numpy, [bp2_no_transpose, lambda W, d, s: [0.0] * len(s)]),
    "04.2": (bp4_04(), [bp4_04() * 2, 0.0]),
    "04.3": (3, [1, 2, 4]),
    "05.1": (eta_edge(), [0.3, eta_edge() / 2, 0.25]),
    "05.2": (input_for_five(), [1.5, 2.0]),
    "05.3": (minibatch_w2(), [minibatch_w2() * 2, 0.0]),
    "05.4": (steepest(), [[-v for v in steepest()], [2 * v for v in steepest()], [1.0, 0.0, 0.0]]),
    "06.1": ((3, 5), [(5, 3), (7, 3), (3, 7), "3x5"]),
    "06.2": (affine_numpy, [affine_transposed, lambda W, A, D: (D @ W, D.T @ A)]),
    "06.3": ([0.2 * 0.8 * 1.0, 0.9 * 0.1 * -2.0], [[0.16, 0.18], [1.0, -2.0], [0.16]]),
    "07.1": (2 + math.exp(3.0) + math.exp(-3.0), [sig(3.0) * (1 - sig(3.0)), 1.0]),
    "07.2": (halvings(), [halvings() - 1, halvings() + 1, 10]),
    "07.3": (classes_07(), [[1, 1, 1, 1, 1], [0, 0, 0, 0, 0], [1, 0, 1, 0, 1]]),
    "08.1": (len(nn.MLP(64, [32, 10]).parameters()), [64 * 32 + 32 * 10, 64 * 32 + 32 * 10 + 42 + 1]),
    "08.2": (minibatch_steps(), [4 * (1797 // 50), 36, minibatch_steps() + 4, 10**400]),
    "08.3": (softmax_grad(), [[-v for v in softmax_grad()], [0.0, 0.0, 0.0]]),
}


def _more_cases() -> dict:
    """Cases kept beside a notebook's own tests: ``tests/exercise_cases/nbNN.py`` each define ``CASES``."""
    more = {}
    for path in sorted((Path(__file__).parent / "exercise_cases").glob("nb*.py")):
        spec = importlib.util.spec_from_file_location(f"exercise_cases_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert not set(module.CASES) & set(more), f"{path.name} repeats an exercise id"
        more.update(module.CASES)
    return more


_MORE = _more_cases()
assert not set(_MORE) & set(CASES), "an exercise's cases live in one place"
CASES.update(_MORE)


def test_every_exercise_is_tested():
    assert sorted(CASES) == exercises.ids()


def test_independent_answers_agree_where_they_can():
    # 07.3's expected classes, computed from the givens, are not all the same (a real exercise).
    assert 0 < sum(classes_07()) < 5
    assert math.isclose(1 / (sig(3.0) * (1 - sig(3.0))), 2 + math.exp(3.0) + math.exp(-3.0))  # 07.1


@pytest.mark.parametrize("exercise", sorted(CASES))
def test_right_answer_accepted(exercise):
    right, _ = CASES[exercise]
    verdict = exercises.check(exercise, right)
    assert verdict.ok and verdict.answered, verdict.message
    assert "✓" in repr(verdict)


@pytest.mark.parametrize("exercise", sorted(CASES))
def test_wrong_answers_rejected_without_the_answer(exercise):
    right, wrongs = CASES[exercise]
    for wrong in wrongs:
        verdict = exercises.check(exercise, wrong)
        assert not verdict.ok, (exercise, wrong)
        assert "Hint:" in verdict.message and "✗" in verdict.message
        said = verdict.message.split("): ", 1)[1]  # after the id and title
        if isinstance(right, (int, float)) and not isinstance(right, bool):
            for digits in (3, 4, 6):
                shown = f"{right:.{digits}g}"
                assert len(shown) < 3 or shown not in said, (exercise, verdict.message)


@pytest.mark.parametrize("exercise", sorted(CASES))
def test_not_answered(exercise):
    verdict = exercises.check(exercise, None)
    assert not verdict.ok and not verdict.answered
    assert "not answered yet" in verdict.message
    assert isinstance(exercises.task(exercise), dict)


def test_hand_rounded_answers_are_accepted_but_not_sloppy_ones():
    exact = one_delta_03()
    assert exercises.check("03.1", float(f"{exact:.4g}")).ok  # 4 significant digits, as by hand
    assert not exercises.check("03.1", exact * 1.01).ok  # 1% off


def test_a_function_that_still_returns_none_is_not_answered():
    verdict = exercises.check("04.1", lambda W, d, s: None)
    assert not verdict.ok and not verdict.answered and "not answered yet" in verdict.message


def test_unknown_exercise_is_a_clear_error():
    with pytest.raises(ValueError, match="exercise must be one of"):
        exercises.check("99.9", 1.0)
    with pytest.raises(ValueError, match="exercise must be one of"):
        exercises.task(3.1)


def test_task_is_a_fresh_copy():
    exercises.task("07.3")["inputs"].clear()
    assert len(exercises.task("07.3")["inputs"]) == 5


def test_non_numbers_are_wrong_not_errors():
    for answer in ("2.5", [1.0], float("nan"), True):
        verdict = exercises.check("03.2", answer)
        assert not verdict.ok and verdict.answered


def test_importing_the_checkers_is_light():
    heavy = "('numpy', 'torch', 'matplotlib')"
    code = f"import nn.exercises, sys; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_checker_is_used_by_its_notebook_and_undone():
    """Each exercise appears in the notebook its id names, with its answer left undone (None)."""
    import re
    from pathlib import Path

    sources = Path(__file__).resolve().parent.parent / "notebooks" / "_src"
    if not sources.is_dir():
        pytest.skip("no notebook sources here")
    used = {}
    for path in sorted(sources.glob("[0-9][0-9]_*.py")):
        text = path.read_text(encoding="utf-8")
        for exercise, answer in re.findall(r'exercises\.check\("(\d\d\.\d)", (\w+)\)', text):
            used[exercise] = path.name
            assert path.name.startswith(exercise[:2]), (exercise, path.name)
            undone = re.search(rf"^{answer} = None$", text, re.M) or re.search(
                rf"def {answer}\(.*\):\n    return None", text
            )
            assert undone, f"{exercise} in {path.name}: {answer} should start as None / return None"
    assert sorted(used) == exercises.ids()


# ----------------------------------------------------------------- no message gives the answer
def forbidden(right) -> list[str]:
    """Regular expressions for the ways a message could show ``right``."""
    if isinstance(right, bool) or callable(right):
        return []
    if isinstance(right, int):
        return [rf"(?<![\d.]){right}(?![\d.])"]
    if isinstance(right, float):
        forms = {f"{right:.{d}g}" for d in (3, 4, 6)} | {repr(right)}
        if right.is_integer():
            return [rf"(?<![\d.]){re.escape(f'{right:g}')}(?![\d.])"]
        return [re.escape(form) for form in forms if len(form.lstrip("-")) >= 3]
    if isinstance(right, (tuple, list)):
        whole = [re.escape(str(tuple(right))), re.escape(str(list(right)))]
        floats = [e for e in right if isinstance(e, float) and not e.is_integer()]
        return whole + [f for e in floats for f in forbidden(e)]
    return []


def probes(right) -> list:
    """Wrong answers of many shapes, to read as many of a checker's messages as possible."""
    numbers = [0, 1, -1, 0.5, -0.25, 3, 1e6, 10**400, float("inf")]
    lists = [[0.0] * k for k in range(1, 7)] + [[1] * k for k in range(1, 7)] + [(0, 0), (1, 2, 3)]
    functions = [lambda *a: 0.0, lambda *a: [0.0] * 5, lambda *a: (0.0, 0.0, 0.0), lambda *a: 1 / 0]
    return [*numbers, *lists, *functions, "x", ["t", "s"], ((0, 0), (0,)), ((1, 2), (3,))]


@pytest.mark.parametrize("exercise", sorted(CASES))
def test_no_message_contains_the_answer(exercise):
    right, wrongs = CASES[exercise]
    patterns = forbidden(right)
    seen = 0
    for wrong in [*wrongs, *probes(right)]:
        verdict = exercises.check(exercise, wrong)
        if verdict.ok:
            continue  # a probe that happens to be right (checked below that it really is)
        said = verdict.message.split("): ", 1)[1]  # after the id and title (which hold digits)
        for pattern in patterns:
            assert not re.search(pattern, said), (exercise, wrong, pattern, verdict.message)
        seen += 1
    assert seen >= len(wrongs)
    assert patterns or callable(right), f"{exercise}: no way to look for its answer"


COUNTS = sorted(e for e, (r, _) in CASES.items() if isinstance(r, int) and not isinstance(r, bool))


def test_some_exercises_are_counts():
    assert len(COUNTS) >= 3, COUNTS  # the test below checks something


@pytest.mark.parametrize("exercise", COUNTS)
def test_a_count_is_right_or_wrong_never_a_direction(exercise):
    """Integer answers: one below and one above get the same message (nothing to bisect on)."""
    right, _ = CASES[exercise]
    below, above = exercises.check(exercise, right - 1), exercises.check(exercise, right + 1)
    assert not below.ok and not above.ok
    assert below.message == above.message
    assert not re.search(r"big|small|more|fewer|less|too", below.message.split("Hint:")[0])


# ----------------------------------------------------------------- answers that misbehave
class FloatRaises:
    def __float__(self):
        raise RuntimeError("float refused")


class EqRaises(float):
    def __eq__(self, other):
        raise RuntimeError("eq refused")

    __ne__ = __eq__
    __hash__ = float.__hash__


class AlwaysEqual:
    """Equal to anything, and a float too: an answer that would fool ``answer == expected``."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

    def __float__(self):
        return 12345.0

    def __index__(self):
        return 12345


class IterRaises:
    def __iter__(self):
        yield 1.0
        raise RuntimeError("iteration refused")


class StrAlwaysEqual(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


def hostile_answers() -> list:
    always = AlwaysEqual()
    return [
        FloatRaises(),
        EqRaises(0.5),
        always,
        [always] * 5,
        (always, always),
        ((always, always), (always,)),
        (always, always, always),
        itertools.count(),
        itertools.repeat(always),
        IterRaises(),
        10**400,
        -(10**400),
        [10**400] * 5,
        (10**400, 10**400),
        [StrAlwaysEqual("t")] * 5,
        lambda *args: FloatRaises(),
        lambda *args: itertools.count(),
        lambda *args: [always] * 5,
        lambda *args: (always, always, always),
    ]


@pytest.mark.parametrize("exercise", sorted(CASES))
def test_misbehaving_answers_are_wrong_with_a_reason_not_a_crash(exercise):
    """Issue 21 item 10: an answer whose __float__/__eq__/__iter__ raises, that never ends,
    that equals everything, or that is too large for a float is a wrong answer, in bounded time."""
    for answer in hostile_answers():
        verdict = exercises.check(exercise, answer)
        assert isinstance(verdict, exercises.Verdict)
        assert not verdict.ok, (exercise, answer, verdict.message)
        assert verdict.answered and "✗" in verdict.message and "Hint:" in verdict.message


def test_a_misbehaving_answer_says_what_went_wrong():
    assert "float refused" in exercises.check("03.2", FloatRaises()).message
    assert "too large for a float" in exercises.check("03.2", 10**400).message
    assert "more items" in exercises.check("06.3", itertools.count()).message
    assert "iteration refused" in exercises.check("06.3", IterRaises()).message


def test_a_huge_integer_is_a_wrong_count_not_an_error():
    verdict = exercises.check("08.1", 10**400)
    assert not verdict.ok and verdict.answered and "not right" in verdict.message


def test_float_subclasses_are_judged_by_their_value():
    right, _ = CASES["03.2"]
    assert exercises.check("03.2", EqRaises(right)).ok  # the value is right; its __eq__ is never used


# ----------------------------------------------------------------- notebook 10 against real torch
def test_torch_shapes_and_positions_agree_with_the_cases():
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(4, 6)
    layer(torch.randn(10, 4)).sum().backward()
    assert CASES["10.1"][0] == (tuple(layer.weight.grad.shape), tuple(layer.bias.grad.shape))
    model = nn.MLP(2, [3, 1])
    i, j, k = CASES["10.2"][0]
    assert model.to_torch()[i].weight[j, k].item() == model.layers[1].neurons[0].w[2].data


def test_path_count_agrees_with_a_walk_of_the_network():
    """03.3: the number of paths from L1.N0 to the output, by walking neuron to neuron."""
    widths = [3, 4, 2, 1]

    def paths(layer: int) -> int:  # from one neuron of `layer` to the output, recursively
        return 1 if layer == len(widths) - 1 else sum(paths(layer + 1) for _ in range(widths[layer + 1]))

    assert paths(0) == CASES["03.3"][0]
