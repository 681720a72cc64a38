"""Mutation testing for glassgrad: does the test suite notice a small deliberate bug?

    python mutation/run.py                 # every mutant in mutation/mutants.py
    python mutation/run.py --only M07,M12  # some of them
    python mutation/run.py --list          # what each mutant changes
    python mutation/run.py --json out.json # where the results go (default mutation/results/latest.json)

Each mutant is one exact text replacement in one source file (``find`` must occur exactly
once, or the mutant is reported as stale: the code moved and the list needs updating).
The runner copies the working tree once into a temporary folder, applies one mutant at a
time there, runs the tests named for it (``pytest -x``) and restores the file.  A mutant
is *killed* when the tests fail (or time out), *survived* when they pass.  A survivor is
either a missing test or an equivalent mutant, argued in ``mutants.py`` (``equivalent=``);
the score counts killed / (mutants - equivalent).  Nothing here touches the real tree.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from mutants import MUTANTS, Mutant  # noqa: E402


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout


def copy_tree(dest: Path) -> None:
    """Copy tracked and untracked-but-not-ignored files (what a commit of the tree would hold)."""
    for name in git("ls-files", "-co", "--exclude-standard", "-z").split("\0"):
        if not name or not (REPO / name).is_file():
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)


def run_tests(tree: Path, tests: tuple[str, ...], timeout: float) -> tuple[str, str, float]:
    """``(status, first failure line, seconds)`` for the tests of one mutant in ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
    env.pop("CI", None)  # browser tests skip instead of failing: they are not what is measured
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-rfE",
        "--hypothesis-seed=0",
        *tests,
    ]
    start = time.perf_counter()
    try:
        result = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "killed", f"timed out after {timeout:.0f} s", time.perf_counter() - start
    seconds = time.perf_counter() - start
    if result.returncode == 0:
        return "survived", "", seconds
    failed = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    last_lines = result.stdout.strip().splitlines()[-1:] or [""]
    return "killed", failed[0] if failed else last_lines[0], seconds


def check_imports_copy(tree: Path) -> None:
    """Refuse to run if the copy's tests would import the real tree's engine instead."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    where = subprocess.run(
        [sys.executable, "-c", "import autograd, nn; print(autograd.__file__, nn.__file__)"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if not all(Path(p).resolve().is_relative_to(tree.resolve()) for p in where.split()):
        raise SystemExit(f"the copy imports another glassgrad ({where.strip()}): mutants would not be tested")


def mutate(tree: Path, mutant: Mutant) -> str | None:
    """Apply ``mutant`` in ``tree``; return the original text, or None when a ``find`` is not there once."""
    path = tree / mutant.file
    original = mutated = path.read_text(encoding="utf-8")
    for find, replace in ((mutant.find, mutant.replace), *mutant.also):
        if mutated.count(find) != 1:
            return None
        mutated = mutated.replace(find, replace)
    path.write_text(mutated, encoding="utf-8")
    return original


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated mutant ids")
    parser.add_argument("--list", action="store_true", help="print the mutants and exit")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "latest.json")
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds per mutant (a timeout kills it)"
    )
    args = parser.parse_args(argv)

    ids = [m.id for m in MUTANTS]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        parser.error(f"mutants.py gives more than one mutant the id {', '.join(repeated)}")
    chosen = MUTANTS
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {m.id for m in MUTANTS}
        if unknown:
            parser.error(f"--only: no mutant named {', '.join(sorted(unknown))}")
        chosen = [m for m in MUTANTS if m.id in wanted]
    if args.list:
        for m in chosen:
            print(f"{m.id}  {m.file}: {m.why}" + (f"   [equivalent: {m.equivalent}]" if m.equivalent else ""))
        return 0

    commit, dirty = git("rev-parse", "HEAD").strip(), bool(git("status", "--porcelain").strip())
    results = []
    with tempfile.TemporaryDirectory(prefix="glassgrad-mutants-") as tmp:
        tree = Path(tmp)
        copy_tree(tree)
        check_imports_copy(tree)
        for mutant in chosen:
            original = mutate(tree, mutant)
            if original is None:
                status, detail, seconds = (
                    "stale",
                    f"a find of {mutant.id} is not in {mutant.file} exactly once",
                    0.0,
                )
            else:
                try:
                    status, detail, seconds = run_tests(tree, mutant.tests, args.timeout)
                finally:
                    (tree / mutant.file).write_text(original, encoding="utf-8")
            if status == "survived" and mutant.equivalent:
                status = "equivalent"
            results.append(
                {
                    "id": mutant.id,
                    "file": mutant.file,
                    "why": mutant.why,
                    "status": status,
                    "detail": detail,
                    "seconds": round(seconds, 1),
                    "tests": list(mutant.tests),
                }
            )
            print(
                f"{mutant.id:<5}{status:<11}{seconds:6.1f} s  {mutant.file}: {mutant.why}"
                + (f"\n          {detail}" if detail and status != "killed" else ""),
                flush=True,
            )

    counted = [r for r in results if r["status"] != "equivalent"]
    killed = sum(r["status"] == "killed" for r in counted)
    summary = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "commit": commit,  # what the copy was taken from
        "dirty": dirty,
        "python": sys.version.split()[0],
        "mutants": len(results),
        "killed": killed,
        "survived": sum(r["status"] == "survived" for r in results),
        "stale": sum(r["status"] == "stale" for r in results),
        "equivalent": sum(r["status"] == "equivalent" for r in results),
        "score": round(killed / len(counted), 4) if counted else None,
        "results": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(
        f"\n{killed} of {len(counted)} counted mutants killed (score {summary['score']}), "
        f"{summary['survived']} survived, {summary['stale']} stale, {summary['equivalent']} equivalent; "
        f"commit {summary['commit'][:10]}{' (dirty tree)' if dirty else ''}; written to {args.json}"
    )
    return 0 if summary["survived"] == 0 and summary["stale"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
