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
#    from bending itself around every noisy point; we measure what that does on held-out
#    data.

# %%
import math
import matplotlib.pyplot as plt
import numpy as np
import nn
from autograd import Value, no_grad

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
# ### From an output to a decision: the 0.5 threshold
#
# A sigmoid output a is a number between 0 and 1, read as "how sure is the neuron that
# this is class 1". A classifier turns it into a class: **1 when a > 0.5**, else 0. Since
# σ(0) = 0.5 and σ only increases, a > 0.5 exactly when z > 0, so the boundary between the
# classes is where z = w·x + b = 0: a straight line for one neuron. `nn.accuracy` uses this
# rule for the binary cross-entropy cost. One neuron trained on 100 two-moons points
# (labels 0 and 1):

# %%
Xc, Yc = nn.datasets.moons(100, noise=0.1, seed=0)
Yc = [(t + 1) / 2 for t in Yc]                  # −1/+1 → 0/1
clf = nn.Neuron(2, activation="sigmoid", name="clf", seed=0)
nn.fit(clf, Xc, Yc, cost="binary_cross_entropy", lr=1.0, epochs=200, progress=False)
with no_grad():
    outputs = [clf(xc) for xc in Xc]
    by_a = [int(o.data > 0.5) for o in outputs]
    by_z = [int(clf.w[0].data * u + clf.w[1].data * v + clf.b.data > 0) for u, v in Xc]
right = sum(int(p == t) for p, t in zip(by_a, Yc))
print(f"a > 0.5 and z > 0 give the same class for {sum(p == q for p, q in zip(by_a, by_z))} of {len(Xc)} points")
print(f"accuracy by hand {right / len(Xc):.0%}, nn.accuracy {nn.accuracy(clf, Xc, Yc, 'binary_cross_entropy'):.0%}")
assert by_a == by_z and right / len(Xc) == nn.accuracy(clf, Xc, Yc, "binary_cross_entropy")

# %% [markdown]
# A straight line cannot separate two interleaved moons perfectly; notebook 08 uses a
# network whose boundary can bend.
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
# ### Two more costs, used below
#
# * The **hinge** cost, for labels y = −1 or +1 and one linear output, a score s whose
#   sign is the prediction: C = max(0, 1 − y·s). It is 0 once the point is on the right
#   side with a margin of 1, and grows linearly the further it is on the wrong side.
#   `cost="hinge"`.
# * The **cross-entropy** over classes (softmax), for K outputs, scores z₀ … z_{K−1}, and
#   the right class c: the probabilities are pₖ = e^{zₖ} / Σⱼ e^{zⱼ}, and C = −ln p_c.
#   `cost="cross_entropy"`, with the class number as the target. Notebook 08 uses both.
#
# Both by hand against `nn`:

# %%
for y, s in [(+1, 2.0), (+1, 0.3), (-1, 0.3)]:
    by_hand = max(0.0, 1 - y * s)
    print(f"hinge, y = {y:+d}, score {s}: {by_hand:.2f}")
    assert nn.hinge(Value(s), y).data == by_hand

scores, right_class = [2.0, 1.0, -1.0], 0
p = [math.exp(z) / sum(math.exp(t) for t in scores) for z in scores]
print(f"cross-entropy, scores {scores}, class {right_class}: probabilities "
      f"{[round(v, 3) for v in p]}, cost −ln p₀ = {-math.log(p[right_class]):.4f}")
assert math.isclose(nn.cross_entropy([Value(z) for z in scores], right_class).data,
                    -math.log(p[right_class]), rel_tol=1e-12)

# %% [markdown]
# ### What it does to a network
#
# A noisy two-moons data set with only 40 points, and a network with far more freedom
# than it needs (2 → 16 → 16 → 1, tanh). We train it twice, 300 full-batch steps with the
# hinge cost, without and with L2 (`fit(..., l2=λ/n)`), and follow the size of the weights.

# %%
X, Y = nn.datasets.moons(40, noise=0.25, seed=7)
X_new, Y_new = nn.datasets.moons(1000, noise=0.25, seed=99)   # held out: never trained on
results = {}
for l2 in [0.0, 0.01]:
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=1)
    sizes = [sum(w.data**2 for w in model.weights())]
    for chunk in range(15):     # 15 × 20 steps; full batch, so chunks = one long run
        nn.fit(model, X, Y, cost="hinge", lr=0.1, epochs=20, l2=l2, progress=False)
        sizes.append(sum(w.data**2 for w in model.weights()))
    results[l2] = (model, sizes)
    print(f"λ/n = {l2:<5} Σw² = {sizes[-1]:7.2f}   training accuracy {nn.accuracy(model, X, Y, 'hinge'):.0%}"
          f"   held-out accuracy {nn.accuracy(model, X_new, Y_new, 'hinge'):.1%}")

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

fig, axes = plt.subplots(1, 3, figsize=(11, 3.2))
for l2, (model, sizes) in results.items():
    axes[0].plot(range(0, 301, 20), sizes, marker="o", label=f"λ/n = {l2}")
axes[0].set(xlabel="step", ylabel="Σ w²", title="Size of the weights"); axes[0].legend()
boundary(axes[1], results[0.0][0], "no regularisation")
boundary(axes[2], results[0.01][0], "L2, λ/n = 0.01")
fig.tight_layout()

# %%
assert results[0.01][1][-1] < 0.7 * results[0.0][1][-1]   # decay keeps the weights smaller
train_acc = {l2: nn.accuracy(m, X, Y, "hinge") for l2, (m, _) in results.items()}
new_acc = {l2: nn.accuracy(m, X_new, Y_new, "hinge") for l2, (m, _) in results.items()}
assert train_acc[0.01] < train_acc[0.0]                    # fewer training points right
assert new_acc[0.01] <= new_acc[0.0]                        # and not better on held-out points

# %% [markdown]
# Without the penalty the weights keep growing for as long as we train: the network keeps
# sharpening its boundary to get a few more noisy training points right. With it, the
# weights settle where the pull of the data balances the decay, and the network gets
# **fewer** of its training points right (compare the accuracies above). A network with
# small weights cannot change its output sharply, so it follows the broad shape of the
# data rather than single points.
#
# Is that better on points it has not seen? That is the claim made for L2 (it is meant
# against overfitting), and only held-out data can test it. On these 1,000 held-out moons
# points, after 300 steps, it is not better. Let us try where overfitting is easiest: very
# few training samples and a big network. 50 of the 8×8 digit images (notebook 08), a
# 64 → 16 → 10 network with 1,200 parameters, 60 epochs of mini-batches of 10, judged on
# the 359 test images.

# %%
digits = nn.datasets.digits(seed=0)
few_X, few_y = digits.X_train[:50], digits.y_train[:50]
held_out = {}
for l2 in [0.0, 0.01]:
    net = nn.MLP(64, [16, 10], activation="tanh", output_activation="linear", seed=0)
    nn.fit(net, few_X, few_y, cost="cross_entropy", lr=0.3, epochs=60, batch_size=10, l2=l2, seed=0,
           progress=False)
    held_out[l2] = (nn.accuracy(net, few_X, few_y, "cross_entropy"),
                    nn.accuracy(net, digits.X_test, digits.y_test, "cross_entropy"),
                    sum(w.data**2 for w in net.weights()))
    print(f"λ/n = {l2:<5} training accuracy {held_out[l2][0]:.0%}   test accuracy {held_out[l2][1]:.1%}"
          f"   Σw² = {held_out[l2][2]:.1f}")
test_gain = held_out[0.01][1] - held_out[0.0][1]
print(f"L2 changed the test accuracy by {test_gain:+.1%} ({round(test_gain * 359):+d} of 359 images)")

# %%
assert held_out[0.0][0] == 1.0                          # the unregularised net fits its 50 images perfectly
assert held_out[0.01][2] < 0.7 * held_out[0.0][2]       # L2 keeps the weights smaller
assert abs(test_gain) < 0.05                            # ... and the test accuracy about the same

# %% [markdown]
# Both networks learn their 50 images perfectly, L2 keeps the weights much smaller, and
# the test accuracy barely moves. So on these problems, at these sizes, L2 is not a
# measurable win: it is a tool against overfitting, and whether a given network overfits,
# and whether a given λ helps, is something to **measure on held-out data**, as here,
# not to assume.
#
# ### Where L2 does win: a polynomial through few points
#
# Seed 004 motivates L2 with polynomial features, and there overfitting is easy to
# provoke. Ten noisy readings of sin(πx) on [−1, 1], and a model with the ten features
# x, x², …, x⁹ and a bias: one linear neuron, ten parameters for ten points. Its cost
# (quadratic, plus the L2 term) is a quadratic bowl, so its minimum has a closed form,
# (FᵀF + λP)θ = Fᵀy, with F the features and P the identity without the bias (biases are
# not penalised); that is where `fit` would end up after enough steps, and the engine
# confirms below that the gradient there is zero. Judged on 200 held-out readings:

# %%
rng = np.random.default_rng(4)

def poly_features(x):
    return np.stack([x**k for k in range(1, 10)] + [np.ones_like(x)], axis=1)

x_few = np.sort(rng.uniform(-1, 1, 10))
y_few = np.sin(np.pi * x_few) + rng.normal(0, 0.15, 10)
x_held = rng.uniform(-1, 1, 200)
y_held = np.sin(np.pi * x_held) + rng.normal(0, 0.15, 200)
F = poly_features(x_few)
P = np.diag([1.0] * 9 + [0.0])                      # penalise the 9 weights, not the bias

def best_fit(lam):
    """The minimum of C₀ + (λ/2n)Σw², C₀ = (1/n) Σ ½(z − y)²: (FᵀF + λP)θ = Fᵀy."""
    return np.linalg.lstsq(F.T @ F + lam * P, F.T @ y_few, rcond=None)[0]

def avg_cost(theta, x, y):
    return np.mean(0.5 * (poly_features(x) @ theta - y) ** 2)

fits = {lam: best_fit(lam) for lam in (0.0, 1e-3)}
for lam, theta in fits.items():
    print(f"λ = {lam:<6} (fit(l2={lam / 10:g})): training cost C₀ {avg_cost(theta, x_few, y_few):.4f}"
          f"   held-out cost {avg_cost(theta, x_held, y_held):10.4f}   largest |w| {np.abs(theta[:9]).max():8.1f}")

# The engine agrees that each is the minimum of the cost fit would descend: gradient ≈ 0 there.
for lam, theta in fits.items():
    neuron = nn.Neuron(9, activation="linear", name="poly")
    for w, value in zip(neuron.w, theta[:9]):
        w.data = float(value)
    neuron.b.data = float(theta[9])
    cost = sum(nn.quadratic_cost(neuron([float(v) for v in row[:9]]), float(t))
               for row, t in zip(F, y_few)) * (1 / 10) + nn.l2_penalty(neuron, lam / 10)
    cost.backward()
    assert max(abs(p.grad) for p in neuron.parameters()) < 1e-6, lam
held = {lam: avg_cost(theta, x_held, y_held) for lam, theta in fits.items()}
assert avg_cost(fits[0.0], x_few, y_few) < 1e-6 and held[0.0] > 100 * held[1e-3]

fig, ax = plt.subplots()
grid = np.linspace(-1, 1, 400)
ax.plot(grid, np.sin(np.pi * grid), color="gray", ls=":", label="sin(πx), the rule")
ax.plot(grid, poly_features(grid) @ fits[0.0], label="no L2")
ax.plot(grid, poly_features(grid) @ fits[1e-3], label="L2, λ = 0.001")
ax.scatter(x_few, y_few, color="k", zorder=3, s=18, label="the 10 training readings")
ax.set(ylim=(-2.5, 2.5), xlabel="x", ylabel="output", title="A degree-9 polynomial through 10 points")
ax.legend(fontsize=8);

# %% [markdown]
# Without the penalty the polynomial goes through all ten points (training cost 0) with
# weights in the thousands, and swings wildly between them: its held-out cost is
# enormous. A small L2 term gives up a little on the training points, keeps the weights
# small and follows the rule. Here L2 is a clear win, because the model had the freedom to
# fit the noise and nothing else stopped it; for the networks above it was not.
#
# ## Summary
#
# * Quadratic cost + sigmoid output: δᴸ = (a − y)σ′(z), tiny when the neuron saturates,
#   however wrong it is. Cross-entropy: δᴸ = a − y, so it learns fast when wrong.
# * A sigmoid classifier says class 1 when a > 0.5, that is when z > 0.
# * L2 adds (λ/2n)Σw² to the cost; in the update that is w ← (1 − ηλ/n)w − η∂C₀/∂w,
#   a constant decay of every weight (not the biases). It keeps weights small; whether that
#   helps on unseen data has to be measured on held-out data: for the networks here it did
#   not, measurably; for a degree-9 polynomial through 10 points it did, by far.
#
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **07.1** How many times larger is a saturated output neuron's δ under cross-entropy
# than under the quadratic cost, at the z in the givens?

# %%
from nn import exercises

print(exercises.task("07.1"))
answer_07_1 = None
exercises.check("07.1", answer_07_1)

# %% [markdown]
# **07.2** With no push from the data (∂C₀/∂w = 0), how many weight-decay steps halve a
# weight, for the η, λ and n in the givens?

# %%
print(exercises.task("07.2"))
answer_07_2 = None
exercises.check("07.2", answer_07_2)

# %% [markdown]
# **07.3** Classify the inputs in the givens with the 0.5 threshold (without a computer,
# if you can: look at the sign of z).

# %%
print(exercises.task("07.3"))
answer_07_3 = None
exercises.check("07.3", answer_07_3)

# %% [markdown]
# Next: [08 · Training MLPs](08_training_mlps.ipynb).
