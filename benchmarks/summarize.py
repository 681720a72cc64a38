"""Median and range over several separate runs: the headline figures of benchmarks/README.md.

    cd benchmarks/results-2026-12-01 && python ../summarize.py w1-run*.json w4-run*.json

For W1: every implementation's step time and every ratio to the tuned hand-written
limit and to micrograd, GC on and GC off, each as the median [min-max] of the runs given
(each ratio is taken within one run first).  For W4: seconds per epoch and the speed-ups
over the fast pass.  Each run's commit and whether its tree was dirty are printed first.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def _fmt(xs: list[float], unit: str = "") -> str:
    return f"{statistics.median(xs):.3g}{unit} [{min(xs):.3g}-{max(xs):.3g}]"


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    w1, w4 = [], []
    for path in paths:
        result = json.loads(Path(path).read_text())
        m = result["machine"]
        print(f"{path}: commit {m.get('git_commit')}, dirty {m.get('git_dirty')}, {m['date']}, "
              f"load {m.get('load_average_at_start')}")
        w1 += [result["workloads"]["W1"]] if "W1" in result["workloads"] else []
        w4 += [result["workloads"]["W4"]] if result["workloads"].get("W4") else []
    if w1:
        print(f"\nW1 over {len(w1)} runs: median [min-max]")
        for gc in ("on", "off"):
            steps = [w[f"step_seconds_gc_{gc}"] for w in w1]
            limit = "handwritten-tuned" if "handwritten-tuned" in steps[0] else "handwritten"
            print(f"  GC {gc}:")
            for name in steps[0]:
                ms = [s[name] * 1e3 for s in steps]
                to_limit = [s[name] / s[limit] for s in steps]
                line = f"    {name:<18} {_fmt(ms, ' ms'):<28} × the limit ({limit}) {_fmt(to_limit)}"
                if "micrograd" in steps[0] and name != "micrograd":
                    line += f"   micrograd / this {_fmt([s['micrograd'] / s[name] for s in steps])}"
                print(line)
    if w4:
        print(f"\nW4 over {len(w4)} runs: seconds per epoch, median [min-max]")
        for name in ("glassgrad-codegen", "codegen-1-program", "glassgrad-fast", "glassgrad"):
            if name in w4[0]:
                on = [w[name]["epoch_seconds_gc_on"] for w in w4]
                off = [w[name]["epoch_seconds_gc_off"] for w in w4]
                print(f"    {name:<18} GC on {_fmt(on, ' s'):<24} GC off {_fmt(off, ' s')}")
        for key in ("codegen_speedup_over_fast", "codegen_1_program_speedup_over_fast"):
            if key in w4[0]:
                print(f"    {key}: GC on {_fmt([w[key]['gc_on'] for w in w4], '×')}, "
                      f"GC off {_fmt([w[key]['gc_off'] for w in w4], '×')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
