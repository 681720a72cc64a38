# %% [markdown]
# # 05 · Gradient descent
#
# Backpropagation answers "which way is downhill?" for every parameter at once. Gradient
# descent is what we do with the answer: take a small step that way, and repeat.
#
# θ ← θ − η · ∇C(θ)
#
# where η (eta) is the **learning rate**. This notebook starts with two guessing games,
# then fits a tiny model to a "black box", looks at what the learning rate does, at the
# shape of the valley it walks down, and compares three ways of feeding the data to the
# steps: batch, stochastic and mini-batch.
#
# Notation (the same in every notebook, see the [README](README.md)): y is a **target**,
# z and a are a model's outputs, and the **cost** is an average over samples.

# %%
import math
import matplotlib.pyplot as plt
import numpy as np
import nn
import autograd
from autograd import Value, no_grad
from nn import exercises

%config InlineBackend.figure_formats = ["png"]
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (9, 3.2), "axes.grid": True})

# %% [markdown]
# ## 1. Two guessing games
#
# **Guess my number.** I think of a number between 1 and 50; you guess, and I only say
# "too small" or "too big". That answer gives a **direction** but no **size**, so the best
# you can do is halve the interval each time:

# %%
secret, low, high = 37, 1, 50
guesses = []
while True:
    guess = (low + high) // 2
    guesses.append(guess)
    if guess == secret:
        break
    low, high = (guess + 1, high) if guess < secret else (low, guess - 1)
print("direction only:", guesses)

# With the signed difference (guess − secret) the second guess is already right.
first = 25
print("with the size too:", [first, first - (first - secret)])
assert guesses[-1] == secret and len(guesses) > 2

# %% [markdown]
# **Guess the input.** A box shows its output: input 1 gives 2.334, input 2 gives 5.332.
# Which input makes it say 4? Here we wrote the box ourselves (so that it gives the
# readings above); pretend you cannot see inside. Make the input a `Value`, and the
# engine gives the gradient of the miss with respect to the **input**: the same backward
# pass, just asked about a different leaf.

# %%
def box(x):
    return 2.002 * x + 0.332 * x * x

print("readings:", round(box(1.0), 6), round(box(2.0), 6))
assert math.isclose(box(1.0), 2.334) and math.isclose(box(2.0), 5.332)

x = Value(1.0, label="input")
for step in range(1, 9):
    out = box(x)
    miss = out - 4.0                       # the signed error: too small (−) or too big (+)
    loss = 0.5 * miss * miss               # what we minimise
    x.grad = 0.0
    loss.backward()
    if step <= 3 or step == 8:
        print(f"step {step}: input {x.data:.5f} → output {out.data:.5f}, signed error {miss.data:+.5f},"
              f" ∂loss/∂input {x.grad:+.5f}")
    x.data -= 0.1 * x.grad
assert abs(box(x.data) - 4.0) < 1e-3

# %% [markdown]
# The signed error says which way to go (negative: the output is too small, raise the
# input) and roughly how far. It is **not** itself a thing to minimise: it has no lowest
# point, since making the output ever smaller makes it ever more negative. Gradient
# descent on the signed error runs away; on its square ½(f − 4)², whose gradient is
# (f − 4)·f′(x), it stops where the error is 0.

# %%
x = Value(1.0)
for step in range(30):
    miss = box(x) - 4.0
    x.grad = 0.0
    miss.backward()                        # minimising the signed error itself
    x.data -= 0.5 * x.grad
print(f"after 30 steps on the signed error: output {box(x.data):.2f}, error {box(x.data) - 4:+.2f}")
assert box(x.data) - 4.0 < -5               # far past the target, and still going

# %% [markdown]
# ## 2. The black box, and the words for what we minimise
#
# The real game: someone hands us a box and four observations; we want a model that
# behaves like it.

# %%
X, Y = nn.datasets.black_box()
for xi, yi in zip(X, Y):
    print(f"x = {xi:<4} → y = {yi}")

# %% [markdown]
# We guess a shape for what is inside: z = w₁·x + w₂·x² + b, and start from the guess
# z = x + x² (w₁ = w₂ = 1, b = 0). That is one **linear neuron** with two inputs, x and x².
#
# Three words, as the documents use them:
#
# | word | what | here |
# |---|---|---|
# | **loss** | the error on one sample | ½(z − y)² |
# | **cost** | the **average** loss over the training set | C = (1/n) Σ ½(z − y)² |
# | **total loss** | the **sum** of the losses | n·C = Σ ½(z − y)² (no letter of its own) |
#
# The cost and the total loss differ by the constant n, so they have the same minimum; the
# gradient of a sum is the sum of the per-sample gradients, and of an average, the
# average. `nn.fit` minimises the cost (the average).
#
# Our first guess says 2 for x = 1, where the box says 2.21: too small. Say we then try
# w₁ = 1.5 on x = 1.1: 1.5·1.1 + 1.21 = 2.86 against 2.431, now too big. Guessing by hand
# works, slowly. The gradient gives both the **direction** and the **size** of the
# correction for every weight at once.

# %%
features = [[xi, xi * xi] for xi in X]

def first_guess():
    model = nn.Neuron(2, activation="linear", name="box")
    model.w[0].data, model.w[1].data, model.b.data = 1.0, 1.0, 0.0
    return model

def full_cost(model):
    """The cost: the average loss over all four samples."""
    with no_grad():
        return sum(0.5 * (model(f).data - yi) ** 2 for f, yi in zip(features, Y)) / len(Y)

model = first_guess()
print(f"cost of the first guess: {full_cost(model):.4f}")
assert math.isclose(full_cost(model), np.mean([0.5 * (xi + xi * xi - yi) ** 2 for xi, yi in zip(X, Y)]))

# %% [markdown]
# ### One step, spelled out
#
# Forward over all four samples, average the losses, backward, then move each parameter
# against its gradient. `GradientDescent` does the last part (and `zero_grad` the
# resetting that leaves need, see notebook 01).

# %%
optimizer = nn.GradientDescent(model, lr=0.1)
optimizer.zero_grad()
C = autograd.sum([nn.quadratic_cost(model(f), yi) for f, yi in zip(features, Y)]) * (1 / len(Y))
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
# big miss dominates. Check one gradient by hand: for this cost,
# ∂C/∂w₁ = (1/n) Σ (z − y) · x.

# %%
by_hand = sum((xi + xi * xi - yi) * xi for xi, yi in zip(X, Y)) / len(Y)
print(f"by hand {by_hand:.12f}   autograd {grads[0]:.12f}")
assert abs(by_hand - grads[0]) < 1e-12

# %% [markdown]
# ### Why −∇C is the steepest way down
#
# Move the parameters a little along a unit vector v. The cost changes at the rate
# ∇C · v, the **directional derivative**: the length of ∇C times the length of v's
# projection onto ∇C. That is most negative, −‖∇C‖, when v points exactly against ∇C. We
# check it at the first guess: 2,000 random directions, none steeper than −∇C/‖∇C‖, and
# a finite difference along that direction measures −‖∇C‖.

# %%
F = np.array([[xi, xi * xi, 1.0] for xi in X])
target = np.array(Y)

def cost_at(theta):
    return 0.5 * np.mean((F @ theta - target) ** 2)

theta0 = np.array([1.0, 1.0, 0.0])
g = np.array(grads)                                # autograd's ∇C at the first guess
v = np.random.default_rng(0).normal(size=(2000, 3))
v /= np.linalg.norm(v, axis=1, keepdims=True)
slopes = v @ g
down = -g / np.linalg.norm(g)
eps = 1e-6
measured = (cost_at(theta0 + eps * down) - cost_at(theta0 - eps * down)) / (2 * eps)
print(f"‖∇C‖ = {np.linalg.norm(g):.5f}; steepest of 2,000 random directions: {slopes.min():.5f};"
      f" finite difference along −∇C/‖∇C‖: {measured:.5f}")
assert slopes.min() >= -np.linalg.norm(g) and math.isclose(measured, -np.linalg.norm(g), rel_tol=1e-6)

# %% [markdown]
# ### Until the cost is below 0.001
#
# `nn.fit` is that step in a loop. `stop_below=0.001` (the documents' "good enough" rule)
# stops after the first update that brings the cost over the whole training set below
# 0.001. The History prints two kinds of figure: "cost a → b" are the batch costs
# measured *before* each step's update (here the batch is the whole set), and the stop
# reason gives the cost over all samples *after* the last update, the one that counts.
# The `note:` lines say that one has no right-or-wrong judge (no accuracy) and how `fit`
# computed the gradients: for one neuron on four samples, by generated straight-line
# Python, quicker here than numpy's matrix code (notebook 08 lists the passes).

# %%
model = first_guess()
history = nn.fit(model, features, Y, cost="quadratic", lr=0.1, epochs=1000,
                 stop_below=0.001, progress=False)
print(history)
assert history.backward == "codegen"  # what the note says
print(f"last step: batch cost {history.costs[-1]:.6f} before its update,"
      f" cost over all 4 samples {history.full_costs[-1]:.6f} after it")
assert history.costs[-1] >= 0.001 > history.full_costs[-1]
assert math.isclose(history.full_costs[-1], full_cost(model), rel_tol=1e-12)
early = [p.data for p in model.parameters()]
print("learned: z = {:.3f}·x + {:.3f}·x² + {:.3f}".format(*early))
for xi, yi in zip(X, Y):
    print(f"x = {xi:<4}  box {yi:<6} model {nn.predict(model, [xi, xi * xi]):.3f}")
assert full_cost(model) < 0.001

# %% [markdown]
# The model now reproduces the four readings closely, yet its weights are far from the
# box's rule: the four numbers are exactly y = 2.21·x, that is w₁ = 2.21, w₂ = 0, b = 0.
# That rule is **inside** our model family, and it is the only best fit: the features
# x, x², 1 are linearly independent on these four points (rank 3), so there is exactly one
# weight setting with the least cost, and its cost is 0.

# %%
exact, residual, rank, _ = np.linalg.lstsq(F, target, rcond=None)
print(f"rank {rank}; least-squares weights {np.round(exact, 10)}, cost there {cost_at(exact):.1e}")
assert rank == 3 and np.allclose(exact, [2.21, 0, 0], atol=1e-9)

# %% [markdown]
# So why did gradient descent stop so far from it? Because the cost here is a long,
# **stretched valley**, and we stopped as soon as we reached its floor. Near any point the
# cost curves by different amounts in different directions; the **curvatures** are the
# eigenvalues of its second-derivative (Hessian) matrix, which for this cost is
# H = (1/n) Σ f fᵀ with f = (x, x², 1). We call them **μ** (λ is kept for regularisation,
# notebook 07).

# %%
H = F.T @ F / len(X)
mu, directions = np.linalg.eigh(H)                  # ascending: μ_min first
print("curvatures μ:", np.array2string(mu, precision=6))
print(f"the valley is {mu[-1] / mu[0]:,.0f} times steeper across than along its floor")
assert mu[0] > 0 and mu[-1] / mu[0] > 10_000

# %% [markdown]
# For a quadratic cost the gradient is exactly H(θ − θ*), so a step multiplies the
# distance to the best weights θ* along each eigendirection by (1 − ημ). Across the valley
# (μ ≈ 7.7) that shrinks fast; along its floor (μ ≈ 0.00026) each step at η = 0.25 removes
# only ημ ≈ 0.006% of what is left. Let us run on, 100,000 steps at η = 0.25, and check the
# weights against that prediction, θₖ = θ* + (I − ηH)ᵏ(θ₀ − θ*).

# %%
model = first_guess()
long_run = nn.fit(model, features, Y, cost="quadratic", lr=0.25, epochs=100_000, progress=False)
converged = np.array([p.data for p in model.parameters()])
predicted = exact + np.linalg.matrix_power(np.eye(3) - 0.25 * H, 100_000) @ (theta0 - exact)
print(long_run)
print("after 100,000 steps: z = {:.4f}·x + {:.4f}·x² + {:.4f}".format(*converged))
print("predicted by (I − ηH)ᵏ:  z = {:.4f}·x + {:.4f}·x² + {:.4f}".format(*predicted))
assert np.allclose(converged, predicted, atol=1e-8)
assert abs(converged[0] - 2.21) < 0.005 and abs(converged[1]) < 0.001 and abs(converged[2]) < 0.002

# %% [markdown]
# Given enough steps, gradient descent does crack this box: the weights approach
# 2.21·x. Stopping at "cost < 0.001" stopped early, in the flat floor of the valley.
#
# A model family that **cannot** contain the rule is another matter, and that is where the
# documents' point, "copied, not cracked", holds. Take z = w·√x + b: no choice of w and b
# gives 2.21·x, yet it too gets below 0.001 on the four readings. Compare what the three
# models say about inputs the box was never asked about:

# %%
root = nn.Neuron(1, activation="linear", name="root")
root.w[0].data, root.b.data = 1.0, 0.0
root_history = nn.fit(root, [[math.sqrt(xi)] for xi in X], Y, cost="quadratic", lr=0.5,
                      epochs=5000, stop_below=0.001, progress=False)
print("√x model:", root_history)
best_root = np.linalg.lstsq(np.array([[math.sqrt(xi), 1.0] for xi in X]), target, rcond=None)[0]
best_root_cost = 0.5 * np.mean((np.array([[math.sqrt(xi), 1.0] for xi in X]) @ best_root - target) ** 2)
print(f"the best any √x model can do on the four readings: cost {best_root_cost:.5f} (never 0)")

def poly(t, xi):
    return t[0] * xi + t[1] * xi * xi + t[2]

def rooted(xi):
    return root.w[0].data * math.sqrt(xi) + root.b.data

print(f"\n{'x':>4} {'box 2.21x':>10} {'early stop':>11} {'100k steps':>11} {'√x model':>9}")
for xi in [1.5, 3.0, 5.0, 10.0]:
    print(f"{xi:>4} {2.21 * xi:>10.3f} {poly(early, xi):>11.3f} {poly(converged, xi):>11.3f} {rooted(xi):>9.3f}")
assert full_cost(first_guess()) > 0.001 and root_history.steps < 5000 and best_root_cost > 1e-4
assert abs(poly(converged, 10) - 22.1) < 0.1
assert abs(poly(early, 10) - 22.1) > 2 and abs(rooted(10) - 22.1) > 2

# %% [markdown]
# On the four readings all three models pass the 0.001 test. Away from them, the
# early-stopped model and the √x model are both off (at x = 10 by 8 units or more); only
# the fully trained model from the right family extrapolates like the box. A network
# fitted to data copies the behaviour it was shown; it recovers the rule inside only when
# the rule is among the functions it can represent and the training has gone all the way.
#
# ## 3. The learning rate
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
assert runs[0.01].steps == 300 and runs[0.1].steps < 100 and runs[0.25].steps < runs[0.1].steps

# %% [markdown]
# * **η = 0.01** is safe but crawls: 300 steps are not enough to reach 0.001.
# * **η = 0.1** gets there in well under 100 steps.
# * **η = 0.25** gets there fastest, but it is living on the edge: across the valley
#   every step jumps over the floor to the other side (see below).
# * **η = 0.3** overshoots by more than it corrects: the cost *grows* every step.
#
# The edge follows from the curvatures above. A step multiplies the error along the
# steepest direction by (1 − ημ_max). For η > 1/μ_max that factor is negative (the step
# lands on the other side); once its size exceeds 1 the error along that direction grows
# at every step, without bound: gradient descent **diverges**. Where exactly that starts is
# exercise 05.1; here are the factors of the four runs:

# %%
mu_max = mu[-1]
for lr in runs:
    print(f"η = {lr:<5} multiplies the error across the valley by {1 - lr * mu_max:+.3f} per step")
assert 1 / mu_max < 0.25 < 2 / mu_max < 0.3

# %% [markdown]
# Just past the edge the cost does not grow at once. The error across the valley grows by
# a little per step, but it starts small, while the errors along the other directions
# still shrink; the cost falls until the growing one dominates. Measured at η = 0.26, from
# the same first guess (`costs[k]` is the cost after step k + 1):

# %%
edge_run = nn.fit(first_guess(), features, Y, cost="quadratic", lr=0.26, epochs=200, progress=False)
costs = edge_run.costs
rises = [k for k in range(1, len(costs)) if costs[k] > costs[k - 1]]
print(f"η = 0.26: the cost falls at every step up to step {rises[0]}, then grows at every step"
      f" from step {rises[0] + 1} on;")
print(f"after step 1 it is {costs[0]:.3g}, after step {len(costs)} {costs[-1]:.3g}")
assert rises == list(range(rises[0], len(costs))) and rises[0] > 3
assert costs[-1] > 10 * costs[0]

# %% [markdown]
# ## 4. Local minima
#
# This cost has one lowest point because it is quadratic with all curvatures μ > 0: from
# any start, small enough steps reach the same place. A network's cost is not like that.
# A cost of one weight, C(w) = w⁴ − 3w² + w, shows what can happen instead: two valleys,
# and the one gradient descent ends in depends on where it starts.

# %%
def descend(w0, lr=0.02, steps=300):
    w = Value(w0)
    for _ in range(steps):
        cost = w**4 - 3 * w**2 + w
        w.grad = 0.0
        cost.backward()
        w.data -= lr * w.grad
    return w.data, w.data**4 - 3 * w.data**2 + w.data

for w0 in (-0.5, 0.5):
    w_end, c_end = descend(w0)
    print(f"start w = {w0:+.1f} → ends at w = {w_end:+.4f}, cost {c_end:+.4f}, slope {4 * w_end**3 - 6 * w_end + 1:+.1e}")
left, right = descend(-0.5), descend(0.5)
assert left[1] < right[1] - 1 and abs(4 * right[0] ** 3 - 6 * right[0] + 1) < 1e-6   # a true local minimum

# %% [markdown]
# From w = 0.5 it settles in the right-hand valley, where the slope is zero although a
# deeper valley exists on the left: a **local minimum**. Gradient descent only ever sees
# the slope where it stands. (Many machine-learning costs are convex, with no local minima,
# as the black box's cost is; a network's cost, in general, is not.)
#
# ## 5. Batch, stochastic, mini-batch
#
# The cost is the average over the samples, so its gradient is the average of the
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

fig, (left_ax, right_ax) = plt.subplots(1, 2, sharey=True)
for name, (costs, steps) in curves.items():
    left_ax.semilogy(range(len(costs)), costs, label=name)
    right_ax.semilogy(steps, costs, label=name)
left_ax.set(xlabel="epoch", ylabel="cost on all 4 samples", title="per epoch")
right_ax.set(xlabel="parameter updates", title="per update")
for ax in (left_ax, right_ax):
    ax.axhline(0.001, color="gray", ls=":")
left_ax.legend();

# %%
final = {name: costs[-1] for name, (costs, _) in curves.items()}
assert final["stochastic"] < final["batch"]    # more updates per epoch...

# %% [markdown]
# Per epoch, the stochastic version wins here: it updates four times per pass, batch
# only once. Per update, batch is the steadiest: each of its steps uses the exact
# gradient, while a one-sample step follows one sample's opinion and the curve is jagged.
#
# ### A volley of three shots
#
# One of the documents compares training to zeroing a rifle: after each shot you look
# where it hit and correct your aim. One shot at a time, every correction also follows
# that shot's random scatter; fire a volley of three and correct by their **average**
# miss, and the scatter of the correction shrinks. Simulated, with a true aiming error of
# (2, −1) cm and a scatter of 3 cm per shot:

# %%
rng = np.random.default_rng(1)
aim_error = np.array([2.0, -1.0])
shots = aim_error + rng.normal(scale=3.0, size=(20_000, 3, 2))   # 20,000 volleys of 3 shots
one_shot = shots[:, 0, :]                # correct after every single shot
volley = shots.mean(axis=1)              # correct by the average of three
spread_one = np.sqrt(np.mean(np.sum((one_shot - aim_error) ** 2, axis=1)))
spread_three = np.sqrt(np.mean(np.sum((volley - aim_error) ** 2, axis=1)))
print(f"scatter of the correction: one shot {spread_one:.2f} cm, volley of 3 {spread_three:.2f} cm,"
      f" ratio {spread_one / spread_three:.3f} (√3 = {math.sqrt(3):.3f})")
assert abs(spread_one / spread_three - math.sqrt(3)) < 0.05

# %% [markdown]
# ### A mini-batch gradient estimates the full one: how well, measured
#
# The same on a real network: a 2 → 8 → 1 tanh net on 200 two-moons points. We compute
# each sample's gradient once (200 backward passes), the full gradient as their average,
# then the gradients of 1,000 random mini-batches of each size k, and measure how far they
# land from the full gradient (root-mean-square distance). Statistics predicts
# σ/√k · √((N − k)/(N − 1)), with σ² the per-sample variance summed over parameters.

# %%
Xm, Ym = nn.datasets.moons(200, noise=0.2, seed=1)
net = nn.MLP(2, [8, 1], activation="tanh", seed=0)
params = net.parameters()
per_sample = []
for xm, ym in zip(Xm, Ym):
    net.zero_grad()
    nn.quadratic_cost(net(xm), ym).backward()
    per_sample.append([p.grad for p in params])
G = np.array(per_sample)
full = G.mean(axis=0)
N = len(G)
sizes = [1, 2, 4, 8, 16, 32, 64]
spread, theory = [], []
for k in sizes:
    batches = [G[rng.choice(N, k, replace=False)].mean(axis=0) for _ in range(1000)]
    spread.append(np.sqrt(np.mean([np.sum((b - full) ** 2) for b in batches])))
    theory.append(np.sqrt(G.var(axis=0).sum() / k * (N - k) / (N - 1)))
print(f"‖full gradient‖ = {np.linalg.norm(full):.3f}")
for k, s, t in zip(sizes, spread, theory):
    print(f"k = {k:>2}: spread {s:.3f}   predicted {t:.3f}")

fig, ax = plt.subplots(figsize=(6, 3))
ax.loglog(sizes, spread, "o-", label="measured")
ax.loglog(sizes, theory, "k:", label="σ/√k · √((N−k)/(N−1))")
ax.axhline(np.linalg.norm(full), color="gray", ls="--", label="‖full gradient‖")
ax.set(xlabel="mini-batch size k", ylabel="distance from the full gradient", title="Mini-batch gradient spread")
ax.legend(fontsize=8);

# %%
assert all(abs(s / t - 1) < 0.15 for s, t in zip(spread, theory))
assert spread[0] > np.linalg.norm(full) > spread[-1]     # one sample: noise bigger than the signal

# %% [markdown]
# Four times the batch, half the spread. With one sample the noise is larger than the
# gradient itself; by k = 64 it is a fraction of it. A larger k means more work per step
# and less noise in it; mini-batches sit between the two extremes, and they are what
# nearly everyone uses. (Notebook 10 times a whole batch as tensors in PyTorch against the
# scalar engine on the same batch.)
#
# ## The six roles, named
#
# Seed 002 names six roles in training (in its example, a marksman adjusting his aim after
# each shot). In the black box of section 2:
#
# | role | in the black box |
# |---|---|
# | **goal** | a model whose outputs match the four readings: the cost below 0.001 (`stop_below=0.001`) |
# | **initialisation** | the first guess w₁ = w₂ = 1, b = 0 (`first_guess()`) |
# | **forward** | z = w₁x + w₂x² + b for each sample |
# | **loss** | ½(z − y)² for each sample, averaged into the cost C |
# | **backpropagation** | ∇C = (∂C/∂w₁, ∂C/∂w₂, ∂C/∂b) from `C.backward()` |
# | **gradient descent** | θ ← θ − η∇C, then forward again |
#
# ## Summary
#
# * Gradient descent: compute ∇C by backprop, step θ ← θ − η∇C, repeat until the cost
#   (the average loss) is small enough. −∇C is the steepest way down.
# * A quick stop is not the best fit: in a stretched valley (curvatures μ from 7.7 down
#   to 0.00026) the weights keep creeping for 100,000 steps. A model family that cannot
#   hold the rule only ever copies the readings.
# * η too small crawls, η too large overshoots and diverges; the edge is η = 2/μ_max.
# * Batch, stochastic and mini-batch differ only in how many samples feed each step; a
#   mini-batch gradient scatters around the full one by about 1/√k.
#
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **05.1** From the curvatures: the learning rate η above which gradient descent on this
# box diverges near its minimum (to 1%). Section 3 shows how one curvature μ limits η; the
# box has three.

# %%
print(exercises.task("05.1"))
answer_05_1 = None
exercises.check("05.1", answer_05_1)

# %% [markdown]
# **05.2** Use the input-guessing loop of section 1 to find the input that makes `box`
# output **5**.

# %%
print(exercises.task("05.2"))
answer_05_2 = None
exercises.check("05.2", answer_05_2)

# %% [markdown]
# **05.3** By hand (or with a short loop): the gradient ∂C/∂w₂ of the mini-batch made of
# the samples x = 1.1 and x = 2, at the first guess.

# %%
print(exercises.task("05.3"))
answer_05_3 = None
exercises.check("05.3", answer_05_3)

# %% [markdown]
# **05.4** The unit vector along (w₁, w₂, b) in which the cost falls fastest at the
# point of the givens (not the first guess): three numbers.

# %%
print(exercises.task("05.4"))
answer_05_4 = None
exercises.check("05.4", answer_05_4)

# %% [markdown]
# Next: [06 · Layers as matrices](06_layers_as_matrices.ipynb).
