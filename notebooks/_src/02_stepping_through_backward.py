# %% [markdown]
# # 02 · Stepping through backward
#
# `backward()` looks like magic until you watch it. In this engine it is literally a loop
# over a generator, `backward_steps()`, run to the end; you can run that generator
# yourself and stop after every node. This notebook does it four ways:
#
# 1. in a plain `for` loop, printing each step;
# 2. with a frame viewer (previous / next / slider) right in the notebook;
# 3. as a self-contained HTML file you can open in any browser;
# 4. in Python's debugger, with `breakpoint()`.
#
# The example is one neuron with two inputs and a tanh activation:
# a = tanh(x₁w₁ + x₂w₂ + b). Then we ask why the steps must come in this order at all.
#
# Steps are numbered from 1, as the viewer counts them ("step 4 of 5"); `frames[k]` is
# Python indexing, so `frames[3]` is step 4.

# %%
from autograd import Value

def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(-1.0, label="x2")
    w1, w2 = Value(-0.5, label="w1"), Value(0.75, label="w2")
    b = Value(1.25, label="b")
    x1w1 = x1 * w1; x1w1.label = "x1w1"
    x2w2 = x2 * w2; x2w2.label = "x2w2"
    s = x1w1 + x2w2; s.label = "x1w1+x2w2"
    z = s + b;       z.label = "z"
    a = z.tanh();    a.label = "a"
    return a, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, z=z)

a, v = neuron()
print(f"a = {a.data:.6f}")

# %% [markdown]
# ## 1. A loop over `backward_steps()`
#
# Each item is a `Step` with these attributes:
#
# * `node`: the Value whose gradient is being handed to its parents;
# * `upstream`: that node's gradient ∂a/∂node, already final (every node that uses it has
#   been processed before it);
# * `local_grads`: the node's local derivatives ∂node/∂parent, one per parent;
# * `terms`: one `(parent, local, contribution)` per parent, where
#   contribution = local × upstream has **already been added** to `parent.grad`.
#
# The steps come output first, leaves never (they have no parents to pass anything to).

# %%
for number, step in enumerate(a.backward_steps(), 1):
    print(f"step {number}: {step}\n")

# %% [markdown]
# Because `backward()` is that same generator run to the end, the grads it leaves behind
# are identical. Let us check on a fresh copy of the graph, and watch one gradient,
# `w1.grad`, change as the steps go by. It stays 0 until the step of the node that uses
# w1 directly.

# %%
a2, v2 = neuron()
a2.backward()

a3, v3 = neuron()
history = []
for step in a3.backward_steps():
    history.append((step.node.label, v3["w1"].grad))
for number, (label, g) in enumerate(history, 1):
    print(f"after step {number} (at {label:9})  w1.grad = {g:+.6f}")

for name in v2:
    assert v2[name].grad == v3[name].grad == v[name].grad, name

# %% [markdown]
# And the numbers are the chain rule: ∂a/∂w₁ = (1 − a²) · x₁, since ∂z/∂w₁ = x₁.

# %%
expected = (1 - a.data**2) * v["x1"].data
print(f"(1 − a²)·x1 = {expected:.10f}   w1.grad = {v['w1'].grad:.10f}")
assert abs(expected - v["w1"].grad) < 1e-12

# %% [markdown]
# ## 2. The frame viewer
#
# `backward_frames(root)` runs the same backward pass, and after each step keeps the
# grads **as they stood at that moment**, with a picture of the graph:
#
# * the node of the current step has a red border; the edges into its parents are red and
#   labelled local × upstream = contribution;
# * nodes the pass has not reached yet are grey and dashed, and a grad that is still
#   waiting for contributions is marked "so far".
#
# `frames.viewer()` gives previous / next buttons and a slider. (Widgets need a live
# kernel: on GitHub or in a static copy you will only see a line of text in their place.
# Run the notebook to use them; the single frames below are pictures and always show.)

# %%
from autograd.graph import backward_frames

a4, v4 = neuron()
frames = backward_frames(a4)
viewer = frames.viewer()
viewer

# %% [markdown]
# One frame on its own: `frames[k]` shows the picture of step k + 1, and `.text` the same
# step in words. Here is `frames[3]`, step 4 of 5 in the viewer, where the `*` node of
# x1·w1 hands its gradient to x1 and w1. Notice that the nodes of x2·w2 are still pending.

# %%
print(frames[3].text)
frames[3]

# %%
# Each frame holds the grads of its own moment, the ones the loop in section 1 saw.
for k, (label, w1_grad_then) in enumerate(history):
    assert frames[k].node.label == label
    assert frames[k].grads[v4["w1"]] == w1_grad_then
# The viewer is driven by its slider: moving it changes the text panel.
viewer.slider.value = 3
assert "step 4 of" in viewer.panel.value
viewer.slider.value = 0

# %% [markdown]
# ## 3. A step-through to keep: one HTML file
#
# `frames.save_html(path)` writes a single self-contained page: every frame as an inline
# SVG, a text panel per step, previous / next buttons, a slider and the arrow keys. No
# server, no network, no Python needed to look at it; send it to a friend.

# %%
import tempfile
from pathlib import Path

page = frames.save_html(Path(tempfile.gettempdir()) / "glassgrad_neuron_steps.html")
print(f"wrote {page.name}: {page.stat().st_size // 1024} KiB, {len(frames)} steps")
print("open it in a browser:", page.as_uri())
assert page.read_text(encoding="utf-8").count('class="frame"') == len(frames)

# %% [markdown]
# ## 4. In the debugger
#
# Because the backward pass is an ordinary Python loop you own, you can stop in it with
# Python's debugger, pdb. Put `breakpoint()` in the loop body:
#
# ```python
# for step in a.backward_steps():
#     breakpoint()
# ```
#
# Run it in a terminal (or a notebook: you get an `ipdb>` prompt under the cell). At each
# stop, the **current** step's contributions have already been added to its parents'
# grads (a `Step` is handed out after its work is done), and you can ask:
#
# | command | shows |
# |---------|-------|
# | `p step.node` | the Value being processed (data, grad, op, label) |
# | `p step.upstream` | its gradient, the number it multiplies into every edge |
# | `p step.terms` | `(parent, local, contribution)` for each parent |
# | `p [t[0].grad for t in step.terms]` | the parents' grads as they stand now |
# | `c` | continue to the next node |
# | `where` | the call stack |
#
# To see *how* a local derivative is computed, step into it: `b autograd/value.py:<line>`,
# or set a breakpoint on the op's function. Each op has its own named function
# (`mul_local`, `tanh_local`, …), so `where` and tracebacks say which op was running.
#
# A notebook cannot answer a prompt while it is being tested, so here is a real pdb
# session run in a separate Python process, with its commands typed in advance.

# %%
import os, subprocess, sys, textwrap

script = textwrap.dedent("""
    from autograd import Value
    x, w = Value(0.5, label="x"), Value(-2.0, label="w")
    a = (x * w).tanh(); a.label = "a"
    for step in a.backward_steps():
        breakpoint()
""")
typed = "p step.node\np step.upstream\np step.terms\nc\np step.node\np step.terms\nc\n"
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "debug_me.py"
    path.write_text(script)
    session = subprocess.run([sys.executable, "debug_me.py"], input=typed, cwd=tmp,
                             capture_output=True, text=True, timeout=60,
                             env={**os.environ, "PYTHONBREAKPOINT": "pdb.set_trace"})
    transcript = session.stdout.replace(tmp + "/", "")
print(transcript)
assert "tanh" in transcript and session.returncode == 0
# At the first stop the tanh step is already done: in `p step.terms` the * node's grad
# already holds 1 − a², the contribution of the CURRENT step.
import math

first_terms = next(line for line in transcript.splitlines() if "((Value(" in line)
assert f"op='*'), " in first_terms and f"grad={1 - math.tanh(0.5 * -2.0) ** 2!r}" in first_terms

# %% [markdown]
# At the first stop the `tanh` node has handed 1 − a² to the `*` node; at the second
# stop the `*` node has handed w·upstream to x and x·upstream to w.
#
# ## 5. Why this order?
#
# Every step hands on a grad that is already **final**: all the nodes a value feeds have
# had their steps. Why insist? The obvious alternative is a recursion: pass your grad to
# your parents, then let each parent pass its own on at once. (Learners ask about this
# again and again in micrograd, whose `backward` also sorts the graph first.) Try it on
#
# b = a + a,  c = b + b,  so c = 4a and ∂c/∂a = 4.

# %%
def naive_backward(node, visits):
    """Hand the grad on at once, recursing into each parent: no ordering."""
    visits[node.label] = visits.get(node.label, 0) + 1
    for parent, local in zip(node.parents, node.local_grads()):
        parent.grad += local * node.grad
        naive_backward(parent, visits)

def doublings(levels, start=1.0):
    a = Value(start, label="a")
    top = a
    for i in range(levels):
        top = top + top
        top.label = f"level {i + 1}"
    return a, top

a, c = doublings(2)
c.grad = 1.0
visits = {}
naive_backward(c, visits)
print(f"naive recursion: a.grad = {a.grad}   visits {visits}")

a, c = doublings(2)
c.backward()
print(f"backward():      a.grad = {a.grad}")
numeric = (doublings(2, 1 + 1e-6)[1].data - doublings(2, 1 - 1e-6)[1].data) / 2e-6   # the graph itself, nudged
print(f"finite difference: {numeric:.6f}")
assert a.grad == 4.0 and abs(numeric - 4) < 1e-6

# %% [markdown]
# The recursion says 6. When it walks down the first edge c → b, b.grad is 1, which is
# not yet final (the second edge has not delivered); it passes that 1 on to a anyway (+2),
# then the second edge brings b.grad to 2 and it passes the **whole** 2 on again (+4):
# the first contribution is counted twice. And it visits b twice, a four times: with more
# levels the visits double each time, while the topological order visits each node once.

# %%
for levels in (2, 5, 10):
    a, top = doublings(levels)
    top.grad = 1.0
    visits = {}
    naive_backward(top, visits)
    a2, top2 = doublings(levels)
    top2.backward()
    print(f"{levels:>2} levels: naive a.grad = {a.grad:>12g} in {sum(visits.values()):>5} visits;"
          f"  backward() a.grad = {a2.grad:g} = 2^{levels} in {levels} steps")
    assert a2.grad == 2.0**levels and a.grad != a2.grad

# %% [markdown]
# ## Summary
#
# * `backward_steps()` is the backward pass, one node at a time; `backward()` just runs it
#   to the end.
# * Each step says which node, its (final) upstream gradient, and what it added to each
#   parent.
# * You can watch it in a loop, in pictures, in a browser, or in a debugger.
# * The order matters: a node may pass its grad on only once it is final. A recursion
#   without that order counts contributions twice and visits nodes exponentially often.
#
# ## Exercises
#
# Each answer starts as `None`; replace it and run the cell. `exercises.task(id)` shows
# the givens; `exercises.check(id, answer)` says right or wrong, with a hint.
#
# **02.1** How many steps does `backward_steps()` yield for the expression in the
# givens? Predict first, then count with a loop.

# %%
from nn import exercises

print(exercises.task("02.1"))
answer_02_1 = None
exercises.check("02.1", answer_02_1)

# %% [markdown]
# **02.2** Give an order (a list of labels) in which backward could process the non-leaf
# nodes of the graph in the givens, output first. Draw it on paper first; more than one
# order may be right.

# %%
print(exercises.task("02.2"))
answer_02_2 = None
exercises.check("02.2", answer_02_2)

# %% [markdown]
# **02.3** The pdb example above, with other numbers (in the givens): what contribution
# does the `*` node add to `w.grad`? Work it out by hand, the way the transcript's numbers
# are made, then check it by stepping through that graph yourself.

# %%
print(exercises.task("02.3"))
answer_02_3 = None
exercises.check("02.3", answer_02_3)

# %% [markdown]
# Next: [03 · One neuron, then two](03_one_neuron_then_two.ipynb).
