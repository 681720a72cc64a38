"""Derivatives of derivatives (``autograd.grad`` / ``hvp``): graph sizes and times.

    python benchmarks/bench_higher.py [--json PATH] [--repeats N]

Sizes (exact counts, no timing):
- the graph of ∂y/∂x built by ``grad(y, xs, create_graph=True)``, relative to y's own
  graph: on W1's sample graph (one moons point's hinge cost through the 2-16-16-1 ReLU
  MLP, gradient with respect to its 337 parameters) and on a chain of 1,000 ops
  (500 × ``*`` then ``tanh``).  "new" counts only the Values the pass made; "whole"
  every Value the gradients depend on (the forward nodes they reuse included).
Times (median of N interleaved runs of 20 calls each, GC on, the graph built once):
- ``grad(y, params)`` (first order, floats) against ``y.backward()`` on W1's sample graph:
  the same pass, the grads of the graph borrowed and put back;
- ``hvp(y, params, v)`` (forward-over-reverse: one tangent sweep and one reverse sweep of
  floats, the rules read over dual numbers) against one gradient (``backward()``) on W1's
  sample network: the classic "a few gradients" constant (target <= 5); beside it the double
  backward it replaced, ``grad(dot(grad(y, params, create_graph=True), v), params)``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from time import perf_counter

HERE = Path(__file__).resolve().parent
sys.path.insert(1, str(HERE.parent))

import bench_common as common  # noqa: E402
from bench_codegen import w1_sample  # noqa: E402


def chain_1000():
    from autograd import Value

    x, w = Value(0.5, label="x"), Value(0.999, label="w")
    y = x
    for _ in range(500):
        y = (y * w).tanh()
    return y, [x, w]


def sizes(y, xs) -> dict:
    import autograd

    forward = autograd.topological_order(y)
    grads = autograd.grad(y, xs, create_graph=True, allow_unused=True)
    whole = autograd.topological_order(*grads)
    made = [node for node in whole if node not in set(forward)]
    return {"y_nodes": len(forward), "grad_nodes_whole": len(whole), "grad_nodes_new": len(made),
            "factor_whole": len(whole) / len(forward), "factor_new": len(made) / len(forward)}


def _per_call(fn, calls: int = 20) -> float:
    start = perf_counter()
    for _ in range(calls):
        fn()
    return (perf_counter() - start) / calls


def times(repeats: int) -> dict:
    import autograd

    cost, leaves, n_params = w1_sample()
    params = leaves[:n_params]
    v = [((i * 37) % 11 - 5) / 5.0 for i in range(n_params)]
    runs = {
        "backward()": lambda: cost.backward(),
        "grad (first order)": lambda: autograd.grad(cost, params),
        "grad create_graph=True": lambda: autograd.grad(cost, params, create_graph=True),
        "hvp": lambda: autograd.hvp(cost, params, v),
        "double backward g·v": lambda: autograd.grad(  # what hvp did before (its 10.7x)
            autograd.dot(list(autograd.grad(cost, params, create_graph=True)), v), params, allow_unused=True),
    }
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, fn in runs.items():
            fn()  # primed: its own steady state
            samples[name].append(_per_call(fn))
    return {name: {"median_s": statistics.median(xs), "min_s": min(xs), "max_s": max(xs), "runs": len(xs)}
            for name, xs in samples.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=str(HERE / "results" / "higher-latest.json"))
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args(argv)
    f = common.fmt_seconds
    result = {"machine": common.machine(), "sizes": {}, "times": {}}
    print("graph of ∂y/∂x (create_graph=True) relative to y's graph")
    cost, leaves, n_params = w1_sample()
    graphs = (("W1 sample 2-16-16-1, ∂cost/∂params", (cost, leaves[:n_params])),
              ("chain of 1,000 ops, ∂y/∂(x, w)", chain_1000()))
    for name, (y, xs) in graphs:
        s = sizes(y, xs)
        result["sizes"][name] = s
        print(f"    {name:<36} y {s['y_nodes']:>6,} nodes; ∂y/∂x new {s['grad_nodes_new']:>6,} "
              f"({s['factor_new']:.2f}x), whole {s['grad_nodes_whole']:>6,} ({s['factor_whole']:.2f}x)")
    print(f"W1 sample graph, time per call (median [min-max] of {args.repeats} runs of 20 calls, GC on)")
    t = times(args.repeats)
    result["times"] = t
    for name, s in t.items():
        print(f"    {name:<24} {f(s['median_s']):>9} [{f(s['min_s'])}-{f(s['max_s'])}]")
    result["ratios"] = {}
    for stat in ("median_s", "min_s"):  # the minimum: the least disturbed run on a shared machine
        ratios = {"grad_over_backward": t["grad (first order)"][stat] / t["backward()"][stat],
                  "create_graph_over_backward": t["grad create_graph=True"][stat] / t["backward()"][stat],
                  "hvp_over_backward": t["hvp"][stat] / t["backward()"][stat],
                  "double_backward_over_backward": t["double backward g·v"][stat] / t["backward()"][stat]}
        result["ratios"][stat] = ratios
        print(f"    by {stat[:-2]}: grad / backward() = {ratios['grad_over_backward']:.2f} (target <= 1.10); "
              f"grad create_graph=True / backward() = {ratios['create_graph_over_backward']:.2f}; "
              f"hvp / backward() = {ratios['hvp_over_backward']:.2f} (target <= 5); "
              f"double backward g·v / backward() = {ratios['double_backward_over_backward']:.2f}")
    print(f"JSON written to {common.write_json(args.json, result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
