"""no_grad() belongs to one thread (and one asyncio task): real threads and tasks, interleaved on purpose."""

import asyncio
import sys
import threading

import pytest

from autograd import Value, is_grad_enabled, no_grad

TIMEOUT = 10  # seconds; every wait below is released in well under a second


@pytest.fixture
def quick_switches():
    """Let the interpreter switch threads often, so that the threads really interleave."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


def run_threads(*targets):
    """Run each target in its own thread; re-raise the first failure in the test's thread."""
    errors = []

    def guarded(target):
        def run():
            try:
                target()
            except BaseException as error:  # noqa: BLE001 - handed back to the test
                errors.append(error)

        return run

    threads = [threading.Thread(target=guarded(t)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a thread hung"
    if errors:
        raise errors[0]


def test_no_grad_in_one_thread_leaves_recording_on_in_another():
    inside, done = threading.Event(), threading.Event()
    seen = {}

    def a():
        with no_grad():
            inside.set()
            assert done.wait(TIMEOUT)
            seen["a"] = is_grad_enabled()

    def b():
        assert inside.wait(TIMEOUT)
        x = Value(3.0)
        y = x * x
        y.backward()
        seen["b"] = (is_grad_enabled(), y.parents == (x, x), x.grad)
        done.set()

    run_threads(a, b)
    assert seen == {"a": False, "b": (True, True, 6.0)}
    assert is_grad_enabled()


def test_a_enters_b_enters_a_leaves_b_leaves_and_each_is_restored():
    steps = [threading.Event() for _ in range(4)]
    seen = {}

    def a():
        with no_grad():
            steps[0].set()
            assert steps[1].wait(TIMEOUT)
        seen["a after leaving"] = is_grad_enabled()
        steps[2].set()

    def b():
        assert steps[0].wait(TIMEOUT)
        with no_grad():
            steps[1].set()
            assert steps[2].wait(TIMEOUT)
            seen["b inside after a left"] = is_grad_enabled()
        seen["b after leaving"] = is_grad_enabled()

    run_threads(a, b)
    assert seen == {"a after leaving": True, "b inside after a left": False, "b after leaving": True}
    fresh = {}
    run_threads(lambda: fresh.setdefault("new thread", is_grad_enabled()))
    assert fresh == {"new thread": True} and is_grad_enabled()


def train(steps: int) -> list[float]:
    """A tiny model trained by SGD with backward(): its weights after ``steps`` steps."""
    w1, w2, b = Value(0.3), Value(-0.2), Value(0.1)
    data = [((0.5, -1.0), 1.0), ((-1.5, 0.25), -1.0), ((1.0, 1.0), 1.0)]
    for step in range(steps):
        (x1, x2), y = data[step % len(data)]
        loss = ((w1 * x1 + w2 * x2 + b).tanh() - y) ** 2
        for p in (w1, w2, b):
            p.grad = 0.0
        loss.backward()
        for p in (w1, w2, b):
            p.data -= 0.1 * p.grad
    return [w1.data, w2.data, b.data]


def test_training_while_another_thread_predicts_gives_the_same_weights(quick_switches):
    expected = train(300)
    result, stop = {}, threading.Event()

    def trainer():
        result["weights"] = train(300)
        stop.set()

    def predictor():
        w = Value(0.5)
        while not stop.is_set():
            with no_grad():
                (w * 2.0).tanh()

    run_threads(trainer, predictor, predictor)
    assert result["weights"] == expected


def test_asyncio_tasks_each_have_their_own_switch():
    async def inside_no_grad(entered, release, seen):
        with no_grad():
            entered.set()
            await release.wait()
            seen["inside"] = is_grad_enabled()
        seen["after"] = is_grad_enabled()

    async def recording(entered, release, seen):
        await entered.wait()
        x = Value(2.0)
        y = x * x  # while the other task is inside no_grad
        await asyncio.sleep(0)
        seen["recording"] = (is_grad_enabled(), y.parents == (x, x))
        release.set()

    async def main():
        entered, release, seen = asyncio.Event(), asyncio.Event(), {}
        await asyncio.wait_for(
            asyncio.gather(inside_no_grad(entered, release, seen), recording(entered, release, seen)), TIMEOUT
        )
        return seen

    assert asyncio.run(main()) == {"inside": False, "after": True, "recording": (True, True)}
    assert is_grad_enabled()


def test_nested_no_grad_is_restored_exactly_also_after_an_error():
    with no_grad():
        with no_grad():
            pass
        assert not is_grad_enabled()  # the inner block put back "off", not "on"
        with pytest.raises(ValueError):
            with no_grad():
                Value(-1.0).log()
        assert not is_grad_enabled()
    assert is_grad_enabled()
