# %% [markdown]
# # 11 · Convolution
#
# A dense layer gives every neuron its own weight for every input. A **convolution**
# slides one small set of weights, a **kernel**, over the whole input: the same weights
# are used at every position. Nothing new is needed to differentiate it. A weight used
# at many places is a Value with many out-edges, and notebook 01 showed what backward
# does with those: it **adds up** one contribution per edge. This notebook shows that
# sum, then writes the same computation as matrices (the layer form of notebook 06), and
# ends with a small convolutional network on the 8×8 digits of notebook 08, measured
# against the MLP.
#
# 1. a 1-D convolution by hand, and a shared weight's gradient as a sum over positions,
# 2. the picture of that sum for a 2-D kernel,
# 3. im2col: the convolution as one matrix product, every shape written out,
# 4. the layer form (in_diff, W_diff, b_diff) against the engine and PyTorch,
# 5. max-pooling, and where it sends δ,
# 6. a CNN against the 64-32-10 MLP on the digits, through `fit`.

# %%
import time

import torch

import nn
from autograd import Value

torch.set_num_threads(1)  # the scalar engine uses one core: compare like with like

# %% [markdown]
# ## 1. A 1-D convolution by hand
#
# A signal x₀ … x₄ and a kernel of two weights w₀, w₁ and a bias b. Output i reads the
# window (xᵢ, xᵢ₊₁):
#
# zᵢ = w₀·xᵢ + w₁·xᵢ₊₁ + b,  for i = 0, 1, 2, 3
#
# Four outputs, and every one of them uses w₀. `nn.Conv1d(1, 1, 2)` computes exactly
# this (one input channel, one output channel, kernel size 2). We set its weights by hand:

# %%
conv1 = nn.Conv1d(1, 1, 2, activation="linear", name="K")
w0, w1 = conv1.kernels[0].w
b = conv1.kernels[0].b
w0.data, w1.data, b.data = 0.5, -1.0, 0.25
x = [2.0, 1.0, -1.0, 3.0, 0.0]

z = conv1([x])[0]  # one channel in, one channel out
by_hand = [0.5 * x[i] - 1.0 * x[i + 1] + 0.25 for i in range(4)]
print("z by the engine:", [v.data for v in z])
print("z by hand:      ", by_hand)
assert [v.data for v in z] == by_hand

# %% [markdown]
# Take a cost, C = ½ Σᵢ (zᵢ − yᵢ)², and run backward. δᵢ = ∂C/∂zᵢ = zᵢ − yᵢ. Since
# ∂zᵢ/∂w₀ = xᵢ, the chain rule along each of w₀'s four out-edges gives δᵢ·xᵢ, and
# backward adds them:
#
# ∂C/∂w₀ = δ₀x₀ + δ₁x₁ + δ₂x₂ + δ₃x₃ ,   ∂C/∂w₁ = δ₀x₁ + δ₁x₂ + δ₂x₃ + δ₃x₄

# %%
y = [1.0, 0.0, 1.0, 0.0]
cost = nn.quadratic_cost(z, y)
cost.backward()
delta = [v.grad for v in z]
terms = [d * x[i] for i, d in enumerate(delta)]
print("δ =", delta)
print("terms δᵢ·xᵢ =", terms, " sum =", sum(terms))
print("w0.grad =", w0.grad)
assert w0.grad == sum(terms)
assert w1.grad == sum(d * x[i + 1] for i, d in enumerate(delta))
assert b.grad == sum(delta)  # the bias is shared too: ∂C/∂b = Σ δᵢ

# %% [markdown]
# ## 2. The picture: one weight, nine positions
#
# One channel, a 4×4 input, one 2×2 kernel: the kernel fits at 3 × 3 = 9 positions, so
# each kernel weight is used 9 times. The whole graph is too dense to read; `shared_weight_picture` draws the part one weight touches:
# the weight w[0][0][0] (channel 0, kernel row 0, column 0), and at every position the
# product w·x it adds to that position's z. Each edge from the weight is labelled with
# the chain rule, local x × upstream δ = contribution, and the weight's box shows its
# grad as the sum of the nine. (The input boxes' grads count only this weight's part.)

# %%
from nn.conv_picture import shared_weight_picture

conv = nn.Conv2d(1, 1, 2, activation="linear", name="C1")
for w, value in zip(conv.kernels[0].w, [1.0, -1.0, 0.0, 2.0]):
    w.data = value
image = [[[float((i + 2 * j) % 4) for j in range(4)] for i in range(4)]]
out = conv(image)
nn.quadratic_cost([v for row in out[0] for v in row], [1.0] * 9).backward()
picture = shared_weight_picture(conv)
picture

# %%
weight = conv.kernels[0].w[0]
contributions = [conv.x[0][i][j].data * conv.z[0][i][j].grad for i in range(3) for j in range(3)]
print("the nine contributions:", contributions)
print("their sum:", sum(contributions), "  the weight's grad in the real network:", weight.grad)
assert weight.grad == sum(contributions)

# %% [markdown]
# ## 3. im2col: a convolution is a matrix product
#
# Write every window as a column: for an input of C channels and a kh × kw kernel, a
# window holds C·kh·kw numbers, and there are H_out·W_out windows. That is the **patch
# matrix** `cols`, of shape (C·kh·kw) × (H_out·W_out). Put the O kernels as the rows of
# a matrix W of shape O × (C·kh·kw) (row o is `kernels[o].w`, in the same order). Then
#
# Z = W · cols + b,   shapes: (O × C·kh·kw) · (C·kh·kw × H_out·W_out) = O × H_out·W_out
#
# The inner sizes match, as they must for any matrix product (the dimension-compatibility
# rule): one column of Z per position, one row per kernel. Here: 2 input channels, a
# 5×6 image, 3 kernels of 3×3, padding 1 (a border of zeros), stride 1.

# %%
from nn.conv_equations import compare_conv_with_autograd, conv_equations
from nn.conv_functions import im2col

layer = nn.Conv2d(2, 3, 3, padding=1, activation="linear", seed=0, name="C1")
generator = torch.Generator().manual_seed(0)
x_image = (torch.rand(2, 5, 6, generator=generator, dtype=torch.float64) * 2 - 1).tolist()
cols = im2col(x_image, 3, stride=1, padding=1)
W = [[w.data for w in kernel.w] for kernel in layer.kernels]
print(f"W:    {len(W)} × {len(W[0])}      (O × C·kh·kw = 3 × 2·3·3)")
print(f"cols: {len(cols)} × {len(cols[0])}     (C·kh·kw × H_out·W_out = 18 × 5·6)")
Z = [[sum(a * c for a, c in zip(row, col)) + kernel.b.data for col in zip(*cols)]
     for row, kernel in zip(W, layer.kernels)]
engine = layer(x_image)
print(f"Z:    {len(Z)} × {len(Z[0])}      the engine's output: {layer.output_shape((2, 5, 6))}")
assert all(Z[o][i * 6 + j] == engine[o][i][j].data for o in range(3) for i in range(5) for j in range(6))

# %% [markdown]
# The backward pass is notebook 06's layer form with `cols` in the place of the previous
# layer's activations. With out_diff = ∂C/∂Z (shape O × H_out·W_out):
#
# * **W_diff = out_diff · colsᵀ**: (O × H_out·W_out) · (H_out·W_out × C·kh·kw) = O × C·kh·kw,
#   the shape of W, as a gradient must be. Entry (o, k) is Σ over positions of
#   out_diff × the input that weight k met there: section 1's sum over positions, all
#   weights at once.
# * **b_diff = Σ over positions of out_diff**, one number per kernel.
# * **in_diff = col2im(Wᵀ · out_diff)**: Wᵀ · out_diff has the shape of cols
#   (C·kh·kw × H_out·W_out), one column per window; col2im adds each entry back to the
#   input place it came from. An input inside several windows receives the sum of what
#   each sends back (and padding places are dropped).
#
# `nn.conv_equations(model, x, y, cost)` computes these in plain floats, no engine, for
# a chain of conv, pool, Flatten and dense layers; here a conv layer followed by a dense
# layer of 2 outputs, with the quadratic cost.

# %%
head = nn.Layer(3 * 5 * 6, 2, "linear", seed=1)
model = [layer, nn.Flatten(), head]
target = [1.0, -1.0]
equations = conv_equations(model, x_image, target, "quadratic")
first = equations.layers[0]
print("out_diff:", len(first.out_diff), "×", len(first.out_diff[0]) * len(first.out_diff[0][0]),
      "  W_diff:", len(first.W_diff), "×", len(first.W_diff[0]),
      "  in_diff:", len(first.in_diff), "×", len(first.in_diff[0]), "×", len(first.in_diff[0][0]))

# %% [markdown]
# ## 4. The layer form, the engine and PyTorch
#
# Three independent computations of the same gradients: the layer form above (plain
# floats), the engine's `backward()` (one Value at a time), and PyTorch's
# `torch.nn.functional.conv2d` with its autograd, on the same weights in float64.

# %%
print("layer form vs engine, largest difference:", compare_conv_with_autograd(model, x_image, target, "quadratic"))

xt = torch.tensor(x_image, dtype=torch.float64, requires_grad=True)
kernels_t = torch.tensor(W, dtype=torch.float64).reshape(3, 2, 3, 3).requires_grad_()
bias_t = torch.tensor([k.b.data for k in layer.kernels], dtype=torch.float64, requires_grad=True)
head_t = head.to_torch()
zt = torch.nn.functional.conv2d(xt, kernels_t, bias_t, padding=1)
cost_t = 0.5 * ((head_t(zt.flatten()) - torch.tensor(target, dtype=torch.float64)) ** 2).sum()
cost_t.backward()


def largest(ours, theirs):
    flat = [v for plane in ours for row in plane for v in (row if isinstance(row, list) else [row])]
    return max(abs(a - b) for a, b in zip(flat, theirs.flatten().tolist()))


w_gap = largest([first.W_diff], kernels_t.grad.reshape(3, 18))
print(f"W_diff  vs torch: {w_gap:.1e}")
print(f"b_diff  vs torch: {max(abs(a - b) for a, b in zip(first.b_diff, bias_t.grad.tolist())):.1e}")
print(f"in_diff vs torch: {largest(first.in_diff, xt.grad):.1e}")
assert compare_conv_with_autograd(model, x_image, target, "quadratic") <= 1e-12
assert w_gap <= 1e-12 and largest(first.in_diff, xt.grad) <= 1e-12

# %% [markdown]
# ## 5. Max-pooling, and where δ goes
#
# A 2×2 max-pool keeps the largest of each 2×2 window and halves the height and width.
# Its derivative is 1 for the maximum and 0 for the others, so backward sends each δ to
# one place only. In the engine the maximum is built from `relu`, m ← m + relu(v − m)
# over the window, so that the graph is the same for every image (what `fit`'s generated
# code needs); relu′ is 0 at a tie, so on a tie the **first** maximum in reading order
# keeps δ. PyTorch does the same. Below, three of the four windows hold a tie (two 2s,
# two 3s, two 2s):

# %%
pool = nn.MaxPool2d(2)
grid = [[[2.0, 2.0, 1.0, 0.0], [0.0, 1.0, 3.0, 3.0], [1.0, 0.0, 0.0, 2.0], [4.0, 1.0, 2.0, 0.0]]]
pooled = pool(grid)
upstream = [[1.0, 2.0], [-1.0, 0.5]]
sum(u * v for urow, vrow in zip(upstream, pooled[0]) for u, v in zip(urow, vrow)).backward()
engine_routes = [[v.grad for v in row] for row in pool.x[0]]

gt = torch.tensor(grid, dtype=torch.float64, requires_grad=True)
(torch.nn.functional.max_pool2d(gt, 2) * torch.tensor([upstream], dtype=torch.float64)).sum().backward()
for row_engine, row_torch in zip(engine_routes, gt.grad[0].tolist()):
    print(row_engine, "  torch:", row_torch)
assert engine_routes == gt.grad[0].tolist()
eq = conv_equations([pool, nn.Flatten()], grid, [0.0] * 4, "quadratic")
print("the layer form's routes (output place → input place):", eq.layers[0].routes)

# %% [markdown]
# The layer form records the same routing (`routes`).
#
# ## 6. A small CNN against the MLP, on the digits
#
# The 8×8 digits of notebook 08, each image as one channel `[[row, row, …]]`. The CNN:
# Conv 1→4 channels, 3×3, ReLU (8×8 → 4×6×6), MaxPool 2 (→ 4×3×3), Flatten (36), a
# dense layer 36 → 10 logits. The MLP: 64 → 32 (tanh) → 10, as in notebook 08. Both
# trained with softmax cross-entropy through `fit` (its default pass, shown in the table), the same
# mini-batches, epochs and learning rate, and measured on the held-out test images.

# %%
data = nn.datasets.digits(seed=0)


def as_image(pixels):
    return [[pixels[8 * r:8 * r + 8] for r in range(8)]]


images_train = [as_image(p) for p in data.X_train]
images_test = [as_image(p) for p in data.X_test]
EPOCHS, LR, BATCH = 3, 0.5, 32

cnn = nn.Sequential(
    nn.Conv2d(1, 4, 3, activation="relu", seed=0, name="C1"),
    nn.MaxPool2d(2, name="P1"),
    nn.Flatten(),
    nn.Layer(36, 10, "linear", seed=1, name="L1"),
)
mlp = nn.MLP(64, [32, 10], activation="tanh", output_activation="linear", seed=0)

rows = []
for name, model_, train, test in (("CNN", cnn, images_train, images_test), ("MLP", mlp, data.X_train, data.X_test)):
    started = time.perf_counter()
    history = nn.fit(model_, train, data.y_train, cost="cross_entropy", lr=LR, epochs=EPOCHS, batch_size=BATCH,
                     seed=0, progress=False)
    seconds = (time.perf_counter() - started) / EPOCHS
    accuracy = nn.accuracy(model_, test, data.y_test, "cross_entropy")
    rows.append((name, len(model_.parameters()), seconds, history.backward, accuracy))

print(f"{'model':6} {'parameters':>10} {'s / epoch':>10} {'pass':>6} {'test accuracy':>14}")
for name, count, seconds, backward, accuracy in rows:
    print(f"{name:6} {count:>10,} {seconds:>10.2f} {backward:>6} {accuracy:>14.1%}")
assert rows[0][3] == rows[1][3]  # both epochs timed on the same pass

# %% [markdown]
# The parameter counts are exact: the CNN has 4 kernels of 9 weights + 4 biases, then
# 36·10 + 10; the MLP 64·32 + 32 + 32·10 + 10, about 6 times as many. The accuracies are
# after the same 3 epochs, with seeded weights and mini-batches (`seed=0`): here **the
# MLP wins**, by the margin in the table. Sharing weights gave the CNN
# about 6 times fewer parameters; with this data and this training budget it did not give
# it the better accuracy. The epoch times depend on the machine and its load (benchmark W5
# measures them, see benchmarks/README.md) and on the pass `fit` chose, in the "pass" column
# (`History.backward`): the same for both rows, numpy's matrix code when numpy is installed
# (both networks group into matrices), so the two times compare the same kind of code.

# %%
cnn_row, mlp_row = rows
assert cnn_row[1] == 4 * 9 + 4 + 36 * 10 + 10 and mlp_row[1] == 64 * 32 + 32 + 32 * 10 + 10
assert mlp_row[4] > cnn_row[4] > 0.5  # what the text says: both far above chance (10%), the MLP ahead

# %% [markdown]
# ## Summary
#
# * A kernel weight is ONE Value used at every position; backward adds one contribution
#   per position: ∂C/∂w = Σ over positions of δ × the input it met there.
# * im2col turns the convolution into Z = W·cols + b; then W_diff = out_diff·colsᵀ has
#   W's shape, b_diff sums out_diff over positions, in_diff = col2im(Wᵀ·out_diff). The
#   layer form, the engine and PyTorch agree to 1e-12 above.
# * Max-pooling sends δ to its window's maximum only (the first one on a tie).
#
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **11.1** A shared weight's gradient by hand, for a 1-D kernel of two weights.

# %%
from nn import exercises

print(exercises.task("11.1"))
answer_11_1 = None
exercises.check("11.1", answer_11_1)

# %% [markdown]
# **11.2** The shapes of `cols` and of W_diff for a bigger layer.

# %%
print(exercises.task("11.2"))
answer_11_2 = None
exercises.check("11.2", answer_11_2)

# %% [markdown]
# **11.3** Where a 2×2 max-pool sends δ (one window has a tie).

# %%
print(exercises.task("11.3"))
answer_11_3 = None
exercises.check("11.3", answer_11_3)
