# %% [markdown]
# # 14 · Why deep networks are hard to train
#
# Notebook 13 showed that one hidden layer can copy a curve, given enough neurons. The
# networks used in practice stack many layers, and they are harder to train: in a deep
# sigmoid network the first layers barely move while the last ones learn. This notebook
# measures that on a real network, shows where it comes from (BP2), and measures the
# remedies: other activations and other initial weights.
#
# The measure is Nielsen's **speed of learning** of a layer l: the length of its bias
# gradient, ‖∂C/∂bˡ‖ = ‖δˡ‖ averaged over the samples (BP3). `nn.layer_speeds(model)`
# reads it (and ‖∂C/∂Wˡ‖) from the `.grad` of the parameters after a backward pass;
# `nn.LayerSpeeds()` records it inside `fit` after every chosen step.

# %%
import math
import statistics
import matplotlib.pyplot as plt
import numpy as np
import autograd
import nn
from autograd import Value

%config InlineBackend.figure_formats = ["png"]
plt.rcParams.update({"figure.dpi": 80, "axes.grid": False})

# %% [markdown]
# ## 1. ReLU: defined, drawn, differentiated
#
# Notebook 08 used ReLU without looking at it closely. relu(z) = max(0, z): z itself for
# z > 0, 0 otherwise. Its derivative is 1 for z > 0 and 0 for z < 0; at z = 0 the graph
# has a corner and there is no derivative, so a library has to choose a number. Below,
# the three activations and their derivatives, the derivatives computed by the engine
# (`backward()` on one Value per point), and the choice at 0 asked of the engine and of
# PyTorch.

# %%
zs = np.linspace(-5, 5, 401)


def curve_and_slope(name):
    values, slopes = [], []
    for z in zs:
        v = Value(float(z))
        out = getattr(v, name)()
        out.backward()
        values.append(out.data)
        slopes.append(v.grad)
    return np.array(values), np.array(slopes)


fig, (top, bottom) = plt.subplots(1, 2, figsize=(10, 3.2))
slopes = {}
for name in ("sigmoid", "tanh", "relu"):
    values, slopes[name] = curve_and_slope(name)
    top.plot(zs, values, label=name)
    bottom.plot(zs, slopes[name], label=f"{name}′")
top.set_xlabel("z"); top.set_title("f(z)"); top.legend(fontsize="small"); top.set_ylim(-1.2, 3)
bottom.set_xlabel("z"); bottom.set_title("f′(z), from the engine's backward()"); bottom.legend(fontsize="small")
plt.tight_layout(); plt.show()

for name, s in slopes.items():
    print(f"largest {name}′ on [−5, 5]: {s.max():.4f}")
assert slopes["sigmoid"].max() == 0.25 and slopes["tanh"].max() == 1.0     # both at z = 0
assert set(slopes["relu"]) == {0.0, 1.0}

# %%
import torch

v = Value(0.0)
v.relu().backward()
t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
torch.relu(t).backward()
print(f"relu′(0): the engine says {v.grad}, PyTorch says {t.grad.item()}")
assert v.grad == 0.0 and t.grad.item() == 0.0

# %% [markdown]
# Both take relu′(0) = 0. Keep the right-hand plot's numbers in mind: **σ′(z) is at most
# 1/4**, tanh′ at most 1, and relu′ is exactly 1 wherever the neuron is on.
#
# ## 2. A deep sigmoid network on the digits
#
# The 8×8 digits of notebook 08; a network with four hidden layers of 30 sigmoid neurons,
# 64-30-30-30-30-10, a linear output layer and the softmax cross-entropy cost. Its
# layers are layer 1 (the first hidden layer) to layer 5 (the output). First its speeds at
# the start, from one backward pass of the cost C averaged over 30 training images.

# %%
digits = nn.datasets.digits()
X_train, Y_train = digits.X_train[:200], digits.y_train[:200]      # small, so this runs in seconds
X_measure, Y_measure = X_train[:30], Y_train[:30]
X_test, Y_test = digits.X_test, digits.y_test
SIZES = [30, 30, 30, 30, 10]


deep = nn.MLP(64, SIZES, activation="sigmoid", seed=1)
deep.zero_grad()
cost = autograd.sum([nn.cross_entropy(deep(x), y) for x, y in zip(X_measure, Y_measure)]) * (1 / len(X_measure))
autograd.fast.backward(cost)
start = nn.layer_speeds(deep)
print("layer   ‖∂C/∂b‖     ‖∂C/∂W‖")
for l, speed in enumerate(start, 1):
    print(f"{l:5}   {speed.bias:.3e}   {speed.weight:.3e}")
print(f"layer 5 learns {start[4].bias / start[0].bias:.0f}× faster than layer 1 (bias speeds); "
      f"among the hidden layers, layer 4 {start[3].bias / start[0].bias:.0f}× faster than layer 1")

# %% [markdown]
# Each hidden layer is several times slower than the one after it. The same lengths from
# the four equations in plain floats (`nn.bp_equations`, no engine), averaged over the
# same images with numpy; they are also much quicker to get, so the rest of the notebook
# measures speeds at the start this way.

# %%
def equations_on(model):
    return [nn.bp_equations(model, x, y, "cross_entropy") for x, y in zip(X_measure, Y_measure)]


def speeds_at_start(model, equations=None):
    """‖∂C/∂b‖ per layer from BP1–BP4 in floats, C averaged over the measuring images."""
    equations = equations_on(model) if equations is None else equations
    return [float(np.linalg.norm(np.mean([e.grad_b[l] for e in equations], axis=0)))
            for l in range(len(model.layers))]


equations = equations_on(deep)
for l, (speed, bias) in enumerate(zip(start, speeds_at_start(deep, equations))):
    grad_w = np.mean([e.grad_w[l] for e in equations], axis=0)
    assert math.isclose(speed.bias, bias, rel_tol=1e-9)
    assert math.isclose(speed.weight, np.linalg.norm(grad_w), rel_tol=1e-9)
print("the engine's speeds agree with BP1–BP4 in floats to 1e-9, layer by layer")

# %% [markdown]
# ## 3. Why: BP2 multiplies by Wᵀ, then by σ′
#
# BP2 says how δ goes back one layer: δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ). Two factors act on
# its length at every layer: the matrix (Wˡ⁺¹)ᵀ, and the σ′(zˡ) of each neuron, which is
# **at most 1/4**. With the default weights (drawn from N(0, 1/n_in)), (Wˡ⁺¹)ᵀ roughly keeps
# a vector's length, so each layer back shrinks δ by about σ′. Measured on the same 30
# images, per sample, then averaged:

# %%
def bp2_factors(model, equations):
    """Per layer l (going back from l + 1): mean σ′(zˡ), and the mean length ratios of BP2's two steps."""
    rows = []
    weights = [np.array([[w.data for w in n.w] for n in layer.neurons]) for layer in model.layers]
    for l in range(len(model.layers) - 2, -1, -1):
        prime, gain, squash, total = [], [], [], []
        for e in equations:
            d_next, d = np.array(e.delta[l + 1]), np.array(e.delta[l])
            back = weights[l + 1].T @ d_next                       # (Wˡ⁺¹)ᵀ δˡ⁺¹
            a = np.array(e.a[l + 1])
            prime.append(np.mean(a * (1 - a)) if model.layers[l].activation == "sigmoid" else np.nan)
            gain.append(np.linalg.norm(back) / np.linalg.norm(d_next))
            squash.append(np.linalg.norm(d) / np.linalg.norm(back))
            total.append(np.linalg.norm(d) / np.linalg.norm(d_next))
        rows.append((l + 1, np.mean(prime), np.mean(gain), np.mean(squash), np.mean(total)))
    return rows


print("layer l   mean σ′(zˡ)   ‖Wᵀδˡ⁺¹‖/‖δˡ⁺¹‖   ‖δˡ‖/‖Wᵀδˡ⁺¹‖   ‖δˡ‖/‖δˡ⁺¹‖")
for l, prime, gain, squash, total in bp2_factors(deep, equations):
    print(f"{l:7}   {prime:11.4f}   {gain:15.3f}   {squash:13.4f}   {total:11.4f}")
    assert prime <= 0.25 and squash <= 0.25 and total < 0.5     # σ′ ≤ 1/4 caps the squash
    assert 0.8 < gain < 1.25                                     # and Wᵀ roughly keeps the length

# %% [markdown]
# The third column is never above 1/4, because σ′ never is; the second, the gain of Wᵀ,
# is near 1; so every layer back costs δ a factor of roughly 4 or more (last column).
# Four hidden layers compound it: that is the factor between layer 1 and layer 5 printed
# in section 2.
#
# ## 4. Over training
#
# Do the first layers catch up once training starts? `fit` with a `LayerSpeeds` recorder
# keeps each layer's speed after every 2nd step (the gradient of the mini-batch that step
# descended: 10 images); 2 epochs over 200 training images, η = 0.2.

# %%
EPOCHS, LR = 2, 0.2


def train(model):
    return nn.fit(model, X_train, Y_train, cost="cross_entropy", lr=LR, epochs=EPOCHS, batch_size=10,
                  progress=False, record=[nn.LayerSpeeds(every=2)])


def ratio_during(history):
    """The median, over the recorded steps, of (layer 5's speed) / (layer 1's speed); inf where layer 1's is 0."""
    records = history.records["layer_speeds"]
    return statistics.median(s[-1].bias / s[0].bias if s[0].bias > 0 else math.inf for _, s in records)


history = train(deep)
print(history)
records = history.records["layer_speeds"]
print(f"{len(records)} records, steps {records[0][0]} … {records[-1][0]}")
print(f"median over training of layer 5 / layer 1: {ratio_during(history):.0f}")
print(f"test accuracy: {nn.accuracy(deep, X_test, Y_test, 'cross_entropy'):.1%}")
assert all(s[l].bias < s[l + 1].bias for _, s in records for l in range(4))   # same order in every record
assert ratio_during(history) > 100

ax = nn.plots.plot_layer_speeds(history)
ax.set_title("64-30-30-30-30-10, sigmoid, default init")
ax.figure.set_size_inches(7, 3.3); plt.tight_layout(); plt.show()

# %% [markdown]
# They do not: the lines stay in the same order, layer 1 at the bottom, and the gap does
# not close during these 40 steps (the median ratio is printed above). After 2 epochs the
# network is barely better than guessing one of 10 digits.
#
# ## 5. The remedies, measured
#
# Three things change the two factors of BP2: an activation whose derivative is not
# capped at 1/4 (tanh′ ≤ 1; relu′ = 1 where the neuron is on), and the scale of the
# initial weights, which sets the gain of Wᵀ: `init="normal"` draws N(0, 1), √n_in times
# the default's N(0, 1/n_in) (`"lecun"`; 5.5 times for 30 inputs); `init="he"` draws N(0, 2/n_in), made for
# ReLU, which zeroes about half its z's. The same network shape, the same 200 images, the
# same η, 2 epochs each; "5/1" is layer 5's speed over layer 1's, at the start (over the
# 30 measuring images) and the median during training (the recorder's mini-batches):

# %%
def run(activation, init):
    model = nn.MLP(64, SIZES, activation=activation, init=init, seed=1)
    at_start = speeds_at_start(model)
    history = train(model)
    return {
        "start": at_start,
        "during": ratio_during(history),
        "accuracy": nn.accuracy(model, X_test, Y_test, "cross_entropy"),
        "history": history,
        "model": model,
    }


runs = {("sigmoid", "lecun"): {"start": [s.bias for s in start], "during": ratio_during(history), "history": history,
                               "accuracy": nn.accuracy(deep, X_test, Y_test, "cross_entropy"), "model": deep}}
for setting in [("sigmoid", "normal"), ("tanh", "lecun"), ("relu", "lecun"), ("relu", "he"), ("relu", "normal")]:
    runs[setting] = run(*setting)

print("activation  init      layer 1 speed  layer 5 speed  5/1 at start  5/1 during  test accuracy")
for (activation, init), r in runs.items():
    first, last = r["start"][0], r["start"][-1]
    print(f"{activation:10}  {init:8}  {first:13.2e}  {last:13.2e}  {last / first:12.3g}  "
          f"{r['during']:10.3g}  {r['accuracy']:13.1%}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.3), sharey=True)
for ax, setting in zip(axes, [("tanh", "lecun"), ("relu", "he")]):
    nn.plots.plot_layer_speeds(runs[setting]["history"], ax=ax)
    ax.set_title(f"{setting[0]}, init={setting[1]!r}")
plt.tight_layout(); plt.show()

# %% [markdown]
# Reading the table and the two pictures (the numbers are this run's; the asserts below
# check each sentence):
#
# * **sigmoid, lecun** (section 4): layer 1 hundreds of times slower than layer 5, and the
#   worst accuracy.
# * **sigmoid, normal**: larger weights raise the gain of Wᵀ and make up for part of σ′'s
#   1/4: the factor drops to a few, and the network learns more in the same 3 epochs.
# * **tanh** and **relu with He's init**: the layers start at nearly the same speed
#   (a factor near 1), and these two reach the best accuracies here.
# * **relu, lecun**: weights a factor √2 smaller than He's shrink δ a little at each layer.
# * **relu, normal** (the last row): its "5/1 during" is inf because in most recorded steps
#   layer 1's speed is exactly 0 (a median over those steps); section 6 shows why.

# %%
def factor(setting):
    r = runs[setting]["start"]
    return r[-1] / r[0]


def acc(setting):
    return runs[setting]["accuracy"]


base = ("sigmoid", "lecun")
assert factor(base) > 100 and factor(base) == max(factor(s) for s in runs)
assert acc(base) == min(acc(s) for s in runs if s != ("relu", "normal")) and acc(base) < 0.2
assert 1 < factor(("sigmoid", "normal")) < 10 and acc(("sigmoid", "normal")) > acc(base) + 0.1
for s in [("tanh", "lecun"), ("relu", "he")]:
    assert 0.5 < factor(s) < 2
    assert acc(s) > max(acc(("sigmoid", "normal")), acc(("relu", "lecun")))
assert factor(("relu", "he")) < factor(("relu", "lecun"))
assert runs[("relu", "normal")]["during"] == math.inf

# %% [markdown]
# ## 6. The opposite failure: exploding gradients
#
# BP2 can just as well make δ *grow* going back: when the gain of Wᵀ times f′ is above 1
# at every layer. ReLU passes δ unchanged where a neuron is on, so with N(0, 1) weights
# (30 inputs per neuron) the gain of Wᵀ is several times 1 at every layer, and nothing
# shrinks it. The last row of the table: layer 1 starts **faster** than layer 5, by the
# factor below, and δ grows at every layer back.

# %%
exploding = runs[("relu", "normal")]
print("layer   ‖∂C/∂b‖ at the start")
for l, speed in enumerate(exploding["start"], 1):
    print(f"{l:5}   {speed:.3e}")
growth = exploding["start"][0] / exploding["start"][-1]
per_layer = [exploding["start"][l] / exploding["start"][l + 1] for l in range(4)]
print(f"layer 1 is {growth:.0f}× faster than layer 5; layer by layer back: "
      + ", ".join(f"×{g:.1f}" for g in reversed(per_layer)))
assert all(g > 2 for g in per_layer)
assert growth > 10 and all(a > b for a, b in zip(exploding["start"], exploding["start"][1:]))

# %% [markdown]
# Over training it gets worse at first. Huge gradients in the first layers mean huge
# first steps, which make the next z's and δ's larger still. Every record of the
# recorder, ‖∂C/∂b‖ of layers 1 to 5:

# %%
records = exploding["history"].records["layer_speeds"]
for step, speeds in records:
    print(f"step {step:2}: " + "  ".join(f"{s.bias:8.1e}" for s in speeds))
silent = [step for step, speeds in records if all(s.bias == 0.0 for s in speeds[:4])]
print(f"{len(silent)} of {len(records)} records: every hidden layer's speed exactly 0")
first_layer = exploding["model"].layers[0]
zs_layer1 = np.array([[w.data for w in n.w] for n in first_layer.neurons]) @ np.array(X_measure).T
zs_layer1 += np.array([[n.b.data] for n in first_layer.neurons])
on = int((zs_layer1 > 0).any(axis=1).sum())
print(f"after training, layer-1 neurons on (z > 0) for at least one of the {len(X_measure)} measuring images: "
      f"{on} of 30")
assert max(s.bias for _, speeds in records for s in speeds) > 1e15
assert len(silent) > len(records) / 2 and on == 0

# %% [markdown]
# Within a few steps the first layers' gradients grew by many orders of magnitude, and the
# updates they made threw the weights so far that in most later steps every hidden
# layer's gradient is exactly 0: the mini-batch switches off every neuron of layer 1
# (z ≤ 0, so relu′ = 0), nothing comes out of it, and nothing flows back. The rare batch
# that switches a neuron on gets an enormous gradient again and throws the weights once
# more. At the end every neuron of layer 1 is off for every measuring image: the output
# no longer depends on the image, and the test accuracy in the table is that of a guess.

# %% [markdown]
# ## Summary
#
# * relu(z) = max(0, z); relu′ is 1 for z > 0 and 0 for z < 0, and the engine and PyTorch
#   both take relu′(0) = 0.
# * In a 64-30-30-30-30-10 sigmoid network with the default init, layer 1 starts hundreds
#   of times slower than layer 5 (measured above) and stays far behind while training.
# * BP2 is why: each layer back multiplies δ by (Wˡ⁺¹)ᵀ, whose gain is near 1 here, and by
#   σ′(zˡ) ≤ 1/4.
# * tanh, or ReLU with He's init, keep the layers' speeds within a small factor, and learn
#   the most in the same 3 epochs; larger sigmoid weights help part of the way.
# * Too large a gain makes δ explode instead: ReLU with N(0, 1) weights, whose first steps
#   grew the gradients by many orders of magnitude and then switched off layer 1.

# %% [markdown]
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **14.1** BP2 by hand through a chain of sigmoid neurons.

# %%
from nn import exercises

print(exercises.task("14.1"))
answer_14_1 = None
exercises.check("14.1", answer_14_1)

# %% [markdown]
# **14.2** How wide is z at the start, under two initialisations?

# %%
print(exercises.task("14.2"))
answer_14_2 = None
exercises.check("14.2", answer_14_2)

# %% [markdown]
# **14.3** BP2 through ReLU neurons, one of them off.

# %%
print(exercises.task("14.3"))
answer_14_3 = None
exercises.check("14.3", answer_14_3)
