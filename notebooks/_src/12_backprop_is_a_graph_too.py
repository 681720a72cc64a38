# %% [markdown]
# # 12 · Backprop is a graph too
#
# The backward pass is a computation: multiplications and additions of numbers the
# forward pass left behind (notebook 09 wrote it out as Python lines). So it can be
# built as a **graph of Values** instead of run as floats, and a graph can be
# differentiated. `autograd.grad` does that:
#
# ```python
# (dy,) = grad(y, [x], create_graph=True)    # ∂y/∂x as a Value, with a graph of its own
# (d2y,) = grad(dy, [x])                      # the derivative of the derivative
# ```
#
# Each node of the new graph comes from an op's own rule (the text `rule_for(node)`
# holds, the one codegen inlines), read over Values instead of floats: there is no second
# copy of any derivative. This notebook draws tanh's derivative, differentiates it again,
# then uses second derivatives for three jobs: Newton's method on notebook 05's black box,
# notebook 05's learning-rate edge η < 2/μ_max, and the Hessian of a small network,
# checked against PyTorch.
#
# Notation as in the other notebooks: y is a target, C the cost (the average loss), η
# the learning rate, μ a curvature (an eigenvalue of the Hessian). In a derivative graph
# a Value labelled `∂y/∂x` holds ∂y/∂x; here (section 1 only) y is tanh's output.

# %%
import math
import time

import numpy as np

import autograd
import nn
from autograd import Value, codegen, grad, hessian, hvp
from autograd.graph import draw_graph
from nn import exercises

# %% [markdown]
# ## 1. tanh's derivative, drawn
#
# y = tanh(x). Its rule says ∂y/∂x = 1 − y², written from the node's own output. Read
# over Values, that text becomes two op nodes, y·y then 1 − y·y, and a leaf holding the
# constant 1 (the three new Values printed below). (The chain rule multiplies
# it by the seed ∂y/∂y = 1; multiplying by 1 changes no bit, so no node is made for it.)

# %%
x = Value(0.5, label="x")
y = x.tanh();  y.label = "y"
(dy,) = grad(y, [x], create_graph=True)
t = math.tanh(0.5)
print(f"∂y/∂x = {dy.data!r}   1 − tanh²(0.5) = {1 - t * t!r}")
assert dy.data == 1 - t * t
for node in autograd.topological_order(dy):
    print(f"{node.label or '':>10}  {node.op or 'leaf':>5}  data {node.data:.6f}")

# %%
draw_graph(dy)

# %% [markdown]
# The forward node `y` is part of the derivative's graph: ∂y/∂x is computed **from** y,
# so y feeds it twice (y·y). Nothing was computed twice: the derivative graph reuses the
# forward node, and the leaf 1.0 is the constant of the rule's 1 − y².
#
# Differentiate that graph. By the chain rule through y: d(1 − y²)/dx = −2y · dy/dx =
# −2·tanh(x)·(1 − tanh²(x)). Check it against the closed form and against a central
# difference of the first derivative (which knows nothing about the rules):

# %%
(d2y,) = grad(dy, [x], create_graph=True)
closed_form = -2 * t * (1 - t * t)
eps = 1e-6
central = ((1 - math.tanh(0.5 + eps) ** 2) - (1 - math.tanh(0.5 - eps) ** 2)) / (2 * eps)
print(f"{d2y.label} = {d2y.data:.15f}")
print(f"−2·tanh·(1 − tanh²) = {closed_form:.15f}   central difference {central:.10f}")
assert abs(d2y.data - closed_form) < 1e-15 and abs(d2y.data - central) < 1e-8
(d3y,) = grad(d2y, [x])
third = -2 * (1 - t * t) ** 2 + 4 * t * t * (1 - t * t)   # d/dx of −2t(1 − t²), t′ = 1 − t²
print(f"third derivative {d3y:.15f}, closed form {third:.15f}")
assert abs(d3y - third) < 1e-14

# %% [markdown]
# The derivative graph is an ordinary graph, so everything that works on graphs works on
# it: `backward_steps` steps through it, and `codegen` writes it out. Here is ∂y/∂x
# compiled: the forward line `y = tanh(x)`, then the rule's 1 − y·y, and the backward
# pass of *that* (∂(∂y/∂x)/∂x) below it.

# %%
prog = codegen(dy, [x])
print(prog.source)
value, (slope,) = prog(0.5)
assert value == dy.data and slope == d2y.data          # the same bits as the graphs
print(f"steps through the derivative graph: {len(list(dy.backward_steps()))}")

# %% [markdown]
# ## 2. Newton's method on the black box
#
# Notebook 05 fitted z = w₁x + w₂x² + b to the black box's four readings by gradient
# descent, and saw it crawl along a stretched valley. Newton's method uses the second
# derivatives too: near θ it models the cost as a bowl with gradient ∇C and Hessian H and
# jumps to the bowl's bottom, θ ← θ − H⁻¹∇C. The engine gives both, exactly.

# %%
X, Y = nn.datasets.black_box()

def cost(w1, w2, b):
    """C: the average of ½(z − y)² over the four readings, as a graph."""
    losses = [0.5 * (w1 * xi + w2 * (xi * xi) + b - yi) ** 2 for xi, yi in zip(X, Y)]
    return autograd.sum(losses) * (1 / len(Y))

def cost_value(theta):
    return cost(*[Value(p) for p in theta]).data

def gradient_descent(theta, lr, steps):
    """Steps until C < 0.001 (or ``steps``): (steps taken, θ, costs after each step)."""
    costs = []
    for k in range(steps):
        params = [Value(p) for p in theta]
        g = grad(cost(*params), params)
        theta = [p - lr * gi for p, gi in zip(theta, g)]
        costs.append(cost_value(theta))
        if costs[-1] < 0.001:
            return k + 1, theta, costs
    return steps, theta, costs

def newton(theta, steps):
    costs = []
    for k in range(steps):
        params = [Value(p) for p in theta]
        C = cost(*params)
        g = np.array(grad(C, params))
        H = np.array(hessian(C, params))
        theta = list(np.array(theta) - np.linalg.solve(H, g))
        costs.append(cost_value(theta))
        if costs[-1] < 0.001:
            return k + 1, theta, costs
    return steps, theta, costs

first_guess = [1.0, 1.0, 0.0]                    # z = x + x², notebook 05's start
start = time.perf_counter()
gd_steps, gd_theta, gd_costs = gradient_descent(first_guess, lr=0.25, steps=1000)
gd_time = time.perf_counter() - start
start = time.perf_counter()
nt_steps, nt_theta, nt_costs = newton(first_guess, steps=10)
nt_time = time.perf_counter() - start
print(f"gradient descent, η = 0.25: {gd_steps} steps to C < 0.001 ({gd_time * 1e3:.0f} ms), "
      f"C = {gd_costs[-1]:.2e}, θ = {np.round(gd_theta, 3)}")
print(f"Newton:                     {nt_steps} step(s) to C < 0.001 ({nt_time * 1e3:.0f} ms), "
      f"C = {nt_costs[-1]:.2e}, θ = {np.round(nt_theta, 6)}")
assert nt_steps == 1 and gd_steps > 10 * nt_steps
assert np.allclose(nt_theta, [2.21, 0.0, 0.0], atol=1e-9)   # the box's own rule, y = 2.21·x

# %% [markdown]
# One Newton step lands on w₁ = 2.21, w₂ = 0, b = 0: the best fit, which gradient descent
# had not reached when it stopped at C < 0.001 after 43 steps, at θ = [1.235 0.319 0.644]
# (printed above: the "C < 0.001" stop comes early, on the valley floor). That is no luck: this cost is exactly
# quadratic in θ, so the bowl Newton models *is* the cost. On a network's cost it is only
# an approximation, and H has to be formed and solved (n² numbers for n parameters), so
# training uses gradients; the next section shows what the Hessian still tells us.

# %% [markdown]
# ## 3. The learning-rate edge, from the exact Hessian
#
# Notebook 05 found that gradient descent diverges for η > 2/μ_max, with μ_max the largest
# eigenvalue of H = (1/n) Σ f fᵀ, f = (x, x², 1), written out by hand. Now the engine
# differentiates C twice and we only ask numpy for the eigenvalues:

# %%
params = [Value(p) for p in first_guess]
H = np.array(hessian(cost(*params), params))
mu = np.linalg.eigvalsh(H)                         # ascending
mu_max = mu[-1]
F = np.array([[xi, xi * xi, 1.0] for xi in X])
assert np.allclose(H, F.T @ F / len(X), rtol=1e-12, atol=1e-15)   # notebook 05's H, by hand
print("Hessian from the engine:\n", np.array2string(H, precision=6))
print("its eigenvalues:", np.array2string(mu, precision=6), "(all positive: a bowl)")
assert mu[0] > 0
print(f"μ_max = {mu_max:.6f}  →  gradient descent diverges for η > 2/μ_max = {2 / mu_max:.6f}")
below, above = 0.98 * 2 / mu_max, 1.02 * 2 / mu_max
_, _, costs_below = gradient_descent(first_guess, lr=below, steps=40)
_, _, costs_above = gradient_descent(first_guess, lr=above, steps=40)
print(f"cost at the start {cost_value(first_guess):.3g}")
print(f"η = {below:.4f}: cost after 40 steps {costs_below[-1]:.3g};  "
      f"η = {above:.4f}: cost after 40 steps {costs_above[-1]:.3g}")
assert costs_above[-1] > costs_above[0] and costs_below[-1] < cost_value(first_guess)

# %% [markdown]
# From the same start, 2% below the edge the cost is down after 40 steps; 2% above it, it
# has grown past its starting value. The
# Hessian-vector product H·v gives the same μ_max without forming H (what large models
# do): `hvp` runs one forward sweep carrying how every value moves when the parameters
# move along v, then one backward sweep carrying each gradient and how it moves
# (forward-over-reverse, no graph built), and repeating v ← Hv/‖Hv‖ (power iteration)
# converges to the top eigenvector.

# %%
v = np.ones(3)
for _ in range(60):
    hv = np.array(hvp(cost(*params), params, list(v)))
    mu_estimate = np.linalg.norm(hv)
    v = hv / mu_estimate
print(f"μ_max by power iteration on hvp: {mu_estimate:.6f}")
assert abs(mu_estimate - mu_max) < 1e-9 * mu_max

# %% [markdown]
# ## 4. The Hessian of a small network, against PyTorch
#
# A 2-2-1 tanh network with a sigmoid output, one sample, the quadratic loss: 9
# parameters, so a 9 × 9 Hessian. `torch.autograd.functional.hessian` computes it with
# PyTorch's own derivative formulas, a check independent of the engine's rules.

# %%
import torch

x_in, target = [0.7, -1.2], 1.0
theta = [0.5, -0.3, 0.1, 0.8, 0.2, -0.4, 1.1, -0.9, 0.05]   # w¹ (2×2), b¹ (2), w² (1×2), b²

def loss_values(p):
    h = [autograd.dot(p[2 * j:2 * j + 2], x_in, p[4 + j]).tanh() for j in range(2)]
    a = autograd.dot(p[6:8], h, p[8]).sigmoid()
    return 0.5 * (a - target) ** 2

def loss_torch(p):
    h = torch.tanh(p[0:4].reshape(2, 2) @ torch.tensor(x_in, dtype=torch.float64) + p[4:6])
    a = torch.sigmoid(p[6:8] @ h + p[8])
    return 0.5 * (a - target) ** 2

leaves = [Value(v) for v in theta]
ours = np.array(hessian(loss_values(leaves), leaves))
theirs = torch.autograd.functional.hessian(loss_torch, torch.tensor(theta, dtype=torch.float64)).numpy()
print(f"largest |difference| {np.abs(ours - theirs).max():.2e}, largest |entry| {np.abs(theirs).max():.3f}")
assert np.allclose(ours, theirs, rtol=1e-12, atol=1e-15) and np.allclose(ours, ours.T, atol=1e-15)
eigenvalues = np.linalg.eigvalsh(ours)
print("eigenvalues:", np.array2string(eigenvalues, precision=4))
rank = np.linalg.matrix_rank(ours)
print(f"rank {rank} of 9: {9 - rank} eigenvalues are zero up to rounding")
assert eigenvalues[0] < 0 < eigenvalues[-1] and rank < 9

# %% [markdown]
# The two agree to the last few bits, and the Hessian is symmetric (∂²C/∂θᵢ∂θⱼ =
# ∂²C/∂θⱼ∂θᵢ), as it must be. Unlike the black box's Hessian above (all three eigenvalues
# positive), its eigenvalues have both signs, and several are zero up to rounding: this
# cost is not a bowl here, and H cannot even be inverted, so the raw Newton step
# θ − H⁻¹∇C does not exist. That is one reason networks are trained with gradients, and why the
# curvature still matters: it sets how large η may be.
#
# ## Summary
#
# * `grad(y, xs, create_graph=True)` builds the backward pass as a graph of Values, from
#   the ops' own rules; `grad` of that is the second derivative, and so on.
# * The derivative graph can be drawn, stepped through and compiled like any other.
# * `hessian` gives H; on a quadratic cost one Newton step θ − H⁻¹∇C is the exact minimum.
# * The learning-rate edge 2/μ_max comes from H's largest eigenvalue, which `hvp` finds
#   without forming H.
#
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **12.1** The second derivative of the sigmoid σ at the given z (with `grad` twice, or
# by hand from σ′ = σ(1 − σ)).

# %%
print(exercises.task("12.1"))
answer_12_1 = None
exercises.check("12.1", answer_12_1)

# %% [markdown]
# **12.2** One Newton step for the minimum of the given function, from the given start:
# the new x.

# %%
print(exercises.task("12.2"))
answer_12_2 = None
exercises.check("12.2", answer_12_2)

# %% [markdown]
# **12.3** The learning rate above which gradient descent diverges on the given quadratic
# cost of two parameters.

# %%
print(exercises.task("12.3"))
answer_12_3 = None
exercises.check("12.3", answer_12_3)
