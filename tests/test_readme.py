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
