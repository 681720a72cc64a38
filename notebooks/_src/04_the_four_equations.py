# %% [markdown]
# # 04 · The four equations
#
# Notebook 03 followed δ = ∂C/∂z through single neurons. Written for whole layers, the
# same reasoning gives four equations, the classic statement of backpropagation. With
# zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = σ(zˡ) and δˡ = ∂C/∂zˡ for layer l (L is the last layer):
#
# **Layer numbers.** Here l counts layers of neurons as `nn`'s printouts do: l = 1 is `L1`,
# the first layer of neurons, held in `model.layers[0]`, and a⁰ = x is the input. Nielsen
# (and seed 001) counts the input as layer 1, so his superscripts are ours plus one: our
# W¹ (the weights of `model.layers[0]`) is his W². The equations read the same either way.
#
# | | equation | in words |
# |---|---|---|
# | **BP1** | δᴸ = ∇ₐC ⊙ σ′(zᴸ) | the output layer's δ: how the cost reacts to each output, times how the output reacts to its z |
# | **BP2** | δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ) | a layer's δ from the next layer's δ: back through the weights, then through σ |
# | **BP3** | ∂C/∂bˡⱼ = δˡⱼ | a bias's gradient is its neuron's δ |
# | **BP4** | ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ | a weight's gradient: the activation coming in, times the δ going out |
#
# Below we compute them with plain numpy arrays, right beside the scalar engine, on the
# same network, and then find each equation in the graph picture.

# %%
import math
import numpy as np
import nn
from autograd.graph import draw_graph

np.set_printoptions(precision=6, suppress=True)

# %% [markdown]
# ## A network and one sample
#
# 3 inputs → 4 → 3 → 2 outputs, sigmoid everywhere, quadratic cost C = ½‖a − y‖².

# %%
model = nn.MLP(3, [4, 3, 2], activation="sigmoid", output_activation="sigmoid", seed=4)
x = [0.3, -1.2, 0.8]
y = [1.0, 0.0]

model.zero_grad()
C = nn.quadratic_cost(model(x), y)
C.backward()
print(f"C = {C.data:.8f}")

# The weights and biases as numpy arrays: W[i][j, k] (i = l − 1, 0-based like model.layers)
# is the weight from neuron k of the layer before to neuron j of layer Lₗ.
W = [np.array([[w.data for w in n.w] for n in layer.neurons]) for layer in model.layers]
b = [np.array([n.b.data for n in layer.neurons]) for layer in model.layers]
print([w.shape for w in W])

# %% [markdown]
# ## The four equations, in numpy
#
# First the forward pass, keeping every z and a. Then BP1 for the last layer, BP2 going
# backwards, and BP3 / BP4 for the gradients. Nothing here touches a `Value`.

# %%
def sigmoid(z):
    return 1 / (1 + np.exp(-z))

a = [np.array(x)]
z = []
for Wl, bl in zip(W, b):
    z.append(Wl @ a[-1] + bl)
    a.append(sigmoid(z[-1]))
sigma_prime = [sigmoid(zl) * (1 - sigmoid(zl)) for zl in z]

L = len(W) - 1
delta = [None] * len(W)
delta[L] = (a[-1] - np.array(y)) * sigma_prime[L]                # BP1 (∇ₐC = a − y)
for l in range(L - 1, -1, -1):
    delta[l] = (W[l + 1].T @ delta[l + 1]) * sigma_prime[l]      # BP2
grad_b = [d for d in delta]                                     # BP3
grad_W = [np.outer(delta[l], a[l]) for l in range(len(W))]      # BP4: a[l] is aˡ, the input of layer L(l+1)
print("cost by hand:", 0.5 * np.sum((a[-1] - y) ** 2))

# %% [markdown]
# ## Side by side with the engine
#
# After `C.backward()` the engine holds δ as each neuron's `z.grad`, and the gradients as
# each weight's and bias's `grad`.

# %%
engine_delta = [np.array([n.z.grad for n in layer.neurons]) for layer in model.layers]
engine_b = [np.array([n.b.grad for n in layer.neurons]) for layer in model.layers]
engine_W = [np.array([[w.grad for w in n.w] for n in layer.neurons]) for layer in model.layers]

for l in range(len(W)):
    eq = "BP1" if l == L else "BP2"
    print(f"L{l + 1}  δ by {eq}: {delta[l]}")
    print(f"    δ engine:  {engine_delta[l]}")
print()
print(f"BP4 for L{L + 1}:\n", grad_W[L], "\nengine:\n", engine_W[L])

# %%
worst = max(
    max(np.max(np.abs(delta[l] - engine_delta[l])),
        np.max(np.abs(grad_b[l] - engine_b[l])),
        np.max(np.abs(grad_W[l] - engine_W[l])))
    for l in range(len(W))
)
print(f"largest difference between the four equations and the engine: {worst:.1e}")
assert worst < 1e-12

# %% [markdown]
# The engine never heard of these equations: it only knows local derivatives and
# `grad +=`. The equations are what that bookkeeping adds up to, layer by layer.
#
# `nn` has the same computation in plain Python floats, `nn.bp_equations`, and
# `nn.compare_with_autograd` that runs both and reports the largest difference. It also
# knows the cross-entropy costs, where only ∇ₐC in BP1 changes.

# %%
bp = nn.bp_equations(model, x, y, "quadratic")
assert np.allclose(bp.delta[0], delta[0], rtol=0, atol=1e-14)
for cost in ["quadratic", "binary_cross_entropy"]:
    print(f"{cost:22} largest difference {nn.compare_with_autograd(model, x, y, cost):.1e}")
    assert nn.compare_with_autograd(model, x, y, cost) < 1e-12

# %% [markdown]
# ## What the equations add up: a sum over paths
#
# Nudge one weight wˡⱼₖ by Δw. It changes aˡⱼ, which changes every neuron of the next
# layer, each of which changes every neuron of the one after, and so on to the cost.
# Seed 001 writes the result as a sum over every path from aˡⱼ to the output,
#
# ΔC ≈ Σ over paths j → q → … → m of ∂C/∂aᴸₘ · ∂aᴸₘ/∂aᴸ⁻¹ₙ ⋯ ∂aˡ⁺¹_q/∂aˡⱼ · ∂aˡⱼ/∂wˡⱼₖ · Δw,
#
# where each factor is one edge: ∂aˡ⁺¹_q/∂aˡⱼ = σ′(zˡ⁺¹_q)·wˡ⁺¹_qj, and
# ∂aˡⱼ/∂wˡⱼₖ = σ′(zˡⱼ)·aˡ⁻¹ₖ. Here is that sum for one weight of layer 1 (w¹₀₀, `w1` of `L1.N0`), path by path,
# from the numpy forward pass above; then the real ΔC of a nudge.

# %%
import itertools

from autograd import no_grad

model.zero_grad()                               # the engine's grads for the quadratic cost again
C = nn.quadratic_cost(model(x), y)
C.backward()
j, k = 0, 0                                     # the weight from input 0 into L1.N0
grad_a = a[-1] - np.array(y)                    # ∂C/∂aᴸ for ½‖a − y‖²
paths = []
for q, m in itertools.product(range(len(z[1])), range(len(z[2]))):   # through L2 neuron q, to output m
    factors = [sigma_prime[0][j] * a[0][k],             # ∂a¹ⱼ/∂w
               sigma_prime[1][q] * W[1][q, j],          # ∂a²_q/∂a¹ⱼ
               sigma_prime[2][m] * W[2][m, q],          # ∂a³ₘ/∂a²_q
               grad_a[m]]                               # ∂C/∂a³ₘ
    paths.append((q, m, np.prod(factors)))
    print(f"path L1.N{j} → L2.N{q} → L3.N{m}: {' × '.join(f'{f:+.4f}' for f in factors)} = {paths[-1][2]:+.3e}")
path_sum = sum(p for _, _, p in paths)
weight = model.layers[0].neurons[j].w[k]
print(f"sum over {len(paths)} paths: {path_sum:+.10e}   engine's grad: {weight.grad:+.10e}")

dw = 1e-5
kept = weight.data
weight.data = kept + dw
with no_grad():
    C_nudged = nn.quadratic_cost(model(x), y).data
weight.data = kept
print(f"nudge Δw = {dw:g}: real ΔC = {C_nudged - C.data:+.6e}, path sum × Δw = {path_sum * dw:+.6e}")
assert abs(path_sum - weight.grad) < 1e-15
assert math.isclose(C_nudged - C.data, path_sum * dw, rel_tol=1e-3)

# %% [markdown]
# Six paths, six products, one sum: the engine's grad. BP2 computes the same sum without
# listing the paths: it adds them up layer by layer, which is why it costs one pass
# instead of one product per path (and the number of paths grows like the product of the
# layer widths).
#
# ## A check you can read: every parameter, both ways
#
# The equations and the engine agree; both could still be wrong the same way. A central
# difference knows nothing of either: nudge one parameter by ±ε, rerun the forward pass,
# and divide the change in the cost by 2ε. Here it is for every parameter of a smaller
# network, 2 → 2 → 1, as a table. The rows are named as `model.named_parameters()` names
# them, counting from 0 as PyTorch does: `layers.0.neurons.0.w.0` is w¹₀₀, the weight the
# pictures label `w1` in `L1.N0` (the notebooks' README has the table of the three names).

# %%
small = nn.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=1)
xs, ys = [0.5, -1.0], 1.0
small.zero_grad()
nn.quadratic_cost(small(xs), ys).backward()

def cost_now():
    with no_grad():
        return nn.quadratic_cost(small(xs), ys).data

eps = 1e-6
print(f"{'parameter':24} {'autograd':>14} {'finite diff.':>14} {'difference':>11}")
rows = []
for name, p in small.named_parameters():
    kept = p.data
    p.data = kept + eps; up = cost_now()
    p.data = kept - eps; down = cost_now()
    p.data = kept
    numeric = (up - down) / (2 * eps)
    rows.append((name, p.grad, numeric))
    print(f"{name:24} {p.grad:+14.9f} {numeric:+14.9f} {abs(p.grad - numeric):11.1e}")
assert max(abs(g - n) for _, g, n in rows) < 1e-9

# %% [markdown]
# (The differences of 10⁻¹¹ or so are the finite difference's own error: rounding in
# C(θ ± ε), divided by a tiny 2ε. PyTorch's `gradcheck` and `autograd.gradcheck` do this
# comparison for you and raise on a mismatch.)
#
# ## Where each equation lives in the graph
#
# The graph of even a 2 → 2 → 1 network is too wide to read at page width, so we draw
# the smallest network that has every piece, 1 → 1 → 1, sigmoid, top to bottom, with the
# cost written out from labelled Values (target y, the factor ½). In `nn`, a neuron's z is
# one `dot` node with parents (weights…, inputs…, b), as in notebook 03, and σ is one `sigmoid` node.

# %%
from autograd import Value

tiny = nn.MLP(1, [1, 1], activation="sigmoid", output_activation="sigmoid", seed=6)
hidden, out = tiny.layers[0].neurons[0], tiny.layers[1].neurons[0]
for layer_number, n in ((1, hidden), (2, out)):
    n.w[0].label, n.b.label = f"w{'¹²'[layer_number - 1]}", f"b{'¹²'[layer_number - 1]}"
reference = nn.quadratic_cost(tiny([0.5]), 1.0).data   # nn's own cost, for comparison
y, half = Value(1.0, label="y"), Value(0.5, label="½")
a_out = tiny([Value(0.5, label="x")])
C_tiny = half * (a_out - y) ** 2
C_tiny.label = "C"
C_tiny.backward()
assert C_tiny.data == reference
picture = draw_graph(C_tiny, rankdir="TB", highlight=[out.z, hidden.a])
picture

# %%
import re

assert picture.svg().count(">dot<") == 2 and picture.svg().count(">sigmoid<") == 2   # every op drawn, none collapsed

# %% [markdown]
# Reading the picture from the bottom (the cost) up:
#
# * **BP1** is the path from C up to the output neuron's z (the lower double-bordered box):
#   the cost nodes produce ∇ₐC = a − y in the output's `a` box, and the edge from `z` into
#   `sigmoid` carries the local σ′(zᴸ). Their product is the grad in the `z` box: δᴸ.
# * **BP2** is what arrives at the hidden neuron's `a` (the upper double-bordered box): the
#   edge from it into the output's `dot` node has local derivative w² (the weight it is
#   multiplied by), so it delivers w²·δᴸ. With several neurons in the next layer there
#   would be one such edge per neuron, summed in the box: that sum is ((Wˡ⁺¹)ᵀδˡ⁺¹)ⱼ. The
#   `sigmoid` edge above it then multiplies by σ′(z¹).
# * **BP3** is the edge from a bias `b` into its `dot` node: local derivative 1, so the bias
#   receives exactly δ.
# * **BP4** is the edge from a weight into its `dot` node: its local derivative is the
#   input that weight multiplies, aˡ⁻¹ₖ, so the weight receives aˡ⁻¹ₖ·δ.
#
# Checked on the numbers of that picture:

# %%
import math

s_out = out.a.data * (1 - out.a.data)
assert math.isclose(out.z.grad, (out.a.data - 1.0) * s_out, rel_tol=1e-12)                      # BP1
s_hid = hidden.a.data * (1 - hidden.a.data)
assert math.isclose(hidden.z.grad, out.w[0].data * out.z.grad * s_hid, rel_tol=1e-12)            # BP2
assert out.b.grad == out.z.grad and hidden.b.grad == hidden.z.grad                                # BP3
assert math.isclose(out.w[0].grad, hidden.a.data * out.z.grad, rel_tol=1e-12)                   # BP4
assert math.isclose(hidden.w[0].grad, 0.5 * hidden.z.grad, rel_tol=1e-12)                       # BP4, a⁰ = x
print("BP1–BP4 hold on the drawn network")

# %% [markdown]
# ## Summary
#
# * BP1 starts the backward pass at the output, BP2 carries δ back one layer at a time,
#   BP3 and BP4 turn each δ into gradients for the biases and weights.
# * The scalar engine reproduces them to rounding error, without knowing them: they are
#   the chain rule organised by layer. A finite difference, parameter by parameter, agrees
#   with both.
# * In a graph: BP1 and BP2 are the paths that bring gradient into the z nodes; BP3 and
#   BP4 are the edges from b and w into the `dot` nodes.
#
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **04.1** Write BP2 in plain Python (lists, no numpy): given the next layer's weight
# matrix as a list of rows, its δs, and this layer's σ′(z), return this layer's δs.

# %%
from nn import exercises

print(exercises.task("04.1"))

def bp2(W_next, delta_next, sigma_prime):
    return None          # your code here

exercises.check("04.1", bp2)

# %% [markdown]
# **04.2** With BP1 and BP4, by hand: the gradient of one output weight of the network
# in the givens.

# %%
print(exercises.task("04.2"))
answer_04_2 = None
exercises.check("04.2", answer_04_2)

# %% [markdown]
# **04.3** Which layer number does Nielsen give the weights of `model.layers[1]`?

# %%
print(exercises.task("04.3"))
answer_04_3 = None
exercises.check("04.3", answer_04_3)

# %% [markdown]
# Next: [05 · Gradient descent](05_gradient_descent.ipynb) uses those gradients to learn.
