"""How long ``autograd.codegen`` takes to generate, and how fast its programs run.

    python benchmarks/bench_codegen.py [--json PATH] [--repeats N]

Generation (median and range of N runs, each in a fresh graph, GC on; wall clock, and
the CPU time of this process, less disturbed by other jobs on a shared machine):
- W1's sample graph: one moons point's hinge cost through the 2-16-16-1 MLP
  (``codegen`` + compiling its per-sample program; and the batch program ``fit`` uses);
- W4's sample graph: one digit's cross-entropy through the 64-32-10 MLP;
- two graphs of about 10,000 nodes: the sample graph of an MLP 64-64-64-10, and a
  chain of 5,000 × (``*``, ``tanh``).
Run time: one W1 sample, forward + backward, by ``backward()``, ``autograd.fast`` and
the generated program (the program's gradients are checked bit for bit first).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from time import perf_counter, process_time

HERE = Path(__file__).resolve().parent
sys.path.insert(1, str(HERE.parent))

import bench_common as common  # noqa: E402


def _mlp_sample(sizes, activation, cost_of):
    import nn
    from autograd import Value

    model = nn.MLP(sizes[0], list(sizes[1:]), activation=activation, output_activation="linear", seed=0)
    x = [Value(0.1 * ((i * 7) % 11 - 5), label=f"x{i + 1}") for i in range(sizes[0])]
    cost = cost_of(model(x))
    return cost, [*model.parameters(), *x], len(model.parameters())


def w1_sample():
    import nn

    return _mlp_sample((2, 16, 16, 1), "relu", lambda s: nn.hinge(s, 1))


def w4_sample():
    import nn

    return _mlp_sample((64, 32, 10), "tanh", lambda z: nn.cross_entropy(z, 3))


def big_mlp_sample():
    import nn

    return _mlp_sample((64, 64, 64, 10), "tanh", lambda z: nn.cross_entropy(z, 3))


def chain():
    from autograd import Value

    x, w = Value(0.5, label="x"), Value(0.999, label="w")
    y = x
    for _ in range(5_000):
        y = (y * w).tanh()
    return y, [x, w], 2


def _stats(xs):
    return {"median_s": statistics.median(xs), "min_s": min(xs), "max_s": max(xs), "runs": len(xs)}


def generation(make, repeats):
    """Seconds for ``codegen(...).compile()`` and for ``.batch(n_params)``, over fresh graphs."""
    from autograd import topological_order
    from autograd.codegen import codegen

    program_s, batch_s, program_cpu = [], [], []
    for _ in range(repeats):
        root, leaves, n_params = make()
        cpu, start = process_time(), perf_counter()
        prog = codegen(root, leaves).compile()
        made, made_cpu = perf_counter(), process_time()
        prog.batch(n_params)
        done = perf_counter()
        program_s.append(made - start)
        program_cpu.append(made_cpu - cpu)
        batch_s.append(done - made)
    return {"nodes": len(topological_order(root)), "program": _stats(program_s), "batch": _stats(batch_s),
            "program_cpu": _stats(program_cpu)}


def run_time(repeats):
    """One W1 sample, forward + backward: backward(), fast.backward, the generated program."""
    import autograd
    import nn
    from autograd import Value
    from autograd.codegen import codegen

    model = nn.MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=0)
    params = model.parameters()
    point = [0.3, -0.4]
    x = [Value(v) for v in point]
    prog = codegen(nn.hinge(model(x), 1), [*params, *x]).compile()
    args = [*[p.data for p in params], *point]

    def dynamic(backward):
        model.zero_grad()
        backward(nn.hinge(model(point), 1))
        return [p.grad for p in params]

    if list(prog(*args)[1][: len(params)]) != dynamic(autograd.backward):
        raise AssertionError("codegen: the program's gradients differ from backward()'s")
    runs = {"backward()": lambda: dynamic(autograd.backward),
            "fast.backward": lambda: dynamic(autograd.fast.backward),
            "codegen program": lambda: prog(*args)}
    out = {}
    for name, fn in runs.items():
        per = []
        for _ in range(repeats):
            start = perf_counter()
            for _ in range(100):
                fn()
            per.append((perf_counter() - start) / 100)
        out[name] = _stats(per)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=str(HERE / "results" / "codegen-latest.json"))
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    f = common.fmt_seconds
    result = {"machine": common.machine(), "generation": {}, "w1_sample_run_time": {}}
    print(f"codegen: generation time (median [min-max] of {args.repeats}, GC on)")
    graphs = (("W1 sample 2-16-16-1 hinge", w1_sample), ("W4 sample 64-32-10 cross-entropy", w4_sample),
              ("MLP 64-64-64-10 sample", big_mlp_sample), ("chain 5,000 x (*, tanh)", chain))
    for name, make in graphs:
        g = generation(make, args.repeats)
        result["generation"][name] = g
        p, b = g["program"], g["batch"]
        print(f"    {name:<34} {g['nodes']:>6,} nodes: codegen+compile {f(p['median_s']):>9} "
              f"[{f(p['min_s'])}-{f(p['max_s'])}], batch program {f(b['median_s']):>9} "
              f"[{f(b['min_s'])}-{f(b['max_s'])}]; codegen+compile CPU {f(g['program_cpu']['median_s'])}")
    print("W1 sample, forward + backward (median of runs of 100 calls)")
    for name, s in run_time(args.repeats).items():
        result["w1_sample_run_time"][name] = s
        print(f"    {name:<16} {f(s['median_s']):>9} [{f(s['min_s'])}-{f(s['max_s'])}]")
    print(f"JSON written to {common.write_json(args.json, result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
