# %% [markdown]
# # 03 · One neuron, then two
#
# Training needs ∂C/∂w for every weight w. For a weight that enters a neuron
#
# z = w₁x₁ + w₂x₂ + b,  a = σ(z)
#
# (σ is the sigmoid, σ(z) = 1/(1 + e⁻ᶻ), as in the documents) the chain rule splits it in
# two factors:
#
# ∂C/∂w₁ = ∂z/∂w₁ · ∂C/∂z
#
# The first factor comes from the **forward pass**, the second from the **backward
# pass**. This notebook takes them one at a time on real numbers, using `nn`'s neurons,
# checks every number against an independent computation, and ends with the backward
# pass drawn as a network of its own.
#
# Notation (one table for all notebooks, in the [README](README.md), which also maps the
# engine's names to the maths): x is an input and y always a **target**; a neuron's output
# is a (a′, a″ for the next neurons); δ = ∂C/∂z; C is the cost of the one sample used
# here. Layers of neurons count from 1: layer 1 is `model.layers[0]`, which `nn`'s
# printouts and pictures call `L1`.

# %%
import math
import nn
import autograd
from autograd import Value
from autograd.graph import draw_graph
from nn import exercises

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
print("local derivatives of z (∂z/∂w₁, ∂z/∂w₂, ∂z/∂x₁, ∂z/∂x₂, ∂z/∂b):", neuron.z.local_grads())
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
# z′ = w₃·a + b′,  z″ = w₄·a + b″,  with outputs a′ = σ(z′), a″ = σ(z″)
#
# A small change in z changes a, which changes *both* z′ and z″, and both changes reach
# the cost. The chain rule adds the two paths:
#
# ∂C/∂z = σ′(z) · [ w₃ · ∂C/∂z′ + w₄ · ∂C/∂z″ ]
#
# Read it right to left: what the cost "thinks" of z′ and of z″, weighted by how strongly
# a feeds each of them, summed, then scaled by how much a responds to z, σ′(z).
#
# In `nn` that is `MLP(2, [1, 2])`: one neuron (layer 1, `L1`), then two (layer 2, `L2`), all sigmoids, with
# targets y = (1, 0) and C = ½[(a′ − y₁)² + (a″ − y₂)²].

# %%
model = nn.MLP(2, [1, 2], activation="sigmoid", output_activation="sigmoid")
first = model.layers[0].neurons[0]
first.w[0].data, first.w[1].data, first.b.data = 0.5, -0.2, 0.1
(n1, n2) = model.layers[1].neurons
n1.w[0].data, n1.b.data = 0.8, 0.2      # w₃, b′
n2.w[0].data, n2.b.data = -1.2, 0.3     # w₄, b″
target = [1.0, 0.0]                      # y₁, y₂

model.zero_grad()
outputs = model(x)
C = nn.quadratic_cost(outputs, target)
C.backward()
print(f"cost C = {C.data:.6f}")
print(nn.explain_delta(model, 0, 0))

# %% [markdown]
# `explain_delta(model, layer, j)` (index 0 is layer 1) reads the numbers off the graph after
# `backward`: σ′(z) from the forward pass, and for each neuron k of the next layer the
# weight w_kj and that neuron's δ_k. The product of σ′(z) and the bracket is the engine's
# `z.grad`.
#
# Let us redo the whole thing with plain floats, no engine, no `nn`:

# %%
z = 0.5 * x[0] - 0.2 * x[1] + 0.1;  a = sigmoid(z)
z1 = 0.8 * a + 0.2;   a1 = sigmoid(z1)     # z′, a′
z2 = -1.2 * a + 0.3;  a2 = sigmoid(z2)     # z″, a″
# output layer (case 1): ∂C/∂z′ = σ′(z′)·∂C/∂a′, with ∂C/∂a′ = a′ − y₁ for ½(a′ − y₁)²
d1 = a1 * (1 - a1) * (a1 - target[0])
d2 = a2 * (1 - a2) * (a2 - target[1])
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
# The whole network's graph is too big to read at page width, so we draw the part the
# formula is about, built from labelled Values: z (a leaf here, with the value the network
# computed), a = σ(z), and its two uses w₃·a and w₄·a. (The biases b′, b″ add nothing to
# the backward signal, so the drawing leaves them out.) The box of a has two edges out;
# its grad is drawn as the sum of what came back along them, w₃·∂C/∂z′ + w₄·∂C/∂z″, and
# the edge from z into `sigmoid` carries the local derivative σ′(z).

# %%
zv = Value(z, label="z")
av = zv.sigmoid();  av.label = "a"
w3, w4 = Value(0.8, label="w₃"), Value(-1.2, label="w₄")
z1v = w3 * av;  z1v.label = "w₃a"
z2v = w4 * av;  z2v.label = "w₄a"
a1v, a2v = (z1v + 0.2).sigmoid(), (z2v + 0.3).sigmoid()
Cv = 0.5 * ((a1v - target[0]) ** 2 + (a2v - target[1]) ** 2)
Cv.backward()
assert math.isclose(Cv.data, C.data, rel_tol=1e-12) and math.isclose(zv.grad, first.z.grad, rel_tol=1e-12)
picture = draw_graph([z1v, z2v], rankdir="TB")
picture

# %%
assert picture.svg().count(">sigmoid<") == 1   # drawn op by op, not collapsed

# %% [markdown]
# ## 3. Output layer or hidden layer?
#
# The formula needs ∂C/∂z′ and ∂C/∂z″. There are two cases.
#
# **Case 1: z′ and z″ are in the output layer.** Then a′ = σ(z′) is an output and
# ∂C/∂z′ = σ′(z′) · ∂C/∂a′, where ∂C/∂a′ comes straight from the cost (for ½(a′ − y₁)²
# it is a′ − y₁). That is what `explain_delta` prints for an output neuron:

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
# Here is a deeper network, 2 → 1 → 2 → 2 (layers 1, 2, 3), with the same kind of first
# neuron. Its δ now waits for two hidden δs, which in turn waited for two output δs.

# %%
deep = nn.MLP(2, [1, 2, 2], activation="sigmoid", output_activation="sigmoid", seed=3)
deep.zero_grad()
C_deep = nn.quadratic_cost(deep(x), target)
C_deep.backward()
for layer in (2, 1, 0):                    # the order backward works in: L3, L2, L1
    for j in range(len(deep.layers[layer].neurons)):
        print(nn.explain_delta(deep, layer, j), "\n")
assert nn.compare_with_autograd(deep, x, target, "quadratic") < 1e-12

# %% [markdown]
# How wasteful would the recursion from the front be? Here it is, written out: a neuron's
# δ asks for the δ of every neuron it feeds, which ask for theirs, and nothing is kept.
# We count the δs it computes, on this network and on two wider, deeper ones, against the
# one δ per neuron of the pass from the output back (the engine's, which we also check
# the numbers against).

# %%
def delta_from_the_front(model, l, j, dC_da, count):
    """δ of neuron j of model.layers[l], by recursing into the layers after it, remembering nothing."""
    count[0] += 1
    neuron = model.layers[l].neurons[j]
    gain = neuron.a.data * (1 - neuron.a.data)                 # σ′(z)
    if l == len(model.layers) - 1:
        return gain * dC_da[j]                                 # an output neuron (case 1)
    fed = model.layers[l + 1].neurons
    return gain * sum(n.w[j].data * delta_from_the_front(model, l + 1, k, dC_da, count)
                      for k, n in enumerate(fed))

for sizes in ([1, 2, 2], [4, 4, 4, 2], [8, 8, 8, 8, 2]):
    m = nn.MLP(2, sizes, activation="sigmoid", output_activation="sigmoid", seed=3)
    m.zero_grad()
    outs = m(x)
    nn.quadratic_cost(outs, target).backward()
    dC_da = [o.data - t for o, t in zip(outs, target)]
    count = [0]
    front = [[delta_from_the_front(m, l, j, dC_da, count) for j in range(len(layer.neurons))]
             for l, layer in enumerate(m.layers)]
    once = sum(sizes)
    print(f"2 → {' → '.join(map(str, sizes)):<13} from the front: {count[0]:>6} δs computed;"
          f"  from the output back: {once} ({count[0] / once:.0f}× less work)")
    assert max(abs(f - e) for fl, el in zip(front, nn.deltas(m)) for f, e in zip(fl, el)) < 1e-12
    assert count[0] > once

# %% [markdown]
# The recursion computes a neuron's δ once for every path from it to the output, and the
# number of paths multiplies with every layer; the pass from the output back computes each
# δ once, however deep the network.

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
# own, running from the output back to the input:
#
# * its inputs are ∂C/∂a for each output;
# * each neuron is an **amplifier** with gain σ′(z), a constant set by the forward pass;
# * the connections are the same weights, traversed backwards: layer l receives
#   (Wˡ⁺¹)ᵀ δˡ⁺¹, the transpose of the forward weight matrix.
#
# `reverse_network` below builds it from **any** sigmoid MLP, after a forward pass: one
# amplifier per neuron, one edge per weight. It knows nothing about the engine.

# %%
def reverse_network(model, dC_da):
    """The backward pass as a network: gains σ′(z) = a(1 − a) and edges Wᵀ, run from the output."""
    gains = [[n.a.data * (1 - n.a.data) for n in layer.neurons] for layer in model.layers]
    weights = [[[w.data for w in n.w] for n in layer.neurons] for layer in model.layers]
    deltas = [None] * len(model.layers)
    deltas[-1] = [g * s for g, s in zip(gains[-1], dC_da)]           # the output amplifiers
    for l in range(len(model.layers) - 2, -1, -1):
        W_next = weights[l + 1]                                       # row k: into neuron k of layer l + 1
        incoming = [sum(W_next[k][j] * deltas[l + 1][k] for k in range(len(W_next)))
                    for j in range(len(gains[l]))]                    # (Wˡ⁺¹)ᵀ δˡ⁺¹
        deltas[l] = [g * s for g, s in zip(gains[l], incoming)]      # through the amplifiers
    return gains, deltas

net = nn.MLP(2, [3, 3, 2], activation="sigmoid", output_activation="sigmoid", seed=5)
net.zero_grad()
outs = net(x)
nn.quadratic_cost(outs, target).backward()
gains, rev = reverse_network(net, [o.data - t for o, t in zip(outs, target)])
engine = nn.deltas(net)                     # every neuron's z.grad
worst = max(abs(r - e) for rl, el in zip(rev, engine) for r, e in zip(rl, el))
for l, (rl, el) in enumerate(zip(rev, engine)):
    print(f"L{l + 1}  reverse network δ: {[f'{v:+.6f}' for v in rl]}")
    print(f"    engine z.grad:       {[f'{v:+.6f}' for v in el]}")
print(f"largest difference over all {sum(map(len, rev))} neurons: {worst:.1e}")
assert worst < 1e-15

# %% [markdown]
# The two networks side by side, drawn from the same numbers. Left, the forward network:
# signals go **down**, from the inputs through each neuron's σ. Right, the reverse
# network: signals go **up**, entering at the bottom as ∂C/∂a, each triangle multiplying
# by its gain σ′(z), each edge by the same weight as its forward twin (thicker: larger
# |w|; red: negative). Every neuron sits at the same place in both, and every triangle
# shows the δ it outputs: the engine's `z.grad`.

# %%
import matplotlib.pyplot as plt
from matplotlib.patches import Circle, RegularPolygon

%config InlineBackend.figure_formats = ["png"]

def draw_pair(model, x, gains, deltas, dC_da):
    sizes = [len(x)] + [len(layer.neurons) for layer in model.layers]
    depth = len(sizes) - 1
    fig, (fwd, rev_ax) = plt.subplots(1, 2, figsize=(11, 6), dpi=80)

    def place(l, j):                                # layer l (0 = inputs), neuron j: left to right
        return 1.75 * (j - (sizes[l] - 1) / 2), -1.6 * l

    def wire(ax, start, end, w, upward):
        (x0, y0), (x1, y1) = (end, start) if upward else (start, end)
        ax.annotate("", xy=(x1, y1 + (-0.5 if upward else 0.45)), xytext=(x0, y0 + (0.45 if upward else -0.45)),
                    arrowprops=dict(arrowstyle="-|>", lw=0.6 + 1.2 * min(abs(w), 2), shrinkA=0, shrinkB=0,
                                    color="#c0392b" if w < 0 else "#2c5aa0", alpha=0.8))

    for l in range(1, depth + 1):
        for j, neuron in enumerate(model.layers[l - 1].neurons):
            for k, w in enumerate(neuron.w):
                wire(fwd, place(l - 1, k), place(l, j), w.data, upward=False)
                if l > 1:                           # the reverse network ends at L1's δ
                    wire(rev_ax, place(l - 1, k), place(l, j), w.data, upward=True)
    for k, xk in enumerate(x):
        cx, cy = place(0, k)
        fwd.text(cx, cy, f"x{k + 1} = {xk:g}", ha="center", va="center", fontsize=10,
                 bbox=dict(boxstyle="round", fc="white", ec="#6b7280"))
    for l in range(1, depth + 1):
        for j, neuron in enumerate(model.layers[l - 1].neurons):
            cx, cy = place(l, j)
            fwd.add_patch(Circle((cx, cy), 0.45, fc="white", ec="#374151"))
            fwd.text(cx, cy, f"L{l}.N{j}\na {neuron.a.data:.3f}", ha="center", va="center", fontsize=9)
            rev_ax.add_patch(RegularPolygon((cx, cy - 0.12), 3, radius=0.78, fc="#fde9c9", ec="#92400e"))
            rev_ax.text(cx, cy - 0.22, f"L{l}.N{j}\n×{gains[l - 1][j]:.3f}\nδ {deltas[l - 1][j]:+.3g}",
                        ha="center", va="center", fontsize=8)
    for j, g in enumerate(dC_da):                   # the reverse network's inputs, under the output layer
        cx, cy = place(depth, j)
        rev_ax.annotate("", xy=(cx, cy - 0.55), xytext=(cx, cy - 1.1), arrowprops=dict(arrowstyle="-|>", color="k"))
        rev_ax.text(cx, cy - 1.4, f"∂C/∂a{j + 1}\n{g:+.4f}", ha="center", va="center", fontsize=9,
                    bbox=dict(boxstyle="round", fc="white", ec="#6b7280"))
    fwd.set_title("forward: a = σ(W a + b), going down", fontsize=11)
    rev_ax.set_title("reverse: δ = σ′(z) ⊙ Wᵀδ, going up", fontsize=11)
    width = 1.75 * max(sizes) / 2 + 0.2
    for ax in (fwd, rev_ax):
        ax.set_xlim(-width, width)
        ax.set_ylim(-1.6 * depth - 1.9, 0.5)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.tight_layout()
    return fig

signal = [o.data - t for o, t in zip(outs, target)]
pair = draw_pair(net, x, gains, rev, signal)

# %%
shown = [t.get_text() for ax in pair.axes for t in ax.texts]
for layer in engine:                        # every δ the picture shows is the engine's, to 3 digits
    for v in layer:
        assert any(f"δ {v:+.3g}" in t for t in shown)

# %% [markdown]
# Because it is linear, scaling the signal that enters it scales every δ by the same
# factor. We can check that on the engine: a cost of 3C sends in 3·∂C/∂a, and every δ
# comes out three times bigger, while the forward pass, and so every gain, is unchanged.

# %%
before = [n.z.grad for layer in model.layers for n in layer.neurons]
model.zero_grad()
(3 * nn.quadratic_cost(model(x), target)).backward()
after = [n.z.grad for layer in model.layers for n in layer.neurons]
for b, c in zip(before, after):
    print(f"δ for C: {b:+.8f}    δ for 3C: {c:+.8f}    ratio {c / b:.12f}")
    assert math.isclose(c, 3 * b, rel_tol=1e-12)

# %% [markdown]
# ### Does each layer weaken the signal?
#
# A gain σ′(z) is at most 0.25 (at z = 0) and tiny when the neuron saturates (|z| large).
# But the signal also passes through the weights: in a chain of single sigmoid neurons,
# going back one layer multiplies δ by w·σ′(z). So it gets weaker only when |w|·σ′(z) < 1.
# We measure it on chains of six neurons, each with weight w and bias −w/2, so that every
# z is exactly 0 and every gain exactly 0.25:

# %%
def chain_deltas(w, depth=6):
    chain = nn.MLP(1, [1] * depth, activation="sigmoid", output_activation="sigmoid", seed=0)
    for layer in chain.layers:
        layer.neurons[0].w[0].data, layer.neurons[0].b.data = w, -w / 2
    chain.zero_grad()
    nn.quadratic_cost(chain([0.5]), 1.0).backward()
    return [layer.neurons[0].z.grad for layer in chain.layers]

for w in (1.0, 4.0, 10.0):
    ds = chain_deltas(w)
    ratios = [ds[l] / ds[l + 1] for l in range(len(ds) - 1)]
    print(f"w = {w:>4}: |δ| from L6 back to L1: {' '.join(f'{abs(v):.2e}' for v in reversed(ds))}"
          f"   each layer back × {ratios[0]:.2f}")
    assert all(math.isclose(r, w * 0.25, rel_tol=1e-12) for r in ratios)
assert abs(chain_deltas(10.0)[0]) > abs(chain_deltas(10.0)[-1])       # large weights: the signal grows

# %% [markdown]
# With w = 1 each layer back divides δ by 4; with w = 4 it stays the same size; with
# w = 10 it **grows** 2.5 times per layer. So "every sigmoid layer makes the signal four
# times weaker" is false in general. In a chain it holds when |w| ≤ 1 (then δ shrinks at
# least four times per layer, more when z is far from 0); in a wide layer each δ collects
# a sum over many weights, (Wᵀδ)ⱼ, which can be larger than any one of them. Small
# weights and saturated neurons make early layers of deep sigmoid networks learn slowly;
# large weights can make the signal explode instead. This chain is a sketch: notebook 07
# shows a cost that removes σ′ from the output layer's δ, and notebook 14, *Why deep
# networks are hard to train*, measures this shrinking and growing in real deep networks
# and what is done about it (other activations such as ReLU, the size of the first weights).
#
# ## Summary
#
# * ∂C/∂w = ∂z/∂w · ∂C/∂z; the forward pass gives ∂z/∂w = the input on w.
# * ∂C/∂z = σ′(z) · Σₖ wₖ · ∂C/∂zₖ over every neuron k that a feeds: the engine's
#   `grad +=` does that sum.
# * Output neurons get ∂C/∂z from the cost directly; hidden ones from the layer after
#   them, so we compute from the output backwards.
# * With the forward pass fixed, the backward pass is a linear network of amplifiers σ′(z)
#   joined by the transposed weights, run in reverse; each layer back scales δ by the
#   weights and the gains together.
#
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **03.1** Compute one δ by hand (plain floats, no engine): the first hidden neuron of the
# network in the givens.

# %%
print(exercises.task("03.1"))
answer_03_1 = None
exercises.check("03.1", answer_03_1)

# %% [markdown]
# **03.2** In a 1 → 1 → 1 sigmoid chain, how many times larger is the hidden neuron's δ
# than the output's, for the weight and z in the givens? Predict it, then check it with
# `chain_deltas`-style code if you like.

# %%
print(exercises.task("03.2"))
answer_03_2 = None
exercises.check("03.2", answer_03_2)

# %% [markdown]
# **03.3** Count the paths: in the network of the givens, how many different paths lead
# from the first hidden neuron's z to the output? That is how many products a sum over
# paths adds up for each of that neuron's weights, and why the reverse pass, which visits
# each neuron once, wins.

# %%
print(exercises.task("03.3"))
answer_03_3 = None
exercises.check("03.3", answer_03_3)

# %% [markdown]
# Next: [04 · The four equations](04_the_four_equations.ipynb).
