"""The README's example runs and prints what the chain rule says it should."""

import contextlib
import io
import math
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_ten_line_example_prints_closed_form_gradients():
    example = python_blocks()[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example, "README example", "exec"), {})
    first_line = out.getvalue().splitlines()[0]
    w1_grad, x1_grad = (float(s) for s in first_line.split())
    sigma_prime = 1 - math.tanh(1.5 * -2.0 + 0.5 * 1.0 + 3.0) ** 2
    assert w1_grad == sigma_prime * 1.5
    assert x1_grad == sigma_prime * -2.0
    assert "upstream" in out.getvalue()


def test_readme_states_both_commands():
    text = README.read_text(encoding="utf-8")
    assert 'pip install -e ".[dev]" && pytest' in text
    assert "python -m nn" in text


def test_every_other_python_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples may save pictures
    for block in python_blocks()[1:]:
        if "breakpoint()" in block or "frames.viewer()" in block:
            continue  # interactive: a debugger prompt, a notebook widget
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block, "README example", "exec"), {})


def test_debugger_transcript_points_at_the_source_lines_it_shows():
    """Each ``autograd/<file>(N)func()`` frame in the README's pdb output names line N of
    that file, that line lies in ``func``, and the ``->`` line printed under it is its text."""
    root = README.parent
    lines = README.read_text(encoding="utf-8").splitlines()
    frames = 0
    for i, line in enumerate(lines):
        match = re.match(r"^[> ] (autograd/[\w/]+\.py)\((\d+)\)(\w+)\(\)$", line)
        if not match:
            continue
        path, number, function = match.group(1), int(match.group(2)), match.group(3)
        source = (root / path).read_text(encoding="utf-8").splitlines()
        shown = source[number - 1].strip()
        defs = [s.strip() for s in source[:number] if re.match(r"\s*def \w+", s)]
        assert defs and defs[-1].startswith(f"def {function}("), (path, number, function, defs[-1:])
        if i + 1 < len(lines) and lines[i + 1].startswith("-> "):
            assert lines[i + 1][3:].strip() == shown, (path, number, lines[i + 1], shown)
        frames += 1
    assert frames >= 4
