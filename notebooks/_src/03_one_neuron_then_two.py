# %% [markdown]
# # 03 · One neuron, then two
#
# Training needs ∂C/∂w for every weight w. For a weight that enters a neuron
#
# z = w₁x₁ + w₂x₂ + b,  a = σ(z)
#
# the chain rule splits it in two factors:
#
# ∂C/∂w₁ = ∂z/∂w₁ · ∂C/∂z
#
# The first factor comes from the **forward pass**, the second from the **backward
# pass**. This notebook takes them one at a time on real numbers, using `nn`'s neurons,
# and checks every number against an independent computation.

# %%
import math
import nn
import autograd
from autograd import Value
from autograd.graph import draw_graph

def sigmoid(z):
    return 1 / (1 + math.exp(-z))

# %% [markdown]
# ## 1. The forward pass gives ∂z/∂w: it is the input
#
# z is linear in each weight, so ∂z/∂w₁ = x₁ and ∂z/∂w₂ = x₂: whatever the input on
# that weight was. In `nn` a neuron's z is one `dot` node, whose local derivatives are
# exactly those inputs (then the weights, for the inputs, then 1 for the bias).

# %%
neuron = nn.Neuron(2, activation="sigmoid", name="N")
neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.5, -0.2, 0.1
x = [1.0, 2.0]
a = neuron(x)
print(f"z = {neuron.z.data:.4f}, a = σ(z) = {a.data:.4f}")
print("local derivatives of z (∂z/∂w1, ∂z/∂w2, ∂z/∂x1, ∂z/∂x2, ∂z/∂b):", neuron.z.local_grads())
assert neuron.z.local_grads()[:2] == tuple(x)

# %% [markdown]
# So once backward has found δ = ∂C/∂z, every weight's gradient is just input × δ.
# Take the cost C = ½(a − y)² with target y = 1:

# %%
C = nn.quadratic_cost(a, 1.0)
C.backward()
delta = neuron.z.grad
for i in range(2):
    print(f"∂C/∂w{i+1} = {neuron.w[i].grad:+.6f}   x{i+1}·δ = {x[i]} × {delta:+.6f} = {x[i] * delta:+.6f}")
    assert math.isclose(neuron.w[i].grad, x[i] * delta, rel_tol=1e-12)
print(f"∂C/∂b  = {neuron.b.grad:+.6f}   δ itself (the bias's input is 1)")

# %% [markdown]
# ## 2. The backward pass gives ∂C/∂z
#
# Now let our neuron's output a feed **two** neurons:
#
# z′ = w₃·a + b′,  z″ = w₄·a + b″
#
# A small change in z changes a, which changes *both* z′ and z″, and both changes reach
# the cost. The chain rule adds the two paths:
#
# ∂C/∂z = σ′(z) · [ w₃ · ∂C/∂z′ + w₄ · ∂C/∂z″ ]
#
# Read it right to left: what the cost "thinks" of z′ and of z″, weighted by how strongly
# a feeds each of them, summed, then scaled by how much a responds to z, σ′(z).
#
# In `nn` that is `MLP(2, [1, 2])`: one neuron, then two, all sigmoids.

# %%
model = nn.MLP(2, [1, 2], activation="sigmoid", output_activation="sigmoid")
first = model.layers[0].neurons[0]
first.w[0].data, first.w[1].data, first.b.data = 0.5, -0.2, 0.1
(n1, n2) = model.layers[1].neurons
n1.w[0].data, n1.b.data = 0.8, 0.2      # w3, b'
n2.w[0].data, n2.b.data = -1.2, 0.3     # w4, b''
target = [1.0, 0.0]

model.zero_grad()
outputs = model(x)
C = nn.quadratic_cost(outputs, target)
C.backward()
print(f"cost C = {C.data:.6f}")
print(nn.explain_delta(model, 0, 0))

# %% [markdown]
# `explain_delta(model, layer, j)` reads the numbers off the graph after `backward`:
# σ′(z) from the forward pass, and for each neuron k of the next layer the weight w_kj
# and that neuron's δ_k. The product of σ′(z) and the bracket is the engine's
# `z.grad`.
#
# Let us redo the whole thing with plain floats, no engine, no `nn`:

# %%
z = 0.5 * x[0] - 0.2 * x[1] + 0.1;  a = sigmoid(z)
z1 = 0.8 * a + 0.2;   y1 = sigmoid(z1)     # z′
z2 = -1.2 * a + 0.3;  y2 = sigmoid(z2)     # z″
# output layer (case 1): ∂C/∂z′ = σ′(z′)·∂C/∂y₁, with ∂C/∂y₁ = y₁ − target₁ for ½(y − t)²
d1 = y1 * (1 - y1) * (y1 - target[0])
d2 = y2 * (1 - y2) * (y2 - target[1])
d = a * (1 - a) * (0.8 * d1 + (-1.2) * d2)
print(f"by hand: ∂C/∂z′ = {d1:+.8f}  ∂C/∂z″ = {d2:+.8f}  ∂C/∂z = {d:+.8f}")
print(f"engine:  ∂C/∂z′ = {n1.z.grad:+.8f}  ∂C/∂z″ = {n2.z.grad:+.8f}  ∂C/∂z = {first.z.grad:+.8f}")

explained = nn.explain_delta(model, 0, 0)
assert math.isclose(explained.recomputed, first.z.grad, rel_tol=1e-12)
for got, want in [(n1.z.grad, d1), (n2.z.grad, d2), (first.z.grad, d)]:
    assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-15)

# %% [markdown]
# ### In the picture
#
# The red boxes are our neuron's z and a. The box of a has two edges out, one into each
# of the next neurons' `dot` nodes; its grad is drawn as the sum of what came back along
# them: w₃·∂C/∂z′ and w₄·∂C/∂z″. One step further back, the edge from z to a is labelled
# with the local derivative σ′(z).

# %%
draw_graph(C, highlight=[first.z, first.a])

# %% [markdown]
# ## 3. Output layer or hidden layer?
#
# The formula needs ∂C/∂z′ and ∂C/∂z″. There are two cases.
#
# **Case 1: z′ and z″ are in the output layer.** Then y₁ = σ(z′) is an output and
# ∂C/∂z′ = σ′(z′) · ∂C/∂y₁, where ∂C/∂y₁ comes straight from the cost (for ½(y − t)² it
# is y − t). That is what `explain_delta` prints for an output neuron:

# %%
print(nn.explain_delta(model, 1, 0))
print(nn.explain_delta(model, 1, 1))

# %% [markdown]
# **Case 2: they are hidden.** Then ∂C/∂z′ needs the δs of the layer after it, and so
# on. Computed from the front this would be a recursion that visits the same neurons over
# and over. Computed **from the output layer backwards** each δ is needed only once and is
# ready when it is needed: the output δs first (case 1), then the layer before, then the
# one before that. That is exactly the reverse topological order `backward()` uses.
#
# Here is a deeper network, 2 → 1 → 2 → 2, with the same first neuron. Its δ now waits
# for two hidden δs, which in turn waited for two output δs.

# %%
deep = nn.MLP(2, [1, 2, 2], activation="sigmoid", output_activation="sigmoid", seed=3)
deep.zero_grad()
C_deep = nn.quadratic_cost(deep(x), target)
C_deep.backward()
for layer in (2, 1, 0):                    # the order backward works in
    for j in range(len(deep.layers[layer].neurons)):
        print(nn.explain_delta(deep, layer, j), "\n")
assert nn.compare_with_autograd(deep, x, target, "quadratic") < 1e-12

# %% [markdown]
# (`compare_with_autograd` recomputes every δ and gradient of the network with the
# layer-by-layer equations of the next notebook, in plain floats, and returns the largest
# difference from the engine.)
#
# ## 4. The backward pass is a network too, run in reverse
#
# Look at the formulas once the forward pass is done. σ′(z) for every neuron is now a
# fixed number, and so is every weight. What remains is **linear**: each δ is a weighted
# sum of the δs after it, times a constant. So the backward pass is a network of its
# own, running from right to left:
#
# * its inputs are ∂C/∂y for each output;
# * each neuron is an **amplifier** with gain σ′(z), a constant set by the forward pass;
# * the connections are the same weights, traversed backwards.
#
# Let us build that reversed network in plain floats for `MLP(2, [1, 2])` and feed it
# the cost's ∂C/∂y.

# %%
gains = {"z": a * (1 - a), "z′": y1 * (1 - y1), "z″": y2 * (1 - y2)}   # from the forward pass
print("amplifier gains σ′:", {k: round(v, 5) for k, v in gains.items()})

def reversed_network(dC_dy1, dC_dy2):
    delta1 = gains["z′"] * dC_dy1
    delta2 = gains["z″"] * dC_dy2
    return gains["z"] * (0.8 * delta1 + (-1.2) * delta2)

signal = (y1 - target[0], y2 - target[1])
print(f"reversed network: δ = {reversed_network(*signal):+.8f}   engine: {first.z.grad:+.8f}")
assert math.isclose(reversed_network(*signal), first.z.grad, rel_tol=1e-12)

# %% [markdown]
# Because it is linear, scaling the signal that enters it scales every δ by the same
# factor. We can check that on the engine: a cost of 3C sends in 3·∂C/∂y, and every δ
# comes out three times bigger, while the forward pass, and so every gain, is unchanged.

# %%
before = [neuron.z.grad for layer in model.layers for neuron in layer.neurons]
model.zero_grad()
(3 * nn.quadratic_cost(model(x), target)).backward()
after = [neuron.z.grad for layer in model.layers for neuron in layer.neurons]
for b, c in zip(before, after):
    print(f"δ for C: {b:+.8f}    δ for 3C: {c:+.8f}    ratio {c / b:.12f}")
    assert math.isclose(c, 3 * b, rel_tol=1e-12)

# %% [markdown]
# A small gain is a weak amplifier. σ′(z) is at most 0.25 (at z = 0) and tiny when the
# neuron saturates (|z| large), so every sigmoid layer the signal passes through backwards
# makes it at least four times weaker. That is why deep sigmoid networks learn slowly in
# their first layers, and one reason other activations and costs exist (notebook 07).
#
# ## Summary
#
# * ∂C/∂w = ∂z/∂w · ∂C/∂z; the forward pass gives ∂z/∂w = the input on w.
# * ∂C/∂z = σ′(z) · Σₖ wₖ · ∂C/∂zₖ over every neuron k that a feeds: the engine's
#   `grad +=` does that sum.
# * Output neurons get ∂C/∂z from the cost directly; hidden ones from the layer after
#   them, so we compute from the output backwards.
# * With the forward pass fixed, the backward pass is a linear network of amplifiers σ′(z),
#   run in reverse.
#
# Next: [04 · The four equations](04_the_four_equations.ipynb).
