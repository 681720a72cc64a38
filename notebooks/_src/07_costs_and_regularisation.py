# %% [markdown]
# # 07 · Costs and regularisation
#
# Two ideas about the cost function:
#
# 1. **Which cost?** With a sigmoid output, the quadratic cost makes a badly wrong,
#    saturated neuron learn very slowly. The cross-entropy cost removes the culprit, σ′(z),
#    from the gradient.
# 2. **What else goes into the cost?** Adding a penalty on large weights (L2
#    regularisation) turns every update into a small "weight decay", and keeps a network
#    from bending itself around every noisy point.

# %%
import math
import matplotlib.pyplot as plt
import numpy as np
import nn
from autograd import no_grad

%config InlineBackend.figure_formats = ["png"]
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (9, 3.2), "axes.grid": True})

# %% [markdown]
# ## 1. A saturated neuron
#
# One sigmoid neuron, one input x = 1, target y = 0. We start it confidently wrong:
# w = 1.5, b = 2.5, so z = 4 and a = σ(4) ≈ 0.98.

# %%
def wrong_neuron():
    neuron = nn.Neuron(1, activation="sigmoid", name="N")
    neuron.w[0].data, neuron.b.data = 1.5, 2.5
    return neuron

neuron = wrong_neuron()
a = neuron([1.0])
print(f"z = {neuron.z.data}, a = {a.data:.4f}, σ′(z) = a(1 − a) = {a.data * (1 - a.data):.4f}")

# %% [markdown]
# Its δ = ∂C/∂z under each cost (here ∂C/∂w = x·δ = δ as well):
#
# * quadratic, C = ½(a − y)²: δ = (a − y) · σ′(z). The neuron is as wrong as it can be,
#   but σ′(z) ≈ 0.018 makes δ tiny.
# * cross-entropy, C = −[y ln a + (1 − y) ln(1 − a)]: ∂C/∂a = (a − y) / (a(1 − a)), and
#   that denominator is exactly σ′(z), so **δ = a − y**. The more wrong, the bigger the
#   step, whatever z is.

# %%
for name, cost in [("quadratic", nn.quadratic_cost), ("cross-entropy", nn.binary_cross_entropy)]:
    neuron = wrong_neuron()
    a = neuron([1.0])
    cost(a, 0.0).backward()
    print(f"{name:14} δ = z.grad = {neuron.z.grad:.6f}")

ad = a.data
assert math.isclose(neuron.z.grad, ad - 0.0, rel_tol=1e-9)            # cross-entropy: a − y
q = wrong_neuron(); qa = q([1.0]); nn.quadratic_cost(qa, 0.0).backward()
assert math.isclose(q.z.grad, (ad - 0.0) * ad * (1 - ad), rel_tol=1e-9)  # quadratic: (a − y)σ′(z)

# %% [markdown]
# The cross-entropy gradient is 1/σ′(z) ≈ 57 times larger. Now train both from the same
# start with the same learning rate, η = 0.15, and watch the output.

# %%
runs = {}
for name, cost in [("quadratic", "quadratic"), ("cross-entropy", "binary_cross_entropy")]:
    neuron = wrong_neuron()
    outputs = []
    for epoch in range(300):
        nn.fit(neuron, [[1.0]], [0.0], cost=cost, lr=0.15, epochs=1, progress=False)
        outputs.append(nn.predict(neuron, [1.0]))
    runs[name] = outputs
    print(f"{name:14} output after  30 steps {outputs[29]:.3f}, after 300 steps {outputs[-1]:.3f}")

fig, ax = plt.subplots()
for name, outputs in runs.items():
    ax.plot(range(1, 301), outputs, label=name)
ax.set(xlabel="step", ylabel="output a (target 0)", title="A saturated neuron learning, η = 0.15")
ax.legend();

# %%
assert runs["cross-entropy"][29] < 0.25 and runs["quadratic"][29] > 0.95   # fast vs. stuck on the plateau
assert runs["cross-entropy"][-1] < runs["quadratic"][-1]

# %% [markdown]
# The quadratic cost sits on a plateau for a long time: the neuron is wrong but barely
# moves, because every gradient carries the small factor σ′(z). Only once z comes down
# towards 0 does σ′ grow and learning speed up. Cross-entropy moves at once. (People learn
# the same way: fastest when badly wrong. The quadratic cost makes a sigmoid neuron do the
# opposite.)
#
# The same holds in a network's output layer (BP1 with ∇ₐC for cross-entropy gives
# δᴸ = a − y); the hidden layers still have their σ′ factors (BP2).
#
# ## 2. L2 regularisation = weight decay
#
# Add to the cost a penalty on the size of the weights (not the biases):
#
# C = C₀ + (λ / 2n) Σ w²
#
# Its gradient adds (λ/n)·w to each weight's gradient, so a gradient-descent step becomes
#
# w ← (1 − ηλ/n) · w − η · ∂C₀/∂w
#
# Every step first shrinks each weight by a constant factor, then follows the data: the
# weights *decay* unless the data keeps pushing them up. Biases are left alone.
# `nn.GradientDescent(model, lr, weight_decay=λ/n)` implements the update directly; one
# step checked by hand:

# %%
model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
eta, decay = 0.5, 0.1
before = [(name, p.data) for name, p in model.named_parameters()]
opt = nn.GradientDescent(model, lr=eta, weight_decay=decay)
opt.zero_grad()
nn.quadratic_cost(model([0.4, -0.7]), 1.0).backward()
grads = [p.grad for p in model.parameters()]
opt.step()
for (name, old), g, p in zip(before, grads, model.parameters()):
    factor = 1.0 if name.endswith(".b") else 1 - eta * decay
    expected = factor * old - eta * g
    assert math.isclose(p.data, expected, rel_tol=1e-12, abs_tol=1e-15), name
    if name.startswith("layers.1"):
        print(f"{name:18} {factor:.2f}·({old:+.4f}) − {eta}·({g:+.4f}) = {p.data:+.4f}")

# %% [markdown]
# The penalty-in-the-cost form gives the same numbers: `nn.l2_penalty(model, λ/n)` is
# (λ/2n)·Σ w² as a Value, and its gradient for each weight is (λ/n)·w.

# %%
model.zero_grad()
penalty = nn.l2_penalty(model, decay)
penalty.backward()
for name, p in model.named_parameters():
    expected = 0.0 if name.endswith(".b") else decay * p.data
    assert math.isclose(p.grad, expected, rel_tol=1e-12, abs_tol=1e-15), name
print(f"penalty = {penalty.data:.6f} = {decay}/2 · Σw² = {decay / 2 * sum(w.data**2 for w in model.weights()):.6f}")

# %% [markdown]
# ### What it does to a network
#
# A noisy two-moons data set with only 40 points, and a network with far more freedom
# than it needs (2 → 16 → 16 → 1, tanh). We train it twice, 300 full-batch steps with the
# hinge cost, without and with L2 (`fit(..., l2=λ/n)`), and follow the size of the weights.

# %%
X, Y = nn.datasets.moons(40, noise=0.25, seed=7)
results = {}
for l2 in [0.0, 0.01]:
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=1)
    sizes = [sum(w.data**2 for w in model.weights())]
    for chunk in range(15):     # 15 × 20 steps; full batch, so chunks = one long run
        nn.fit(model, X, Y, cost="hinge", lr=0.1, epochs=20, l2=l2, progress=False)
        sizes.append(sum(w.data**2 for w in model.weights()))
    results[l2] = (model, sizes)
    print(f"λ/n = {l2:<5} Σw² = {sizes[-1]:7.2f}   training accuracy {nn.accuracy(model, X, Y, 'hinge'):.0%}")

# %%
def boundary(ax, model, title):
    xs, ys = np.meshgrid(np.linspace(-1.6, 2.6, 50), np.linspace(-1.2, 1.7, 40))
    with no_grad():
        scores = np.array([[model([float(u), float(v)]).data for u, v in zip(row_x, row_y)]
                           for row_x, row_y in zip(xs, ys)])
    ax.contourf(xs, ys, scores > 0, levels=1, colors=["#f6c6c6", "#c6d9f6"], alpha=0.8)
    ax.contour(xs, ys, scores, levels=[0], colors="k", linewidths=1)
    pts = np.array(X)
    ax.scatter(pts[:, 0], pts[:, 1], c=["#c0392b" if t < 0 else "#2c5aa0" for t in Y], s=18)
    ax.set(title=title, xticks=[], yticks=[])

fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
for l2, (model, sizes) in results.items():
    axes[0].plot(range(0, 301, 20), sizes, marker="o", label=f"λ/n = {l2}")
axes[0].set(xlabel="step", ylabel="Σ w²", title="Size of the weights"); axes[0].legend()
boundary(axes[1], results[0.0][0], "no regularisation")
boundary(axes[2], results[0.01][0], "L2, λ/n = 0.01")
fig.tight_layout()

# %%
assert results[0.01][1][-1] < 0.7 * results[0.0][1][-1]   # decay keeps the weights smaller

# %% [markdown]
# Without the penalty the weights keep growing for as long as we train: the network keeps
# sharpening its boundary to get a few more noisy points right (compare the accuracies above).
# With it, the weights settle where the pull of the data balances the decay. After 300
# steps the two boundaries still look alike; the difference is in where each is heading. A
# network with small weights cannot change its output sharply, so it has to follow the
# broad shape of the data rather than single points, which usually generalises better to
# points it has not seen.
#
# ## Summary
#
# * Quadratic cost + sigmoid output: δᴸ = (a − y)σ′(z), tiny when the neuron saturates,
#   however wrong it is. Cross-entropy: δᴸ = a − y, so it learns fast when wrong.
# * L2 adds (λ/2n)Σw² to the cost; in the update that is w ← (1 − ηλ/n)w − η∂C₀/∂w,
#   a constant decay of every weight (not the biases).
#
# Next: [08 · Training MLPs](08_training_mlps.ipynb).
