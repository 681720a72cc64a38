# %% [markdown]
# # 05 · Gradient descent
#
# Backpropagation answers "which way is downhill?" for every parameter at once. Gradient
# descent is what we do with the answer: take a small step that way, and repeat.
#
# θ ← θ − η · ∇C(θ)
#
# where η (eta) is the **learning rate**. This notebook fits a tiny model to a "black
# box", looks at what the learning rate does, and compares three ways of feeding the data
# to the steps: batch, stochastic and mini-batch.

# %%
import math
import matplotlib.pyplot as plt
import nn
from autograd import no_grad

%config InlineBackend.figure_formats = ["png"]
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (9, 3.2), "axes.grid": True})

# %% [markdown]
# ## The black box
#
# Someone hands us a box: feed it a number, it answers a number. We only have four
# observations:

# %%
X, Y = nn.datasets.black_box()
for x, y in zip(X, Y):
    print(f"x = {x:<4} → y = {y}")

# %% [markdown]
# We guess a shape for what is inside: z = w₁·x + w₂·x² + b, and we start from the guess
# z = x + x² (w₁ = w₂ = 1, b = 0). That is one **linear neuron** with two inputs, x and x².
# The cost is the quadratic cost averaged over the samples, C = (1/n) Σ ½(z − y)².
#
# Our first guess says 2 for x = 1, where the box says 2.21: too small. Say we
# then try w₁ = 1.5 on x = 1.1: 1.5·1.1 + 1.21 = 2.86 against 2.431, now too big. Guessing by hand
# like this works, slowly. The gradient tells us both the **direction** and the
# **size** of the correction for every weight at once.

# %%
features = [[x, x * x] for x in X]

def first_guess():
    model = nn.Neuron(2, activation="linear", name="box")
    model.w[0].data, model.w[1].data, model.b.data = 1.0, 1.0, 0.0
    return model

def full_cost(model):
    with no_grad():
        return sum(0.5 * (model(f).data - y) ** 2 for f, y in zip(features, Y)) / len(Y)

model = first_guess()
print(f"cost of the first guess: {full_cost(model):.4f}")

# %% [markdown]
# ### One step, spelled out
#
# Forward over all four samples, average the costs, backward, then move each parameter
# against its gradient. `GradientDescent` does the last part (and `zero_grad` the
# resetting that leaves need, see notebook 01).

# %%
import autograd

optimizer = nn.GradientDescent(model, lr=0.1)
optimizer.zero_grad()
C = autograd.sum([nn.quadratic_cost(model(f), y) for f, y in zip(features, Y)]) * (1 / len(Y))
C.backward()
before = [p.data for p in model.parameters()]
grads = [p.grad for p in model.parameters()]
optimizer.step()
for (name, p), b, g in zip(model.named_parameters(), before, grads):
    print(f"{name:4} {b:+.4f} − 0.1 × ({g:+.4f}) = {p.data:+.4f}")
print(f"cost: {C.data:.4f} → {full_cost(model):.4f}")

# %% [markdown]
# All three gradients are positive, so every parameter goes down: the first guess is a
# little low at x = 1, 1.1 and 1.2, but far too high at x = 2 (6 instead of 4.42), and that
# big miss dominates. Check one gradient by hand: for the quadratic cost, ∂C/∂w₁ = (1/n) Σ (z − y) · x.

# %%
by_hand = sum((x + x * x - y) * x for x, y in zip(X, Y)) / len(Y)
print(f"by hand {by_hand:.12f}   autograd {grads[0]:.12f}")
assert abs(by_hand - grads[0]) < 1e-12

# %% [markdown]
# ### Until the cost is below 0.001
#
# `nn.fit` is that step in a loop. `stop_below=0.001` stops as soon as the cost is small
# enough, the usual "good enough" rule for this example.

# %%
model = first_guess()
history = nn.fit(model, features, Y, cost="quadratic", lr=0.1, epochs=1000,
                 stop_below=0.001, progress=False)
print(history)
print("learned: z = {:.3f}·x + {:.3f}·x² + {:.3f}".format(model.w[0].data, model.w[1].data, model.b.data))
for x, y in zip(X, Y):
    print(f"x = {x:<4}  box {y:<6} model {nn.predict(model, [x, x * x]):.3f}")
assert full_cost(model) < 0.001

# %% [markdown]
# The model now reproduces the box to within 0.06, yet its weights are nothing like the
# box's true rule (the four numbers are exactly y = 2.21·x). Many weight settings fit four points
# this well, and gradient descent stops at the first one it reaches. A network copies the
# behaviour it was shown; it does not recover the formula inside.
#
# ## The learning rate
#
# Same problem, same start, four learning rates. We plot the cost after every step
# (log scale).

# %%
runs = {}
for lr, steps in [(0.01, 300), (0.1, 300), (0.25, 300), (0.3, 30)]:
    model = first_guess()
    runs[lr] = nn.fit(model, features, Y, cost="quadratic", lr=lr, epochs=steps,
                      stop_below=0.001, progress=False)
    print(f"η = {lr:<5} {runs[lr]}")

fig, ax = plt.subplots()
for lr, h in runs.items():
    ax.semilogy(range(1, len(h.costs) + 1), h.costs, label=f"η = {lr}")
ax.axhline(0.001, color="gray", ls=":", label="0.001")
ax.set(xlabel="step", ylabel="cost", title="Cost per step for four learning rates")
ax.legend();

# %%
assert runs[0.1].steps < runs[0.01].steps           # larger steps, fewer of them...
assert runs[0.3].costs[-1] > runs[0.3].costs[0]      # ...until the steps overshoot

# %% [markdown]
# * **η = 0.01** is safe but crawls: 300 steps are not enough to reach 0.001.
# * **η = 0.1** gets there in well under 100 steps.
# * **η = 0.25** gets there fastest, but it is living on the edge: along the steepest
#   direction every step jumps across the valley floor to the other side (see below).
# * **η = 0.3** overshoots by more than it corrects: the cost *grows* every step.
#
# For a quadratic cost we can even say where the edge is. Along the steepest direction
# of the valley the cost curves with some "stiffness" λ (the largest eigenvalue of the
# cost's second-derivative matrix), and a step multiplies the error in that direction
# by (1 − ηλ). For η > 1/λ that factor is negative (the step lands on the other side);
# for η > 2/λ its size exceeds 1 and the error grows. Here λ comes from the features
# directly:

# %%
import numpy as np

F = np.array([[x, x * x, 1.0] for x in X])
stiffness = np.linalg.eigvalsh(F.T @ F / len(X)).max()
print(f"largest eigenvalue λ = {stiffness:.3f}  →  steps diverge for η > 2/λ = {2 / stiffness:.3f}")
print(f"η = 0.25 multiplies the error along that direction by {1 - 0.25 * stiffness:+.3f} per step")
assert 1 / stiffness < 0.25 < 2 / stiffness < 0.3

# %% [markdown]
# ## Batch, stochastic, mini-batch
#
# The cost over the data set is a sum over samples, so its gradient is the sum of the
# per-sample gradients. How many samples go into each step is a choice:
#
# * **batch**: all of them (`batch_size=None`): one exact step per epoch;
# * **stochastic**: one at a time, in a shuffled order (`batch_size=1`): n noisy steps per epoch;
# * **mini-batch**: k at a time (`batch_size=2` here): in between.
#
# An **epoch** is one pass over the data. We run each for 40 epochs with η = 0.1, and after
# every epoch measure the cost on the whole data set, so the three are judged by the same
# yardstick.

# %%
curves = {}
for name, batch_size in [("batch", None), ("mini-batch (2)", 2), ("stochastic", 1)]:
    model = first_guess()
    costs, steps = [full_cost(model)], [0]
    for epoch in range(40):
        h = nn.fit(model, features, Y, cost="quadratic", lr=0.1, epochs=1,
                   batch_size=batch_size, seed=epoch, progress=False)
        costs.append(full_cost(model))
        steps.append(steps[-1] + h.steps)
    curves[name] = (costs, steps)
    print(f"{name:15} {steps[-1]:4} steps, cost after 40 epochs {costs[-1]:.5f}")

fig, (left, right) = plt.subplots(1, 2, sharey=True)
for name, (costs, steps) in curves.items():
    left.semilogy(range(len(costs)), costs, label=name)
    right.semilogy(steps, costs, label=name)
left.set(xlabel="epoch", ylabel="cost on all 4 samples", title="per epoch")
right.set(xlabel="parameter updates", title="per update")
for ax in (left, right):
    ax.axhline(0.001, color="gray", ls=":")
left.legend();

# %%
final = {name: costs[-1] for name, (costs, _) in curves.items()}
assert final["stochastic"] < final["batch"]    # more updates per epoch...

# %% [markdown]
# Per epoch, the stochastic version wins here: it updates four times per pass, batch
# only once. Per update, batch is the steadiest: each of its steps uses the exact
# gradient, while a one-sample step follows one sample's opinion and the curve is jagged.
# On a real data set the trade is the same, with a twist: a step's cost grows with the
# number of samples in it, and a GPU (or numpy) computes a mini-batch of 32 or 128 almost
# as fast as one sample. So mini-batches are what nearly everyone uses.
#
# ## Summary
#
# * Gradient descent: compute ∇C by backprop, step θ ← θ − η∇C, repeat until the cost is
#   small enough.
# * η too small crawls, η too large overshoots and diverges; for a quadratic valley the
#   edge is η = 2/λ.
# * Batch, stochastic and mini-batch differ only in how many samples feed each step.
#
# Next: [06 · Layers as matrices](06_layers_as_matrices.ipynb).
