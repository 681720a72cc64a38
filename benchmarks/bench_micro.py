"""Small timings quoted in benchmarks/README.md ("What costs time"), each from this script.

    python benchmarks/bench_micro.py [--json PATH]

Each figure is the best of 7 timeit repeats (GC on), in ns per call or per node:
- ``Value(...)`` built with keyword arguments vs positionally, as ``_result`` does;
- a 16-term dot node: ``autograd.dot`` (checks its arguments) vs ``dot(..., check=False)``
  (the neurons' unchecked call), and the forward sum as a plain loop vs ``sum(map(mul, ...))``;
- a 1,000-node chain: the teaching ``topological_order`` vs ``autograd.fast``'s, and the
  fast pass's chain-rule loop alone.
"""

from __future__ import annotations

import argparse
import sys
import timeit
from operator import mul
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(1, str(HERE.parent))

import bench_common as common  # noqa: E402


def best_ns(stmt, number: int, per: int = 1) -> float:
    return min(timeit.repeat(stmt, number=number, repeat=7)) / number / per * 1e9


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=str(HERE / "results" / "micro-latest.json"))
    args = parser.parse_args(argv)

    import autograd
    from autograd import Value, fast
    from autograd.backward import topological_order

    out: dict[str, float] = {}
    out["Value keyword ns"] = best_ns(lambda: Value(1.0, _parents=(), _op="", _local_grads=None), 100_000)
    out["Value positional ns"] = best_ns(lambda: Value(1.0, None, (), "", None), 100_000)
    w = [Value(0.1 * i) for i in range(16)]
    x = [Value(0.2 * i) for i in range(16)]
    out["dot checked (autograd.dot) ns"] = best_ns(lambda: autograd.dot(w, x), 20_000)
    out["dot unchecked (check=False) ns"] = best_ns(lambda: autograd.dot(w, x, check=False), 20_000)
    wf, xf = [v.data for v in w], [v.data for v in x]

    def loop():
        data = 0.0
        for wi, xi in zip(wf, xf):
            data += wi * xi
        return data

    out["16-term sum, plain loop ns"] = best_ns(loop, 50_000)
    out["16-term sum, sum(map(mul)) ns"] = best_ns(lambda: sum(map(mul, wf, xf)), 50_000)
    a = Value(1.0000001)
    y = Value(1.0)
    for _ in range(1_000):
        y = y * a
    out["chain sort, teaching, ns per node"] = best_ns(lambda: topological_order(y), 50, 1_001)
    out["chain sort, fast, ns per node"] = best_ns(lambda: fast.topological_order(y), 50, 1_001)
    order = fast.topological_order(y)
    out["chain rule loop, fast, ns per node"] = best_ns(lambda: fast._propagate(reversed(order)), 50, 1_001)
    for name, ns in out.items():
        print(f"{name:<40} {ns:9.1f}")
    print(f"JSON written to {common.write_json(args.json, {'machine': common.machine(), 'ns': out})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
