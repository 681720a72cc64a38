# %% [markdown]
# # 13 · What one hidden layer can do
#
# Why can a network fit a function at all? This notebook builds the answer with weights
# set **by hand**, on a network with one input x, one hidden layer of sigmoid neurons
# (layer 1) and one linear output neuron (layer 2):
#
#   a¹ⱼ = σ(w¹ⱼ₀·x + b¹ⱼ),  output a² = Σⱼ w²₀ⱼ·a¹ⱼ + b²₀.
#
# 1. One steep sigmoid neuron is a **step**; two make a **bump**.
# 2. Many bumps side by side follow any curve we like; the error shrinks as the number
#    of bumps grows (measured).
# 3. The same network trained by `fit` from random weights: what gradient descent finds.
# 4. What the universal approximation theorem says, and what it does not, checked
#    against those numbers.
#
# The construction is the one in chapter 4 of Nielsen's *Neural Networks and Deep
# Learning*; the function to copy is his example too.

# %%
import math
import matplotlib.pyplot as plt
import numpy as np
import nn
from autograd.graph import draw_graph

%config InlineBackend.figure_formats = ["png"]
plt.rcParams.update({"figure.dpi": 80, "axes.grid": False})


def f(x):
    """The function the network will copy, on [0, 1]."""
    return 0.2 + 0.4 * x**2 + 0.3 * x * math.sin(15 * x) + 0.05 * math.cos(50 * x)


grid = np.linspace(0.0, 1.0, 501)          # where errors are measured
target = np.array([f(x) for x in grid])

# %% [markdown]
# ## 1. A step from one neuron
#
# A sigmoid neuron with one input computes σ(w·x + b). Write b = −w·s: then
# z = w·(x − s), which is 0 at x = s, so the output is σ(0) = 0.5 there, whatever w is.
# Left of s, z < 0 and the output is below 0.5; right of s, above. The larger w, the
# sooner σ reaches 0 or 1: the output goes from 0.01 to 0.99 while z goes from −ln 99
# to +ln 99, that is over an x-interval of width 2·ln 99 / w. Below, one `nn.Neuron`
# with its weight and bias set by hand, for four values of w and the step at s = 0.4.

# %%
def step_neuron(w, s):
    neuron = nn.Neuron(1, "sigmoid")
    neuron.w[0].data, neuron.b.data = w, -w * s
    return neuron


s = 0.4
fig, ax = plt.subplots(figsize=(7, 3))
for w in (5, 20, 100, 1000):
    neuron = step_neuron(w, s)
    out = np.array([nn.predict(neuron, [x]) for x in grid])
    ax.plot(grid, out, label=f"w = {w}")
    assert nn.predict(neuron, [s]) == 0.5                          # the step sits at s
    rising = grid[(out > 0.01) & (out < 0.99)]                     # where it is neither 0 nor 1
    width = rising.max() - rising.min() if len(rising) else 0.0
    print(f"w = {w:4}: grid points with 0.01 < output < 0.99: x in [{rising.min():.3f}, {rising.max():.3f}]   "
          f"2·ln 99 / w = {2 * math.log(99) / w:.4f}")
    assert width <= 2 * math.log(99) / w + 1e-12                  # grid points inside the predicted interval
ax.set_xlabel("x"); ax.set_ylabel("σ(w·(x − 0.4))"); ax.legend(); ax.set_title("one neuron, b = −w·s")
plt.tight_layout(); plt.show()

# %% [markdown]
# (With w = 5 the rise is wider than [0, 1] itself, so every grid point is in it; with
# w = 1000 it is 0.0092 wide, a few grid spacings of 0.002.)
#
# ## 2. A bump from two
#
# Two steep neurons with steps at s₁ < s₂, added with output weights +h and −h: left of
# s₁ both are 0; between s₁ and s₂ the first is 1 and the second 0, so the output is h;
# right of s₂ both are 1 and they cancel. A bump of height h on [s₁, s₂]. That is a
# 1-2-1 network, `nn.MLP(1, [2, 1], activation="sigmoid")`, with its six numbers set by
# hand:

# %%
def set_bump(model, j, s1, s2, h, w):
    """Hidden neurons j and j + 1 of ``model`` make a bump of height h on [s1, s2]."""
    hidden, output = model.layers
    for neuron, edge, v in ((hidden.neurons[j], s1, h), (hidden.neurons[j + 1], s2, -h)):
        neuron.w[0].data, neuron.b.data = w, -w * edge
        output.neurons[0].w[hidden.neurons.index(neuron)].data = v


bump = nn.MLP(1, [2, 1], activation="sigmoid", output_activation="linear", seed=0)
set_bump(bump, 0, s1=0.3, s2=0.6, h=0.8, w=400.0)
bump.layers[1].neurons[0].b.data = 0.0
for name, p in bump.named_parameters():
    print(f"{name:24} {p.data:8.1f}")

out = bump([0.5])            # one forward pass with Values, to draw
draw_graph(out, rankdir="LR")

# %% [markdown]
# The picture is the engine's own graph of that forward pass at x = 0.5: the two hidden
# neurons `L1.N0` (step at 0.3, already 1) and `L1.N1` (step at 0.6, still 0), and the
# output neuron `L2.N0` adding 0.8·a¹₀ − 0.8·a¹₁. Over the whole of [0, 1]:

# %%
bump_out = np.array([nn.predict(bump, [x]) for x in grid])
fig, ax = plt.subplots(figsize=(7, 2.6))
ax.plot(grid, bump_out)
ax.set_xlabel("x"); ax.set_ylabel("output a²"); ax.set_title("two neurons: a bump of height 0.8 on [0.3, 0.6]")
plt.tight_layout(); plt.show()

inside = (grid > 0.32) & (grid < 0.58)
outside = (grid < 0.28) | (grid > 0.62)
print(f"inside [0.32, 0.58]: output between {bump_out[inside].min():.6f} and {bump_out[inside].max():.6f}")
print(f"outside [0.28, 0.62]: largest |output| {np.abs(bump_out[outside]).max():.2e}")
assert np.allclose(bump_out[inside], 0.8, atol=1e-3) and np.abs(bump_out[outside]).max() < 1e-3

# %% [markdown]
# ## 3. Many bumps: any curve
#
# Cut [0, 1] into N equal pieces and give piece i a bump whose height is f at the
# piece's centre: 2N hidden neurons. The outer edges sit just outside [0, 1] (at −0.05
# and 1.05), so that x = 0 and x = 1 are not halfway up a step. The steepness grows with
# N (w = 50·N) so that each rise stays narrow next to its piece. The function to copy is
# f(x) = 0.2 + 0.4x² + 0.3x·sin(15x) + 0.05·cos(50x).
#
# Before trusting the network, one check that it computes what the construction says: the
# engine's output against the same sum of sigmoids written in numpy.

# %%
def bumps_network(N, w=None):
    """1 → 2N sigmoid → 1 linear: bump i on the i-th N-th of [0, 1], height f(its centre)."""
    w = 50.0 * N if w is None else w
    model = nn.MLP(1, [2 * N, 1], activation="sigmoid", output_activation="linear", seed=0)
    for i in range(N):
        left, right = i / N, (i + 1) / N
        h = f((left + right) / 2)
        set_bump(model, 2 * i, -0.05 if i == 0 else left, 1.05 if i == N - 1 else right, h, w)
    model.layers[1].neurons[0].b.data = 0.0
    return model


def outputs(model, xs):
    return np.array([nn.predict(model, [x]) for x in xs])


net10 = bumps_network(10)
by_engine = outputs(net10, grid)
W1 = np.array([n.w[0].data for n in net10.layers[0].neurons])
b1 = np.array([n.b.data for n in net10.layers[0].neurons])
W2 = np.array([w.data for w in net10.layers[1].neurons[0].w])
by_numpy = (1 / (1 + np.exp(-(np.outer(grid, W1) + b1)))) @ W2
print("largest |engine − numpy|:", np.abs(by_engine - by_numpy).max())
assert np.abs(by_engine - by_numpy).max() < 1e-12

# %% [markdown]
# Now the error, measured on 501 evenly spaced points of [0, 1], as the number of bumps
# grows: the largest |a² − f(x)| and the mean.

# %%
rows = []
curves = {}
for N in (5, 10, 20, 50, 100):
    model = bumps_network(N)
    out = outputs(model, grid)
    error = np.abs(out - target)
    rows.append((N, 2 * N, error.max(), error.mean(), grid[error.argmax()]))
    curves[N] = out
slope = np.gradient(target, grid)  # f′ on the grid, by differences
print(f"{'bumps':>6} {'hidden neurons':>15} {'max error':>10} {'mean error':>11} {'at x':>6} "
      f"{'|f′| there':>11}")
for N, hidden, worst, mean, where in rows:
    print(f"{N:6} {hidden:15} {worst:10.4f} {mean:11.5f} {where:6.3f} {abs(slope[grid == where][0]):11.1f}")
print(f"largest |f′| on [0, 1]: {np.abs(slope).max():.1f}, at x = {grid[np.abs(slope).argmax()]:.3f}")

worst_errors = [r[2] for r in rows]
mean_errors = [r[3] for r in rows]
assert all(0.8 <= r[4] <= 0.86 for r in rows)  # the "at x" column, as the text says
assert all(b < a for a, b in zip(worst_errors, worst_errors[1:]))   # both shrink at every step
assert all(b < a for a, b in zip(mean_errors, mean_errors[1:]))

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
left.plot(grid, target, color="black", lw=2, label="f(x)")
for N in (5, 20):
    left.plot(grid, curves[N], label=f"{N} bumps")
left.set_xlabel("x"); left.legend(fontsize="small"); left.set_title("the network's output")
Ns = [r[0] for r in rows]
right.loglog(Ns, worst_errors, "o-", label="max error")
right.loglog(Ns, mean_errors, "s-", label="mean error")
right.loglog(Ns, [0.5 / N for N in Ns], "k:", label="0.5 / N")
right.set_xlabel("number of bumps N"); right.legend(fontsize="small"); right.set_title("error vs N")
plt.tight_layout(); plt.show()

# %% [markdown]
# Both errors fall roughly like 1/N (the dotted line has that slope): each piece is
# 1/N wide, and a flat bump misses a curve of slope f′ by up to |f′|·(1/2N) at the piece's
# ends. The table's max error is larger than the mean because it sits in one place, the
# rise of f near its steepest point (|f′| = 7.0 at x = 0.848): from N = 20 on the largest
# error is right there (|f′| 6.8–7.0 at x = 0.842–0.848); for N = 5 and 10 it is a little
# before it, at x ≈ 0.81 (the "at x" column).
#
# ## 4. The same network, trained by `fit`
#
# The 10-bump network has 20 hidden neurons. Give a network of that shape random
# (default) weights and let gradient descent find the weights instead, on 100 evenly
# spaced samples of f, quadratic cost, mini-batches of 10, η = 0.5.

# %%
xs = [i / 99 for i in range(100)]
X, Y = [[x] for x in xs], [f(x) for x in xs]
trained = nn.MLP(1, [20, 1], activation="sigmoid", output_activation="linear", seed=1)
results = {}
for so_far, more in ((300, 300), (1000, 700)):  # 300 epochs, then 700 more
    history = nn.fit(trained, X, Y, cost="quadratic", lr=0.5, epochs=more, batch_size=10, seed=0,
                     progress=False)
    error = np.abs(outputs(trained, grid) - target)
    results[so_far] = (error.max(), error.mean(), history.epoch_costs[-1])

hand = rows[1]                                  # N = 10: the same 20 hidden neurons
print(f"{'20 hidden neurons':28} {'max error':>10} {'mean error':>11}")
print(f"{'set by hand (10 bumps)':28} {hand[2]:10.4f} {hand[3]:11.5f}")
for epochs, (worst, mean, cost) in results.items():
    print(f"{f'fit, {epochs} epochs':28} {worst:10.4f} {mean:11.5f}   (training cost C = {cost:.5f})")
fit_mean = results[1000][1]
print(f"the trained network's mean error is {fit_mean / hand[3]:.1f}× the hand-built one's")

fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(grid, target, color="black", lw=2, label="f(x)")
ax.plot(grid, curves[10], label="10 bumps, by hand")
ax.plot(grid, outputs(trained, grid), label="20 neurons, fit")
ax.set_xlabel("x"); ax.legend(fontsize="small")
plt.tight_layout(); plt.show()

# %% [markdown]
# Honestly: with the same 20 hidden neurons, gradient descent ended with a larger error
# than the weights set by hand (the ratio is printed above), although those weights are a
# point it could in principle have reached. Its curve follows the broad shape of f and
# smooths over the fast wiggles. It is still improving (700 more epochs lowered the mean
# error, see the table), slowly. With one input, the default initialisation draws w¹ⱼ₀
# from N(0, 1), so every hidden neuron starts as a gentle slope, not a step; growing the
# weights to hundreds, each at the right place, is a long way downhill.

# %%
assert fit_mean > 1.3 * hand[3] and results[1000][0] > hand[2]   # worse than by hand, max and mean
assert results[1000][1] < results[300][1]                        # and still improving

# %% [markdown]
# ## 5. What the theorem says, and what it does not
#
# The **universal approximation theorem** (Cybenko 1989 for sigmoids, Hornik 1991 more
# generally) says: for any continuous f on a closed, bounded region and any tolerance
# ε > 0, *there exists* a network with one hidden layer (enough sigmoid neurons, a
# linear output) whose output is within ε of f everywhere on that region. Section 3 is a
# proof sketch for one input: smaller ε, more bumps. It is a statement of **existence**.
# It does not say **how many** neurons: above, a max error under 0.06 took 50 bumps,
# 100 neurons, for one input (with d inputs, bumps become towers and the count grows
# like Nᵈ). It does not say **gradient descent finds them**: section 4 did not, with the
# same number of neurons. And it says nothing **outside the region**: past its last bump
# (which ends at 1.05) the network falls back to its output bias, 0, while f keeps growing:

# %%
net50 = bumps_network(50)
for x in (1.0, 1.5, 2.0):
    print(f"x = {x}:  50-bump network {nn.predict(net50, [x]):.4f}   f(x) = {f(x):.4f}")
assert abs(nn.predict(net50, [2.0]) - f(2.0)) > 1.0
assert rows[3][0] == 50 and rows[3][2] < 0.06 and rows[2][2] > 0.06   # 50 bumps: under 0.06; 20: not

# %% [markdown]
# ## Summary
#
# * A sigmoid neuron with a large weight w and b = −w·s is a step at s (rising over a
#   width 2·ln 99 / w); two of them, with output weights +h and −h, a bump.
# * N bumps follow a curve; the max and mean errors fell from N = 5 to N = 100 at every
#   step, roughly like 1/N (table above).
# * Gradient descent from random weights, with the same 20 hidden neurons, ended with
#   larger errors than the weights set by hand, after 1000 epochs.
# * The theorem promises that a close enough network exists, not its size, not that
#   training finds it, and nothing outside the region it was built on.
# Notebook 14 turns to the other direction: many layers, and why they are hard to train.

# %% [markdown]
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **13.1** Where is the step of a neuron whose weight and bias are given?

# %%
from nn import exercises

print(exercises.task("13.1"))
answer_13_1 = None
exercises.check("13.1", answer_13_1)

# %% [markdown]
# **13.2** Set a bump by hand: the two hidden biases and the two output weights.

# %%
print(exercises.task("13.2"))
answer_13_2 = None
exercises.check("13.2", answer_13_2)

# %% [markdown]
# **13.3** How many bumps does a straight line need for a given largest error?

# %%
print(exercises.task("13.3"))
answer_13_3 = None
exercises.check("13.3", answer_13_3)
