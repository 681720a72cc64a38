"""Shared helpers for the benchmarks: interleaved timing, medians, machine facts.

Every workload hands ``interleave`` a dict ``{implementation name: run}``.  A ``run``
does one unit of work and returns ``{phase: seconds}`` that it measured itself (so a
workload can time forward and backward separately).  ``interleave`` calls the runs in
turn, A B C A B C ..., so that slow drifts of a shared machine hit every
implementation alike, and returns every sample; ``median`` of those is what we report.
"""

from __future__ import annotations

import datetime
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from time import perf_counter

Phases = dict[str, float]
Run = Callable[[], Phases]

REPO = Path(__file__).resolve().parent.parent


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    """``(fn(), seconds)``."""
    start = perf_counter()
    result = fn()
    return result, perf_counter() - start


def interleave(runs: dict[str, Run], repeats: int, *, gc_enabled: bool = True, prime: bool = True,
               progress: Callable[[str], None] | None = None) -> dict[str, dict[str, list[float]]]:
    """Call each run ``repeats`` times, interleaved; return ``{name: {phase: [seconds, ...]}}``.

    Before each timed call the cyclic garbage collector is emptied (untimed), so no
    implementation pays for another one's garbage.  With ``prime`` the run is then called
    once untimed, so the timed call starts in that implementation's own steady state: its
    previous step's garbage still waiting, as in a training loop.  ``gc_enabled=False``
    switches the collector off for the primed and the timed call (and collects after).
    """
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in runs}
    was_enabled = gc.isenabled()
    try:
        for _ in range(repeats):
            for name, run in runs.items():
                gc.enable()
                gc.collect()
                if not gc_enabled:
                    gc.disable()
                if prime:
                    run()
                phases = run()
                for phase, seconds in phases.items():
                    samples[name].setdefault(phase, []).append(seconds)
                if progress:
                    progress(name)
    finally:
        gc.enable()
        gc.collect()
        if not was_enabled:
            gc.disable()
    return samples


def medians(samples: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    return {name: {phase: statistics.median(xs) for phase, xs in phases.items()}
            for name, phases in samples.items()}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def git_dirty() -> bool | None:
    """True when tracked files differ from the commit (the figures are then not that commit's)."""
    try:
        out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(out.stdout.strip()) if out.returncode == 0 else None


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "load_average_at_start": load,
        "gc_thresholds": gc.get_threshold(),
        "git_commit": git_commit(),
        "git_dirty": git_dirty(),
    }


def fmt_seconds(s: float) -> str:
    if s >= 1.0:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    if s >= 1e-6:
        return f"{s * 1e6:.2f} µs"
    return f"{s * 1e9:.0f} ns"


def try_import(name: str):
    """The module, or None when it is not installed (an optional opponent)."""
    try:
        return __import__(name)
    except ImportError:
        return None


def write_json(path: str | Path, data: object) -> Path:
    """Write a run's results as JSON (folders made as needed) and return where."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path
