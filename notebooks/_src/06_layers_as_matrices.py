# %% [markdown]
# # 06 · Layers as matrices
#
# The scalar engine sees a network as thousands of tiny nodes. Practical libraries see
# it as a few **layers**, each a matrix operation with its own small backward rule. This
# notebook derives those rules and checks them, number by number, against the scalar
# engine's gradients.
#
# Two layer types are enough for a classic network:
#
# | layer | forward | backward (given `out_diff` = ∂C/∂out) |
# |-------|---------|-----------------------------------------|
# | affine | z = W·a + b | `in_diff` = Wᵀ·out_diff, `W_diff` = out_diff·aᵀ, `b_diff` = out_diff |
# | sigmoid | out = σ(z) | `in_diff` = out_diff ⊙ out ⊙ (1 − out) |
#
# (⊙ is the element-wise product.) Everything here uses only the engine and numpy.
#
# **In the words of notebook 04.** `out_diff` is "∂C/∂(this layer's output)": for an affine
# layer that is ∂C/∂z = **δ**. An affine layer's `in_diff` (Wᵀδ) followed by the previous
# sigmoid layer's `in_diff` (⊙ σ′) is **BP2**; `W_diff` = δ·aᵀ is **BP4** and `b_diff` = δ
# is **BP3**. One difference of notation: seed 003 (following the UFLDL tutorial) numbers
# weights by the layer they come **from**, z⁽ˡ⁺¹⁾ = W⁽ˡ⁾a⁽ˡ⁾ + b⁽ˡ⁾, while Nielsen and
# notebook 04 number them by the layer they go **to**, zˡ = Wˡaˡ⁻¹ + bˡ. Same matrices,
# index shifted by one; below we simply call them W1 (into the hidden layer) and W2.

# %%
import numpy as np
import autograd
from autograd import Value

rng = np.random.default_rng(6)

# %% [markdown]
# ## A trick for deriving matrix gradients: pretend they are scalars, then fix the shapes
#
# For one sample, z = W·a + b with W of shape (m, n), a of shape (n,), z of shape (m,).
# Treated as scalars, the chain rule says
#
# * ∂C/∂a = W · ∂C/∂z, ∂C/∂W = ∂C/∂z · a, ∂C/∂b = ∂C/∂z.
#
# Now make the shapes agree. ∂C/∂a must have a's shape (n,), and the only way to get it
# from W (m, n) and ∂C/∂z (m,) is **Wᵀ · ∂C/∂z**. ∂C/∂W must have W's shape (m, n): the
# **outer product ∂C/∂z · aᵀ**. This "dimension compatibility" rule (reorder and
# transpose until the product is defined and has the right shape) gives the right answer
# for these layers, and a quick element-wise check confirms it:
# ∂C/∂W_jk = ∂C/∂z_j · a_k, exactly the (j, k) entry of the outer product.
#
# ## A small network, in both worlds
#
# 3 inputs → affine(4) → sigmoid → affine(2) → sigmoid, quadratic cost
# C = (1/5) Σ_samples ½ Σ_outputs (out − y)², the average over a batch of 5 samples, as in
# every notebook. (Seed 003's layers work with the total loss, the sum over the batch, n·C
# in our notation; the only difference is the 1/5, which here enters once, at the start
# of the backward pass: out_diff = (A − Y)/5. The layers themselves are the same.)

# %%
n_in, n_hidden, n_out, batch = 3, 4, 2, 5
W1 = rng.normal(size=(n_hidden, n_in)); b1 = rng.normal(size=n_hidden)
W2 = rng.normal(size=(n_out, n_hidden)); b2 = rng.normal(size=n_out)
X = rng.normal(size=(batch, n_in))          # rows are samples
Y = rng.uniform(size=(batch, n_out))
print("W1", W1.shape, " W2", W2.shape, " X", X.shape, " Y", Y.shape)

# %% [markdown]
# ### The scalar engine: one Value per weight, one graph for the whole batch
#
# `autograd.dot(w, x, b)` builds a neuron's z = Σ wᵢxᵢ + b as a single node.

# %%
def as_values(matrix, name):
    return [[Value(float(v), label=f"{name}[{j},{k}]") for k, v in enumerate(row)]
            for j, row in enumerate(np.atleast_2d(matrix))]

vW1, vW2 = as_values(W1, "W1"), as_values(W2, "W2")
vb1, vb2 = as_values(b1, "b1")[0], as_values(b2, "b2")[0]

def layer(W, b, inputs, keep=None):
    zs = [autograd.dot(W[j], inputs, b[j]) for j in range(len(W))]
    if keep is not None:
        keep.append(zs)                      # the z Values, to read their grads (δ) later
    return [z.sigmoid() for z in zs]

terms, hidden_a, hidden_z, output_z = [], [], [], []
for x_row, y_row in zip(X, Y):
    hidden = layer(vW1, vb1, [float(v) for v in x_row], keep=hidden_z)
    hidden_a.append(hidden)
    output = layer(vW2, vb2, hidden, keep=output_z)
    terms += [0.5 * (o - float(t)) ** 2 for o, t in zip(output, y_row)]
C = autograd.sum(terms) * (1 / batch)       # the average over the batch
C.backward()
print(f"cost C = {C.data:.6f}")

engine_W1 = np.array([[v.grad for v in row] for row in vW1])
engine_W2 = np.array([[v.grad for v in row] for row in vW2])
engine_b1 = np.array([v.grad for v in vb1])
engine_b2 = np.array([v.grad for v in vb2])

# %% [markdown]
# ### The layer-wise way: numpy, whole batch at once
#
# With samples as **rows**, one sample's column-vector formulas turn into:
#
# * forward: Z = A·Wᵀ + b (each row is W·a + b for one sample);
# * `W_diff` = out_diffᵀ · A, which is Σ over samples of out_diff · aᵀ: the batch sum happens
#   inside the matrix product;
# * `b_diff` = out_diff summed over the rows;
# * `in_diff` = out_diff · W, each row being Wᵀ · out_diff for one sample.

# %%
def sigmoid(z):
    return 1 / (1 + np.exp(-z))

class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
    def forward(self, A):
        self.A = A
        return A @ self.W.T + self.b
    def backward(self, out_diff):
        self.W_diff = out_diff.T @ self.A
        self.b_diff = out_diff.sum(axis=0)
        return out_diff @ self.W

class Sigmoid:
    def forward(self, Z):
        self.out = sigmoid(Z)
        return self.out
    def backward(self, out_diff):
        return out_diff * self.out * (1 - self.out)

layers = [Affine(W1, b1), Sigmoid(), Affine(W2, b2), Sigmoid()]
A = X
for lay in layers:
    A = lay.forward(A)
cost = 0.5 * np.sum((A - Y) ** 2) / batch

diff = (A - Y) / batch              # ∂C/∂out for the quadratic cost, averaged over the batch
diffs = {}                          # what each layer hands back: its in_diff
for i in reversed(range(len(layers))):
    diff = layers[i].backward(diff)
    diffs[i] = diff
print(f"cost C = {cost:.6f}  (engine: {C.data:.6f})")

# %% [markdown]
# ## Number by number

# %%
def compare(name, matrix, engine):
    worst = np.max(np.abs(matrix - engine))
    print(f"{name:3} shape {str(matrix.shape):7} largest difference {worst:.1e}")
    return worst

worst = max(
    compare("W1", layers[0].W_diff, engine_W1),
    compare("b1", layers[0].b_diff, engine_b1),
    compare("W2", layers[2].W_diff, engine_W2),
    compare("b2", layers[2].b_diff, engine_b2),
)
assert np.isclose(cost, C.data, rtol=1e-12)
assert worst < 1e-12

# %%
print("W2_diff from the matrix formula:\n", np.round(layers[2].W_diff, 6))
print("W2 grads from the scalar engine:\n", np.round(engine_W2, 6))

# %% [markdown]
# ### The diffs in between, against the engine's grads
#
# Not only the weight gradients match. Each layer's `in_diff` is a gradient the scalar
# engine also holds, one row per sample: the sigmoid layers' in_diff are the δs (the
# grads of the z nodes), and the second affine layer's in_diff is ∂C/∂a of the hidden
# layer (the grads of the hidden `a` Values).

# %%
engine_hidden_a = np.array([[a.grad for a in row] for row in hidden_a])
engine_delta1 = np.array([[z.grad for z in row] for row in hidden_z])
engine_delta2 = np.array([[z.grad for z in row] for row in output_z])
checks = [
    ("δ2 = Sigmoid in_diff (BP1)", diffs[3], engine_delta2),
    ("∂C/∂a1 = Affine2 in_diff = δ2·W2", diffs[2], engine_hidden_a),
    ("δ1 = Sigmoid in_diff (BP2)", diffs[1], engine_delta1),
]
for name, matrix, engine in checks:
    print(f"{name:34} shape {matrix.shape}  largest difference {np.max(np.abs(matrix - engine)):.1e}")
    assert np.max(np.abs(matrix - engine)) < 1e-12
# BP4 by name: W_diff is Σ over samples of δ·aᵀ
assert np.allclose(layers[2].W_diff, sum(np.outer(d, a) for d, a in zip(diffs[3], layers[2].A)), atol=1e-12)

# %% [markdown]
# ## The batch sum, made visible
#
# The matrix product out_diffᵀ·A hides a sum over samples. Compute each sample's
# gradient separately (one backward per sample in the engine), add them and divide by 5:
# the result is the same matrix. This is C = (1/n) Σₓ Cₓ, so ∂C/∂w = (1/n) Σₓ ∂Cₓ/∂w.

# %%
per_sample = []
for x_row, y_row in zip(X, Y):
    for v in [*sum(vW1, []), *sum(vW2, []), *vb1, *vb2]:
        v.grad = 0.0
    out = layer(vW2, vb2, layer(vW1, vb1, [float(v) for v in x_row]))
    Cx = autograd.sum([0.5 * (o - float(t)) ** 2 for o, t in zip(out, y_row)])   # one sample's loss
    Cx.backward()
    per_sample.append(np.array([[v.grad for v in row] for row in vW2]))

print("largest |(1/5)·Σ per-sample W2 grads − W_diff| =",
      f"{np.max(np.abs(sum(per_sample) / batch - layers[2].W_diff)):.1e}")
assert np.allclose(sum(per_sample) / batch, layers[2].W_diff, atol=1e-12)

# %% [markdown]
# ## The sigmoid layer's rule, derived
#
# σ′(z) = σ(z)(1 − σ(z)), so the sigmoid layer needs nothing but its own output to pass
# gradients back: in_diff = out_diff ⊙ out ⊙ (1 − out). A central difference confirms the
# identity on a few points.

# %%
z = np.array([-3.0, -0.5, 0.0, 0.7, 4.0])
numeric = (sigmoid(z + 1e-6) - sigmoid(z - 1e-6)) / 2e-6
print("numeric σ′:", np.round(numeric, 8))
print("out(1−out):", np.round(sigmoid(z) * (1 - sigmoid(z)), 8))
assert np.allclose(numeric, sigmoid(z) * (1 - sigmoid(z)), atol=1e-9)

# %% [markdown]
# ## Summary
#
# * A layer's backward rule follows from the scalar chain rule plus shape bookkeeping:
#   in_diff = Wᵀ·out_diff, W_diff = out_diff·aᵀ, b_diff = out_diff; a sigmoid layer
#   multiplies by out ⊙ (1 − out).
# * With a batch in the rows, the products sum over samples automatically.
# * `out_diff` of an affine layer is δ; its in_diff and the sigmoid's in_diff together are
#   BP2, W_diff is BP4 and b_diff BP3. Every diff in between is a grad the engine holds too.
# * The scalar engine computes the very same numbers, just one multiplication at a time,
#   which is slower but lets you look at every one of them.
#
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **06.1** The shape of an affine layer's `W_diff`, for the layer and batch in the givens.

# %%
from nn import exercises

print(exercises.task("06.1"))
answer_06_1 = None
exercises.check("06.1", answer_06_1)

# %% [markdown]
# **06.2** Write an affine layer's backward pass with numpy, for a batch in the rows
# (without looking at the `Affine` class above, if you can).

# %%
print(exercises.task("06.2"))

def affine_backward(W, A, out_diff):
    return None          # your code here: (in_diff, W_diff, b_diff)

exercises.check("06.2", affine_backward)

# %% [markdown]
# **06.3** A sigmoid layer's `in_diff`, by hand, for the numbers in the givens.

# %%
print(exercises.task("06.3"))
answer_06_3 = None
exercises.check("06.3", answer_06_3)

# %% [markdown]
# Next: [07 · Costs and regularisation](07_costs_and_regularisation.ipynb).
