# %% [markdown]
# # 10 · From scalars to tensors
#
# Everything so far has been one `Value` per number. PyTorch does the same calculus on
# **tensors**: whole arrays of numbers, one node per operation on the array. This
# notebook takes the two-moons network trained in notebook 08, moves it to PyTorch, and
# checks that both libraries compute the same numbers:
#
# 1. the same prediction and the same gradient of every weight,
# 2. one training step, taken in both,
# 3. the same step written with matrices, where a layer's z for a whole batch is one
#    matrix product and the backward pass is notebook 06's layer form,
#    in_diff = Wᵀ·out_diff and W_diff = out_diff·aᵀ: exactly what PyTorch's autograd
#    computes,
# 4. and how much quicker the tensors are, measured.
#
# It needs PyTorch (`pip install torch`; the CPU build is enough).

# %%
import time
import timeit

import torch

import autograd
import nn

torch.set_num_threads(1)  # the scalar engine uses one core: compare like with like
print("torch", torch.__version__)

# %% [markdown]
# ## 1. The network trained here
#
# The same model as notebook 08: 2 inputs → 16 → 16 ReLU neurons → 1 linear score,
# trained on 100 points with the hinge cost plus a little L2.

# %%
X, Y = nn.datasets.moons(100, noise=0.1, seed=0)
model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
started = time.perf_counter()
nn.fit(model, X, Y, cost="hinge", l2=1e-4, lr=0.5, epochs=100, progress=False)
print(f"trained in {time.perf_counter() - started:.1f} s;",
      f"training accuracy {nn.accuracy(model, X, Y, 'hinge'):.0%}")
assert nn.accuracy(model, X, Y, "hinge") >= 0.95

# %% [markdown]
# ## 2. The same network in PyTorch
#
# `model.to_torch()` builds a `torch.nn.Sequential` with the model's weights. Each layer
# becomes a `Linear` module, whose `weight` is a matrix with **one row per neuron**
# (`weight[j, k]` is the weight from input k into neuron j), and whose `bias` holds one
# bias per neuron; then the activation as its own module (`ReLU` here; a 'linear' layer
# has none). The numbers are float64, the same 64-bit floats a `Value` holds.

# %%
from nn.torch_bridge import parameter_values  # a Sequential's weights in our parameters() order

seq = model.to_torch()
print(seq)
first = model.layers[0].neurons[3]
print("neuron L1.N3, our weights:  ", [w.data for w in first.w], " bias", first.b.data)
print("row 3 of the first Linear:  ", seq[0].weight[3].tolist(), " bias", seq[0].bias[3].item())
assert seq[0].weight[3].tolist() == [w.data for w in first.w]
assert seq[0].bias[3].item() == first.b.data
assert [p.data for p in model.parameters()] == parameter_values(seq)  # every weight, exactly

# %% [markdown]
# ### The same prediction
#
# Our model takes one point at a time; the torch module takes all 100 as the rows of one
# matrix and gives 100 scores at once.

# %%
Xt = torch.tensor(X, dtype=torch.float64)   # 100 × 2: rows are samples
Yt = torch.tensor(Y, dtype=torch.float64)
ours = [model(x).data for x in X]
theirs = seq(Xt)[:, 0].tolist()
print(" point               ours                  torch              difference")
for x, a, b in list(zip(X, ours, theirs))[:5]:
    print(f" ({x[0]:+.2f}, {x[1]:+.2f})  {a:+.17f}  {b:+.17f}  {a - b:+.1e}")
worst = max(abs(a - b) for a, b in zip(ours, theirs))
print(f"largest difference over all {len(X)} points: {worst:.1e}")
assert worst <= 1e-12

# %% [markdown]
# They agree to the last digit or two: the sums are the same, added in a different
# order, so they can round one bit apart.
#
# ### The same gradients
#
# The cost: the hinge cost averaged over the 100 points plus (λ/2n)·Σw² with λ/n = 10⁻⁴
# (notebook 07's λ; `fit(l2=1e-4)` above), in
# both libraries. Our `backward()` and PyTorch's `backward()` then fill in the gradient
# of every weight and bias.

# %%
lam = 1e-4


def our_cost():
    total = autograd.sum([nn.hinge(model(x), y) for x, y in zip(X, Y)]) * (1 / len(X))
    return total + nn.l2_penalty(model, lam)


def torch_cost(module):
    scores = module(Xt)[:, 0]
    weights = [layer.weight for layer in module if isinstance(layer, torch.nn.Linear)]
    return torch.relu(1 - Yt * scores).mean() + lam / 2 * sum((W**2).sum() for W in weights)


model.zero_grad()
cost = our_cost()
cost.backward()
seq.zero_grad()
t_cost = torch_cost(seq)
t_cost.backward()
print(f"cost: ours {cost.data:.17f}   torch {t_cost.item():.17f}")

our_grads = [p.grad for p in model.parameters()]
torch_grads = parameter_values(seq, grad=True)  # the Linear grads, in our parameters() order
names = [name for name, _ in model.named_parameters()]
print(f"\n{'parameter':<24}{'ours':>24}{'torch':>24}{'difference':>12}")
for i in [0, 1, 2, 47, 48, 100, 320, 336]:
    print(f"{names[i]:<24}{our_grads[i]:>24.15e}{torch_grads[i]:>24.15e}{our_grads[i] - torch_grads[i]:>12.1e}")
worst = max(abs(a - b) for a, b in zip(our_grads, torch_grads))
print(f"\nlargest difference over all {len(our_grads)} gradients: {worst:.1e}")
assert abs(cost.data - t_cost.item()) <= 1e-12
assert worst <= 1e-10 and any(g != 0 for g in torch_grads)

# %% [markdown]
# ## 3. One training step in both
#
# Gradient descent moves every weight by −η times its gradient. Ours does it by hand;
# PyTorch's `torch.optim.SGD` does the same, for every tensor of the module at once.
# Before stepping, keep a copy of the weights for section 4.

# %%
lr = 0.5
start = [(layer.weight.detach().clone(), layer.bias.detach().clone())
         for layer in seq if isinstance(layer, torch.nn.Linear)]

for p in model.parameters():
    p.data -= lr * p.grad
torch.optim.SGD(seq.parameters(), lr=lr).step()

worst = max(abs(p.data - t) for p, t in zip(model.parameters(), parameter_values(seq)))
print(f"after one step, the largest difference between the two sets of weights: {worst:.1e}")
with torch.no_grad():
    print(f"cost after the step: ours {our_cost().data:.15f}   torch {torch_cost(seq).item():.15f}")
assert worst <= 1e-12

# %% [markdown]
# And back again: `nn.MLP.from_torch` builds an MLP from the stepped torch module, with
# exactly its weights; it predicts what our stepped model predicts.

# %%
back = nn.MLP.from_torch(seq)
print(back)
worst = max(abs(back(x).data - model(x).data) for x in X)
print(f"largest difference in the 100 scores: {worst:.1e}")
assert parameter_values(seq) == [p.data for p in back.parameters()]
assert worst <= 1e-12

# %% [markdown]
# ## 4. The same step, written with tensors
#
# Put the batch in a matrix A⁰ = X whose **rows are samples**. For one sample a layer
# computes z = W·a + b (notebook 06); for all of them at once, with the samples as rows,
# that is one matrix product:
#
# Zˡ = Aˡ⁻¹·Wᵀ + b,  Aˡ = f(Zˡ)  (row i of Zˡ is sample i's z; f is ReLU here, not the sigmoid σ).
#
# The backward pass is notebook 06's layer form, in the same row layout. Write
# OUTˡ = ∂C/∂Zˡ (one row of out_diff per sample). Then
#
# * in_diff = Wᵀ·out_diff for each sample, so for the batch ∂C/∂Aˡ⁻¹ = OUTˡ·W;
# * W_diff = out_diff·aᵀ summed over the samples: ∂C/∂Wˡ = (OUTˡ)ᵀ·Aˡ⁻¹ (+ (λ/n)·W from the L2 penalty);
# * b_diff = out_diff summed over the samples;
# * ReLU layer: in_diff = out_diff ⊙ [z > 0].
#
# Here is the forward pass with the weights from before the step, keeping every Z and A:

# %%
Ws = [W.clone().requires_grad_() for W, _ in start]
bs = [b.clone().requires_grad_() for _, b in start]

A = [Xt]
Z = []
for layer, (W, b) in enumerate(zip(Ws, bs)):
    Z.append(A[-1] @ W.T + b)                  # one matrix product per layer
    A.append(torch.relu(Z[-1]) if layer < 2 else Z[-1])
scores = A[-1][:, 0]
C = torch.relu(1 - Yt * scores).mean() + lam / 2 * sum((W**2).sum() for W in Ws)
print("shapes:", " → ".join(str(tuple(a.shape)) for a in A))
print(f"cost {C.item():.17f}  (section 2: {cost.data:.17f})")
assert abs(C.item() - cost.data) <= 1e-12
# Z¹ is what a torch Linear with those weights computes
assert (Z[0] - torch.nn.functional.linear(Xt, *start[0])).abs().max().item() <= 1e-14

# %% [markdown]
# Now the backward pass by hand, from the output layer down, with nothing but matrix
# products and the ReLU mask: no autograd at all.

# %%
n = len(X)
with torch.no_grad():
    # the cost's derivative with respect to each score: −y/n where the hinge is active
    OUT = (-(Yt / n) * (1 - Yt * scores > 0)).unsqueeze(1)        # ∂C/∂Z³: 100 × 1
    by_hand = {}
    for layer in (2, 1, 0):
        W = Ws[layer]
        by_hand[f"dC/dZ{layer + 1}"] = OUT
        by_hand[f"dC/dW{layer + 1}"] = OUT.T @ A[layer] + lam * W  # W_diff = out_diff·aᵀ, summed
        by_hand[f"dC/db{layer + 1}"] = OUT.sum(0)                  # b_diff = out_diff, summed
        if layer > 0:
            IN = OUT @ W                                             # in_diff = Wᵀ·out_diff, per row
            by_hand[f"dC/dA{layer}"] = IN
            OUT = IN * (Z[layer - 1] > 0)                            # ReLU: out_diff ⊙ [z > 0]
for key, value in by_hand.items():
    print(f"{key:<8} shape {tuple(value.shape)}")

# %% [markdown]
# PyTorch's autograd, asked with `torch.autograd.grad` for the derivative of the same
# cost with respect to every Z, every A and every W and b, gives the same matrices:

# %%
asked = {}
for layer in range(3):
    asked[f"dC/dZ{layer + 1}"] = Z[layer]
    asked[f"dC/dW{layer + 1}"] = Ws[layer]
    asked[f"dC/db{layer + 1}"] = bs[layer]
    if layer > 0:
        asked[f"dC/dA{layer}"] = A[layer]
autograd_says = dict(zip(asked, torch.autograd.grad(C, list(asked.values()))))

print(f"{'':<8}{'largest |by hand − autograd|':>30}")
for key in by_hand:
    difference = (by_hand[key] - autograd_says[key]).abs().max().item()
    print(f"{key:<8}{difference:>30.1e}")
    assert difference <= 1e-12, key

# %% [markdown]
# So `backward()` in PyTorch is notebook 06's layer form, run for you: Wᵀ·out_diff and
# out_diff·aᵀ, one matrix product per layer. And these matrices are the scalar engine's
# gradients, entry by entry: W_diff[j, k] of layer l is `model.layers[l].neurons[j].w[k].grad`
# from section 2. Finally, take the step with the matrices and compare it with both
# libraries' stepped weights:

# %%
hand_grads, stepped = [], []
for layer in range(3):
    W_diff, b_diff = by_hand[f"dC/dW{layer + 1}"], by_hand[f"dC/db{layer + 1}"]
    for j in range(W_diff.shape[0]):
        hand_grads += [*W_diff[j].tolist(), b_diff[j].item()]
    stepped.append((Ws[layer] - lr * W_diff, bs[layer] - lr * b_diff))
print(f"largest |W_diff by hand − scalar engine's grad|: "
      f"{max(abs(a - b) for a, b in zip(hand_grads, our_grads)):.1e}")
assert max(abs(a - b) for a, b in zip(hand_grads, our_grads)) <= 1e-10

flat = [v for W, b in stepped for j in range(W.shape[0]) for v in (*W[j].tolist(), b[j].item())]
print(f"largest difference from our stepped weights:   {max(abs(a - p.data) for a, p in zip(flat, model.parameters())):.1e}")
print(f"largest difference from torch's stepped weights: {max(abs(a - b) for a, b in zip(flat, parameter_values(seq))):.1e}")
assert max(abs(a - p.data) for a, p in zip(flat, model.parameters())) <= 1e-12
assert max(abs(a - b) for a, b in zip(flat, parameter_values(seq))) <= 1e-12

# %% [markdown]
# ## 5. The speed difference, measured
#
# The same gradient, computed both ways: our graph of scalar Values (built anew each
# time, then `autograd.fast.backward`, the quicker of the engine's two passes), against
# PyTorch's module on the batch matrix. Each is timed several times and the quickest run
# kept. Both run on one core.

# %%
def scalar_gradient():
    model.zero_grad()
    autograd.fast.backward(our_cost())


def tensor_gradient():
    seq.zero_grad()
    torch_cost(seq).backward()


def best_time(f, number):
    return min(timeit.repeat(f, number=number, repeat=5)) / number


def compare(title, scalar, tensor, scalar_calls, tensor_calls):
    """Time one gradient by the scalar engine and by PyTorch, print both; return PyTorch's time."""
    t_scalar, t_tensor = best_time(scalar, scalar_calls), best_time(tensor, tensor_calls)
    print(title)
    print(f"  scalar engine  {t_scalar * 1e3:8.2f} ms per gradient")
    print(f"  PyTorch        {t_tensor * 1e3:8.2f} ms per gradient")
    print(f"  PyTorch is {t_scalar / t_tensor:.0f}× quicker here")
    return t_tensor


nodes = len(autograd.topological_order(our_cost()))
t_tensor = compare(f"moons, 100 points, 2-16-16-1: scalar graph of {nodes:,} Values",
                   scalar_gradient, tensor_gradient, 3, 100)

# the two timed computations compute the same gradients
scalar_gradient(), tensor_gradient()
assert max(abs(p.grad - g) for p, g in zip(model.parameters(), parameter_values(seq, grad=True))) <= 1e-10

# %% [markdown]
# Part of the scalar engine's time is building the graph again for every gradient.
# Notebook 09's `autograd.codegen` writes this one graph out once as straight-line Python
# (the 100 points baked in as constants; writing it takes a while, not timed here), and
# then computes the same gradients from the weights alone:

# %%
from autograd.codegen import codegen

program = codegen(our_cost(), model.parameters())
weights = [p.data for p in model.parameters()]
t_program = best_time(lambda: program(*weights), 5)
print(f"  generated code {t_program * 1e3:8.2f} ms per gradient: PyTorch is {t_program / t_tensor:.0f}× quicker")

model.zero_grad()
our_cost().backward()
assert list(program(*weights)[1]) == [p.grad for p in model.parameters()]  # bit for bit

# %% [markdown]
# The same comparison for the digits network of notebook 08 (64 → 32 → 10, seven times
# as many weights), on a mini-batch of 32 images with softmax cross-entropy:

# %%
data = nn.datasets.digits(seed=0)
digits_model = nn.MLP(64, [32, 10], activation="tanh", output_activation="linear", seed=0)
digits_seq = digits_model.to_torch()
xb, yb = data.X_train[:32], data.y_train[:32]
xb_t, yb_t = torch.tensor(xb, dtype=torch.float64), torch.tensor(yb)


def digits_scalar():
    digits_model.zero_grad()
    autograd.fast.backward(autograd.sum([nn.cross_entropy(digits_model(x), y) for x, y in zip(xb, yb)]) * (1 / 32))


def digits_tensor():
    digits_seq.zero_grad()
    torch.nn.functional.cross_entropy(digits_seq(xb_t), yb_t).backward()


compare(f"digits, 32 images, 64-32-10 ({len(digits_model.parameters()):,} parameters)",
        digits_scalar, digits_tensor, 1, 100)

digits_scalar(), digits_tensor()
difference = max(abs(p.grad - g) for p, g in zip(digits_model.parameters(), parameter_values(digits_seq, grad=True)))
print(f"and the gradients agree: largest difference {difference:.1e}")
assert difference <= 1e-10

# %% [markdown]
# (Your numbers will differ with the machine and its load; the ratios are what to look
# at.) Where does the time go? The scalar engine makes one Python object per scalar
# operation (each neuron's z is one `dot` node, its activation another: the thousands of
# Values counted above) and visits each one in the backward pass; PyTorch makes one node
# per matrix operation, a handful per layer, and does the arithmetic inside them in
# compiled loops.
#
# ## Summary
#
# * `model.to_torch()` gives a float64 `torch.nn.Sequential` (`Linear` + activation per
#   layer) with exactly the model's weights; `nn.MLP.from_torch(seq)` goes back.
# * Same prediction, same gradients (the largest differences are printed above, all far
#   below 1e-10), and one training step agrees: PyTorch computes what `backward()`
#   computed one scalar at a time.
# * With the batch as a matrix, a layer's z is one product A·Wᵀ + b, and the backward pass
#   is in_diff = Wᵀ·out_diff, W_diff = out_diff·aᵀ: the matrices `torch.autograd.grad`
#   returns.
# * The tensors are much quicker, by the ratios measured above.

# %% [markdown]
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **10.1** Predict the shapes of PyTorch's gradients for one `Linear` layer and a batch.

# %%
from nn import exercises

print(exercises.task("10.1"))
answer_10_1 = None
exercises.check("10.1", answer_10_1)

# %% [markdown]
# **10.2** One weight in two libraries: where does `to_torch()` put a given weight of an
# `nn.MLP` (the notation table in the notebooks' README names it three ways)?

# %%
print(exercises.task("10.2"))
answer_10_2 = None
exercises.check("10.2", answer_10_2)

# %% [markdown]
# **10.3** The ReLU line of the batch backward above, by hand for one sample.

# %%
print(exercises.task("10.3"))
answer_10_3 = None
exercises.check("10.3", answer_10_3)
