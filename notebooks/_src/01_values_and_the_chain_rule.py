# %% [markdown]
# # 01 · Values and the chain rule
#
# A neural network is, underneath, a long arithmetic expression. To train it we need
# to know how much the final number (the cost) moves when each input number moves: a
# derivative for every weight. This notebook builds the smallest possible machine for
# that, one scalar at a time.
#
# You will see:
# 1. what a `Value` records when you do arithmetic with it;
# 2. a forward pass and a backward pass worked out by hand, then by `backward()`;
# 3. a picture of the graph with data, gradients and chain-rule labels on the edges;
# 4. why a value used twice ("fan-out") gets its gradients **added**.

# %%
from autograd import Value, gradcheck

# %% [markdown]
# ## 1. A Value remembers how it was made
#
# `Value` wraps one Python float. Every operation on Values returns a new Value that
# keeps a tuple of its `parents` (in operand order) and the name of the `op`. Leaves
# (inputs, weights, constants) have no parents and an empty `op`.

# %%
x = Value(1.5, label="x")
u = Value(-0.5, label="u")
q = x * u;      q.label = "q"
r = q + x;      r.label = "r"
s = r.tanh();   s.label = "s"

for v in (x, u, q, r, s):
    print(f"{v.label}: data={v.data:+.6f}  op={v.op!r:8} parents={[p.label for p in v.parents]}")

# %% [markdown]
# That is the **forward pass**: numbers flow from the leaves to the output, and as a
# side effect the expression is recorded as a graph.
#
# Each node also knows its **local derivatives**, ∂node/∂parent for each parent, using
# only the numbers already computed in the forward pass:
#
# | op | local derivatives |
# |----|-------------------|
# | `q = x * u` | ∂q/∂x = u, ∂q/∂u = x |
# | `r = q + x` | ∂r/∂q = 1, ∂r/∂x = 1 |
# | `s = tanh(r)` | ∂s/∂r = 1 − s² |

# %%
for v in (q, r, s):
    print(v.label, "local grads:", v.local_grads())

# %% [markdown]
# ## 2. The backward pass by hand
#
# We want ∂s/∂x and ∂s/∂u. The chain rule says: the derivative along a path is the
# product of the local derivatives on that path, and when several paths lead from a
# leaf to the output, their contributions **add**.
#
# `x` reaches `s` along two paths: x → q → r → s and x → r → s. So
#
# ∂s/∂x = (1 − s²) · [ 1 · u  +  1 ]
#
# while `u` has only one path: ∂s/∂u = (1 − s²) · 1 · x.
#
# Let us compute that with plain floats, starting at the output (∂s/∂s = 1) and walking
# back, multiplying by one local derivative per edge.

# %%
import math

xf, uf = 1.5, -0.5
qf = xf * uf
rf = qf + xf
sf = math.tanh(rf)

ds_ds = 1.0
ds_dr = (1 - sf**2) * ds_ds           # through tanh
ds_dq = 1.0 * ds_dr                   # through + (to q)
ds_dx = 1.0 * ds_dr + uf * ds_dq      # x feeds r directly AND feeds q: two contributions
ds_du = xf * ds_dq
print(f"by hand:  ds/dx = {ds_dx:.10f}   ds/du = {ds_du:.10f}")

# %% [markdown]
# ## 3. The same with `backward()`
#
# `s.backward()` does exactly that walk: it orders the graph so that every node comes
# after the nodes it feeds, sets `s.grad = 1`, and for each node applies the one line
# that *is* backpropagation:
#
# ```python
# parent.grad += local * node.grad
# ```

# %%
s.backward()
for v in (s, r, q, x, u):
    print(f"{v.label}.grad = {v.grad:+.10f}")

# %%
# The engine agrees with the hand computation to the last bit of rounding.
assert math.isclose(x.grad, ds_dx, rel_tol=1e-12)
assert math.isclose(u.grad, ds_du, rel_tol=1e-12)

# %% [markdown]
# ### An independent check: nudge the input and watch the output
#
# A derivative is "how much the output moves per unit the input moves". Central
# differences measure exactly that, knowing nothing about the chain rule:
# (f(x + ε) − f(x − ε)) / 2ε.

# %%
def f(x, u):
    return math.tanh(x * u + x)

eps = 1e-6
numeric_dx = (f(xf + eps, uf) - f(xf - eps, uf)) / (2 * eps)
numeric_du = (f(xf, uf + eps) - f(xf, uf - eps)) / (2 * eps)
print(f"numeric:  ds/dx = {numeric_dx:.10f}   ds/du = {numeric_du:.10f}")
assert abs(numeric_dx - x.grad) < 1e-8 and abs(numeric_du - u.grad) < 1e-8

# %% [markdown]
# The library packages that check as `gradcheck(f, inputs)`: it builds the expression
# from fresh Values, runs `backward`, compares with central differences, and raises an
# error naming the input if they disagree.

# %%
print("gradcheck passed:", gradcheck(lambda a, b: (a * b + a).tanh(), [Value(1.5), Value(-0.5)]))

# %% [markdown]
# ## 4. The picture
#
# Below, each box is a Value (label, data, grad); each round node is the op that made
# it. Each edge carries its chain-rule factor: the local derivative times the
# upstream gradient. Follow both edges that leave `x`: their contributions add up to
# `x.grad`.

# %%
from autograd.graph import draw_graph

picture = draw_graph(s, highlight=x)
picture

# %% [markdown]
# Read the edges out of `x`: one goes into `*` (local derivative u = −0.5, times the
# upstream 0.5966) and one goes straight into `+` (local 1, times 0.5966). The box of
# `x` shows its grad as the sum of the two. `picture.save("graph.png")` (or `.svg`, `.pdf`)
# writes the same picture to a file, and `picture.source` is its Graphviz text.

# %%
import html, re

svg = picture.svg()
text = html.unescape(" ".join(re.findall(r">([^<]+)<", svg)))  # the words drawn
assert f"grad {x.grad:.4g}" in text               # x's grad is in x's box,
assert f"{u.data * r.grad:.4g}" in text and f"{1.0 * r.grad:.4g}" in text  # made of these two

# %% [markdown]
# ## 5. Fan-out: why gradients add
#
# When one value feeds two places, a small change in it changes *both* places, and both
# changes reach the output. So its derivative is the sum of what comes back along each
# path. The engine gets this for free by *adding* into `grad` instead of assigning.
#
# The simplest case: `a + a` has two parents, both `a`.

# %%
a = Value(3.0, label="a")
b = a + a
print("parents of b:", [p.label for p in b.parents])
b.backward()
print("a.grad =", a.grad, "  (d(2a)/da = 2)")
assert a.grad == 2.0

# %% [markdown]
# And `a * a`: each parent's local derivative is the *other* factor, 3, and the two
# contributions add to 6 = 2a, the derivative of a².

# %%
a = Value(3.0, label="a")
c = a * a
for step in c.backward_steps():
    for parent, local, contribution in step.terms:
        print(f"edge to {parent.label}: local {local} × upstream {step.upstream} = {contribution}")
print("a.grad =", a.grad)
assert a.grad == 2 * a.data

# %% [markdown]
# What would go wrong with `=` instead of `+=`? The second edge would overwrite the
# first, and we would get 3 instead of 6: half the truth. Let us simulate that mistake
# with plain numbers to see it.

# %%
grad_overwrite = 0.0
grad_accumulate = 0.0
for local in c.local_grads():       # (3.0, 3.0): one per parent
    grad_overwrite = local * 1.0     # wrong: forgets the other path
    grad_accumulate += local * 1.0   # right: sums over every path
print("overwrite:", grad_overwrite, "  accumulate:", grad_accumulate)

# %% [markdown]
# ### The other side of `+=`: leaves keep accumulating
#
# Leaves (inputs and weights) are never reset by `backward()`: calling it twice on the
# same graph gives twice the gradient. That is useful (summing gradients over several
# samples) but it means a training loop must set the weights' grads back to 0 before
# each step. The `nn` package does this with `model.zero_grad()`.

# %%
w = Value(2.0, label="w")
out = w * w * w          # w³, derivative 3w² = 12
out.backward()
print("after one backward:", w.grad)
out.backward()
print("after two:         ", w.grad)
assert w.grad == 2 * 12.0
w.grad = 0.0             # what zero_grad() does for every parameter

# %% [markdown]
# PyTorch also **adds** into `.grad`, but it frees the values a graph saved for its
# backward pass as soon as that pass is done, so a second `backward()` through the same
# graph raises, unless the first one was called with `retain_graph=True`:

# %%
try:
    import torch
except ImportError:
    print("(PyTorch is not installed here: pip install torch to run this cell)")
else:
    tw = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    tout = tw * tw * tw
    tout.backward()
    try:
        tout.backward()
    except RuntimeError as error:
        print("second backward():", str(error).split(".")[0])
    tout = tw * tw * tw
    tout.backward(retain_graph=True)
    tout.backward()
    print("tw.grad after three passes (12 + 12 + 12):", tw.grad.item())
    assert tw.grad.item() == 3 * 12.0

# %% [markdown]
# ## Summary
#
# * The forward pass computes numbers *and* records a graph; every node knows its local
#   derivatives.
# * The backward pass starts at the output with gradient 1 and walks the graph in
#   reverse, doing `parent.grad += local * node.grad` on every edge.
# * A value used in several places receives the **sum** of the gradients from all of
#   them; that is the chain rule for several paths.
#
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint, and never
# the answer.
#
# **01.1** By hand, with the chain rule: ∂f/∂x for the f and the numbers in the givens.
# (Then check yourself with `Value` and `backward()`.)

# %%
from nn import exercises

print(exercises.task("01.1"))
answer_01_1 = None
exercises.check("01.1", answer_01_1)

# %% [markdown]
# **01.2** Predict `w.grad` after calling `out.backward()` twice without resetting it.

# %%
print(exercises.task("01.2"))
answer_01_2 = None
exercises.check("01.2", answer_01_2)

# %% [markdown]
# **01.3** Write your own central difference: a function that estimates f′(x) from values
# of f alone. The checker tries it on three functions whose derivatives it knows.

# %%
print(exercises.task("01.3"))

def central_difference(f, x, eps=1e-6):
    return None          # your code here

exercises.check("01.3", central_difference)

# %% [markdown]
# **01.4** Predict what breaks when `+=` becomes `=`: if every edge **assigned**
# `parent.grad = local * upstream`, what would `a.grad` be for the f in the givens? (The
# right value is b + 1; which edge into a comes last decides the wrong one.)

# %%
print(exercises.task("01.4"))
answer_01_4 = None
exercises.check("01.4", answer_01_4)

# %% [markdown]
# Next: [02 · Stepping through backward](02_stepping_through_backward.ipynb) watches that
# walk one node at a time, and shows why it must go in that order.
