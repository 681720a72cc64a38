"""The READMEs render as intended and their examples and debugger transcript are true.

README.md and notebooks/README.md are parsed with markdown-it-py, a CommonMark parser
(what GitHub renders is CommonMark plus extensions), so a fence that does not close, a
section heading lost inside a code block, or a relative link to nothing fails here.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import math
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import autograd

markdown_it = pytest.importorskip("markdown_it", reason="needs markdown-it-py (pip install markdown-it-py)")

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
NOTEBOOKS_README = ROOT / "notebooks" / "README.md"

# The sections each README must keep, as written after the #s (inline code in backticks).
EXPECTED_HEADINGS = {
    README: [
        "glassgrad",
        "Two commands",
        "The main job: `python -m nn`",
        "Install",
        "Ten lines",
        "The engine at a glance (`autograd`)",
        "Pictures of the graph (`autograd.graph`)",
        "Step through backward in a debugger",
        "Networks at a glance (`nn`)",
        "Notebooks",
        "Speed",
    ],
    NOTEBOOKS_README: ["Notebooks: a guided path through backpropagation", "Running them", "Editing them"],
}


# ----------------------------------------------------------------- parsing
def parse(text: str) -> list:
    return markdown_it.MarkdownIt("commonmark").parse(text)


def headings(tokens: list) -> list[str]:
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]


def fence_problems(text: str) -> list[str]:
    """Fences that do not close, and fences that swallowed the start of another block:
    a line such as ```python inside a fence cannot close it, so it is a lost opening."""
    lines = text.splitlines()
    problems = []
    for token in parse(text):
        if token.type != "fence":
            continue
        start, end = token.map
        closer = re.escape(token.markup[0]) + f"{{{len(token.markup)},}}"
        if end - start < 2 or end > len(lines) or not re.fullmatch(closer, lines[end - 1].strip()):
            problems.append(f"line {start + 1}: the fence opened here never closes")
        for offset, line in enumerate(token.content.splitlines()):
            if re.match(r"\s*(`{3,}|~{3,})\s*\w", line):
                problems.append(f"line {start + 2 + offset}: {line.strip()!r} inside a fence cannot close it")
    return problems


def broken_links(text: str, base: Path) -> list[str]:
    """Relative links and images whose target is not a file or folder under ``base``."""
    broken = []
    for token in parse(text):
        for child in token.children or []:
            target = child.attrGet("href") if child.type == "link_open" else child.attrGet("src")
            if child.type not in ("link_open", "image") or not target:
                continue
            url = urlparse(target)
            if url.scheme or url.netloc or target.startswith("#"):
                continue  # a web address or an anchor in the same page
            if not (base / unquote(url.path)).exists():
                broken.append(target)
    return broken


def code_blocks(path: Path, info: str) -> dict[str, list[str]]:
    """The fenced blocks with this info string, under the heading they follow."""
    blocks: dict[str, list[str]] = {}
    heading = ""
    tokens = parse(path.read_text(encoding="utf-8"))
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = tokens[i + 1].content
        elif token.type == "fence" and token.info.strip() == info:
            blocks.setdefault(heading, []).append(token.content)
    return blocks


# ----------------------------------------------------------------- the checks can fail
def test_the_checks_catch_what_they_are_for(tmp_path):
    assert fence_problems("# a\n\n```python\nx = 1\n") == ["line 3: the fence opened here never closes"]
    swallowed = "```\n(Pdb) where\n```python\nimport nn\n```\n"
    assert fence_problems(swallowed) == ["line 3: '```python' inside a fence cannot close it"]
    assert fence_problems("```python\nx = 1\n```\n\n~~~\ny\n~~~\n") == []
    (tmp_path / "here.md").write_text("x")
    text = "[ok](here.md) [web](https://example.org) [anchor](#a) [gone](there.md) ![img](pic.png)"
    assert broken_links(text, tmp_path) == ["there.md", "pic.png"]
    assert "Lost" not in headings(parse("```\n## Lost\n```\n## Kept\n"))


# ----------------------------------------------------------------- rendering
@pytest.mark.parametrize("path", [README, NOTEBOOKS_README], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_renders_as_intended(path):
    text = path.read_text(encoding="utf-8")
    assert fence_problems(text) == []
    present = headings(parse(text))
    assert [h for h in EXPECTED_HEADINGS[path] if h not in present] == [], present
    assert broken_links(text, path.parent) == []


# ----------------------------------------------------------------- the examples
def test_ten_line_example_prints_closed_form_gradients():
    (example,) = code_blocks(README, "python")["Ten lines"]
    assert len([line for line in example.splitlines() if line.strip()]) == 10
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example, "README example", "exec"), {})
    lines = out.getvalue().splitlines()
    w1_grad, x1_grad = (float(s) for s in lines[0].split())
    sigma_prime = 1 - math.tanh(1.5 * -2.0 + 0.5 * 1.0 + 3.0) ** 2
    assert w1_grad == sigma_prime * 1.5
    assert x1_grad == sigma_prime * -2.0
    assert "upstream" in out.getvalue()
    # The step loop is a second backward: the leaves hold twice the first pass's grads.
    assert float(lines[-1]) == 2 * sigma_prime * 1.5
    said = re.search(r"print\(w1\.grad\) +# ≈ (\d+\.\d+) = 2 × (\d+\.\d+)", example)
    assert float(said.group(1)) == round(2 * sigma_prime * 1.5, 4)
    assert float(said.group(2)) == round(sigma_prime * 1.5, 5)


def test_readme_states_both_commands():
    text = README.read_text(encoding="utf-8")
    assert 'pip install -e ".[dev]" && pytest' in text
    assert "python -m nn" in text


def other_examples() -> list:
    """Every python block but the ten lines (tested above) and the debugger prompt; the
    step-through block runs after the block it goes on from, without its notebook widget."""
    params = []
    for heading, blocks in code_blocks(README, "python").items():
        for n, block in enumerate(blocks):
            if heading == "Ten lines" or "breakpoint()" in block:
                continue
            marks = []
            if "frames.viewer()" in block:
                # It goes on from the block above it (its `a`); run both, all but the widget.
                block = blocks[n - 1] + "\n" + re.sub(r"^frames\.viewer\(\).*\n", "", block, flags=re.M)
                without_pillow = importlib.util.find_spec("PIL") is None
                marks.append(pytest.mark.skipif(without_pillow, reason="the GIF needs Pillow"))
            needs_torch = re.search(r"^import .*\btorch\b", block, re.M) is not None
            without_torch = needs_torch and importlib.util.find_spec("torch") is None
            marks.append(pytest.mark.skipif(without_torch, reason="needs torch (pip install torch)"))
            params.append(pytest.param(block, id=f"{heading}-{n}", marks=marks))
    return params


def test_the_nn_example_is_a_block_of_its_own():
    (block,) = code_blocks(README, "python")["Networks at a glance (`nn`)"]
    assert block.startswith("import nn\n")


@pytest.mark.parametrize("block", other_examples())
def test_every_other_python_example_runs(block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples may save pictures
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(block, "README example", "exec"), {})


# ----------------------------------------------------------------- the pdb transcript
FRAME = re.compile(r"^[> ] (\S+)\((\d+)\)(\S+)\(\)$")


def frames(lines: list[str]) -> list[tuple[str, int, str, str]]:
    """(file, line number, function, the `->` source text under it) for each frame pdb printed."""
    found = []
    for i, line in enumerate(lines):
        match = FRAME.match(line)
        if match:
            text = lines[i + 1][3:].strip() if i + 1 < len(lines) and lines[i + 1].startswith("-> ") else ""
            found.append((match.group(1), int(match.group(2)), match.group(3), text))
    return found


def test_debugger_transcript_is_what_pdb_prints(tmp_path):
    """Replays the README's pdb session on the README's own script and compares each frame
    by file, LINE NUMBER, function and source text, in order: the transcript is what a
    learner's own run prints.  When autograd's files move, the failure shows the frames a
    real run printed, to copy into the README."""
    section = code_blocks(README, "python")["Step through backward in a debugger"]
    (example,) = [block for block in section if "breakpoint()" in block]
    text = README.read_text(encoding="utf-8")
    line = int(re.search(r"replaced by `y.backward\(\)`, on line (\d+)\)", text).group(1))
    script = re.sub(r"for step in .*\n\s+breakpoint\(\)\n", "y.backward()\n", example)
    assert script.splitlines()[line - 1] == "y.backward()"
    (tmp_path / "script.py").write_text(script, encoding="utf-8")

    transcripts = [block for block in code_blocks(README, "").get(
        "Step through backward in a debugger", []) if "(Pdb) where" in block]
    (transcript,) = transcripts
    typed = [row[len("(Pdb) "):] for row in transcript.splitlines() if row.startswith("(Pdb) ")]
    commands = [f"break {line}", "c", *typed, "q"]
    engine_root = Path(autograd.__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "pdb", "script.py"],
        input="\n".join(commands) + "\n",
        cwd=tmp_path,
        env={"PYTHONPATH": str(engine_root), "PATH": "", "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    printed = [re.sub(r"^(\(Pdb\) )+", "", row) for row in result.stdout.splitlines()]
    after_break = printed[next(i for i, row in enumerate(printed) if row.startswith("Breakpoint 2 at")):]

    def shown(path: str) -> str | None:
        """A frame's file as the README writes it, or None for pdb's own frames."""
        if path == str(tmp_path / "script.py"):
            return "script.py"
        resolved = Path(path).resolve()
        if resolved.is_relative_to(engine_root / "autograd"):
            return resolved.relative_to(engine_root).as_posix()
        return None

    real = [(shown(file), number, function, text) for file, number, function, text in frames(after_break)]
    real = [frame for frame in real if frame[0] is not None]
    readme = frames(transcript.splitlines())
    assert len(readme) >= 6
    as_printed = "\n".join(f"  {f}({n}){fn}()\n-> {text}" for f, n, fn, text in real)
    assert readme == real, f"the README's frames differ from a real run's; a real run printed:\n{as_printed}"


def test_the_transcript_check_sees_line_numbers():
    """A frame one line off is a different frame (the check above compares numbers)."""
    assert frames(["> autograd/value.py(430)tanh_local()", "-> t = out.data"]) != frames(
        ["> autograd/value.py(431)tanh_local()", "-> t = out.data"]
    )
