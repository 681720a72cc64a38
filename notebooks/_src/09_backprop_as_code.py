# %% [markdown]
# # 09 · Backprop as code
#
# The documents call the backward pass "a network run in reverse": every node passes
# ∂C/∂(itself) back to its inputs, multiplied by a local gain fixed by the forward pass.
# For one given graph, that reverse network is nothing but a fixed list of
# multiplications and additions, so it can be **written down as plain Python**, one line
# per chain-rule product. `autograd.codegen` does exactly that:
#
# ```python
# prog = codegen(root, leaves)     # leaves become the arguments, in order
# print(prog.source)               # the forward lines, then the backward lines
# out, grads = prog(*floats)       # root's value and ∂root/∂leaf for each leaf
# ```
#
# The program runs the same products, added in the same order, as `root.backward()`, so
# its gradients equal the engine's to the last bit. This notebook reads the programs of
# one neuron and of a small network beside the documents' equations, then trains with
# them and times them against the dynamic passes.
#
# Notation as in the other notebooks: y is a target, a = σ(z), δ = ∂C/∂z; in a program a
# variable `d_z` holds ∂C/∂z.

# %%
import math
import struct
import time

import autograd
import nn
from autograd import Value
from autograd.codegen import codegen


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def bits(x):
    return struct.pack("<d", x)


# %% [markdown]
# ## 1. One neuron
#
# z = w₁x₁ + w₂x₂ + b, a = σ(z), and the quadratic cost of one sample C = ½(a − y)².
# Leaves are the weights, the inputs and the target; labels become the variable names.

# %%
w1, w2, b = Value(0.5, label="w1"), Value(-0.2, label="w2"), Value(0.1, label="b")
x1, x2, y = Value(1.0, label="x1"), Value(2.0, label="x2"), Value(1.0, label="y")
z = autograd.dot([w1, w2], [x1, x2], b);  z.label = "z"
a = z.sigmoid();  a.label = "a"
e = a - y;  e.label = "e"
C = 0.5 * e * e;  C.label = "C"
leaves = [w1, w2, b, x1, x2, y]
prog = codegen(C, leaves)
print(prog.source)

# %% [markdown]
# Read the backward lines from the top. C = (½e)·e is two multiplications, so e gets
# two terms, `d_e = mul_1 * d_C` and `d_e += 0.5 * d_mul_1`: ½e + ½e = e = ∂C/∂e,
# added in the order `backward()` adds them. ∂e/∂a = 1, so ∂C/∂a *is* `d_e` and needs
# no line of its own. Then the neuron itself:
#
# - `d_z = (a * (1.0 - a)) * d_e` is ∂C/∂z = σ′(z)·∂C/∂a, with σ′(z) = a(1 − a) read off
#   the forward pass;
# - `d_w1 = x1 * d_z` is the documents' ∂C/∂w₁ = ∂z/∂w₁ · ∂C/∂z: the forward pass gives
#   ∂z/∂w₁ = x₁, the backward pass gives ∂C/∂z;
# - `d_b = d_z`: the bias's input is 1.
#
# Run it at the leaves' own values and compare with `backward()` bit for bit, and with the
# formula (a − y)·σ′(z)·x₁ computed in plain floats:

# %%
lines = [line.strip() for line in prog.source.splitlines()]
assert {"d_e = mul_1 * d_C", "d_e += 0.5 * d_mul_1", "d_z = (a * (1.0 - a)) * d_e",
        "d_w1 = x1 * d_z", "d_b = d_z"} <= set(lines)  # the lines read above
values = [leaf.data for leaf in leaves]
out, grads = prog(*values)
C.backward()
assert [bits(g) for g in grads] == [bits(leaf.grad) for leaf in leaves] and out == C.data

zf = 0.5 * 1.0 + -0.2 * 2.0 + 0.1
af = sigmoid(zf)
delta = (af - 1.0) * af * (1 - af)
by_hand = [delta * 1.0, delta * 2.0, delta, delta * 0.5, delta * -0.2, -(af - 1.0)]
for name, got, want in zip(["w1", "w2", "b", "x1", "x2", "y"], grads, by_hand):
    print(f"∂C/∂{name:<2} program {got:+.12f}   by hand {want:+.12f}")
    assert math.isclose(got, want, rel_tol=1e-12)

# %% [markdown]
# The program is a function of numbers: give it other inputs and it computes what
# `backward()` would on the same graph built from them.

# %%
other = [0.3, 0.8, -0.4, -1.5, 0.25, 0.0]
out2, grads2 = prog(*other)
fresh = [Value(v) for v in other]
zz = autograd.dot(fresh[:2], fresh[3:5], fresh[2]).sigmoid() - fresh[5]
C2 = 0.5 * zz * zz
C2.backward()
print(f"C = {out2:.6f};  ∂C/∂w1 = {grads2[0]:+.8f} (backward: {fresh[0].grad:+.8f})")
assert [bits(g) for g in grads2] == [bits(v.grad) for v in fresh] and out2 == C2.data

# %% [markdown]
# ## 2. Li Hongyi's sum: ∂C/∂z = σ′(z)·[w₃·∂C/∂z′ + w₄·∂C/∂z″]
#
# Let the neuron's a feed two neurons, z′ = w₃a + b′ and z″ = w₄a + b″, both sigmoid
# outputs, with C = ½[(a′ − y₁)² + (a″ − y₂)²]. The sum over the neurons a feeds is
# gradient accumulation: the first term is assigned, the second added with `+=`.

# %%
w3, w4 = Value(0.8, label="w3"), Value(-1.2, label="w4")
b1, b2 = Value(0.2, label="b1"), Value(0.3, label="b2")
z1 = a * w3 + b1;  z1.label = "z1"   # z′
z2 = a * w4 + b2;  z2.label = "z2"   # z″
a1 = z1.sigmoid();  a1.label = "a1"
a2 = z2.sigmoid();  a2.label = "a2"
C = 0.5 * ((a1 - 1.0) ** 2 + (a2 - 0.0) ** 2);  C.label = "C"
leaves = [w1, w2, b, x1, x2, w3, w4, b1, b2]
prog = codegen(C, leaves)
lines = [line.strip() for line in prog.source.splitlines()]
start = next(i for i, line in enumerate(lines) if line.startswith("d_a ="))
for line in lines[start : lines.index("d_z = (a * (1.0 - a)) * d_a") + 1]:
    if line.startswith(("d_a", "d_z")):
        print(line)

# %% [markdown]
# The documents' equation, as lines: `d_a` collects w₃·∂C/∂z′ and, once ∂C/∂z″ is known
# (`d_z2`, the output case: σ′(z″) times what came from the cost), w₄·∂C/∂z″; then `d_z`
# multiplies the sum by σ′(z) = a(1 − a).
# The program's ∂C/∂z is not printed by `prog` (only leaves' gradients are returned), but
# ∂C/∂b = ∂C/∂z, so we check that against the formula in plain floats:

# %%
accumulating = [line for line in lines if line.startswith(("d_a = ", "d_a += "))]
assert accumulating == ["d_a = w3 * d_z1", "d_a += w4 * d_z2"], accumulating
_, grads = prog(*[leaf.data for leaf in leaves])
a1f, a2f = sigmoid(0.8 * af + 0.2), sigmoid(-1.2 * af + 0.3)
d1 = (a1f - 1.0) * a1f * (1 - a1f)          # ∂C/∂z′ (output layer: case 1)
d2 = (a2f - 0.0) * a2f * (1 - a2f)          # ∂C/∂z″
dz = af * (1 - af) * (0.8 * d1 + -1.2 * d2)  # Li Hongyi's sum
print(f"∂C/∂z: program {grads[2]:+.12f}   σ′(z)[w₃∂C/∂z′ + w₄∂C/∂z″] {dz:+.12f}")
assert math.isclose(grads[2], dz, rel_tol=1e-12)
for leaf in leaves:
    leaf.grad = 0.0  # leaves accumulate; the program gives what backward() adds from zero
C.backward()
assert [bits(g) for g in grads] == [bits(leaf.grad) for leaf in leaves]

# %% [markdown]
# ## 3. A two-layer network: Nielsen's four equations as lines
#
# `nn.MLP(2, [2, 1])` with sigmoids. `nn` labels every weight `w1, w2, …`, bias `b`,
# and a neuron's `z` and `a`, and tags each neuron with a group (`L1.N0` is layer 1,
# neuron 0), so the names read `L1_N0_w1` (w¹₀₀: labels count inputs from 1), `L2_N0_z`, …

# %%
model = nn.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=1)
xs = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
cost = nn.quadratic_cost(model(xs), 1.0);  cost.label = "C"
params = model.parameters()
prog = codegen(cost, [*params, *xs])
print(prog.source)

# %% [markdown]
# The backward lines are the four equations, one scalar at a time:
#
# - **BP1** δᴸ = ∇ₐC ⊙ σ′(zᴸ): `d_L2_N0_z = (L2_N0_a * (1.0 - L2_N0_a)) * …`;
# - **BP4** ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ: `d_L2_N0_w1 = L1_N0_a * d_L2_N0_z`;
# - **BP2** δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ): `d_L1_N0_a = L2_N0_w1 * d_L2_N0_z` then
#   `d_L1_N0_z = (L1_N0_a * (1.0 - L1_N0_a)) * d_L1_N0_a` (with more neurons in layer 2
#   there would be one `+=` line per neuron, the sum over k);
# - **BP3** ∂C/∂bˡⱼ = δˡⱼ: `d_L1_N0_b = d_L1_N0_z`.
#
# `nn.bp_equations` computes the four equations in plain floats, without the engine:

# %%
lines = [line.strip() for line in prog.source.splitlines()]
assert {"d_L2_N0_z = (L2_N0_a * (1.0 - L2_N0_a)) * d_sub_1", "d_L2_N0_w1 = L1_N0_a * d_L2_N0_z",
        "d_L1_N0_a = L2_N0_w1 * d_L2_N0_z", "d_L1_N0_z = (L1_N0_a * (1.0 - L1_N0_a)) * d_L1_N0_a",
        "d_L1_N0_b = d_L1_N0_z"} <= set(lines)  # the lines named above
_, grads = prog(*[p.data for p in params], 1.0, -2.0)
eq = nn.bp_equations(model, [1.0, -2.0], 1.0, "quadratic")
expected = []
for layer_w, layer_b in zip(eq.grad_w, eq.grad_b):
    for row, gb in zip(layer_w, layer_b):
        expected += [*row, gb]
worst = max(abs(g - e) for g, e in zip(grads, expected))
print(f"{len(expected)} parameter gradients; largest |program − four equations| = {worst:.1e}")
assert worst < 1e-15

# %% [markdown]
# ## 4. What is baked in, what is decided at run time
#
# A program replays the graph it was traced from, like JAX's `jit`. A Python `if` that
# your code took while building the graph is **baked in**; a branch *inside* an op, such as
# relu's, is part of the op's rule and is decided each time the program runs.

# %%
t = Value(2.0, label="t")
built = t * t if t.data > 0 else -t   # Python's if: decided now, at t = 2
baked = codegen(built, [t])
r = (t - 1.0).relu()
runtime = codegen(r, [t])
print(baked.source)
print(runtime.source)
print("t = -3:  baked program", baked(-3.0), " relu program", runtime(-3.0))
assert baked(-3.0) == (9.0, (-6.0,))      # still t·t: the `if` is not re-run
assert runtime(-3.0) == (0.0, (0.0,)) and runtime(3.0) == (2.0, (1.0,))

# %% [markdown]
# ## 5. Training with it
#
# `nn.fit` traces one sample's cost graph (parameters, that sample's inputs and target as
# leaves), generates a batch program once per graph shape and runs it for every sample
# (`backward="codegen"`). The hinge cost's graph depends on
# the label (±1), so the two moons get two programs. `backward="fast"` and
# `backward="plain"` build a graph for every batch and run `autograd.fast.backward` or
# `cost.backward()`.

# %%
X, Y = nn.datasets.moons(100, noise=0.1, seed=0)
timings, weights = {}, {}
for how in ("plain", "fast", "codegen"):
    m = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    start = time.perf_counter()
    history = nn.fit(m, X, Y, cost="hinge", l2=1e-4, lr=0.5, epochs=20, progress=False, backward=how)
    timings[how] = time.perf_counter() - start
    weights[how] = [p.data for p in m.parameters()]
    print(f"backward={how!r:<10} 20 full-batch steps in {timings[how]:.2f} s; final cost {history.costs[-1]:.5f}")
print(f"codegen is {timings['fast'] / timings['codegen']:.1f}× quicker than the fast pass and "
      f"{timings['plain'] / timings['codegen']:.1f}× quicker than backward() on this machine, "
      "generation included")

# %% [markdown]
# (Times are from the machine that ran this page; `benchmarks/` has the measured figures
# with their ranges.) The weights agree: the plain and fast passes give the same bits,
# and codegen adds the samples' gradients one by one instead of through one batch graph,
# which can change the last bits only:

# %%
same = weights["plain"] == weights["fast"]
rel = max(abs(c - f) / max(abs(f), 1e-300) for c, f in zip(weights["codegen"], weights["fast"]))
print(f"plain == fast: {same};  largest relative difference codegen vs fast: {rel:.1e}")
assert same and rel < 1e-12

# %% [markdown]
# ## 6. Speed, and why
#
# The program does no graph bookkeeping: no Value objects, no topological sort, no
# `grad` attributes, just local float variables. Timing one sample of the network above,
# forward and backward, three ways:

# %%
m = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
params = m.parameters()
sample = [Value(0.3, label="x1"), Value(-0.4, label="x2")]
cost = nn.hinge(m(sample), 1)
prog = codegen(cost, [*params, *sample]).compile()
args = [*[p.data for p in params], 0.3, -0.4]


def dynamic(backward):
    m.zero_grad()
    c = nn.hinge(m([0.3, -0.4]), 1)
    backward(c)
    return [p.grad for p in params]


def best_of(f, n=200):
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            f()
        best = min(best, (time.perf_counter() - start) / n)
    return best


per_sample = {"backward()": best_of(lambda: dynamic(autograd.backward)),
              "fast.backward": best_of(lambda: dynamic(autograd.fast.backward)),
              "codegen program": best_of(lambda: prog(*args))}
for name, seconds in per_sample.items():
    print(f"{name:<16} {seconds * 1e6:8.1f} µs per sample (forward + backward)")
assert prog(*args)[1][:len(params)] == tuple(dynamic(autograd.backward))  # same numbers, bit for bit

# %% [markdown]
# One thing to keep in mind: a program is only right for graphs of the same shape. `nn.fit`
# uses codegen only where it knows the shape cannot depend on the data (its own models, and
# costs whose graph depends at most on the label, which is part of the cache key); a model
# of your own with Python `if`s on values gets the fast pass.

# %% [markdown]
# ## 7. The same network as matrices: `backend="numpy"`
#
# The scalar program of section 3 has one line per scalar: three `L1_N…_z` lines for a
# layer of three neurons, one `d_…_w…` line per weight. But the three `z` of a layer
# read the same inputs, so together they are one product W¹x + b¹, and their backward
# lines are the documents' layer form: in_diff = Wᵀ·out_diff, W_diff = out_diff·aᵀ.
# `codegen(root, leaves, backend="numpy")` finds those groups in the graph and writes one
# numpy line per group (it needs numpy). A network [2, 3, 2] with sigmoids and the
# quadratic cost, the target y as leaves too:

# %%
import re
import sys

import numpy as np

model = nn.MLP(2, [3, 2], activation="sigmoid", output_activation="sigmoid", seed=1)
xs = [Value(0.5, label="x1"), Value(-1.0, label="x2")]
ys = [Value(0.0, label="y1"), Value(1.0, label="y2")]
cost = nn.quadratic_cost(model(xs), ys);  cost.label = "C"
leaves = [*model.parameters(), *xs, *ys]
matrix_prog = codegen(cost, leaves, backend="numpy")
scalar_prog = codegen(cost, leaves)
print(matrix_prog.source)

# %% [markdown]
# Each line's comment names the scalar nodes it stands for. Beside each numpy line, the
# scalar program's lines for the same nodes (the cost's unlabeled nodes are `sub_…`,
# `pow_…`, `sum_…` there, `diff`, `diff_sq`, `total` here):

# %%
matrix_lines = [line.split("  #")[0].strip() for line in matrix_prog.source.splitlines()]
scalar_lines = [line.strip() for line in scalar_prog.source.splitlines()]
same_nodes = [  # (the numpy line's variable, the scalar lines that compute the same nodes)
    ("z1", r"L1_N\d_z = "), ("a1", r"L1_N\d_a = "), ("z2", r"L2_N\d_z = "), ("a2", r"L2_N\d_a = "),
    ("diff", r"sub_\d = "), ("diff_sq", r"pow_\d = "), ("total", r"sum_\d = "), ("C", r"C = "),
    ("d_z2", r"d_L2_N\d_z = "), ("d_W2", r"d_L2_N\d_w\d = "), ("d_a1", r"d_L1_N\d_a \+?= "),
    ("d_z1", r"d_L1_N\d_z = "), ("d_W1", r"d_L1_N\d_w\d = "),
]
for name, pattern in same_nodes:
    (matrix_line,) = [line for line in matrix_lines if line.startswith(f"{name} = ")]
    scalars = [line for line in scalar_lines if re.match(pattern, line)]
    print(matrix_line)
    print("    scalar:", "\n            ".join(scalars))
    assert scalars

# %% [markdown]
# The backward lines are the four equations of notebook 04, now one line per layer
# (⊙ is numpy's `*`, a matrix product is `@`; layer 2 is the last, L = 2):
#
# | equation | layer form (seed 003) | numpy line |
# |---|---|---|
# | **BP1** δᴸ = ∇ₐC ⊙ σ′(zᴸ), ∇ₐC = a − y | sigmoid layer: in_diff = out_diff ⊙ out ⊙ (1 − out) | `d_a2 = d_diff`, then `d_z2 = (a2 * (1.0 - a2)) * d_a2` |
# | **BP2** δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ) | affine layer: in_diff = Wᵀ·out_diff | `d_a1 = W2.T @ d_z2`, then `d_z1 = (a1 * (1.0 - a1)) * d_a1` |
# | **BP3** ∂C/∂bˡⱼ = δˡⱼ | b_diff = out_diff | `g[…] += d_z2[:, 0]` (the gradient stores) |
# | **BP4** ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ | W_diff = out_diff·aᵀ | `d_W2 = d_z2 @ a1.T`, `d_W1 = d_z1 @ x.T` |
#
# (`d_diff = (2.0 * ieee_pow(diff, 1.0)) * d_diff_sq` with `d_diff_sq` = ½ is a − y: ∂C/∂a
# of C = ½‖a − y‖².) Now with numbers. First, the program's gradients against `backward()`:
# a matrix product adds its terms in another order than the scalar pass, so the two agree
# to rounding, not bit for bit:

# %%
out, grads = matrix_prog(*[leaf.data for leaf in leaves])
for leaf in leaves:
    leaf.grad = 0.0
cost.backward()
worst = max(abs(g - leaf.grad) / max(abs(leaf.grad), 1e-300) for g, leaf in zip(grads, leaves) if leaf.grad)
print(f"C: program {out:.17g}, backward() {cost.data:.17g}")
print(f"{len(leaves)} gradients; largest relative difference from backward(): {worst:.1e}")
print("bit for bit equal:", sum(g == leaf.grad for g, leaf in zip(grads, leaves)), "of", len(leaves))
assert abs(out - cost.data) <= 1e-12 * cost.data and worst <= 1e-12

# %% [markdown]
# Second, each numpy line's array against the equation computed here, in plain numpy from
# the model's weights (not from the program). To see the program's arrays we read its
# local variables when it returns, as a debugger would:

# %%
def arrays_of(prog, args):
    """The local variables of the generated function when it returns."""
    seen = {}

    def watch(frame, event, arg):
        if event == "return" and frame.f_code.co_name == "program":
            seen.update(frame.f_locals)

    sys.setprofile(watch)
    try:
        prog(*args)
    finally:
        sys.setprofile(None)
    return seen


v = arrays_of(matrix_prog, [leaf.data for leaf in leaves])
W = [np.array([[w.data for w in n.w] for n in layer.neurons]) for layer in model.layers]
b = [np.array([[n.b.data] for n in layer.neurons]) for layer in model.layers]
x, y = np.array([[0.5], [-1.0]]), np.array([[0.0], [1.0]])
sig = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
z1 = W[0] @ x + b[0];  a1 = sig(z1)
z2 = W[1] @ a1 + b[1];  a2 = sig(z2)
delta2 = (a2 - y) * a2 * (1 - a2)            # BP1
delta1 = (W[1].T @ delta2) * a1 * (1 - a1)   # BP2
checks = [("z1", z1, "z¹ = W¹x + b¹"), ("a1", a1, "a¹ = σ(z¹)"), ("z2", z2, "z² = W²a¹ + b²"),
          ("a2", a2, "a² = σ(z²)"), ("d_a2", a2 - y, "∇ₐC = a² − y"), ("d_z2", delta2, "BP1 δ²"),
          ("d_a1", W[1].T @ delta2, "(W²)ᵀδ², in_diff"), ("d_z1", delta1, "BP2 δ¹"),
          ("d_W2", delta2 @ a1.T, "BP4 δ²(a¹)ᵀ, W_diff"), ("d_W1", delta1 @ x.T, "BP4 δ¹xᵀ")]
for name, want, equation in checks:
    got = v[name]
    rel = np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-300))
    print(f"{name:<5} {str(got.shape):<7} = {equation:<20} largest relative difference {rel:.1e}")
    assert got.shape == want.shape and rel <= 1e-12
# BP3: the biases' gradients are δ (the program stores d_z into g; it returns them in leaf order)
names = [name for name, _ in model.named_parameters()]
for layer, delta in ((1, delta1), (2, delta2)):
    got = [grads[names.index(f"layers.{layer - 1}.neurons.{j}.b")] for j in range(len(delta))]
    rel = np.max(np.abs(np.array(got) - delta[:, 0]) / np.abs(delta[:, 0]))
    print(f"∂C/∂b{layer} = δ{layer} (BP3): largest relative difference {rel:.1e}")
    assert rel <= 1e-12

# %% [markdown]
# Every numpy line agrees with its equation to rounding (the printed differences), and the
# shapes are the documents' "dimension compatibility": δ² is 2 × 1 and a¹ is 3 × 1, so
# W_diff = δ²(a¹)ᵀ is 2 × 3, the shape of W².

# %% [markdown]
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **09.1** Write the backward lines of section 1 yourself, in plain floats: a function that
# returns ∂C/∂w₁, ∂C/∂w₂ and ∂C/∂b for one sigmoid neuron with C = ½(a − y)².

# %%
from nn import exercises

print(exercises.task("09.1"))

def neuron_backward(x1, x2, w1, w2, b, y):
    return None          # your code here

exercises.check("09.1", neuron_backward)

# %% [markdown]
# **09.2** Read one line of a program: the givens hold a program and one of its backward
# lines. Which chain-rule product is it, and what number does it add when the program runs?

# %%
print(exercises.task("09.2")["program"])
answer_09_2 = None
exercises.check("09.2", answer_09_2)

# %% [markdown]
# **09.3** What is baked in: predict the gradient a program returns when it is traced on
# one branch of a Python `if` and run where the other branch would be taken (section 4).

# %%
print(exercises.task("09.3"))
answer_09_3 = None
exercises.check("09.3", answer_09_3)

# %% [markdown]
# Next: [10 · From scalars to tensors](10_from_scalars_to_tensors.ipynb).
