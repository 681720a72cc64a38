# %% [markdown]
# # 04 · The four equations
#
# Notebook 03 followed δ = ∂C/∂z through single neurons. Written for whole layers, the
# same reasoning gives four equations, the classic statement of backpropagation. With
# zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = σ(zˡ) and δˡ = ∂C/∂zˡ for layer l (L is the last layer):
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

# The weights and biases as numpy arrays: W[l][j, k] is weight from neuron k of the layer
# before to neuron j of layer l.
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
grad_W = [np.outer(delta[l], a[l]) for l in range(len(W))]      # BP4 (a[l] is the layer's input)
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
    print(f"layer {l + 1}  δ by {eq}: {delta[l]}")
    print(f"         δ engine:  {engine_delta[l]}")
print()
print("BP4, layer 3:\n", grad_W[L], "\nengine:\n", engine_W[L])

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
# ## Where each equation lives in the graph
#
# A network small enough to draw: 2 inputs → 2 → 1, sigmoid. In `nn`, a neuron's z is
# one `dot` node with parents (w₁, w₂, inputs…, b), and σ is one `sigmoid` node.

# %%
small = nn.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=1)
C_small = nn.quadratic_cost(small([0.5, -1.0]), 1.0)
C_small.backward()
hidden, out = small.layers[0].neurons[1], small.layers[1].neurons[0]
draw_graph(C_small, highlight=[out.z, hidden.a])

# %% [markdown]
# Reading the picture from the right:
#
# * **BP1** is the path from the cost back to the output neuron's z (red box on the right):
#   the cost nodes produce ∇ₐC in the output's `a` box, and the edge from `z` to
#   `sigmoid` carries local σ′(zᴸ). Their product is the grad in the `z` box: δᴸ.
# * **BP2** is what arrives at a hidden neuron's `a` (red box on the left): the edge from
#   it into the output's `dot` node has local derivative w (the weight it is multiplied by),
#   so it delivers w·δ. With several neurons in the next layer there would be one such edge
#   per neuron, summed in the box: that sum is (Wᵀδ)ⱼ. The `sigmoid` edge then multiplies
#   by σ′(z).
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
assert math.isclose(hidden.z.grad, out.w[1].data * out.z.grad * s_hid, rel_tol=1e-12)            # BP2
assert out.b.grad == out.z.grad and hidden.b.grad == hidden.z.grad                                # BP3
assert math.isclose(out.w[1].grad, hidden.a.data * out.z.grad, rel_tol=1e-12)                   # BP4
print("BP1–BP4 hold on the drawn network")

# %% [markdown]
# ## Summary
#
# * BP1 starts the backward pass at the output, BP2 carries δ back one layer at a time,
#   BP3 and BP4 turn each δ into gradients for the biases and weights.
# * The scalar engine reproduces them to rounding error, without knowing them: they are
#   the chain rule organised by layer.
# * In a graph: BP1 and BP2 are the paths that bring gradient into the z nodes; BP3 and
#   BP4 are the edges from b and w into the `dot` nodes.
#
# Next: [05 · Gradient descent](05_gradient_descent.ipynb) uses those gradients to learn.
