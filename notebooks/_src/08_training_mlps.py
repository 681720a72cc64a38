# %% [markdown]
# # 08 · Training MLPs
#
# Everything so far, put to work on two classic problems:
#
# 1. **Two moons**: 100 points in the plane, two interleaved half-circles; a 2-16-16-1
#    network learns a curved boundary between them.
# 2. **Handwritten digits**: scikit-learn's 8×8 images of digits 0–9 (1797 of them,
#    shipped inside the package, no download), a small stand-in for MNIST. A 64-32-10
#    network, mini-batch gradient descent, accuracy after every epoch.
#
# Every number here is a scalar `Value`, so this is slow compared with numpy or PyTorch
# (the digits take seconds; the time is printed below), but each gradient is the one you
# could step through in notebook 02.

# %%
import time
import matplotlib.pyplot as plt
import numpy as np
import nn

%config InlineBackend.figure_formats = ["png"]
plt.rcParams.update({"figure.dpi": 80, "axes.grid": False})

# %% [markdown]
# ## 1. Two moons
#
# Labels are −1 and +1, and the network has one linear output, a score: its sign is the
# prediction. The cost is the **hinge** cost max(0, 1 − y·score), which is zero once a
# point is on the right side with a margin of 1, plus a little L2 (both in notebook 07).
# The hidden layers use **ReLU**, relu(z) = max(0, z), whose derivative is 1 for z > 0 and
# 0 otherwise (0 at z = 0 too, as in PyTorch); notebook 14, *Why deep networks are hard to
# train*, shows why deep networks use it. 100 full-batch steps.

# %%
from autograd import Value

for z in (-1.5, 0.0, 2.0):
    v = Value(z)
    r = v.relu()
    r.backward()
    print(f"relu({z:+}) = {r.data}   relu′ = {v.grad}")
    assert (r.data, v.grad) == ((z, 1.0) if z > 0 else (0.0, 0.0))

X, Y = nn.datasets.moons(100, noise=0.1, seed=0)
model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
print(model, "with", len(model.parameters()), "parameters")

history = nn.fit(model, X, Y, cost="hinge", l2=1e-4, lr=0.5, epochs=100, progress=False)
print(history)
print("backward pass:", history.backward)

# %% [markdown]
# (`progress=False` keeps this page tidy; by default `fit` shows a progress bar with the
# current cost.)
#
# `fit` does not call `cost.backward()` unless you ask for it (`backward="plain"`, the pass
# you can step through). By default it uses a quicker pass with the same gradients, generated
# from one sample's graph (notebook 09) where that applies: numpy matrix code when numpy is
# installed and the network is large enough for it to pay (`backward="numpy"`, the pass that
# ran above: `history.backward` says so; the note is about how it ran), else straight-line
# Python (`backward="codegen"`). Both add the per-sample gradients in their own order (numpy
# also multiplies matrices), so they agree with `backward()`'s to about 1e-12, not to the
# last bit. Where no generated code applies, `autograd.fast.backward` (`backward="fast"`):
# the same nodes in the same order, the same products added in the same order, hence the
# same gradients to the last bit. Here are the plain and the fast pass on one batch of 20
# points of this model:

# %%
import autograd


def gradients(run_backward):
    model.zero_grad()
    cost = autograd.sum([nn.hinge(model(x), y) for x, y in zip(X[:20], Y[:20])]) * (1 / 20)
    run_backward(cost)
    return [p.grad for p in model.parameters()]


plain = gradients(lambda cost: cost.backward())
quick = gradients(autograd.fast.backward)
print(len(plain), "gradients, identical:", plain == quick)
assert plain == quick
assert any(g != 0.0 for g in plain)

# %%
xs, ys = np.meshgrid(np.linspace(-1.5, 2.5, 50), np.linspace(-1.0, 1.5, 36))
scores = np.array([[nn.predict(model, [float(u), float(v)]) for u, v in zip(rx, ry)]
                   for rx, ry in zip(xs, ys)])
pts, labels = np.array(X), np.array(Y)

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), gridspec_kw={"width_ratios": [1, 1.4]})
left.plot(history.costs)
left.set(xlabel="step", ylabel="cost (hinge + L2)", title="Training cost")
left.grid(True)
right.contourf(xs, ys, scores > 0, levels=1, colors=["#f6c6c6", "#c6d9f6"], alpha=0.8)
right.contour(xs, ys, scores, levels=[0], colors="k", linewidths=1)
right.scatter(pts[:, 0], pts[:, 1], c=np.where(labels > 0, "#2c5aa0", "#c0392b"), s=14)
right.set(title="Decision boundary (score = 0)", xticks=[], yticks=[])
fig.tight_layout()

# %%
# Accuracy recomputed independently from the raw scores, against nn.accuracy.
predicted = np.sign([nn.predict(model, x) for x in X])
by_hand = np.mean(predicted == labels)
print(f"training accuracy: {by_hand:.0%}")
assert by_hand == nn.accuracy(model, X, Y, "hinge")
assert by_hand >= 0.95

# %% [markdown]
# The cost curve is not smooth: notebook 05 said full-batch descent is the steadiest, yet
# here the cost jumps up at some steps. The data are the same at every step, so the jumps
# come from the step size: as in notebook 05's learning-rate section, a step too large for
# the curvature where it is taken overshoots. (With ReLU and the hinge cost, the curvature
# changes from place to place, as points cross the margin and neurons switch on or off.)
# Measured: the same training at a smaller η.

# %%
def rises(costs):
    return sum(1 for before, after in zip(costs, costs[1:]) if after > before)

calm_model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
calm = nn.fit(calm_model, X, Y, cost="hinge", l2=1e-4, lr=0.2, epochs=100, progress=False)
for lr, h, m in [(0.5, history, model), (0.2, calm, calm_model)]:
    print(f"η = {lr}: the cost rises at {rises(h.costs):>2} of {len(h.costs) - 1} steps;"
          f" after 100 steps cost {h.costs[-1]:.3f}, training accuracy {nn.accuracy(m, X, Y, 'hinge'):.0%}")
assert rises(history.costs) > 10 and rises(calm.costs) == 0
assert calm.costs[-1] > history.costs[-1]

# %% [markdown]
# At η = 0.2 the cost never rises, but after the same 100 steps it is higher: the larger
# steps overshoot now and then and still get further. The same trade-off as in notebook 05.

# %% [markdown]
# ## 2. Handwritten digits
#
# Each image is 8×8 pixels with values 0–16, scaled to [0, 1] and flattened to 64 inputs.
# `nn.datasets.digits()` splits them, with a fixed seed, into 1438 training and 359 test
# images.

# %%
data = nn.datasets.digits(seed=0)
print(len(data.X_train), "training images,", len(data.X_test), "test images")

fig, axes = plt.subplots(1, 10, figsize=(10, 1.3))
for digit, ax in enumerate(axes):
    i = data.y_train.index(digit)
    ax.imshow(np.reshape(data.X_train[i], (8, 8)), cmap="gray_r")
    ax.set(title=str(digit), xticks=[], yticks=[])

# %% [markdown]
# The network: 64 inputs → 32 tanh neurons → 10 linear outputs, one score per digit. The
# cost is the softmax **cross-entropy** (`cross_entropy`): the scores are turned into
# probabilities e^{zₖ} / Σⱼ e^{zⱼ}, and the cost is −ln of the probability given to the
# right digit. Its gradient for each score is (probability − 1 for the right digit,
# probability otherwise): the multi-class version of notebook 07's "δ = a − y".
#
# Mini-batches of 32 images, η = 0.3, 6 epochs; after every epoch `fit` measures the
# accuracy on the test images it never trains on (`validation=`).

# %%
digits_model = nn.MLP(64, [32, 10], activation="tanh", output_activation="linear", seed=0)
started = time.perf_counter()
digits_history = nn.fit(digits_model, data.X_train, data.y_train, cost="cross_entropy", lr=0.3,
                        epochs=6, batch_size=32, seed=0, validation=(data.X_test, data.y_test),
                        progress=False)
print(f"{digits_history.steps} steps in {digits_history.epochs} epochs, {time.perf_counter() - started:.1f} s")
for epoch, (train, test) in enumerate(zip(digits_history.accuracy, digits_history.val_accuracy), 1):
    print(f"epoch {epoch}: training accuracy {train:.1%}   test accuracy {test:.1%}")

# %% [markdown]
# Why is the training accuracy of epoch 1 **below** the test accuracy? They are not
# measured the same way. `fit` counts a training image as right or wrong when that image
# goes through the network during the epoch, so the first mini-batches of epoch 1 are
# judged by a network that has barely started learning; the test accuracy is measured
# after the epoch, with the weights as they are at its end. Measured the same way, with the
# final weights, the training images do better than the test images:

# %%
after_training = nn.accuracy(digits_model, data.X_train, data.y_train, "cross_entropy")
print(f"training accuracy during epoch 1: {digits_history.accuracy[0]:.1%} (weights moving)")
print(f"training accuracy during epoch {digits_history.epochs}: {digits_history.accuracy[-1]:.1%}")
print(f"training accuracy after training, final weights: {after_training:.1%}"
      f"   test accuracy, final weights: {digits_history.val_accuracy[-1]:.1%}")
assert digits_history.accuracy[0] < digits_history.val_accuracy[0]
assert after_training > digits_history.val_accuracy[-1]

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3))
left.plot(digits_history.costs, lw=0.8)
left.set(xlabel="step (mini-batch of 32)", ylabel="cost", title="Cross-entropy per mini-batch")
epochs = range(1, digits_history.epochs + 1)
right.plot(epochs, digits_history.accuracy, marker="o", label="training (during the epoch)")
right.plot(epochs, digits_history.val_accuracy, marker="o", label="test")
right.set(xlabel="epoch", ylabel="accuracy", title="Accuracy per epoch", ylim=(0.6, 1.0))
right.legend()
for ax in (left, right):
    ax.grid(True)
fig.tight_layout()

# %% [markdown]
# ### What does it get wrong?
#
# The predicted digit is the largest of the 10 scores. Here are some test images it
# misclassifies, with the model's guess and the true label.

# %%
test_scores = np.array([nn.predict(digits_model, x) for x in data.X_test])
guesses = test_scores.argmax(axis=1)
truth = np.array(data.y_test)
wrong = np.flatnonzero(guesses != truth)
test_accuracy = 1 - len(wrong) / len(truth)
print(f"test accuracy {test_accuracy:.1%}: {len(wrong)} of {len(truth)} wrong")
assert abs(test_accuracy - digits_history.val_accuracy[-1]) < 1e-12
assert test_accuracy >= 0.9

shown = wrong[:8]
fig, axes = plt.subplots(1, len(shown), figsize=(1.25 * len(shown), 1.6))
for ax, i in zip(np.atleast_1d(axes), shown):
    ax.imshow(np.reshape(data.X_test[i], (8, 8)), cmap="gray_r")
    ax.set(title=f"said {guesses[i]}\nwas {truth[i]}", xticks=[], yticks=[])

# %% [markdown]
# Some of these are hard even for a person at 8×8 pixels; others are plain mistakes of a
# network trained for 6 epochs.
#
# ## Summary
#
# * `nn.fit` trains any MLP by batch, stochastic or mini-batch gradient descent, with the
#   chain rule's gradients: by default from code generated from one sample's graph
#   (notebook 09: numpy matrix code, or straight-line Python for small networks), to about
#   1e-12 the numbers `backward()` computes (`backward="plain"` uses it), or, where no
#   generated code applies, `autograd.fast.backward`: the same bits.
# * Moons: a 2-16-16-1 ReLU network with hinge cost and L2 finds a curved boundary in 100
#   steps.
# * Digits: a 64-32-10 network with softmax cross-entropy gets above 90% on test images
#   in a few epochs.
#
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **08.1** How many parameters does the digits network have? Count by hand, then check
# with `len(digits_model.parameters())` if you like.

# %%
from nn import exercises

print(exercises.task("08.1"))
answer_08_1 = None
exercises.check("08.1", answer_08_1)

# %% [markdown]
# **08.2** How many steps (parameter updates) does a training of the givens' size take:
# all 1797 digits, mini-batches of 50, 4 epochs?

# %%
print(exercises.task("08.2"))
answer_08_2 = None
exercises.check("08.2", answer_08_2)

# %% [markdown]
# **08.3** The softmax cross-entropy gradient with respect to each score, for the scores
# and class in the givens.

# %%
print(exercises.task("08.3"))
answer_08_3 = None
exercises.check("08.3", answer_08_3)

# %% [markdown]
# Go back to any notebook, change a number, and watch what the gradients do. Next:
# [09 · Backprop as code](09_backprop_as_code.ipynb) writes a graph's backward pass out as
# plain Python.
