"""The notebooks' exercise checkers: each accepts a right answer worked out HERE, independently
of the checker's code (plain floats, numpy, closed forms), and rejects wrong ones without
printing the expected value."""

from __future__ import annotations

import importlib.util
import math
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
    g = F.T @ (F @ np.array([1.0, 1.0, 0.0]) - y) / 4
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
    return len(range(0, 1438, 32))


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
    "02.3": (0.5 * (1 - math.tanh(-1.0) ** 2), [1 - math.tanh(-1.0) ** 2, -2.0 * (1 - math.tanh(-1.0) ** 2)]),
    "03.1": (one_delta_03(), [one_delta_03() / (1.5 * 0.25), -one_delta_03(), 0.0]),
    "03.2": (6.0 * sig(1.0) * (1 - sig(1.0)), [0.25, 6.0, 1.5]),
    "03.3": (lambda g, w, d: g * sum(wk * dk for wk, dk in zip(w, d)), [lambda g, w, d: sum(w) * g]),
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
    "08.2": (minibatch_steps(), [44, 1438 // 32 - 1]),
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
    for path in sorted(sources.glob("0*.py")):
        text = path.read_text(encoding="utf-8")
        for exercise, answer in re.findall(r'exercises\.check\("(\d\d\.\d)", (\w+)\)', text):
            used[exercise] = path.name
            assert path.name.startswith(exercise[:2]), (exercise, path.name)
            undone = re.search(rf"^{answer} = None$", text, re.M) or re.search(
                rf"def {answer}\(.*\):\n    return None", text
            )
            assert undone, f"{exercise} in {path.name}: {answer} should start as None / return None"
    assert sorted(used) == exercises.ids()
